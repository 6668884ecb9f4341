//! The staff's pages of reports: the list (by company), one report, and
//! the form that publishes or corrects one.

use maud::{html, Markup};

use crate::auth::CsrfToken;
use crate::buildings::views::kind_label;
use crate::db::pagination::Paged;
use crate::domain::DeviceStatus;
use crate::information_reports::forms::ReportForm;
use crate::information_reports::views::{prestation_label, report_body};
use crate::information_reports::{Prestation, Report};
use crate::maintenance::resolution::RequestChoice;
use crate::views::components::{pagination, table};
use crate::views::forms::{
    csrf_field, error_summary, field, french_date, options, required_note, select, text_area,
    textarea, Field, FormErrors, TextArea,
};
use crate::views::space::ADMINISTRATION;
use crate::views::typography::plural;

const PATH: &str = "/admin/rapports";

fn flash(notice: Option<&str>) -> Markup {
    html! { @if let Some(notice) = notice { p.notice role="status" { (notice) } } }
}

/// `/admin/rapports`: every report, most recent work first, by company.
pub fn staff_list(
    list: &Paged<Report>,
    companies: &[(i64, String)],
    company: &str,
    notice: Option<&str>,
) -> Markup {
    let rows: Vec<Vec<Markup>> = list
        .items
        .iter()
        .map(|r| {
            vec![
                html! { a href={ "/admin/rapports/" (r.id) } { "N° " (r.id) } },
                html! { (r.performed_on().format("%d/%m/%Y")) },
                html! { (r.company_name) },
                html! { (r.building_name) br; (kind_label(&r.device_kind)) " — " (r.device_location) },
                html! { (prestation_label(&r.kind)) },
                html! {
                    @if let Some(id) = r.request_id { a href={ "/admin/demandes/" (id) } { "N° " (id) } }
                    @else { "—" }
                },
                html! { @if let Some(at) = r.corrected_at { "Corrigé le " (french_date(at)) } },
            ]
        })
        .collect();
    let headers = [
        "Rapport",
        "Intervention du",
        "Société",
        "Appareil",
        "Prestation",
        "Demande",
        "Correction",
    ];
    ADMINISTRATION.page(
        "Rapports d'intervention",
        PATH,
        html! {
            h1 { "Rapports d'intervention" }
            (flash(notice))
            p.actions { a.button href="/admin/rapports/nouveau" { "Publier un rapport" } }
            form.filters method="get" action=(PATH) {
                div.field.inline {
                    label for="societe" { "Société" }
                    select #societe name="societe" {
                        option value="" { "Toutes" }
                        @for (id, name) in companies {
                            @let value = id.to_string();
                            option value=(value) selected[value == company] { (name) }
                        }
                    }
                }
                button.button.small type="submit" { "Filtrer" }
            }
            @if list.items.is_empty() { p { "Aucun rapport publié pour ces critères." } }
            @else {
                (table(&plural(list.total, "rapport", "rapports"), &headers, &rows))
                (pagination(list.page, list.pages, |p| format!("{PATH}?societe={company}&page={p}")))
            }
        },
    )
}

/// `/admin/rapports/{id}`: the report as the client reads it.
pub fn staff_report(r: &Report, notice: Option<&str>) -> Markup {
    ADMINISTRATION.page(
        &format!("Rapport n° {}", r.id),
        PATH,
        html! {
            article.report {
                h1 { "Rapport d'intervention n° " (r.id) }
                (flash(notice))
                (report_body(r, "/admin/demandes/"))
            }
            p.actions.no-print {
                a.button href={ "/admin/rapports/" (r.id) "/modifier" } { "Corriger le rapport" }
                " "
                a.button.secondary href=(PATH) { "Tous les rapports" }
            }
        },
    )
}

/// What the form is for: a new report (any device) or the correction of
/// one (its device stays).
pub enum FormFor<'a> {
    New { devices: &'a [(i64, String)] },
    Correction { report: &'a Report },
}

/// The form page, with what was typed and its errors.
pub struct FormPage<'a> {
    pub form: &'a ReportForm,
    pub errors: &'a FormErrors,
    pub requests: &'a [RequestChoice],
}

