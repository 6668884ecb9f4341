//! Login, logout, forgotten password, password change.

use crate::views::layout::space_layout;
use crate::views::space::Space;
use maud::{html, Markup};

use crate::auth::{CsrfToken, Viewer};
use crate::views::forms::{
    csrf_field, error_summary, field, form_alert, required_note, Field, FormErrors,
};
use crate::views::{layout, Page};

/// What the login page says above its form.
pub enum LoginMessage {
    None,
    /// Fields left blank, each with its message.
    Missing(FormErrors),
    /// Wrong address or password (never which of the two).
    Invalid,
    Unconfirmed,
    Pending,
    Rejected(Option<String>),
    Disabled,
    /// Too many failures: retry at the given French time.
    Throttled(String),
    LoggedOut,
    PasswordReset,
    SessionEnded,
}

pub fn login_page(
    email: &str,
    message: &LoginMessage,
    next: Option<&str>,
    token: &CsrfToken,
) -> Markup {
    let page = Page {
        title: "Connexion à l'espace client",
        description: "Connectez-vous à votre espace client WeMaintain.",
        path: "/connexion",
    };
    let no_errors = FormErrors::default();
    let errors = match message {
        LoginMessage::Missing(errors) => errors,
        _ => &no_errors,
    };
    layout(
        &page,
        html! {
            section.section { div.wrap.prose {
                h1 { "Connexion à l'espace client" }
                @match message {
                    LoginMessage::None => {},
                    LoginMessage::Missing(errors) => (error_summary(errors, &[("email", "Adresse e-mail"), ("mot_de_passe", "Mot de passe")])),
                    LoginMessage::Invalid => (form_alert("Adresse e-mail ou mot de passe incorrect. Vérifiez-les et réessayez.")),
                    LoginMessage::Unconfirmed => (form_alert("Votre adresse e-mail n'est pas encore confirmée. Ouvrez le lien que nous vous avons envoyé à l'inscription (il est valable 7 jours) : votre demande sera alors transmise à l'équipe WeMaintain.")),
                    LoginMessage::Pending => (form_alert("Votre demande de compte est en cours d'examen par l'équipe WeMaintain. Vous recevrez un e-mail dès qu'elle sera validée.")),
                    LoginMessage::Rejected(reason) => div.error-summary role="alert" {
                        p { "Votre demande de compte n'a pas été acceptée par l'équipe WeMaintain." }
                        @if let Some(reason) = reason { p { "Motif : " (reason) } }
                        p { "Pour en savoir plus, " a href="/contact" { "contactez-nous" } "." }
                    },
                    LoginMessage::Disabled => (form_alert("Ce compte est désactivé. Contactez l'équipe WeMaintain pour le réactiver.")),
                    LoginMessage::Throttled(until) => (form_alert(&format!("Trop de tentatives de connexion. Par sécurité, réessayez après {until}."))),
                    LoginMessage::LoggedOut => p.notice role="status" { "Déconnexion effectuée." },
                    LoginMessage::PasswordReset => p.notice role="status" { "Votre mot de passe est changé. Connectez-vous avec le nouveau." },
                    LoginMessage::SessionEnded => p.notice role="status" { "Votre session a pris fin. Connectez-vous à nouveau." },
                }
                form.form method="post" action="/connexion" {
                    (csrf_field(token))
                    (required_note())
                    @if let Some(next) = next { input type="hidden" name="suite" value=(next); }
                    (field(Field::text("email", "Adresse e-mail", email).kind("email").autocomplete("username"), errors))
                    (field(Field::text("mot_de_passe", "Mot de passe", "").kind("password").autocomplete("current-password"), errors))
                    button.button type="submit" { "Se connecter" }
                }
                p { a href="/mot-de-passe-oublie" { "Mot de passe oublié ?" } }
                p { "Pas encore de compte ? " a href="/inscription" { "Demander l'ouverture d'un compte" } }
            } }
        },
    )
}

