//! `/confidentialite/demande`: a visitor's request to exercise a right.

use maud::{html, Markup};

use crate::auth::CsrfToken;
use crate::rights::forms::RightsRequestForm;
use crate::rights::RightKind;
use crate::views::forms::{
    csrf_field, error_summary, field, options, required_note, select, textarea, Field, FormErrors,
};
use crate::views::{layout, Page};

pub fn request_page(form: &RightsRequestForm, errors: &FormErrors, token: &CsrfToken) -> Markup {
    let page = Page {
        title: "Exercer vos droits sur vos données",
        description:
            "Demandez l'accès, la rectification ou l'effacement de vos données personnelles.",
        path: "/confidentialite/demande",
    };
    let kinds = options(&RightKind::ALL, RightKind::key, RightKind::label);
    layout(
        &page,
        html! {
            section.section { div.wrap.prose {
                h1 { "Exercer vos droits sur vos données" }
                p {
                    "Vous pouvez demander une copie des données que WeMaintain conserve sur vous, leur correction, "
                    "leur effacement, ou vous opposer à un traitement. Nous répondons dans un délai d'un mois à compter "
                    "de la confirmation de votre adresse e-mail."
                }
                p { "Vous avez un compte client ? Tout se fait directement depuis " a href="/profil/donnees" { "votre espace, rubrique « Mes données »" } "." }
                (error_summary(errors, RightsRequestForm::LABELS))
                form.form method="post" action="/confidentialite/demande" novalidate {
                    (csrf_field(token))
                    (required_note())
                    (select("droit", "Droit exercé", &kinds, &form.right, errors))
                    (field(Field::text("email", "Adresse e-mail", &form.email).kind("email").autocomplete("email").hint("Celle que vous avez utilisée dans un formulaire du site (contact, candidature). Un lien de confirmation y sera envoyé."), errors))
                    (field(Field::text("visite", "Votre visite du site", &form.visit).hint("Pour une demande sur le journal des visites : votre adresse IP, le jour et l'heure approximative de vos visites.").optional(), errors))
                    (textarea("message", "Votre demande", &form.message, Some("Décrivez ce que vous demandez. Nous pourrons vous demander une pièce d'identité."), errors))
                    button.button type="submit" { "Envoyer ma demande" }
                }
            } }
        },
    )
}

pub fn request_sent_page() -> Markup {
    crate::inbox::views::sent_page(
        "/confidentialite/demande/envoyee",
        "Confirmez votre demande",
        "Nous vous avons envoyé un e-mail. Votre demande ne sera prise en compte qu'une fois le lien qu'il contient ouvert (il est valable 7 jours).",
    )
}
