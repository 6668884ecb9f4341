//! `/profil`: the Utilisateur's own space.

use maud::{html, Markup};

use super::account::account_bar;
use super::forms::french_date;
use super::{layout, Page};
use crate::accounts::Profile;
use crate::auth::{CsrfToken, Viewer};
use crate::domain::{Civility, CompanyKind, Country, Phone};

pub fn profile_page(viewer: &Viewer, profile: &Profile, token: &CsrfToken) -> Markup {
    let page = Page {
        title: "Mon espace client",
        description: "Votre espace client WeMaintain.",
        path: "/profil",
    };
    let civility = profile
        .civility
        .as_deref()
        .and_then(|c| Civility::parse(c).ok())
        .map(|c| c.label())
        .unwrap_or("—");
    let kind = profile
        .company_kind
        .as_deref()
        .and_then(|k| CompanyKind::parse(k).ok())
        .map(|k| k.label())
        .unwrap_or("—");
    let country = profile
        .country
        .as_deref()
        .and_then(|c| Country::parse(c).ok())
        .map(|c| c.name())
        .unwrap_or("—");
    let phone = profile
        .phone
        .clone()
        .map(|p| Phone::from_stored(p).display_international())
        .unwrap_or_else(|| "—".into());
    let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    layout(
        &page,
        html! {
            section.section { div.wrap.prose {
                (account_bar(viewer, token))
                h1 { "Bonjour " (profile.first_name) }
                p { "Votre compte est ouvert depuis le " (french_date(profile.created_at)) "." }
                h2 { "Vous" }
                dl.definitions {
                    dt { "Civilité" } dd { (civility) }
                    dt { "Nom" } dd { (profile.first_name) " " (profile.last_name) }
                    dt { "Rôle dans la société" } dd { (dash(&profile.job_title)) }
                    dt { "Adresse e-mail" } dd { (profile.email) }
                    dt { "Téléphone" } dd { (phone) }
                }
                h2 { "Votre société" }
                dl.definitions {
                    dt { "Nom" } dd { (dash(&profile.company_name)) }
                    dt { "Type" } dd { (kind) }
                    dt { "Adresse" } dd {
                        (dash(&profile.address))
                        @if let Some(extra) = &profile.address_extra { br; (extra) }
                        br; (dash(&profile.postal_code)) " " (dash(&profile.city)) br; (country)
                    }
                }
                h2 { "Bâtiments et appareils" }
                p { a href="/profil/batiments" { "Voir et gérer les bâtiments et les appareils de votre société" } }
                h2 { "Sécurité" }
                p { a href="/compte/mot-de-passe" { "Changer mon mot de passe" } }
                p { "Pour corriger une information, " a href="/contact" { "écrivez-nous" } "." }
            } }
        },
    )
}