pub fn forgot_page(email: &str, errors: &FormErrors, sent: bool, token: &CsrfToken) -> Markup {
    let page = Page {
        title: "Mot de passe oublié",
        description: "Recevez un lien pour choisir un nouveau mot de passe.",
        path: "/mot-de-passe-oublie",
    };
    layout(
        &page,
        html! {
            section.section { div.wrap.prose {
                h1 { "Mot de passe oublié" }
                @if sent {
                    p.notice role="status" {
                        "Si un compte existe avec cette adresse, un e-mail vient de lui être envoyé avec un lien pour choisir un nouveau mot de passe. "
                        "Le lien est valable une heure et ne sert qu'une fois."
                    }
                    p { "Rien reçu ? Vérifiez vos courriers indésirables, ou " a href="/mot-de-passe-oublie" { "recommencez" } "." }
                } @else {
                    p { "Indiquez l'adresse e-mail de votre compte : nous vous enverrons un lien pour choisir un nouveau mot de passe." }
                    (error_summary(errors, &[("email", "Adresse e-mail")]))
                    form.form method="post" action="/mot-de-passe-oublie" {
                        (csrf_field(token))
                        (required_note())
                        (field(Field::text("email", "Adresse e-mail", email).kind("email").autocomplete("username"), errors))
                        button.button type="submit" { "Recevoir le lien" }
                    }
                }
                p { a href="/connexion" { "Retour à la connexion" } }
            } }
        },
    )
}

const NEW_PASSWORD_HINT: &str = "12 caractères au moins. Une phrase de quelques mots sans rapport entre eux est facile à retenir et difficile à deviner.";

pub fn reset_page(reset_token: &str, errors: &FormErrors, token: &CsrfToken) -> Markup {
    let page = Page {
        title: "Choisir un nouveau mot de passe",
        description: "Choisissez un nouveau mot de passe pour votre compte WeMaintain.",
        path: "/mot-de-passe-oublie/nouveau",
    };
    layout(
        &page,
        html! {
            section.section { div.wrap.prose {
                h1 { "Choisir un nouveau mot de passe" }
                (error_summary(errors, &[("mot_de_passe", "Nouveau mot de passe"), ("confirmation", "Confirmation")]))
                form.form method="post" action="/mot-de-passe-oublie/nouveau" {
                    (csrf_field(token))
                    (required_note())
                    input type="hidden" name="jeton" value=(reset_token);
                    (field(Field::text("mot_de_passe", "Nouveau mot de passe", "").kind("password").autocomplete("new-password").hint(NEW_PASSWORD_HINT), errors))
                    (field(Field::text("confirmation", "Confirmez le mot de passe", "").kind("password").autocomplete("new-password"), errors))
                    button.button type="submit" { "Enregistrer le mot de passe" }
                }
            } }
        },
    )
}

pub fn reset_invalid_page() -> Markup {
    let page = Page {
        title: "Lien expiré",
        description: "Ce lien de changement de mot de passe n'est plus valable.",
        path: "/mot-de-passe-oublie/nouveau",
    };
    layout(
        &page,
        html! {
            section.section { div.wrap.prose {
                h1 { "Ce lien n'est plus valable" }
                p { "Un lien de changement de mot de passe ne sert qu'une fois et pendant une heure. Demandez-en un nouveau." }
                p.actions { a.button href="/mot-de-passe-oublie" { "Recevoir un nouveau lien" } }
            } }
        },
    )
}

pub fn password_change_page(
    viewer: &Viewer,
    errors: &FormErrors,
    done: bool,
    token: &CsrfToken,
) -> Markup {
    let page = Page {
        title: "Changer mon mot de passe",
        description: "Changez le mot de passe de votre compte WeMaintain.",
        path: "/compte/mot-de-passe",
    };
    space_layout(
        &page,
        Space::of_role(viewer.role),
        html! {
            section.section { div.wrap.prose {
                h1 { "Changer mon mot de passe" }
                @if done {
                    p.notice role="status" { "Votre mot de passe est changé. Vos autres sessions ouvertes ont été fermées." }
                }
                (error_summary(errors, &[("actuel", "Mot de passe actuel"), ("mot_de_passe", "Nouveau mot de passe"), ("confirmation", "Confirmation")]))
                form.form method="post" action="/compte/mot-de-passe" {
                    (csrf_field(token))
                    (required_note())
                    (field(Field::text("actuel", "Mot de passe actuel", "").kind("password").autocomplete("current-password"), errors))
                    (field(Field::text("mot_de_passe", "Nouveau mot de passe", "").kind("password").autocomplete("new-password").hint(NEW_PASSWORD_HINT), errors))
                    (field(Field::text("confirmation", "Confirmez le nouveau mot de passe", "").kind("password").autocomplete("new-password"), errors))
                    button.button type="submit" { "Changer le mot de passe" }
                }
                p { "Changer de mot de passe ferme toutes vos sessions ouvertes sur d'autres appareils." }
            } }
        },
    )
}
