//! `/profil/donnees`: the data page, the rectification form, the readable
//! copy and the erasure statement.

use crate::views::layout::space_layout;
use crate::views::space::PROFILE;
use chrono::{DateTime, Utc};
use maud::{html, Markup};

use super::back_link;

use crate::accounts::Profile;
use crate::analytics::AudienceChoice;
use crate::audit::event_in_french;
use crate::auth::{CsrfToken, Viewer};
use crate::domain::{Civility, CompanyKind, Country};
use crate::privacy::{Purpose, Register};
use crate::rights::erasure::{ErasureStatement, Outcome};
use crate::rights::export::{PersonalDataExport, SCHEMA_PATH};
use crate::rights::forms::ProfileForm;
use crate::rights::{RequestStatus, RightKind};
use crate::views::components::table;
use crate::views::forms::{
    csrf_field, error_summary, field, french_date, french_datetime, options, required_note, select,
    Field, FormErrors,
};
use crate::views::Page;

/// A message at the top of `/profil/donnees` after an action.
pub enum DataNotice {
    None,
    Rectified,
    /// A link went to the address waiting for confirmation (read from the
    /// database, never from the request).
    LinkSent,
    NewsChoiceSaved,
}

/// Everything `/profil/donnees` shows.
pub struct DataPage<'a> {
    pub viewer: &'a Viewer,
    pub profile: &'a Profile,
    pub register: &'a Register,
    pub audience: AudienceChoice,
    pub news_objected_at: Option<i64>,
    pub pending_email: Option<String>,
    pub notice: DataNotice,
    /// The address typed in the change form, kept when it is refused.
    pub new_email: &'a str,
    pub errors: &'a FormErrors,
}

const DATA_LABELS: &[(&str, &str)] = &[
    ("mot_de_passe", "Mot de passe (copie)"),
    ("nouvel_email", "Nouvelle adresse e-mail"),
    ("mot_de_passe_email", "Mot de passe (adresse e-mail)"),
    ("mot_de_passe_effacement", "Mot de passe (effacement)"),
    ("confirmation", "Confirmation de l'effacement"),
];

/// The purposes that can hold something about an Utilisateur.
const ABOUT_AN_UTILISATEUR: &[Purpose] = &[
    Purpose::Account,
    Purpose::ContractEvidence,
    Purpose::Security,
    Purpose::RightsRequests,
    Purpose::Contact,
    Purpose::Recruitment,
    Purpose::Audience,
];

pub fn data_page(p: DataPage, token: &CsrfToken) -> Markup {
    let page = Page {
        title: "Mes données personnelles",
        description: "Consultez, téléchargez, corrigez ou effacez vos données personnelles.",
        path: "/profil/donnees",
    };
    space_layout(
        &page,
        &PROFILE,
        html! {
            section.section { div.wrap.prose {
                h1 { "Mes données personnelles" }
                (notice(&p))
                (error_summary(p.errors, DATA_LABELS))
                p {
                    "Voici ce que WeMaintain conserve à votre sujet, pourquoi et combien de temps. "
                    "Vous pouvez en obtenir une copie, les corriger, vous opposer à certains traitements "
                    "ou effacer votre compte. Pour toute autre demande, "
                    a href="/confidentialite/demande" { "écrivez-nous ici" } "."
                }
                h2 { "Ce que nous conservons" }
                (what_we_keep(p.register))
                (copy_section(p.errors, token))
                (rectification_section(&p, token))
                h2 id="choix" { "Mes choix" }
                (audience_choice(p.audience, token))
                (news_choice(p.news_objected_at, token))
                (erasure_section(p.errors, token))
            } }
        },
    )
}

/// What the last action did, above the page.
fn notice(p: &DataPage) -> Markup {
    html! {
        @match &p.notice {
            DataNotice::Rectified => p.notice role="status" { "Vos corrections sont enregistrées." },
            DataNotice::LinkSent => @if let Some(to) = &p.pending_email {
                p.notice role="status" {
                    "Un lien de confirmation a été envoyé à " strong { (to) } ". "
                    @if *to == p.profile.email {
                        "Ouvrez-le pour confirmer votre adresse (il est valable 24 heures)."
                    } @else {
                        "Votre adresse ne changera qu'une fois ce lien ouvert (il est valable 24 heures)."
                    }
                }
            },
            DataNotice::NewsChoiceSaved => p.notice role="status" { "Votre choix est enregistré." },
            DataNotice::None => {},
        }
    }
}

