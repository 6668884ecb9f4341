//! `/admin/droits`: the requests staff answer, and the visit-log search.

use crate::views::layout::space_layout;
use crate::views::space::ADMINISTRATION;
use crate::views::typography::plural;
use chrono::{DateTime, Utc};
use maud::{html, Markup};

use super::back_link;

use crate::auth::CsrfToken;
use crate::db::from_millis;
use crate::db::pagination::Paged;
use crate::rights::forms::RightsDecisionForm;
use crate::rights::visits::{LoggedVisit, VisitQuery};
use crate::rights::{RequestStatus, RightsRequest};
use crate::views::components::{pagination, table};
use crate::views::forms::{
    csrf_field, error_summary, field, form_alert, french_date, french_datetime, in_form,
    required_note, select, textarea, Field, FormErrors,
};
use crate::views::Page;

fn request_row(r: &RightsRequest, now: DateTime<Utc>) -> Vec<Markup> {
    let kind = r.kind().map(|k| k.short()).unwrap_or("—");
    vec![
        html! { a href={ "/admin/droits/" (r.id) } { "N° " (r.id) } },
        html! { (kind) },
        html! { (r.email) @if r.user_id.is_some() { " (compte client)" } },
        html! { (r.received_at.map(french_date).unwrap_or_default()) },
        html! { (r.due_at.map(french_date).unwrap_or_default()) },
        html! { (deadline_cell(r, now)) },
        html! { (r.status().label()) },
    ]
}

fn deadline_cell(r: &RightsRequest, now: DateTime<Utc>) -> Markup {
    if r.status() == RequestStatus::Closed {
        return html! { "Répondue le " (r.closed_at.map(french_date).unwrap_or_default()) };
    }
    match r.days_left(now) {
        Some(_) if r.is_overdue(now) => html! { strong.overdue { "en retard" } },
        Some(0) => html! { strong { "aujourd'hui" } },
        Some(days) => html! { (days) " jour" @if days > 1 { "s" } },
        None => html! { "—" },
    }
}

pub fn staff_list(list: &Paged<RightsRequest>, overdue: i64, now: DateTime<Utc>) -> Markup {
    let page = Page {
        title: "Demandes d'exercice de droits",
        description: "Les demandes d'exercice de droits et leurs délais.",
        path: "/admin/droits",
    };
    let rows: Vec<Vec<Markup>> = list.items.iter().map(|r| request_row(r, now)).collect();
    space_layout(
        &page,
        &ADMINISTRATION,
        html! {
            section.section { div.wrap {
                h1 { "Demandes d'exercice de droits" }
                p { "La réponse est due un mois après la réception (confirmation de l'adresse). Elle peut être prolongée de deux mois au plus, avec un motif envoyé au demandeur." }
                @if overdue > 0 {
                    p.error-summary role="alert" { strong { (plural(overdue, "demande", "demandes")) " en retard." } }
                }
                p { a href="/admin/droits/visites" { "Rechercher dans le journal des visites par adresse IP" } }
                @if rows.is_empty() { p { "Aucune demande." } }
                @else {
                    (table("Demandes", &["Demande", "Droit", "Demandeur", "Reçue le", "Due le", "Délai restant", "État"], &rows))
                    (pagination(list.page, list.pages, |p| format!("/admin/droits?page={p}")))
                }
            } }
        },
    )
}

pub fn staff_request(
    r: &RightsRequest,
    now: DateTime<Utc>,
    form: &RightsDecisionForm,
    errors: &FormErrors,
    alert: Option<&str>,
    token: &CsrfToken,
) -> Markup {
    let title = format!("Demande d'exercice de droits n° {}", r.id);
    let page = Page {
        title: &title,
        description: "Une demande d'exercice de droits.",
        path: "/admin/droits",
    };
    let open = matches!(
        r.status(),
        RequestStatus::Open | RequestStatus::InformationAsked
    );
    space_layout(
        &page,
        &ADMINISTRATION,
        html! {
            section.section { div.wrap.prose {
                (back_link("/admin/droits", "← Demandes d'exercice de droits"))
                h1 { (title) }
                @if let Some(alert) = alert { (form_alert(alert)) }
                (error_summary(errors, decision_labels(errors.form())))
                (request_details(r, now))
                @if open { (decision_forms(r, form, errors, token)) }
            } }
        },
    )
}

