//! The on-call number on a page: a `tel:` link a phone dials in one tap,
//! and the notices of the maintenance request pages, worded so that no
//! page promises an on-call line when `WM_EMERGENCY_PHONE` is unset.

use maud::{html, Markup};

use crate::domain::EmergencyPhone;

/// The number as a link that dials it: `<a href="tel:+33…">01 23 45 67 89</a>`.
pub fn on_call_link(phone: &EmergencyPhone) -> Markup {
    html! { a.on-call href=(phone.tel_uri()) { (phone.display()) } }
}

/// At the top of the request form (and on an urgent request's page): what
/// to do first when a person is stuck.
pub fn stuck_person_notice(on_call: Option<&EmergencyPhone>) -> Markup {
    html! {
        @if let Some(phone) = on_call {
            p.notice.emergency {
                strong { "Une personne est bloquée dans un appareil ?" }
                " Appelez tout de suite notre astreinte au " (on_call_link(phone))
                " : la demande en ligne ne remplace pas cet appel."
            }
        } @else {
            p.notice.emergency {
                strong { "Une personne est bloquée dans un appareil ?" }
                " Choisissez l'urgence « Personne bloquée dans l'appareil » : l'équipe WeMaintain traite ces demandes en premier. "
                "En cas de danger, appelez les secours au " a href="tel:112" { "112" } "."
            }
        }
    }
}

/// Next to the urgency field of the request form: the number again, where
/// « Personne bloquée » is chosen; nothing when there is no number.
pub fn urgency_hint(on_call: Option<&EmergencyPhone>) -> Markup {
    html! {
        @if let Some(phone) = on_call {
            p.hint.emergency-hint id="urgence-astreinte" {
                "Personne bloquée : appelez aussi l'astreinte au " (on_call_link(phone)) "."
            }
        }
    }
}
