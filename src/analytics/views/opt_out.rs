//! `/confidentialite/opposition`: the visitor's choice about audience measurement.

use maud::{html, Markup};

use crate::analytics::AudienceChoice;
use crate::auth::CsrfToken;
use crate::privacy::{Purpose, Register};
use crate::views::forms::csrf_field;
use crate::views::layout::{OPT_OUT_PATH, POLICY_PATH};
use crate::views::{layout, Page};

pub fn opt_out_page(
    choice: AudienceChoice,
    just_saved: bool,
    register: &Register,
    token: &CsrfToken,
) -> Markup {
    let page = Page {
        title: "Mesure d'audience : votre choix",
        description: "Voir si vos visites sont comptées pour la mesure d'audience du site WeMaintain, et vous y opposer en un clic.",
        path: OPT_OUT_PATH,
    };
    layout(
        &page,
        html! {
            section.section {
                div.wrap.prose {
                    h1 { "Mesure d'audience : votre choix" }
                    @if just_saved {
                        p.notice role="status" { "Votre choix est enregistré." }
                    }
                    (status_box(choice, token))
                    (what_is_kept(register))
                    p { a href=(POLICY_PATH) { "Lire la politique de confidentialité" } }
                }
            }
        },
    )
}

/// Whether this browser is measured, and the one button that changes it.
fn status_box(choice: AudienceChoice, token: &CsrfToken) -> Markup {
    html! {
        div.status-box {
            @match choice {
                AudienceChoice::Measured => {
                    h2 { "La mesure d'audience est active pour ce navigateur" }
                    p { "Vos visites sont comptées dans les statistiques de fréquentation du site, sans identifiant et avec une adresse IP tronquée." }
                    (choice_form(token, "opposition", "button", "Je m'oppose à la mesure d'audience"))
                }
                AudienceChoice::Objected => {
                    h2 { "Votre opposition à la mesure d'audience est enregistrée" }
                    p { "Vos visites ne sont pas comptées dans les statistiques de fréquentation du site." }
                    (choice_form(token, "mesure", "button secondary", "Retirer mon opposition"))
                }
                AudienceChoice::BrowserSignal => {
                    h2 { "Votre navigateur refuse la mesure d'audience" }
                    p {
                        "Il envoie le signal « Global Privacy Control » ou « Do Not Track » : "
                        "vos visites ne sont pas comptées, et ce réglage l'emporte sur tout autre choix."
                    }
                    (choice_form(token, "opposition", "button secondary", "Enregistrer aussi mon opposition sur ce site"))
                }
            }
        }
    }
}

/// The form that posts `choix` (`opposition` or `mesure`).
fn choice_form(token: &CsrfToken, choice: &str, class: &str, label: &str) -> Markup {
    html! {
        form method="post" action=(OPT_OUT_PATH) {
            (csrf_field(token))
            input type="hidden" name="choix" value=(choice);
            button class=(class) type="submit" { (label) }
        }
    }
}

/// What is measured, how the choice is kept, and what stays logged anyway.
fn what_is_kept(register: &Register) -> Markup {
    let audience = register.retention(Purpose::Audience).in_french();
    let security = register.retention(Purpose::Security).in_french();
    html! {
        h2 { "Ce qui est mesuré" }
        p {
            "Pour chaque page consultée : l'adresse IP tronquée (ses derniers chiffres sont effacés), "
            "le navigateur, le système d'exploitation et, sur mobile, le type et le fabricant de l'appareil, "
            "la page, la date et l'heure. Ces données servent uniquement à produire des statistiques "
            "agrégées et sont supprimées au bout de " (audience) "."
        }
        h2 { "Comment votre choix est conservé" }
        p {
            "Votre opposition est enregistrée dans un cookie de ce navigateur qui ne contient que ce choix, "
            "aucun identifiant, pendant 13 mois. Si vous effacez vos cookies ou changez de navigateur, "
            "il faudra l'exprimer à nouveau."
        }
        h2 { "Ce qui reste enregistré" }
        p {
            "Pour la sécurité du site (détection des fraudes et des attaques), chaque demande adressée au site "
            "reste enregistrée avec l'adresse IP complète, même si vous vous opposez à la mesure d'audience. "
            "Ce journal n'est consulté que par l'équipe WeMaintain et il est supprimé au bout de " (security) "."
        }
    }
}
