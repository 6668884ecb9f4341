//! Error pages, in French, inside the site's layout.

use actix_web::http::StatusCode;
use maud::{html, Markup};

use super::{layout, Page};

pub fn error_page(status: StatusCode, path: &str, request_id: Option<&str>) -> Markup {
    let (title, message) = match status.as_u16() {
        404 => (
            "Page introuvable",
            "La page que vous cherchez n'existe pas ou a été déplacée. Vérifiez l'adresse, ou repartez de l'accueil.",
        ),
        400 | 422 => (
            "Requête incorrecte",
            "Les informations envoyées n'ont pas pu être comprises. Revenez à la page précédente et réessayez.",
        ),
        403 => (
            "Action refusée",
            "Cette action n'est possible que depuis une page du site. Rechargez la page et réessayez.",
        ),
        405 => (
            "Action non permise",
            "Cette adresse existe, mais pas pour l'action demandée.",
        ),
        408 => (
            "Envoi trop lent",
            "Les informations envoyées ont mis trop de temps à arriver : rien n'a été enregistré. Vérifiez votre connexion, puis envoyez à nouveau le formulaire.",
        ),
        413 => (
            "Envoi trop volumineux",
            "Les informations envoyées dépassent la taille autorisée.",
        ),
        503 => (
            "Service momentanément indisponible",
            "Le site ne peut pas répondre pour le moment. Réessayez dans quelques minutes.",
        ),
        s if s >= 500 => (
            "Une erreur est survenue",
            "Nous n'avons pas pu traiter votre demande. L'équipe technique a été prévenue ; réessayez dans quelques minutes.",
        ),
        _ => (
            "Demande impossible",
            "Votre demande n'a pas pu aboutir. Revenez à la page précédente et réessayez.",
        ),
    };
    let page = Page {
        title,
        description: message,
        path,
    };
    layout(
        &page,
        html! {
            section.error-page {
                div.wrap.prose {
                    p.error-code { "Erreur " (status.as_u16()) }
                    h1 { (title) }
                    p { (message) }
                    p.actions {
                        a.button href="/" { "Retour à l'accueil" }
                        a.button.secondary href="/services" { "Nos services" }
                    }
                    @if let Some(id) = request_id {
                        p.reference { "Référence de la demande : " code { (id) } }
                    }
                }
            }
        },
    )
}

/// A form whose CSRF token is missing or wrong: nothing was saved.
pub fn expired_form_page(path: &str) -> Markup {
    let page = Page {
        title: "Formulaire expiré",
        description: "Le formulaire n'a pas pu être pris en compte.",
        path,
    };
    layout(
        &page,
        html! {
            section.error-page {
                div.wrap.prose {
                    p.error-code { "Erreur 403" }
                    h1 { "Formulaire expiré" }
                    p {
                        "Ce formulaire a expiré ou n'a pas été envoyé depuis une page de notre site. "
                        "Rien n'a été enregistré."
                    }
                    p { "Revenez à la page précédente, rechargez-la, puis envoyez à nouveau le formulaire." }
                    p.actions { a.button href="/" { "Retour à l'accueil" } }
                }
            }
        },
    )
}

/// A logged-in person whose role does not open this page.
pub fn forbidden_page(path: &str) -> Markup {
    let page = Page {
        title: "Accès réservé",
        description: "Cette page n'est pas accessible avec votre compte.",
        path,
    };
    layout(
        &page,
        html! {
            section.error-page {
                div.wrap.prose {
                    p.error-code { "Erreur 403" }
                    h1 { "Accès réservé" }
                    p { "Cette page n'est pas accessible avec votre compte. Si vous pensez que c'est une erreur, contactez l'équipe WeMaintain." }
                    p.actions { a.button href="/" { "Retour à l'accueil" } }
                }
            }
        },
    )
}
