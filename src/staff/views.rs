//! `/admin`: staff pages for sign-ups and messages.

use crate::views::space::ADMINISTRATION;
use crate::views::typography::plural;
use maud::{html, Markup};

use crate::accounts::{AccountSummary, Registration};
use crate::auth::{CsrfToken, Role, Viewer};
use crate::domain::{Civility, CompanyKind, Country, Phone};
use crate::inbox::{Application, Question};
use crate::privacy::purge::PurgeRun;
use crate::privacy::Register;
use crate::staff::answer_views::{answer_form, answer_of, draft_summary, AnswerDraft};
use crate::views::components::table;
use crate::views::forms::{
    csrf_field, error_summary, french_date, french_datetime, in_form, options, required_note,
    select, textarea, FormErrors,
};

/// An audited page opened from another site: one click here opens it.
pub fn confirm_opening_page(path: &str, target: &str) -> Markup {
    ADMINISTRATION.page(
        "Ouvrir la page",
        path,
        html! {
            h1 { "Ouvrir la page ?" }
            p {
                "Vous arrivez sur cette page depuis un autre site. Elle donne accès à des données personnelles "
                "et chaque consultation est inscrite au journal d'audit : elle ne s'ouvre que depuis notre site."
            }
            p { "Si vous vouliez bien l'ouvrir, confirmez." }
            p.actions {
                a.button href=(target) { "Ouvrir la page" }
                " "
                a.button.secondary href="/admin" { "Retour au tableau de bord" }
            }
        },
    )
}

fn flash(notice: Option<&str>) -> Markup {
    html! { @if let Some(notice) = notice { p.notice role="status" { (notice) } } }
}

pub fn registrations_page(pending: &[Registration], notice: Option<&str>) -> Markup {
    let rows: Vec<Vec<Markup>> = pending
        .iter()
        .map(|r| {
            vec![
                html! { (french_date(r.requested_at)) },
                html! { a href={ "/admin/inscriptions/" (r.id) } { (r.first_name) " " (r.last_name) } },
                html! { (r.company_name) },
                html! { (r.email) },
                html! { (french_date(r.expires_at)) },
            ]
        })
        .collect();
    ADMINISTRATION.page(
        "Demandes de compte",
        "/admin/inscriptions",
        html! {
            h1 { "Demandes de compte en attente" }
            (flash(notice))
            @if pending.is_empty() {
                p { "Aucune demande en attente." }
            } @else {
                (table(
                    &format!("{} en attente, la plus ancienne en premier", plural(pending.len() as i64, "demande", "demandes")),
                    &["Reçue le", "Personne", "Société", "E-mail", "Supprimée le (sans décision)"],
                    &rows,
                ))
            }
        },
    )
}

pub fn registration_page(
    token: &CsrfToken,
    r: &Registration,
    reason: &str,
    errors: &FormErrors,
) -> Markup {
    let civility = Civility::parse(&r.civility)
        .map(|c| c.label())
        .unwrap_or("—");
    let kind = CompanyKind::parse(&r.company_kind)
        .map(|k| k.label())
        .unwrap_or("—");
    let country = Country::parse(&r.country).map(|c| c.name()).unwrap_or("—");
    let phone = Phone::from_stored(r.phone.clone()).display_international();
    ADMINISTRATION.page(
        "Demande de compte",
        "/admin/inscriptions",
        html! {
            h1 { "Demande de " (r.first_name) " " (r.last_name) }
            p { "Reçue le " (french_datetime(r.requested_at)) "." }
            div.prose {
                dl.definitions {
                    dt { "Civilité" } dd { (civility) }
                    dt { "Rôle dans la société" } dd { (r.job_title) }
                    dt { "E-mail" } dd { (r.email) }
                    dt { "Téléphone" } dd { (phone) }
                    dt { "Société" } dd { (r.company_name) " (" (kind) ")" }
                    dt { "Adresse" } dd {
                        (r.address)
                        @if let Some(extra) = &r.address_extra { br; (extra) }
                        br; (r.postal_code) " " (r.city) br; (country)
                    }
                }
                @if r.status == "pending" {
                    h2 { "Décision" }
                    form method="post" action={ "/admin/inscriptions/" (r.id) "/valider" } {
                        (csrf_field(token))
                        button.button type="submit" { "Valider et ouvrir le compte" }
                    }
                    h3 { "Refuser la demande" }
                    (error_summary(errors, &[("motif", "Motif du refus")]))
                    form.form method="post" action={ "/admin/inscriptions/" (r.id) "/refuser" } {
                        (csrf_field(token))
                        (required_note())
                        (textarea("motif", "Motif du refus", reason, Some("Il est envoyé à la personne par e-mail."), errors))
                        button.button.danger type="submit" { "Refuser" }
                    }
                } @else {
                    p.notice { "Cette demande a été refusée."
                        @if let Some(reason) = &r.rejection_reason { " Motif : " (reason) } }
                }
            }
        },
    )
}