pub fn report_form_page(token: &CsrfToken, purpose: FormFor, page: FormPage) -> Markup {
    let (title, action) = match &purpose {
        FormFor::New { .. } => (
            "Publier un rapport d'intervention".to_owned(),
            PATH.to_owned(),
        ),
        FormFor::Correction { report } => (
            format!("Corriger le rapport n° {}", report.id),
            format!("/admin/rapports/{}/modifier", report.id),
        ),
    };
    let (form, errors) = (page.form, page.errors);
    let prestations = options(&Prestation::ALL, Prestation::key, Prestation::label);
    let states = options(&DeviceStatus::ALL, DeviceStatus::key, DeviceStatus::label);
    let body = html! {
        h1 { (title) }
        @if let FormFor::New { devices } = &purpose { @if devices.is_empty() {
            p { "Aucun appareil n'est encore déclaré par les clients." }
        } }
        (error_summary(errors, ReportForm::LABELS))
        form.form method="post" action=(action) novalidate {
            (csrf_field(token))
            (required_note())
            (device_field(&purpose, form, errors))
            (select("prestation", "Prestation", &prestations, &form.kind, errors))
            (field(Field::text("date", "Date de l'intervention", &form.date).kind("date"), errors))
            (textarea("travaux", "Travaux réalisés", &form.work_done, None, errors))
            (text_area(TextArea::new("pieces", "Pièces remplacées", &form.parts_replaced).hint("Laisser vide si aucune.").optional(), errors))
            (select("etat", "État de l'appareil après l'intervention", &states, &form.device_state, errors))
            (request_fields(page.requests, form, errors))
            button.button type="submit" {
                @if matches!(purpose, FormFor::New { .. }) { "Publier le rapport" } @else { "Enregistrer la correction" }
            }
        }
    };
    ADMINISTRATION.page(&title, PATH, body)
}

fn device_field(purpose: &FormFor, form: &ReportForm, errors: &FormErrors) -> Markup {
    match purpose {
        FormFor::New { devices } => {
            let values: Vec<(String, &str)> = devices
                .iter()
                .map(|(id, n)| (id.to_string(), n.as_str()))
                .collect();
            let choices: Vec<(&str, &str)> =
                values.iter().map(|(id, n)| (id.as_str(), *n)).collect();
            select("appareil", "Appareil", &choices, &form.device, errors)
        }
        FormFor::Correction { report } => html! {
            p {
                "Appareil : " (report.company_name) " — " (report.building_name) " — "
                (kind_label(&report.device_kind)) " — " (report.device_location)
            }
        },
    }
}

/// The request the report answers (optional), and whether it is resolved.
fn request_fields(requests: &[RequestChoice], form: &ReportForm, errors: &FormErrors) -> Markup {
    let error = errors.get("demande");
    let resolve_error = errors.get("resolue");
    html! {
        div.field.has-error[error.is_some()] {
            label for="demande" { "Demande de maintenance concernée" span.optional { " (facultatif)" } }
            p.hint id="demande-aide" { "Les demandes en cours ; la demande doit être de la société de l'appareil." }
            @if let Some(error) = error { p.field-error id="demande-erreur" { (error) } }
            select #demande name="demande" aria-invalid=[error.map(|_| "true")]
                aria-describedby={ "demande-aide" @if error.is_some() { " demande-erreur" } } {
                option value="" selected[form.request.trim().is_empty()] { "Aucune" }
                @for r in requests {
                    @let value = r.id.to_string();
                    option value=(value) selected[value == form.request.trim()] { (r.label()) }
                }
            }
        }
        div.field.has-error[resolve_error.is_some()] {
            @if let Some(error) = resolve_error { p.field-error id="resolue-erreur" { (error) } }
            div.check {
                input #resolue type="checkbox" name="resolue" value="oui" checked[form.resolves == "oui"]
                    aria-describedby=[resolve_error.map(|_| "resolue-erreur")];
                label for="resolue" { "La demande est résolue (le client le voit et en est prévenu)" }
            }
        }
    }
}
