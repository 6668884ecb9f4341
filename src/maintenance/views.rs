//! Demandes de Maintenance: the client's list, form and thread, and the
//! staff's list and handling page.

use crate::views::space::{ADMINISTRATION, PROFILE};
use crate::views::typography::plural;
use maud::{html, Markup};

use crate::auth::CsrfToken;
use crate::db::pagination::Paged;
use crate::domain::EmergencyPhone;
use crate::information_reports::link_views;
use crate::information_reports::links::LinkedReport;
use crate::maintenance::forms::RequestForm;
use crate::maintenance::{MaintenanceRequest, Nature, RequestMessage, RequestStatus, Urgency};
use crate::views::components::{pagination, table};
use crate::views::emergency::{stuck_person_notice, urgency_hint};
use crate::views::forms::{
    csrf_field, error_summary, field, french_datetime, optional_select, options, required_note,
    select, textarea, Field, FormErrors,
};

fn label_of<T: Copy>(
    all: &[T],
    key: &str,
    key_of: fn(T) -> &'static str,
    label_of: fn(T) -> &'static str,
) -> &'static str {
    all.iter()
        .copied()
        .find(|v| key_of(*v) == key)
        .map(label_of)
        .unwrap_or("—")
}

pub fn nature_label(key: &str) -> &'static str {
    label_of(Nature::ALL, key, Nature::key, Nature::label)
}

pub fn urgency_label(key: &str) -> &'static str {
    label_of(Urgency::ALL, key, Urgency::key, Urgency::label)
}

pub fn status_label(key: &str) -> &'static str {
    label_of(
        RequestStatus::ALL,
        key,
        RequestStatus::key,
        RequestStatus::label,
    )
}

fn rows(requests: &[MaintenanceRequest], base: &str) -> Vec<Vec<Markup>> {
    requests
        .iter()
        .map(|r| {
            vec![
                html! { a href={ (base) (r.id) } { "N° " (r.id) } },
                html! { (french_datetime(r.created_at)) },
                html! { (r.place()) },
                html! { (nature_label(&r.nature)) br; (urgency_label(&r.urgency)) },
                html! { span.badge { (status_label(&r.status)) } },
            ]
        })
        .collect()
}

fn switch(path: &str, open: bool) -> Markup {
    html! {
        p {
            @if open { strong { "En cours" } " · " a href={ (path) "?closes=1" } { "Terminées" } }
            @else { a href=(path) { "En cours" } " · " strong { "Terminées" } }
        }
    }
}

pub fn client_list(list: &Paged<MaintenanceRequest>, open: bool) -> Markup {
    PROFILE.page(
        "Demandes de maintenance",
        "/profil/demandes",
        html! {
            h1 { "Demandes de maintenance" }
            p.actions { a.button href="/profil/demandes/nouvelle" { "Nouvelle demande" } }
            (switch("/profil/demandes", open))
            @if list.items.is_empty() { p { "Aucune demande." } }
            @else {
                (table(&plural(list.total, "demande", "demandes"), &["Demande", "Déposée le", "Appareil", "Nature", "Statut"], &rows(&list.items, "/profil/demandes/")))
                (pagination(list.page, list.pages, |p| format!("/profil/demandes?page={p}{}", if open { "" } else { "&closes=1" })))
            }
        },
    )
}

/// The choices of the request form: the company's devices and buildings.
pub struct PlaceChoices {
    pub devices: Vec<(i64, String)>,
    pub buildings: Vec<(i64, String)>,
}

fn id_options(items: &[(i64, String)]) -> Vec<(String, &str)> {
    items
        .iter()
        .map(|(id, name)| (id.to_string(), name.as_str()))
        .collect()
}

/// Where the problem is: a device from the list, or the place in words
/// and the building.
fn place_fields(choices: &PlaceChoices, form: &RequestForm, errors: &FormErrors) -> Markup {
    let devices = id_options(&choices.devices);
    let devices: Vec<(&str, &str)> = devices.iter().map(|(id, n)| (id.as_str(), *n)).collect();
    let buildings = id_options(&choices.buildings);
    let buildings: Vec<(&str, &str)> = buildings.iter().map(|(id, n)| (id.as_str(), *n)).collect();
    let location = Field::text("emplacement", "Où se trouve l'appareil ?", &form.location)
        .hint("Adresse de l'immeuble, escalier, quel ascenseur. Si l'appareil n'est pas encore déclaré, l'équipe WeMaintain le rattachera à la demande.")
        .optional();
    html! {
        @if devices.is_empty() {
            p { "Vous n'avez pas encore déclaré d'appareil : décrivez où il se trouve, ou " a href="/profil/batiments" { "déclarez-le dans vos bâtiments" } "." }
        } @else {
            (optional_select("appareil", "Appareil", "Pas dans la liste", &devices, &form.device, errors))
        }
        (field(location, errors))
        @if !buildings.is_empty() {
            (optional_select("batiment", "Bâtiment, si l'appareil n'est pas dans la liste", "Aucun", &buildings, &form.building, errors))
        }
    }
}