/// The labels of the decision form whose errors are shown.
fn decision_labels(form: Option<&str>) -> &'static [(&'static str, &'static str)] {
    match form {
        Some(RightsDecisionForm::CLOSE) => &[("texte", "Réponse envoyée au demandeur")],
        Some(RightsDecisionForm::QUESTION) => &[("texte", "Question au demandeur")],
        _ => &[
            ("mois", "Prolongation"),
            ("texte", "Motif de la prolongation"),
        ],
    }
}

fn request_details(r: &RightsRequest, now: DateTime<Utc>) -> Markup {
    html! {
        dl.definitions {
            dt { "Droit" } dd { (r.kind().map(|k| k.label()).unwrap_or("—")) }
            dt { "Demandeur" } dd { (r.email) @if let Some(u) = r.user_id { " — compte n° " (u) } }
            dt { "État" } dd { (r.status().label()) }
            dt { "Reçue le" } dd { (r.received_at.map(french_datetime).unwrap_or_else(|| "non confirmée".into())) }
            dt { "Réponse due le" } dd { (r.due_at.map(french_date).unwrap_or_default()) " — " (deadline_cell(r, now)) }
            @if let Some(v) = &r.visit_description { dt { "Visite décrite" } dd { (v) } }
            @if let Some(m) = &r.message { dt { "Demande" } dd.message { (m) } }
            @if let Some(x) = &r.extension_reason { dt { "Motif de prolongation" } dd.message { (x) } }
            @if let Some(x) = &r.info_request { dt { "Informations demandées" } dd.message { (x) } }
            @if let Some(x) = &r.outcome { dt { "Réponse" } dd.message { (x) } dt { "Close le" } dd { (r.closed_at.map(french_datetime).unwrap_or_default()) } }
        }
    }
}

/// The three decisions, each its own form: its ids start with its name,
/// and only the form that was sent shows its errors and what was typed.
fn decision_forms(
    r: &RightsRequest,
    form: &RightsDecisionForm,
    errors: &FormErrors,
    token: &CsrfToken,
) -> Markup {
    let typed = |name: &str| {
        if errors.form() == Some(name) {
            form.text.as_str()
        } else {
            ""
        }
    };
    let (close, question, extend) = (
        RightsDecisionForm::CLOSE,
        RightsDecisionForm::QUESTION,
        RightsDecisionForm::EXTEND,
    );
    let months = if errors.form() == Some(extend) {
        form.months.as_str()
    } else {
        ""
    };
    html! {
        h2 { "Clore avec une réponse" }
        form.form method="post" action={ "/admin/droits/" (r.id) "/" (close) } {
            (csrf_field(token))
            (required_note())
            (textarea("texte", "Réponse envoyée au demandeur", typed(close), Some("Ce qui a été fait, ou pourquoi la demande ne peut pas être satisfaite."), in_form(close, errors)))
            button.button type="submit" { "Clore et envoyer la réponse" }
        }
        h2 { "Demander des informations" }
        form.form method="post" action={ "/admin/droits/" (r.id) "/" (question) } {
            (csrf_field(token))
            (required_note())
            (textarea("texte", "Question au demandeur", typed(question), Some("Par exemple : une pièce d'identité. Le délai de réponse ne change pas."), in_form(question, errors)))
            button.button.secondary type="submit" { "Envoyer la question" }
        }
        h2 { "Prolonger le délai" }
        @if let Some(received) = r.received_at {
            p { "Date limite absolue : " (french_date(crate::db::millis(crate::rights::latest_due_date(from_millis(received))))) "." }
        }
        form.form method="post" action={ "/admin/droits/" (r.id) "/" (extend) } {
            (csrf_field(token))
            (required_note())
            (select("mois", "Prolongation", &[("1", "Un mois"), ("2", "Deux mois")], months, in_form(extend, errors)))
            (textarea("texte", "Motif de la prolongation (envoyé au demandeur)", typed(extend), Some("La complexité ou le nombre de demandes, par exemple."), in_form(extend, errors)))
            button.button.secondary type="submit" { "Prolonger" }
        }
    }
}

