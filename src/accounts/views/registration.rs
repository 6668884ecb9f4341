//! `/inscription`: the request for a client account.

use maud::{html, Markup};

use crate::accounts::forms::RegistrationForm;
use crate::auth::CsrfToken;
use crate::domain::{Civility, CompanyKind, Country};
use crate::privacy::{Purpose, Register};
use crate::views::forms::{
    csrf_field, error_summary, field, options, required_note, select, Field, FormErrors,
};
use crate::views::layout::POLICY_PATH;
use crate::views::{layout, Page};

pub fn registration_page(
    form: &RegistrationForm,
    errors: &FormErrors,
    token: &CsrfToken,
    register: &Register,
) -> Markup {
    let page = Page {
        title: "Demander un compte client",
        description: "Demandez l'ouverture d'un compte client WeMaintain pour suivre vos bâtiments et vos ascenseurs.",
        path: "/inscription",
    };
    let civilities = options(&Civility::ALL, Civility::key, Civility::label);
    let kinds = options(&CompanyKind::ALL, CompanyKind::key, CompanyKind::label);
    let countries = options(&Country::ALL, Country::code, Country::name);
    let pending = register
        .retention(Purpose::PendingRegistrations)
        .period
        .in_french();
    let country = if form.company.country.is_empty() && errors.is_empty() {
        "FR"
    } else {
        form.company.country.as_str()
    };
    layout(
        &page,
        html! {
            section.section { div.wrap.prose {
                h1 { "Demander un compte client" }
                p {
                    "Votre compte vous donne accès à votre espace client : vos bâtiments, vos appareils, "
                    "vos demandes de maintenance et vos rapports d'intervention. "
                    "Nous vous enverrons d'abord un lien pour confirmer votre adresse e-mail ; "
                    "l'équipe WeMaintain examine ensuite chaque demande avant d'ouvrir le compte."
                }
                (error_summary(errors, RegistrationForm::LABELS))
                form.form method="post" action="/inscription" novalidate {
                    (csrf_field(token))
                    (required_note())
                    fieldset {
                        legend { "Vous" }
                        (field(Field::text("prenom", "Prénom", &form.first_name).autocomplete("given-name"), errors))
                        (field(Field::text("nom", "Nom", &form.last_name).autocomplete("family-name"), errors))
                        (select("sexe", "Civilité", &civilities, &form.civility, errors))
                        (field(Field::text("role", "Rôle dans la société", &form.job_title).autocomplete("organization-title").hint("Par exemple : gestionnaire de copropriété, responsable technique."), errors))
                        (field(Field::text("email", "Adresse e-mail professionnelle", &form.email).kind("email").autocomplete("email").hint("Un lien de confirmation y sera envoyé."), errors))
                        (field(Field::text("telephone", "Téléphone", &form.phone).kind("tel").autocomplete("tel").hint("Par exemple : 06 12 34 56 78, ou +32 2 555 12 12 hors de France."), errors))
                    }
                    fieldset {
                        legend { "Votre société" }
                        (field(Field::text("societe", "Nom de la société", &form.company.name).autocomplete("organization"), errors))
                        (select("type_societe", "Type de société", &kinds, &form.company.kind, errors))
                        (field(Field::text("adresse", "Adresse", &form.company.address).autocomplete("address-line1"), errors))
                        (field(Field::text("complement", "Informations complémentaires", &form.company.address_extra).autocomplete("address-line2").hint("Bâtiment, étage, service…").optional(), errors))
                        (field(Field::text("code_postal", "Code postal", &form.company.postal_code).autocomplete("postal-code"), errors))
                        (field(Field::text("ville", "Ville", &form.company.city).autocomplete("address-level2"), errors))
                        (select("pays", "Pays", &countries, country, errors))
                    }
                    fieldset {
                        legend { "Votre mot de passe" }
                        (field(Field::text("mot_de_passe", "Mot de passe", "").kind("password").autocomplete("new-password").hint("12 caractères au moins. Une phrase de quelques mots sans rapport entre eux est facile à retenir et difficile à deviner."), errors))
                        (field(Field::text("confirmation", "Confirmez le mot de passe", "").kind("password").autocomplete("new-password"), errors))
                    }
                    button.button type="submit" { "Envoyer ma demande" }
                }
                p.data-note {
                    "Ces informations servent à examiner votre demande puis, si elle est acceptée, à gérer votre compte. "
                    "Une demande non validée est supprimée au bout de " (pending) ". "
                    "Vous pouvez y accéder, les rectifier ou les faire supprimer : "
                    a href=(POLICY_PATH) { "politique de confidentialité" } "."
                }
                p { "Déjà un compte ? " a href="/connexion" { "Se connecter" } }
            } }
        },
    )
}

pub fn registration_sent_page() -> Markup {
    let page = Page {
        title: "Demande envoyée",
        description: "Votre demande de compte client a bien été reçue.",
        path: "/inscription/envoyee",
    };
    layout(
        &page,
        html! {
            section.section { div.wrap.prose {
                h1 { "Confirmez votre adresse e-mail" }
                p.notice role="status" { "Merci. Nous venons de vous envoyer un e-mail : ouvrez le lien qu'il contient pour confirmer votre adresse. Votre demande de compte sera ensuite examinée par l'équipe WeMaintain." }
                p { "Le lien est valable 7 jours. Sans confirmation, la demande est effacée." }
                p { "Vous ne trouvez pas l'e-mail ? Regardez dans vos courriers indésirables, ou refaites votre demande." }
                p.actions { a.button href="/" { "Retour à l'accueil" } }
            } }
        },
    )
}
