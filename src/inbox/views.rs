//! `/contact` and `/techniciens`: the first-party forms that replace the
//! chat and survey services the policy names.

use maud::{html, Markup};

use crate::auth::CsrfToken;
use crate::inbox::forms::{ApplicationForm, PersonForm, QuestionForm};
use crate::privacy::{Purpose, Register};
use crate::views::forms::{
    csrf_field, error_summary, field, required_note, textarea, Field, FormErrors,
};
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
    let fields = html! {
        (person_fields(&form.person, errors))
        (textarea("message", "Votre question", &form.message, Some("5 000 caractères au plus."), errors))
    };
    PublicForm {
        page: Page {
            title: "Poser une question",
            description: "Posez votre question à l'équipe WeMaintain : nous vous répondons par e-mail ou par téléphone.",
            path: "/contact",
        },
        heading: "Poser une question à l'équipe WeMaintain",
        intro: "Une question sur nos prestations, un devis, un ascenseur ? Écrivez-nous : nous vous répondons par e-mail ou par téléphone.",
        labels: QuestionForm::LABELS,
        submit: "Envoyer ma question",
        purpose: Purpose::Contact,
        use_of_data: "Ces informations servent uniquement à répondre à votre question.",
    }
    .render(fields, errors, token, register)
}

pub fn technicians_page(
    form: &ApplicationForm,
    errors: &FormErrors,
    token: &CsrfToken,
    register: &Register,
) -> Markup {
    let fields = html! {
        (person_fields(&form.person, errors))
        (field(Field::text("experience", "Années d'expérience dans l'ascenseur", &form.experience).kind("number").hint("Un nombre entier, 0 si vous débutez."), errors))
        (field(Field::text("entreprise", "Entreprise actuelle", &form.current_company).autocomplete("organization").hint("Indiquez « aucune » si vous êtes sans emploi."), errors))
    };
    PublicForm {
        page: Page {
            title: "Techniciens : rejoignez WeMaintain",
            description: "Technicien de maintenance d'ascenseurs ? Prenez contact avec WeMaintain.",
            path: "/techniciens",
        },
        heading: "Technicien ascensoriste ? Rejoignez WeMaintain",
        intro: "Laissez-nous vos coordonnées et quelques mots sur votre expérience : notre équipe vous rappelle.",
        labels: ApplicationForm::LABELS,
        submit: "Envoyer ma candidature",
        purpose: Purpose::Recruitment,
        use_of_data: "Ces informations servent uniquement à étudier votre candidature et à vous recontacter.",
    }
    .render(fields, errors, token, register)
}

/// A public form's page: a heading, what it is for, the form (posted to
/// the page's own path) and what is done with its data.
struct PublicForm<'a> {
    page: Page<'a>,
    heading: &'a str,
    intro: &'a str,
    labels: &'a [(&'a str, &'a str)],
    submit: &'a str,
    purpose: Purpose,
    use_of_data: &'a str,
}

impl PublicForm<'_> {
    fn render(
        &self,
        fields: Markup,
        errors: &FormErrors,
        token: &CsrfToken,
        register: &Register,
    ) -> Markup {
        layout(
            &self.page,
            html! {
                section.section { div.wrap.prose {
                    h1 { (self.heading) }
                    p { (self.intro) }
                    (error_summary(errors, self.labels))
                    form.form method="post" action=(self.page.path) novalidate {
                        (csrf_field(token))
                        (required_note())
                        (fields)
                        button.button type="submit" { (self.submit) }
                    }
                    (data_note(register, self.purpose, self.use_of_data))
                } }
            },
        )
    }
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
