//! `/contact` and `/techniciens`: the first-party forms that replace the
//! chat and survey services the policy names.

use maud::{html, Markup};

use crate::auth::CsrfToken;
use crate::inbox::forms::{ApplicationForm, PersonForm, QuestionForm};
use crate::privacy::{Purpose, Register};
use crate::views::forms::{csrf_field, error_summary, field, textarea, Field, FormErrors};
use crate::views::layout::POLICY_PATH;
use crate::views::{layout, Page};

/// What is done with the data of a form, and for how long (from the register).
fn data_note(register: &Register, purpose: Purpose, use_of_data: &str) -> Markup {
    let activity = register.get(purpose);
    html! {
        p.data-note {
            (use_of_data) " "
            "Elles sont conservées " (activity.retention.period.in_french()) " "
            (start_in_french(activity.retention.start)) ", puis supprimées. "
            "Vous pouvez y accéder, les rectifier ou les faire supprimer : voir notre "
            a href=(POLICY_PATH) { "politique de confidentialité" } "."
        }
    }
}

fn start_in_french(start: crate::privacy::RetentionStart) -> &'static str {
    use crate::privacy::RetentionStart::*;
    match start {
        Collection => "après leur envoi",
        LastExchange => "après notre dernier échange",
        AccountClosure => "après la fermeture du compte",
        ContractEnd => "après la fin du contrat",
        RequestClosure => "après la clôture de la demande",
    }
}

/// Who writes and how to answer them: the fields both forms ask first.
fn person_fields(person: &PersonForm, errors: &FormErrors) -> Markup {
    html! {
        (field(Field::text("prenom", "Prénom", &person.first_name).autocomplete("given-name"), errors))
        (field(Field::text("nom", "Nom", &person.last_name).autocomplete("family-name"), errors))
        (field(Field::text("telephone", "Téléphone", &person.phone).kind("tel").autocomplete("tel"), errors))
        (field(Field::text("email", "Adresse e-mail", &person.email).kind("email").autocomplete("email"), errors))
    }
}

pub fn contact_page(
    form: &QuestionForm,
    errors: &FormErrors,
    token: &CsrfToken,
    register: &Register,
) -> Markup {
    let page = Page {
        title: "Poser une question",
        description: "Posez votre question à l'équipe WeMaintain : nous vous répondons par e-mail ou par téléphone.",
        path: "/contact",
    };
    layout(
        &page,
        html! {
            section.section { div.wrap.prose {
                h1 { "Poser une question à l'équipe WeMaintain" }
                p { "Une question sur nos prestations, un devis, un ascenseur ? Écrivez-nous : nous vous répondons par e-mail ou par téléphone." }
                (error_summary(errors, QuestionForm::LABELS))
                form.form method="post" action="/contact" novalidate {
                    (csrf_field(token))
                    (person_fields(&form.person, errors))
                    (textarea("message", "Votre question", &form.message, Some("5 000 caractères au plus."), errors))
                    button.button type="submit" { "Envoyer ma question" }
                }
                (data_note(register, Purpose::Contact, "Ces informations servent uniquement à répondre à votre question."))
            } }
        },
    )
}

pub fn technicians_page(
    form: &ApplicationForm,
    errors: &FormErrors,
    token: &CsrfToken,
    register: &Register,
) -> Markup {
    let page = Page {
        title: "Techniciens : rejoignez WeMaintain",
        description: "Technicien de maintenance d'ascenseurs ? Prenez contact avec WeMaintain.",
        path: "/techniciens",
    };
    layout(
        &page,
        html! {
            section.section { div.wrap.prose {
                h1 { "Technicien ascensoriste ? Rejoignez WeMaintain" }
                p { "Laissez-nous vos coordonnées et quelques mots sur votre expérience : notre équipe vous rappelle." }
                (error_summary(errors, ApplicationForm::LABELS))
                form.form method="post" action="/techniciens" novalidate {
                    (csrf_field(token))
                    (person_fields(&form.person, errors))
                    (field(Field::text("experience", "Années d'expérience dans l'ascenseur", &form.experience).kind("number").hint("Un nombre entier, 0 si vous débutez."), errors))
                    (field(Field::text("entreprise", "Entreprise actuelle", &form.current_company).autocomplete("organization").hint("Indiquez « aucune » si vous êtes sans emploi."), errors))
                    button.button type="submit" { "Envoyer ma candidature" }
                }
                (data_note(register, Purpose::Recruitment, "Ces informations servent uniquement à étudier votre candidature et à vous recontacter."))
            } }
        },
    )
}

/// After a form was sent: what happens next.
pub fn sent_page(path: &str, title: &str, text: &str) -> Markup {
    let page = Page {
        title,
        description: text,
        path,
    };
    layout(
        &page,
        html! {
            section.section { div.wrap.prose {
                h1 { (title) }
                p.notice role="status" { (text) }
                p.actions { a.button href="/" { "Retour à l'accueil" } }
            } }
        },
    )
}
