//! `/admin/journal`: the audit log with names, its filters and its pages.

use maud::{html, Markup};

use crate::accounts::AccountSummary;
use crate::audit::{event_in_french, AuditEvent, AuditLine};
use crate::db::pagination::Paged;
use crate::staff::journal_filter::JournalQuery;
use crate::views::components::{pagination, table};
use crate::views::forms::french_datetime;
use crate::views::space::ADMINISTRATION;
use crate::views::typography::plural;

/// What the page shows.
pub struct JournalPage<'a> {
    pub lines: &'a Paged<AuditLine>,
    /// Every account; the filter « Qui » lists the staff's.
    pub staff: &'a [AccountSummary],
    pub query: &'a JournalQuery,
    /// Filter values left out, by field, and why.
    pub errors: &'a [(&'static str, String)],
    pub retention: &'a str,
}

/// An account named in a line: its name, linked, or said to be gone.
fn account(id: Option<i64>, name: Option<&str>) -> Markup {
    html! {
        @match (id, name) {
            (Some(id), Some(name)) => a href={ "/admin/comptes/" (id) } { (name) },
            (Some(id), None) => { "compte n° " (id) " (supprimé)" },
            (None, _) => "—",
        }
    }
}

/// Another record named in a line (`kind:id`), in words, with its link.
fn record(subject: &str) -> Markup {
    let Some((kind, id)) = subject.split_once(':') else {
        return match subject {
            "messages" => html! { a href="/admin/messages" { "Messages" } },
            "audit_log" => html! { "Ce journal" },
            other => html! { (other) },
        };
    };
    let (label, link) = match kind {
        "maintenance_request" => ("Demande de maintenance", Some("/admin/demandes/")),
        "report" => ("Rapport d'intervention", Some("/admin/rapports/")),
        "registration" => ("Demande de compte", Some("/admin/inscriptions/")),
        "company" => ("Société", Some("/admin/societes/")),
        "questions" => ("Question", None),
        "candidatures" => ("Candidature", None),
        _ => return html! { (subject) },
    };
    html! {
        @match link {
            Some(link) => a href={ (link) (id) } { (label) " n° " (id) },
            None => { (label) " n° " (id) },
        }
    }
}

fn rows(lines: &[AuditLine]) -> Vec<Vec<Markup>> {
    lines
        .iter()
        .map(|l| {
            vec![
                html! { (french_datetime(l.occurred_at)) },
                html! { (event_in_french(&l.event)) },
                account(l.actor_user_id, l.actor_name.as_deref()),
                html! {
                    @if l.subject_user_id.is_some() { (account(l.subject_user_id, l.subject_name.as_deref())) " " }
                    @if let Some(subject) = &l.subject { (record(subject)) }
                },
                html! { (l.ip.as_deref().unwrap_or("—")) },
                html! { (l.detail.as_deref().unwrap_or("")) },
            ]
        })
        .collect()
}

fn filters(p: &JournalPage) -> Markup {
    let q = p.query;
    let staff = p.staff.iter().filter(|a| a.role != "client");
    html! {
        form.filters method="get" action="/admin/journal" {
            div.field.inline {
                label for="qui" { "Qui" }
                select #qui name="qui" {
                    option value="" { "Tout le monde" }
                    @for a in staff {
                        @let id = a.id.to_string();
                        option value=(id) selected[id == q.actor.trim()] { (a.first_name) " " (a.last_name) }
                    }
                }
            }
            div.field.inline {
                label for="quoi" { "Action" }
                select #quoi name="quoi" {
                    option value="" { "Toutes" }
                    @for e in AuditEvent::ALL {
                        option value=(e.key()) selected[e.key() == q.event.trim()] { (event_in_french(e.key())) }
                    }
                }
            }
            div.field.inline { label for="du" { "Du" } input #du type="date" name="du" value=(q.from); }
            div.field.inline { label for="au" { "Au" } input #au type="date" name="au" value=(q.to); }
            button.button.small type="submit" { "Filtrer" }
        }
        @for (field, error) in p.errors {
            p.field-error role="alert" id={ (field) "-erreur" } { (error) " Ce critère n'est pas appliqué." }
        }
    }
}

pub fn journal_page(p: &JournalPage) -> Markup {
    let q = p.query;
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("qui", &q.actor)
        .append_pair("quoi", &q.event)
        .append_pair("du", &q.from)
        .append_pair("au", &q.to)
        .finish();
    let headers = ["Date", "Action", "Par", "Concerne", "Adresse IP", "Détail"];
    ADMINISTRATION.page(
        "Journal de sécurité",
        "/admin/journal",
        html! {
            h1 { "Journal de sécurité" }
            p { "Les actions sensibles, les plus récentes en premier. Elles sont conservées " (p.retention) ", puis supprimées. Ouvrir ce journal est lui-même enregistré." }
            (filters(p))
            @if p.lines.items.is_empty() { p { "Aucune action pour ces critères." } }
            @else {
                (table(&plural(p.lines.total, "action", "actions"), &headers, &rows(&p.lines.items)))
                (pagination(p.lines.page, p.lines.pages, |n| format!("/admin/journal?{query}&page={n}")))
            }
        },
    )
}