pub fn messages_page(
    token: &CsrfToken,
    questions: &[Question],
    applications: &[Application],
    notice: Option<&str>,
    draft: Option<&AnswerDraft>,
) -> Markup {
    let handled = |at: Option<i64>| match at {
        Some(at) => html! { span.badge { "Traité le " (french_date(at)) } },
        None => html! { span.badge { "À traiter" } },
    };
    let mark = |inbox: &str, id: i64, at: Option<i64>| {
        html! {
            @if at.is_none() {
                form.inline-form method="post" action={ "/admin/messages/" (inbox) "/" (id) "/traite" } {
                    (csrf_field(token))
                    button.button.small type="submit" { "Marquer comme traité" }
                }
            }
        }
    };
    let question_rows: Vec<Vec<Markup>> = questions
        .iter()
        .map(|q| {
            vec![
                html! { (french_datetime(q.received_at)) },
                html! { (q.first_name) " " (q.last_name) br; a href={ "mailto:" (q.email) } { (q.email) } br; (Phone::from_stored(q.phone.clone()).display_international()) },
                html! { p.message-text { (q.message) } (answer_of(q)) },
                html! { (handled(q.handled_at)) " " (mark("questions", q.id, q.handled_at)) (answer_form(q, token, draft)) },
            ]
        })
        .collect();
    let application_rows: Vec<Vec<Markup>> = applications
        .iter()
        .map(|a| {
            vec![
                html! { (french_datetime(a.received_at)) },
                html! { (a.first_name) " " (a.last_name) br; a href={ "mailto:" (a.email) } { (a.email) } br; (Phone::from_stored(a.phone.clone()).display_international()) },
                html! { (plural(a.years_experience.into(), "an", "ans")) ", chez " (a.current_company) },
                html! { (handled(a.handled_at)) " " (mark("candidatures", a.id, a.handled_at)) },
            ]
        })
        .collect();
    ADMINISTRATION.page(
        "Messages",
        "/admin/messages",
        html! {
            h1 { "Messages" }
            (flash(notice))
            (draft_summary(draft))
            h2 { "Questions (formulaire de contact)" }
            @if questions.is_empty() { p { "Aucune question." } }
            @else { (table("Questions, les plus récentes à traiter en premier", &["Reçue le", "De", "Question", "Suivi"], &question_rows)) }
            h2 { "Candidatures de techniciens" }
            @if applications.is_empty() { p { "Aucune candidature." } }
            @else { (table("Candidatures, les plus récentes à traiter en premier", &["Reçue le", "De", "Expérience", "Suivi"], &application_rows)) }
        },
    )
}

fn status_label(status: &str) -> &'static str {
    match status {
        "active" => "Actif",
        _ => "Désactivé",
    }
}

fn role_label(role: &str) -> &'static str {
    Role::parse(role).map(|r| r.label()).unwrap_or("—")
}

pub fn accounts_page(accounts: &[AccountSummary]) -> Markup {
    let rows: Vec<Vec<Markup>> = accounts
        .iter()
        .map(|a| {
            vec![
                html! { a href={ "/admin/comptes/" (a.id) } { (a.first_name) " " (a.last_name) } },
                html! { (a.email) },
                html! { (a.company_name.as_deref().unwrap_or("—")) },
                html! { (role_label(&a.role)) },
                html! { (status_label(&a.status)) },
            ]
        })
        .collect();
    ADMINISTRATION.page(
        "Comptes",
        "/admin/comptes",
        html! {
            h1 { "Comptes" }
            (table(&plural(accounts.len() as i64, "compte", "comptes"), &["Personne", "E-mail", "Société", "Rôle", "État"], &rows))
        },
    )
}

pub fn account_page(
    viewer: &Viewer,
    token: &CsrfToken,
    a: &AccountSummary,
    notice: Option<&str>,
    company: Markup,
) -> Markup {
    let roles = options(&Role::ALL, Role::key, Role::label);
    let own = a.id == viewer.id;
    let title = format!("Compte de {} {}", a.first_name, a.last_name);
    ADMINISTRATION.page(
        &title,
        "/admin/comptes",
        html! {
            h1 { (a.first_name) " " (a.last_name) }
            (flash(notice))
            div.prose {
                dl.definitions {
                    dt { "E-mail" } dd { (a.email) }
                    dt { "Société" } dd { (a.company_name.as_deref().unwrap_or("—")) }
                    dt { "Compte ouvert le" } dd { (french_date(a.created_at)) }
                    dt { "Rôle" } dd { (role_label(&a.role)) }
                    dt { "État" } dd { (status_label(&a.status)) }
                }
                (company)
                @if own {
                    p { "Vous ne pouvez pas changer le rôle ni l'état de votre propre compte : demandez-le à un autre membre de l'équipe." }
                } @else {
                    form.form method="post" action={ "/admin/comptes/" (a.id) "/role" } {
                        (csrf_field(token))
                        (required_note())
                        (select("role", "Rôle", &roles, &a.role, in_form("acces", &FormErrors::default())))
                        button.button type="submit" { "Changer le rôle" }
                    }
                    form method="post" action={ "/admin/comptes/" (a.id) "/etat" } {
                        (csrf_field(token))
                        @if a.status == "active" {
                            input type="hidden" name="etat" value="desactive";
                            button.button.danger type="submit" { "Désactiver le compte" }
                            p.hint { "La personne est déconnectée immédiatement et ne peut plus se connecter." }
                        } @else {
                            input type="hidden" name="etat" value="actif";
                            button.button type="submit" { "Réactiver le compte" }
                        }
                    }
                }
            }
        },
    )
}