pub fn request_form_page(
    token: &CsrfToken,
    choices: &PlaceChoices,
    form: &RequestForm,
    errors: &FormErrors,
    on_call: Option<&EmergencyPhone>,
) -> Markup {
    let natures = options(Nature::ALL, Nature::key, Nature::label);
    let urgencies = options(Urgency::ALL, Urgency::key, Urgency::label);
    PROFILE.page(
        "Nouvelle demande de maintenance",
        "/profil/demandes",
        html! {
            h1 { "Nouvelle demande de maintenance" }
            (stuck_person_notice(on_call))
            (error_summary(errors, RequestForm::LABELS))
            form.form method="post" action="/profil/demandes/nouvelle" novalidate {
                (csrf_field(token))
                (required_note())
                (place_fields(choices, form, errors))
                (select("nature", "Nature de la demande", &natures, &form.nature, errors))
                (select("urgence", "Urgence", &urgencies, &form.urgency, errors))
                (urgency_hint(on_call))
                (textarea("description", "Description", &form.description, Some("Ce que vous constatez, depuis quand, ce qui a été tenté."), errors))
                button.button type="submit" { "Envoyer la demande" }
            }
        },
    )
}

fn thread(messages: &[RequestMessage]) -> Markup {
    html! {
        h2 { "Échanges" }
        @if messages.is_empty() { p { "Aucun message pour le moment." } }
        ol.thread {
            @for m in messages {
                li.message.staff[m.from_staff] {
                    p.meta {
                        strong { @if m.from_staff { "Équipe WeMaintain" } @else { (m.author.as_deref().unwrap_or("Client")) } }
                        " — " (french_datetime(m.created_at))
                    }
                    p.message-text { (m.body) }
                }
            }
        }
    }
}

fn summary(r: &MaintenanceRequest) -> Markup {
    html! {
        dl.definitions {
            dt { "Statut" } dd { span.badge { (status_label(&r.status)) } }
            dt { "Appareil" } dd { (r.place()) @if r.device_id.is_none() { " (appareil à rattacher)" } }
            dt { "Nature" } dd { (nature_label(&r.nature)) }
            dt { "Urgence" } dd { (urgency_label(&r.urgency)) }
            dt { "Déposée le" } dd { (french_datetime(r.created_at)) }
        }
        h2 { "Description" }
        p.message-text { (r.description) }
    }
}

fn reply_form(action: &str, token: &CsrfToken, value: &str, errors: &FormErrors) -> Markup {
    html! {
        (error_summary(errors, &[("message", "Votre message")]))
        form.form method="post" action=(action) novalidate {
            (csrf_field(token))
            (required_note())
            (textarea("message", "Votre message", value, None, errors))
            button.button type="submit" { "Envoyer" }
        }
    }
}

pub struct RequestPage<'a> {
    pub request: &'a MaintenanceRequest,
    pub messages: &'a [RequestMessage],
    pub message: &'a str,
    pub errors: &'a FormErrors,
    pub notice: Option<&'a str>,
    /// The on-call number, shown on the client's page of an open urgent request.
    pub on_call: Option<&'a EmergencyPhone>,
    /// For staff: who to call, the building's address, the device to
    /// attach (empty for the client).
    pub staff_details: Markup,
    /// The reports that name the request.
    pub reports: &'a [LinkedReport],
}

pub fn client_request(token: &CsrfToken, p: &RequestPage) -> Markup {
    let r = p.request;
    PROFILE.page(
        &format!("Demande de maintenance n° {}", r.id),
        "/profil/demandes",
        html! {
            h1 { "Demande de maintenance n° " (r.id) }
            @if let Some(notice) = p.notice { p.notice role="status" { (notice) } }
            @if r.is_emergency() && r.status().is_open() { (stuck_person_notice(p.on_call)) }
            (summary(r))
            (link_views::for_client(p.reports))
            (thread(p.messages))
            @if r.status().is_open() {
                (reply_form(&format!("/profil/demandes/{}/messages", r.id), token, p.message, p.errors))
            } @else {
                p { "Cette demande est terminée. Pour un nouveau besoin, " a href="/profil/demandes/nouvelle" { "déposez une nouvelle demande" } "." }
            }
        },
    )
}

pub fn staff_request(token: &CsrfToken, p: &RequestPage) -> Markup {
    let r = p.request;
    let next: Vec<(&str, &str)> = r
        .status()
        .next()
        .iter()
        .map(|s| (s.key(), s.label()))
        .collect();
    ADMINISTRATION.page(
        &format!("Demande de maintenance n° {}", r.id),
        "/admin/demandes",
        html! {
            h1 { "Demande de maintenance n° " (r.id) " — " (r.company_name) }
            @if let Some(notice) = p.notice { p.notice role="status" { (notice) } }
            div.prose {
                (summary(r))
                (p.staff_details)
                @if !next.is_empty() {
                    h2 { "Changer le statut" }
                    form.form method="post" action={ "/admin/demandes/" (r.id) "/statut" } {
                        (csrf_field(token))
                        (required_note())
                        input type="hidden" name="depuis" value=(r.status);
                        (select("statut", "Nouveau statut", &next, "", &FormErrors::default()))
                        button.button type="submit" { "Enregistrer le statut" }
                    }
                }
                (link_views::for_staff(r.id, r.status().is_open(), p.reports, token))
                (thread(p.messages))
                (reply_form(&format!("/admin/demandes/{}/messages", r.id), token, p.message, p.errors))
            }
        },
    )
}