/// What the visit-search page shows under its form.
pub enum VisitResults<'a> {
    /// No search yet, or one that was not valid.
    None,
    /// A search opened from another site: shown, not run.
    ToCheck,
    Found(&'a [LoggedVisit]),
}

pub fn visit_search_page(
    query: &VisitQuery,
    results: VisitResults<'_>,
    errors: &FormErrors,
) -> Markup {
    let page = Page {
        title: "Journal des visites par adresse IP",
        description: "Recherche dans le journal de sécurité des visites.",
        path: "/admin/droits/visites",
    };
    let export = format!(
        "/admin/droits/visites/export?ip={}&du={}&au={}",
        crate::auth::encode_query_value(&query.ip),
        crate::auth::encode_query_value(&query.from),
        crate::auth::encode_query_value(&query.to)
    );
    space_layout(
        &page,
        &ADMINISTRATION,
        html! {
            section.section { div.wrap {
                (back_link("/admin/droits", "← Demandes d'exercice de droits"))
                h1 { "Journal des visites par adresse IP" }
                p { "Pour répondre à une demande d'accès sur des visites : seules les lignes de sécurité gardent l'adresse IP complète (6 mois au plus). Chaque recherche est inscrite au journal d'audit." }
                (error_summary(errors, &[("ip", "Adresse IP ou plage"), ("du", "Du"), ("au", "Au")]))
                @if let VisitResults::ToCheck = results {
                    (form_alert("Cette recherche vient d'un lien extérieur au site : elle n'a pas été lancée. Vérifiez la recherche puis lancez-la."))
                }
                form.form method="get" action="/admin/droits/visites" novalidate {
                    (required_note())
                    (field(Field::text("ip", "Adresse IP ou plage", &query.ip).hint("192.0.2.7, 2001:db8::1 ou 192.0.2.0/24"), errors))
                    (field(Field::text("du", "Du", &query.from).kind("date"), errors))
                    (field(Field::text("au", "Au (inclus)", &query.to).kind("date"), errors))
                    button.button type="submit" { "Rechercher" }
                }
                @if let VisitResults::Found(found) = results {
                    @if found.is_empty() { p { "Aucune visite de cette adresse sur cette période." } }
                    @else {
                        @if found.len() >= crate::rights::visits::PAGE_LIMIT {
                            p { "Les " (crate::rights::visits::PAGE_LIMIT) " premières visites sont affichées ; l'export les contient toutes. " a href=(export) { "Exporter en CSV" } }
                        } @else {
                            p { (plural(found.len() as i64, "visite", "visites")) ". " a href=(export) { "Exporter en CSV" } }
                        }
                        (table("Visites", &["Date", "Adresse IP", "Page", "Navigateur", "Système", "Appareil"],
                            &found.iter().take(crate::rights::visits::PAGE_LIMIT).map(|v| vec![
                                html! { (french_datetime(v.occurred_at)) },
                                html! { (v.ip) },
                                html! { (v.url) },
                                html! { (v.browser.as_deref().unwrap_or("—")) },
                                html! { (v.os.as_deref().unwrap_or("—")) },
                                html! { (v.device_type) },
                            ]).collect::<Vec<_>>()))
                    }
                }
            } }
        },
    )
}