/// The register's purposes that can hold something about an Utilisateur.
fn what_we_keep(register: &Register) -> Markup {
    let rows: Vec<Vec<Markup>> = ABOUT_AN_UTILISATEUR
        .iter()
        .map(|purpose| {
            let a = register.get(*purpose);
            vec![
                html! { (a.name) },
                html! { ul { @for c in a.data_categories { li { (c) } } } },
                html! { (a.legal_basis.in_french()) },
                html! { (a.retention.in_french()) },
            ]
        })
        .collect();
    table(
        "Vos données, par finalité",
        &[
            "Traitement",
            "Données",
            "Base légale",
            "Durée de conservation",
        ],
        &rows,
    )
}

fn copy_section(errors: &FormErrors, token: &CsrfToken) -> Markup {
    html! {
        h2 id="copie" { "Télécharger une copie de mes données" }
        p {
            "La copie contient votre profil, votre société, ses bâtiments et appareils, les demandes "
            "de maintenance et leurs échanges, les propositions, les rapports, les contrats signés, "
            "vos demandes d'exercice de droits et les événements de sécurité de votre compte. "
            "Le format JSON se réutilise chez un autre prestataire ; son "
            a href=(SCHEMA_PATH) { "schéma (version 1)" } " est public."
        }
        form.form method="post" action="/profil/donnees/copie" {
            (csrf_field(token))
            (required_note())
            fieldset {
                legend { "Format" }
                div.check { input type="radio" id="format-html" name="format" value="html" checked; label for="format-html" { "Page lisible (HTML), à consulter ou imprimer" } }
                div.check { input type="radio" id="format-json" name="format" value="json"; label for="format-json" { "Fichier JSON, pour la portabilité" } }
            }
            (field(password("mot_de_passe").hint("Pour vérifier que c'est bien vous."), errors))
            button.button type="submit" { "Télécharger ma copie" }
        }
    }
}

