//! The statistics reports by e-mail: the small form at the bottom of
//! `/statistiques`, and the pages of the link that stops a report.

use maud::{html, Markup};

use crate::analytics::mail_reports::{Choice, StopLink};
use crate::auth::CsrfToken;
use crate::views::forms::csrf_field;
use crate::views::links::link_result_page;
use crate::views::{layout, Page};

/// Where the stop link's pages say they are (never with the token).
const STOP_PATH: &str = "/statistiques/rapports/desabonnement";

/// The section at the bottom of the dashboard: the current choice, two
/// boxes and « Enregistrer »; `saved` after the form was sent.
pub fn section(email: &str, choice: Choice, token: &CsrfToken, saved: bool) -> Markup {
    html! {
        section.mail-reports #rapports-email aria-labelledby="rapports-email-titre" {
            h2 #rapports-email-titre { "Recevoir ces statistiques par e-mail" }
            @if saved {
                p.notice role="status" { "Votre choix est enregistré." }
            }
            p {
                "Rapports reçus à " strong { (email) } " : " strong { (choice.in_french()) } ". "
                "Le rapport hebdomadaire arrive le lundi après 7 h (semaine du lundi au dimanche), "
                "le mensuel le 1er du mois après 7 h. Chaque e-mail contient un lien pour l'arrêter."
            }
            form.form method="post" action="/statistiques/rapports" {
                (csrf_field(token))
                fieldset {
                    legend { "Rapports à recevoir" }
                    div.field.checkbox {
                        input #rapport-hebdomadaire type="checkbox" name="hebdomadaire" value="oui" checked[choice.weekly];
                        label for="rapport-hebdomadaire" { "Chaque semaine" }
                    }
                    div.field.checkbox {
                        input #rapport-mensuel type="checkbox" name="mensuel" value="oui" checked[choice.monthly];
                        label for="rapport-mensuel" { "Chaque mois" }
                    }
                }
                button.button.small type="submit" { "Enregistrer" }
            }
        }
    }
}

/// The stop link, opened: what will stop, and one button (a mail filter
/// opening the link stops nothing).
pub fn stop_page(link: &StopLink, link_token: &str, token: &CsrfToken) -> Markup {
    let title = format!(
        "Arrêter le rapport {} de statistiques",
        link.frequency.adjective()
    );
    let page = Page {
        title: &title,
        description: &title,
        path: STOP_PATH,
    };
    layout(
        &page,
        html! {
            section.section { div.wrap.prose {
                h1 { (title) }
                p {
                    "Le rapport " (link.frequency.adjective()) " de fréquentation du site ne sera plus envoyé à "
                    strong { (link.email) } ". Les autres rapports que vous recevez continuent ; "
                    "vous pourrez le demander à nouveau en bas de la page des statistiques."
                }
                form.form method="post" action={ (STOP_PATH) "/" (link_token) } {
                    (csrf_field(token))
                    button.button type="submit" { "Arrêter ce rapport" }
                }
            } }
        },
    )
}

/// After the button, or a link whose report is already stopped.
pub fn stopped_page(link: &StopLink) -> Markup {
    link_result_page(
        STOP_PATH,
        "Rapport arrêté",
        &format!(
            "Le rapport {} de statistiques n'est plus envoyé à {}.",
            link.frequency.adjective(),
            link.email
        ),
    )
}

/// A token that no sent report carries.
pub fn unknown_link_page() -> Markup {
    link_result_page(
        STOP_PATH,
        "Lien inconnu",
        "Ce lien ne correspond à aucun rapport de statistiques envoyé par e-mail : il est incomplet \
         ou date de plus de 3 mois. Vous pouvez arrêter les rapports en bas de la page des \
         statistiques, une fois connecté.",
    )
}
