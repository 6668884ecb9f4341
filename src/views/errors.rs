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
    ErrorPage {
        status,
        title,
        description: message,
        paragraphs: &[message],
        services_link: true,
        request_id,
    }
    .render(path)
}

/// A form whose CSRF token is missing or wrong: nothing was saved.
pub fn expired_form_page(path: &str) -> Markup {
    ErrorPage {
        status: StatusCode::FORBIDDEN,
        title: "Formulaire expiré",
        description: "Le formulaire n'a pas pu être pris en compte.",
        paragraphs: &[
            "Ce formulaire a expiré ou n'a pas été envoyé depuis une page de notre site. Rien n'a été enregistré.",
            "Revenez à la page précédente, rechargez-la, puis envoyez à nouveau le formulaire.",
        ],
        services_link: false,
        request_id: None,
    }
    .render(path)
}

/// A logged-in person whose role does not open this page.
pub fn forbidden_page(path: &str) -> Markup {
    ErrorPage {
        status: StatusCode::FORBIDDEN,
        title: "Accès réservé",
        description: "Cette page n'est pas accessible avec votre compte.",
        paragraphs: &["Cette page n'est pas accessible avec votre compte. Si vous pensez que c'est une erreur, contactez l'équipe WeMaintain."],
        services_link: false,
        request_id: None,
    }
    .render(path)
}

/// The one renderer of error pages: a code, a title, what happened and
/// where to go, inside the site's layout.
struct ErrorPage<'a> {
    status: StatusCode,
    title: &'a str,
    /// The page's meta description.
    description: &'a str,
    paragraphs: &'a [&'a str],
    /// Whether to offer "Nos services" beside the way home.
    services_link: bool,
    request_id: Option<&'a str>,
}

impl ErrorPage<'_> {
    fn render(&self, path: &str) -> Markup {
        let page = Page {
            title: self.title,
            description: self.description,
            path,
        };
        layout(
            &page,
            html! {
                section.error-page {
                    div.wrap.prose {
                        p.error-code { "Erreur " (self.status.as_u16()) }
                        h1 { (self.title) }
                        @for paragraph in self.paragraphs { p { (paragraph) } }
                        p.actions {
                            a.button href="/" { "Retour à l'accueil" }
                            @if self.services_link {
                                a.button.secondary href="/services" { "Nos services" }
                            }
                        }
                        @if let Some(id) = self.request_id {
                            p.reference { "Référence de la demande : " code { (id) } }
                        }
                    }
                }
            },
        )
    }
}