/// A field where the account's password is typed again.
fn password(name: &'static str) -> Field<'static> {
    Field::text(name, "Votre mot de passe", "")
        .kind("password")
        .autocomplete("current-password")
}

fn rectification_section(p: &DataPage, token: &CsrfToken) -> Markup {
    let errors = p.errors;
    html! {
        h2 id="rectification" { "Corriger mes données" }
        p { a.button href="/profil/donnees/modifier" { "Corriger mon profil et ma société" } }
        h3 { "Changer d'adresse e-mail" }
        p { "Adresse actuelle : " strong { (p.profile.email) } }
        @if p.profile.email_confirmed_at.is_none() {
            p {
                "Cette adresse n'est pas encore confirmée. Ce que vous avez envoyé avec elle "
                "depuis le site (questions, candidatures, demandes d'exercice de droits) n'est "
                "rattaché à votre compte, pour la copie et l'effacement, qu'une fois l'adresse confirmée."
            }
            form method="post" action="/profil/donnees/email/confirmer" {
                (csrf_field(token))
                button.button.secondary type="submit" { "M'envoyer un lien pour confirmer mon adresse" }
            }
        }
        @if let Some(pending) = &p.pending_email {
            p.notice role="status" { "En attente de confirmation : " (pending) "." }
        }
        form.form method="post" action="/profil/donnees/email" novalidate {
            (csrf_field(token))
            (required_note())
            (field(Field::text("nouvel_email", "Nouvelle adresse e-mail", p.new_email).kind("email").autocomplete("email").hint("Un lien sera envoyé à cette adresse ; elle remplacera l'actuelle une fois le lien ouvert."), errors))
            (field(password("mot_de_passe_email"), errors))
            button.button type="submit" { "Envoyer le lien de confirmation" }
        }
    }
}

/// A form of one hidden choice and its button.
fn choice_form(action: &str, choice: &str, button: Markup, token: &CsrfToken) -> Markup {
    html! {
        form method="post" action=(action) {
            (csrf_field(token))
            input type="hidden" name="choix" value=(choice);
            (button)
        }
    }
}

fn audience_choice(audience: AudienceChoice, token: &CsrfToken) -> Markup {
    let action = "/confidentialite/opposition";
    html! {
        h3 { "Mesure d'audience" }
        @if audience.is_measured() {
            p { "Vos visites sur ce navigateur sont comptées dans nos statistiques de fréquentation (adresse IP tronquée, sans cookie de mesure)." }
            (choice_form(action, "opposition", html! { button.button type="submit" { "Je m'oppose à la mesure d'audience" } }, token))
        } @else {
            p { "Votre opposition à la mesure d'audience est enregistrée sur ce navigateur : vos visites n'y sont pas comptées." }
            (choice_form(action, "mesure", html! { button.button.secondary type="submit" { "Retirer mon opposition" } }, token))
        }
    }
}

fn news_choice(objected_at: Option<i64>, token: &CsrfToken) -> Markup {
    let action = "/profil/donnees/actualites";
    html! {
        h3 { "E-mails d'actualité du service" }
        @if let Some(at) = objected_at {
            p { "Vous ne recevez pas nos e-mails d'actualité du service (choix fait le " (french_date(at)) "). Les e-mails liés à vos demandes et à votre compte restent envoyés." }
            (choice_form(action, "accord", html! { button.button.secondary type="submit" { "Recevoir à nouveau les actualités" } }, token))
        } @else {
            p { "Vous pouvez recevoir nos e-mails d'actualité du service (nouveautés de l'espace client, évolutions de nos prestations)." }
            (choice_form(action, "opposition", html! { button.button type="submit" { "Je ne veux plus recevoir ces e-mails" } }, token))
        }
    }
}

fn erasure_section(errors: &FormErrors, token: &CsrfToken) -> Markup {
    html! {
        h2 id="effacement" { "Effacer mon compte" }
        p {
            "L'effacement est immédiat et définitif : vos sessions sont fermées et vous ne pourrez plus vous connecter. "
            "Si personne d'autre de votre société n'a de compte, ses bâtiments, appareils, demandes et rapports sont effacés aussi ; "
            "sinon ils restent à votre société. La preuve d'un contrat signé est conservée le temps fixé par la loi. "
            "Vous recevrez le détail, catégorie par catégorie."
        }
        form.form method="post" action="/profil/donnees/effacer" novalidate {
            (csrf_field(token))
            (required_note())
            (field(password("mot_de_passe_effacement"), errors))
            div.field.has-error[errors.get("confirmation").is_some()] {
                @if let Some(e) = errors.get("confirmation") { p.field-error id="confirmation-erreur" { (e) } }
                div.check {
                    input type="checkbox" id="confirmation" name="confirmation" value="oui" required
                        aria-invalid=[errors.get("confirmation").map(|_| "true")]
                        aria-describedby=[errors.get("confirmation").map(|_| "confirmation-erreur")];
                    label for="confirmation" {
                        "Je veux effacer mon compte et je sais que c'est définitif "
                        span.required-mark aria-hidden="true" { "*" }
                    }
                }
            }
            button.button.danger type="submit" { "Effacer mon compte" }
        }
    }
}

pub fn edit_page(
    form: &ProfileForm,
    errors: &FormErrors,
    with_company: bool,
    token: &CsrfToken,
) -> Markup {
    let page = Page {
        title: "Corriger mes données",
        description: "Corrigez votre profil et votre société.",
        path: "/profil/donnees/modifier",
    };
    let civilities = options(&Civility::ALL, Civility::key, Civility::label);
    let kinds = options(&CompanyKind::ALL, CompanyKind::key, CompanyKind::label);
    let countries = options(&Country::ALL, Country::code, Country::name);
    space_layout(
        &page,
        &PROFILE,
        html! {
            section.section { div.wrap.prose {
                (back_link("/profil/donnees", "← Mes données personnelles"))
                h1 { "Corriger mes données" }
                (error_summary(errors, ProfileForm::LABELS))
                form.form method="post" action="/profil/donnees/modifier" novalidate {
                    (csrf_field(token))
                    (required_note())
                    fieldset {
                        legend { "Vous" }
                        (field(Field::text("prenom", "Prénom", &form.first_name).autocomplete("given-name"), errors))
                        (field(Field::text("nom", "Nom", &form.last_name).autocomplete("family-name"), errors))
                        (select("sexe", "Civilité", &civilities, &form.civility, errors))
                        (field(Field::text("role", "Rôle dans la société", &form.job_title).autocomplete("organization-title"), errors))
                        (field(Field::text("telephone", "Téléphone", &form.phone).kind("tel").autocomplete("tel"), errors))
                    }
                    @if with_company {
                        fieldset {
                            legend { "Votre société" }
                            (field(Field::text("societe", "Nom de la société", &form.company.name).autocomplete("organization"), errors))
                            (select("type_societe", "Type de société", &kinds, &form.company.kind, errors))
                            (field(Field::text("adresse", "Adresse", &form.company.address).autocomplete("address-line1"), errors))
                            (field(Field::text("complement", "Informations complémentaires", &form.company.address_extra).autocomplete("address-line2").optional(), errors))
                            (field(Field::text("code_postal", "Code postal", &form.company.postal_code).autocomplete("postal-code"), errors))
                            (field(Field::text("ville", "Ville", &form.company.city).autocomplete("address-level2"), errors))
                            (select("pays", "Pays", &countries, &form.company.country, errors))
                        }
                    }
                    button.button type="submit" { "Enregistrer les corrections" }
                }
                p { "L'adresse e-mail et le mot de passe se changent depuis " a href="/profil/donnees#rectification" { "Mes données personnelles" } "." }
            } }
        },
    )
}

fn opt(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("—")
}

fn rfc3339_in_french(value: &str) -> String {
    DateTime::parse_from_rfc3339(value)
        .map(|at| french_datetime(at.with_timezone(&Utc).timestamp_millis()))
        .unwrap_or_else(|_| value.to_owned())
}

/// The readable copy (right of access), from the same data as the JSON.
pub fn export_page(e: &PersonalDataExport) -> Markup {
    let page = Page {
        title: "Copie de mes données personnelles",
        description: "La copie des données personnelles que WeMaintain conserve à votre sujet.",
        path: "/profil/donnees/copie",
    };
    let a = &e.account;
    space_layout(
        &page,
        &PROFILE,
        html! {
            section.section { div.wrap.prose.printable {
                h1 { "Copie de mes données personnelles" }
                p { "Établie le " (rfc3339_in_french(&e.generated_at)) " par " (e.controller) "." }
                h2 { "Profil" }
                dl.definitions {
                    dt { "Adresse e-mail" } dd { (a.email) }
                    dt { "Civilité" } dd { (opt(&a.civility)) }
                    dt { "Prénom et nom" } dd { (a.first_name) " " (a.last_name) }
                    dt { "Rôle dans la société" } dd { (opt(&a.job_title)) }
                    dt { "Téléphone" } dd { (opt(&a.phone)) }
                    dt { "Compte ouvert le" } dd { (rfc3339_in_french(&a.created_at)) }
                    dt { "E-mails d'actualité" } dd { @if a.service_news_objected_at.is_some() { "refusés" } @else { "acceptés" } }
                }
                @if let Some(c) = &e.company {
                    h2 { "Société" }
                    dl.definitions {
                        dt { "Nom" } dd { (c.name) }
                        dt { "Type" } dd { (CompanyKind::parse(&c.kind).map(|k| k.label()).unwrap_or("—")) }
                        dt { "Adresse" } dd { (c.address) @if let Some(x) = &c.address_extra { br; (x) } br; (c.postal_code) " " (c.city) " (" (c.country) ")" }
                    }
                }
                h2 { "Bâtiments et appareils (" (e.buildings.len()) ")" }
                @for b in &e.buildings {
                    h3 { (b.name) }
                    p { (b.address) ", " (b.postal_code) " " (b.city) }
                    ul { @for d in &b.devices {
                        li { (d.kind) " — " (d.location) @if let Some(x) = &d.brand { ", " (x) } @if let Some(x) = &d.serial_number { ", n° " (x) } @if let Some(y) = d.commissioned_year { ", " (y) } " (" (d.status) ")" }
                    } }
                }
                h2 { "Demandes de maintenance (" (e.maintenance_requests.len()) ")" }
                @for r in &e.maintenance_requests {
                    h3 { "N° " (r.id) " — " (r.nature) ", " (r.status) }
                    @if let Some(location) = &r.location { p { "Emplacement : " (location) } }
                    p { (r.description) }
                    @for m in &r.messages {
                        p { strong { @if m.from_staff { "WeMaintain" } @else { "Vous" } " (" (rfc3339_in_french(&m.created_at)) ") : " } (m.body) }
                    }
                }
                h2 { "Demandes de proposition (" (e.proposals.len()) ")" }
                @for x in &e.proposals {
                    p { "N° " (x.id) " : " (opt(&x.message)) @if let Some(d) = &x.preferred_dates { " — dates souhaitées : " (d) } @if let Some(ans) = &x.answer { " — réponse : " (ans) } }
                }
                h2 { "Rapports d'intervention (" (e.information_reports.len()) ")" }
                @for r in &e.information_reports {
                    p { (r.performed_on) " — " (r.work_done) @if let Some(parts) = &r.parts_replaced { " — pièces : " (parts) } }
                }
                h2 { "Contrats signés (" (e.contract_signatures.len()) ")" }
                @for s in &e.contract_signatures {
                    p { "Version " (s.template_version) ", signée par " (s.signer_name) " (" (s.signer_email) ") le " (rfc3339_in_french(&s.signed_at)) " depuis l'adresse IP " (s.ip) ". Empreinte SHA-256 : " code { (s.text_sha256) } }
                }
                h2 { "Demandes d'exercice de droits (" (e.rights_requests.len()) ")" }
                @for r in &e.rights_requests {
                    p { "N° " (r.id) " — " (RightKind::parse(&r.kind).map(|k| k.short()).unwrap_or("—")) " — " (RequestStatus::from_key(&r.status).label()) @if let Some(m) = &r.message { " : " (m) } @if let Some(v) = &r.visit_description { " — votre visite : " (v) } @if let Some(x) = &r.extension_reason { " — délai prolongé : " (x) } @if let Some(o) = &r.outcome { " — réponse : " (o) } }
                }
                h2 { "Messages de contact et candidatures" }
                @for m in &e.contact_messages { p { (rfc3339_in_french(&m.received_at)) " — " (m.first_name) " " (m.last_name) ", " (m.phone) " : " (m.message) @if let Some(a) = &m.answer { " — notre réponse : " (a) } } }
                @for m in &e.technician_applications { p { (rfc3339_in_french(&m.received_at)) " — candidature de " (m.first_name) " " (m.last_name) ", " (m.phone) ", " (m.years_experience) " ans d'expérience, " (m.current_company) } }
                @if e.contact_messages.is_empty() && e.technician_applications.is_empty() { p { "Aucun." } }
                h2 { "Journal de sécurité (" (e.security_events.len()) ")" }
                ul { @for ev in &e.security_events {
                    li { (rfc3339_in_french(&ev.occurred_at)) " — " (event_in_french(&ev.event)) @if let Some(ip) = &ev.ip { " — IP " (ip) } }
                } }
                h2 { "Journal des visites" }
                p { "Le journal des visites du site n'est pas relié à votre compte. Pour savoir ce qu'il contient sur vos visites, "
                    a href="/confidentialite/demande" { "faites une demande" } " en indiquant votre adresse IP." }
            } }
        },
    )
}

pub fn erased_page(statement: &ErasureStatement) -> Markup {
    let page = Page {
        title: "Votre compte est effacé",
        description: "Ce qu'il est advenu de vos données.",
        path: "/profil/donnees/effacer",
    };
    space_layout(
        &page,
        &PROFILE,
        html! {
            section.section { div.wrap.prose {
                h1 { "Votre compte est effacé" }
                p.notice role="status" { "Vos sessions sont fermées. Ce détail vous est aussi envoyé par e-mail." }
                (table("Ce qu'il est advenu de vos données", &["Catégorie", "Sort"], &erasure_rows(statement)))
                p.actions { a.button href="/" { "Retour à l'accueil" } }
            } }
        },
    )
}

fn erasure_rows(statement: &ErasureStatement) -> Vec<Vec<Markup>> {
    statement
        .lines
        .iter()
        .map(|line| {
            vec![
                html! { (line.category) },
                match &line.outcome {
                    Outcome::Erased => html! { strong { "Effacé" } },
                    Outcome::Kept { why } => html! { strong { "Conservé" } " — " (why) },
                },
            ]
        })
        .collect()
}
