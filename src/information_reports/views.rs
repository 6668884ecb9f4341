//! Rapports d'Information: the client's filtered list and printable report
//! (the staff's pages are in `staff_views`).

use crate::views::space::PROFILE;
use crate::views::typography::plural;
use maud::{html, Markup};

use crate::buildings::views::{kind_label, status_label};
use crate::db::pagination::Paged;
use crate::information_reports::{Prestation, Report};
use crate::views::components::{pagination, table};
use crate::views::forms::french_datetime;

pub fn prestation_label(key: &str) -> &'static str {
    Prestation::parse(key).map(|p| p.label()).unwrap_or("—")
}

/// The filters as typed, kept in the form and in the pagination links.
pub struct FilterValues<'a> {
    pub building: &'a str,
    pub device: &'a str,
    pub from: &'a str,
    pub to: &'a str,
    pub error: Option<&'a str>,
}

pub fn client_list(
    list: &Paged<Report>,
    buildings: &[(i64, String)],
    devices: &[(i64, String)],
    filter: &FilterValues,
) -> Markup {
    let building_options: Vec<(String, &str)> = buildings
        .iter()
        .map(|(id, n)| (id.to_string(), n.as_str()))
        .collect();
    let device_options: Vec<(String, &str)> = devices
        .iter()
        .map(|(id, n)| (id.to_string(), n.as_str()))
        .collect();
    let query = format!(
        "batiment={}&appareil={}&du={}&au={}",
        filter.building, filter.device, filter.from, filter.to
    );
    let rows: Vec<Vec<Markup>> = list
        .items
        .iter()
        .map(|r| {
            vec![
                html! { a href={ "/profil/rapports/" (r.id) } { (r.performed_on().format("%d/%m/%Y")) } },
                html! { (prestation_label(&r.kind)) },
                html! { (r.building_name) br; (kind_label(&r.device_kind)) " — " (r.device_location) },
                html! { (status_label(&r.device_state)) },
            ]
        })
        .collect();
    PROFILE.page(
        "Rapports d'intervention",
        "/profil/rapports",
        html! {
            h1 { "Rapports d'intervention" }
            p { "Ce sont les « Rapports d'Information » de notre " a href="/politique-de-confidentialite" { "politique de confidentialité" } "." }
            form.filters method="get" action="/profil/rapports" {
                div.field.inline {
                    label for="batiment" { "Bâtiment" }
                    select #batiment name="batiment" {
                        option value="" { "Tous" }
                        @for (id, name) in &building_options { option value=(id) selected[id == filter.building] { (name) } }
                    }
                }
                div.field.inline {
                    label for="appareil" { "Appareil" }
                    select #appareil name="appareil" {
                        option value="" { "Tous" }
                        @for (id, name) in &device_options { option value=(id) selected[id == filter.device] { (name) } }
                    }
                }
                div.field.inline { label for="du" { "Du" } input #du type="date" name="du" value=(filter.from); }
                div.field.inline { label for="au" { "Au" } input #au type="date" name="au" value=(filter.to); }
                button.button.small type="submit" { "Filtrer" }
            }
            @if let Some(error) = filter.error { p.field-error role="alert" { (error) } }
            @if list.items.is_empty() { p { "Aucun rapport pour ces critères." } }
            @else {
                (table(&plural(list.total, "rapport", "rapports"), &["Intervention du", "Prestation", "Appareil", "État après"], &rows))
                (pagination(list.page, list.pages, |p| format!("/profil/rapports?{query}&page={p}")))
            }
        },
    )
}

/// The report as printed; `requests_at` is where the request it answers
/// opens (`/profil/demandes/` or `/admin/demandes/`).
pub fn report_body(r: &Report, requests_at: &str) -> Markup {
    html! {
        dl.definitions {
            dt { "Société" } dd { (r.company_name) }
            dt { "Bâtiment" } dd { (r.building_name) }
            dt { "Appareil" } dd { (kind_label(&r.device_kind)) " — " (r.device_location) }
            dt { "Prestation" } dd { (prestation_label(&r.kind)) }
            dt { "Date de l'intervention" } dd { (r.performed_on().format("%d/%m/%Y")) }
            dt { "État de l'appareil après l'intervention" } dd { (status_label(&r.device_state)) }
            @if let Some(request) = r.request_id {
                dt { "Demande de maintenance" }
                dd { a href={ (requests_at) (request) } { "Demande n° " (request) } }
            }
        }
        h2 { "Travaux réalisés" }
        p.message-text { (r.work_done) }
        h2 { "Pièces remplacées" }
        p.message-text { (r.parts_replaced.as_deref().unwrap_or("Aucune.")) }
        p.reference {
            "Rapport n° " (r.id) ", publié le " (french_datetime(r.published_at)) " par l'équipe WeMaintain."
            @if let Some(at) = r.corrected_at { " Corrigé le " (french_datetime(at)) "." }
        }
    }
}

pub fn client_report(r: &Report) -> Markup {
    PROFILE.page(
        &format!("Rapport n° {}", r.id),
        "/profil/rapports",
        html! {
            article.report {
                h1 { "Rapport d'intervention n° " (r.id) }
                (report_body(r, "/profil/demandes/"))
            }
            p.no-print { "Pour l'imprimer ou l'enregistrer en PDF, utilisez la commande Imprimer de votre navigateur : la page s'imprime sans le menu." }
        },
    )
}
