//! The staff's list of maintenance requests (urgency first, filters), and
//! the parts of a request's staff page about who to call and which device
//! it is about.

use maud::{html, Markup};

use crate::auth::CsrfToken;
use crate::db::pagination::Paged;
use crate::maintenance::staff::{Requester, StaffFilter, StatusFilter};
use crate::maintenance::views::{status_label, urgency_label};
use crate::maintenance::{MaintenanceRequest, RequestStatus, Urgency};
use crate::views::components::{pagination, table};
use crate::views::forms::{csrf_field, french_datetime, select, FormErrors};
use crate::views::space::ADMINISTRATION;

/// The urgency as a label: words, and a stronger look for a person stuck.
pub fn urgency_badge(key: &str) -> Markup {
    let stuck = key == Urgency::PersonneBloquee.key();
    html! { span.badge.urgent[stuck] { (urgency_label(key)) } }
}

/// « 1 demande », « 3 demandes ».
fn requests_count(n: i64) -> String {
    match n {
        0 => "Aucune demande".to_owned(),
        1 => "1 demande".to_owned(),
        n => format!("{n} demandes"),
    }
}

/// The filter as a query string, ending with `&` when not empty, for the
/// pagination's links.
pub fn filter_query(filter: &StaffFilter) -> String {
    let mut query = String::new();
    if filter.status != StatusFilter::Open {
        query.push_str(&format!("statut={}&", filter.status.key()));
    }
    if let Some(urgency) = filter.urgency {
        query.push_str(&format!("urgence={}&", urgency.key()));
    }
    if filter.awaiting_staff {
        query.push_str("reponse=attendue&");
    }
    query
}

fn filter_form(filter: &StaffFilter) -> Markup {
    let status = filter.status.key();
    let urgency = filter.urgency.map_or("", Urgency::key);
    html! {
        form.filters method="get" action="/admin/demandes" {
            div.field.inline {
                label for="statut" { "Statut" }
                select id="statut" name="statut" {
                    option value="" selected[status.is_empty()] { "En cours (toutes)" }
                    @for s in RequestStatus::ALL {
                        option value=(s.key()) selected[s.key() == status] { (s.label()) }
                    }
                    option value="terminees" selected[status == "terminees"] { "Terminées (toutes)" }
                }
            }
            div.field.inline {
                label for="urgence" { "Urgence" }
                select id="urgence" name="urgence" {
                    option value="" selected[urgency.is_empty()] { "Toutes" }
                    @for u in Urgency::ALL {
                        option value=(u.key()) selected[u.key() == urgency] { (u.label()) }
                    }
                }
            }
            div.check {
                input type="checkbox" id="reponse" name="reponse" value="attendue" checked[filter.awaiting_staff];
                label for="reponse" { "Seulement celles où le client attend notre réponse" }
            }
            button.button.small type="submit" { "Filtrer" }
            a href="/admin/demandes" { "Effacer les filtres" }
        }
    }
}

fn rows(requests: &[MaintenanceRequest]) -> Vec<Vec<Markup>> {
    requests
        .iter()
        .map(|r| {
            vec![
                html! { a href={ "/admin/demandes/" (r.id) } { "N° " (r.id) } },
                urgency_badge(&r.urgency),
                html! { (french_datetime(r.created_at)) },
                html! { (r.company_name) },
                html! { (r.place()) },
                html! { span.badge { (status_label(&r.status)) } },
            ]
        })
        .collect()
}

/// `/admin/demandes`: the most urgent first, then the oldest.
pub fn staff_list(
    list: &Paged<MaintenanceRequest>,
    filter: &StaffFilter,
    notice: Option<&str>,
) -> Markup {
    let query = filter_query(filter);
    let headers = [
        "Demande",
        "Urgence",
        "Déposée le",
        "Société",
        "Appareil",
        "Statut",
    ];
    ADMINISTRATION.page(
        "Demandes de maintenance",
        "/admin/demandes",
        html! {
            h1 { "Demandes de maintenance" }
            @if let Some(notice) = notice { p.notice role="status" { (notice) } }
            (filter_form(filter))
            @if list.items.is_empty() { p { "Aucune demande ne correspond à ces filtres." } }
            @else {
                (table(&format!("{}, les plus urgentes d'abord, puis les plus anciennes", requests_count(list.total)), &headers, &rows(&list.items)))
                (pagination(list.page, list.pages, |p| format!("/admin/demandes?{query}page={p}")))
            }
        },
    )
}

/// Who filed the request and where the building is, to call, write or go.
pub fn requester_block(requester: Option<&Requester>, request: &MaintenanceRequest) -> Markup {
    html! {
        h2 { "Demandeur" }
        dl.definitions {
            @if let Some(p) = requester {
                dt { "Nom" } dd { (p.name) }
                dt { "E-mail" } dd { a href={ "mailto:" (p.email) } { (p.email) } }
                dt { "Téléphone" } dd {
                    @if let Some(phone) = &p.phone {
                        a href={ "tel:" (phone.as_str()) } { (phone.display_international()) }
                    } @else { "Non renseigné" }
                }
            } @else {
                dt { "Nom" } dd { "Compte supprimé : écrivez sur le fil de la demande." }
            }
            dt { "Société" } dd { (request.company_name) }
            dt { "Adresse du bâtiment" } dd {
                @if let Some(address) = &request.building_address {
                    (request.building_name.as_deref().unwrap_or_default()) br; (address)
                } @else { "Pas de bâtiment indiqué" }
            }
            @if let Some(location) = &request.location {
                dt { "Emplacement décrit" } dd { (location) }
            }
        }
    }
}

/// Staff choose the device among the company's; shown while none is
/// attached, and to correct it.
pub fn attach_form(
    token: &CsrfToken,
    request: &MaintenanceRequest,
    devices: &[(i64, String)],
    errors: &FormErrors,
) -> Markup {
    let options: Vec<(String, &str)> = devices
        .iter()
        .map(|(id, name)| (id.to_string(), name.as_str()))
        .collect();
    let options: Vec<(&str, &str)> = options.iter().map(|(id, n)| (id.as_str(), *n)).collect();
    let chosen = request
        .device_id
        .map(|id| id.to_string())
        .unwrap_or_default();
    let title = match request.device_id {
        None => "Rattacher l'appareil",
        Some(_) => "Corriger l'appareil",
    };
    html! {
        h2 { (title) }
        @if options.is_empty() {
            p { "La société n'a déclaré aucun appareil : rattachez-le quand il sera déclaré." }
        } @else {
            form.form method="post" action={ "/admin/demandes/" (request.id) "/appareil" } {
                (csrf_field(token))
                (select("appareil", "Appareil de la société", &options, &chosen, errors))
                button.button type="submit" { "Rattacher cet appareil" }
            }
        }
    }
}
