//! What a client account that no company holds yet reads instead of its
//! company's pages: why they are empty, what happens next, and how to reach
//! WeMaintain.

use maud::{html, Markup};

use crate::views::layout::CONTACT_EMAIL;
use crate::views::space::PROFILE;

/// The explanation itself, also shown on `/profil` in place of the company.
pub fn no_company_notice() -> Markup {
    html! {
        div.notice role="status" {
            p { strong { "Votre compte n'est pas encore rattaché à une société." } }
            p {
                "Les bâtiments, les appareils, les demandes, les propositions, les rapports et le contrat "
                "appartiennent à une société. Tant que votre compte n'en a pas, ces pages restent vides."
            }
            p {
                "L'équipe WeMaintain rattache votre compte à votre société (celle de votre contrat) : "
                "dès que c'est fait, ces pages s'affichent, sans avoir à vous reconnecter."
            }
            p {
                "Pour que ce soit fait, ou si vous pensez que c'est une erreur, "
                a href="/contact" { "écrivez-nous depuis la page Contact" }
                " ou à "
                a href={ "mailto:" (CONTACT_EMAIL) } { (CONTACT_EMAIL) }
                ", en indiquant le nom de votre société."
            }
        }
    }
}

/// The page of `path` for a client without a company.
pub fn no_company_page(path: &str) -> Markup {
    PROFILE.page(
        "Compte non rattaché à une société",
        path,
        html! {
            h1 { "Votre compte n'est pas encore rattaché à une société" }
            (no_company_notice())
            p { a href="/profil" { "Retour à mon espace" } }
        },
    )
}
