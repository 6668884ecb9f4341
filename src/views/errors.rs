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