pub fn register_page(register: &Register, runs: &[PurgeRun]) -> Markup {
    let tables: Vec<Vec<Markup>> = register
        .activities()
        .iter()
        .map(|a| {
            vec![
                html! { (a.name) },
                html! { code { (a.purpose.key()) } },
                html! {
                    @if a.stored_in.is_empty() { "—" }
                    @for stored in a.stored_in { code { (stored.table) } " " }
                },
                html! { (a.retention.in_french()) },
            ]
        })
        .collect();
    let run_rows: Vec<Vec<Markup>> = runs
        .iter()
        .map(|run| {
            vec![
                html! { (french_datetime(run.started_at.timestamp_millis())) },
                html! { code { (run.purpose) } },
                html! { (run.rows_deleted) },
                html! { ((run.finished_at - run.started_at).num_milliseconds()) " ms" },
            ]
        })
        .collect();
    ADMINISTRATION.page(
        "Registre et purges",
        "/admin/registre",
        html! {
            h1 { "Registre des traitements et purges" }
            p { "Le registre en vigueur, réglages compris : c'est lui qui fixe les durées de la politique de confidentialité et celles de la purge." }
            (crate::privacy::views::retention_table(register))
            (table("Où sont les données de chaque finalité", &["Finalité", "Clé", "Tables", "Durée"], &tables))
            h2 { "Dernières purges" }
            @if runs.is_empty() { p { "Aucune purge n'a encore eu lieu." } }
            @else { (table("Purges, les plus récentes en premier", &["Début", "Finalité", "Lignes supprimées", "Durée"], &run_rows)) }
        },
    )
}

pub fn companies_page(companies: &[crate::accounts::CompanySummary]) -> Markup {
    let rows: Vec<Vec<Markup>> = companies
        .iter()
        .map(|c| {
            vec![
                html! { a href={ "/admin/societes/" (c.id) } { (c.name) } },
                html! { (CompanyKind::parse(&c.kind).map(|k| k.label()).unwrap_or("—")) },
                html! { (c.city) },
                html! { (c.users) },
                html! { (c.buildings) },
                html! { (c.devices) },
            ]
        })
        .collect();
    ADMINISTRATION.page(
        "Sociétés clientes",
        "/admin/societes",
        html! {
            h1 { "Sociétés clientes" }
            @if companies.is_empty() { p { "Aucune société : elles naissent de la validation des demandes de compte." } }
            @else { (table(&plural(companies.len() as i64, "société", "sociétés"), &["Société", "Type", "Ville", "Utilisateurs", "Bâtiments", "Appareils"], &rows)) }
        },
    )
}

pub fn company_page(
    c: &crate::accounts::CompanySummary,
    users: &[AccountSummary],
    devices: &[(String, crate::buildings::Device)],
) -> Markup {
    let user_rows: Vec<Vec<Markup>> = users
        .iter()
        .map(|u| {
            vec![
                html! { a href={ "/admin/comptes/" (u.id) } { (u.first_name) " " (u.last_name) } },
                html! { (u.email) },
                html! { (status_label(&u.status)) },
            ]
        })
        .collect();
    let device_rows: Vec<Vec<Markup>> = devices
        .iter()
        .map(|(building, d)| {
            vec![
                html! { (building) },
                html! { (crate::buildings::views::kind_label(&d.kind)) },
                html! { (d.location) },
                html! { (d.brand.as_deref().unwrap_or("—")) },
                html! { (crate::buildings::views::status_label(&d.status)) },
            ]
        })
        .collect();
    ADMINISTRATION.page(
        &c.name,
        "/admin/societes",
        html! {
            h1 { (c.name) }
            p { (CompanyKind::parse(&c.kind).map(|k| k.label()).unwrap_or("—")) ", " (c.city) }
            h2 { "Utilisateurs" }
            @if users.is_empty() { p { "Aucun utilisateur." } }
            @else { (table("Utilisateurs de la société", &["Personne", "E-mail", "État"], &user_rows)) }
            h2 { "Bâtiments et appareils" }
            @if devices.is_empty() { p { "Aucun appareil déclaré." } }
            @else { (table("Appareils de la société", &["Bâtiment", "Type", "Emplacement", "Marque", "État"], &device_rows)) }
        },
    )
}
