//! Demandes de Maintenance: the client's list, form and thread, and the
//! staff's list and handling page.

use crate::views::space::{ADMINISTRATION, PROFILE};
use maud::{html, Markup};

use crate::auth::{CsrfToken, Viewer};
use crate::db::pagination::Paged;
use crate::maintenance::forms::RequestForm;
use crate::maintenance::{MaintenanceRequest, Nature, RequestMessage, RequestStatus, Urgency};
use crate::views::components::{pagination, table};
use crate::views::forms::{
    csrf_field, error_summary, french_datetime, options, required_note, select, textarea,
    FormErrors,
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

fn rows(requests: &[MaintenanceRequest], base: &str, with_company: bool) -> Vec<Vec<Markup>> {
    requests
        .iter()
        .map(|r| {
            let mut row = vec![
                html! { a href={ (base) (r.id) } { "N° " (r.id) } },
                html! { (french_datetime(r.created_at)) },
            ];
            if with_company {
                row.push(html! { (r.company_name) });
            }
            row.extend([
                html! { (r.building_name) br; (r.device_location) },
                html! { (nature_label(&r.nature)) br; (urgency_label(&r.urgency)) },
                html! { span.badge { (status_label(&r.status)) } },
            ]);
            row
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

pub fn client_list(
    viewer: &Viewer,
    token: &CsrfToken,
    list: &Paged<MaintenanceRequest>,
    open: bool,
) -> Markup {
    PROFILE.page(
        "Demandes de maintenance",
        "/profil/demandes",
        viewer,
        token,
        html! {
            h1 { "Demandes de maintenance" }
            p.actions { a.button href="/profil/demandes/nouvelle" { "Nouvelle demande" } }
            (switch("/profil/demandes", open))
            @if list.items.is_empty() { p { "Aucune demande." } }
            @else {
                (table(&format!("{} demande(s)", list.total), &["Demande", "Déposée le", "Appareil", "Nature", "Statut"], &rows(&list.items, "/profil/demandes/", false)))
                (pagination(list.page, list.pages, |p| format!("/profil/demandes?page={p}{}", if open { "" } else { "&closes=1" })))
            }
        },
    )
}

pub fn request_form_page(
    viewer: &Viewer,
    token: &CsrfToken,
    devices: &[(i64, String)],
    form: &RequestForm,
    errors: &FormErrors,
) -> Markup {
    let device_options: Vec<(String, &str)> = devices
        .iter()
        .map(|(id, name)| (id.to_string(), name.as_str()))
        .collect();
    let device_options: Vec<(&str, &str)> = device_options
        .iter()
        .map(|(id, name)| (id.as_str(), *name))
        .collect();
    let natures = options(Nature::ALL, Nature::key, Nature::label);
    let urgencies = options(Urgency::ALL, Urgency::key, Urgency::label);
    PROFILE.page(
        "Nouvelle demande de maintenance",
        "/profil/demandes",
        viewer,
        token,
        html! {
            h1 { "Nouvelle demande de maintenance" }
            @if devices.is_empty() {
                p { "Déclarez d'abord vos appareils dans " a href="/profil/batiments" { "vos bâtiments" } "." }
            } @else {
                p.notice { "Une personne est bloquée dans un appareil ? Appelez aussi notre astreinte : la demande en ligne ne remplace pas l'appel d'urgence." }
                (error_summary(errors, RequestForm::LABELS))
                form.form method="post" action="/profil/demandes/nouvelle" novalidate {
                    (csrf_field(token))
                    (required_note())
                    (select("appareil", "Appareil", &device_options, &form.device, errors))
                    (select("nature", "Nature de la demande", &natures, &form.nature, errors))
                    (select("urgence", "Urgence", &urgencies, &form.urgency, errors))
                    (textarea("description", "Description", &form.description, Some("Ce que vous constatez, depuis quand, ce qui a été tenté."), errors))
                    button.button type="submit" { "Envoyer la demande" }
                }
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
            dt { "Appareil" } dd { (r.building_name) " — " (r.device_location) }
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
        form.form method="post" action=(action) {
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
}

pub fn client_request(viewer: &Viewer, token: &CsrfToken, p: &RequestPage) -> Markup {
    let r = p.request;
    PROFILE.page(
        &format!("Demande de maintenance n° {}", r.id),
        "/profil/demandes",
        viewer,
        token,
        html! {
            h1 { "Demande de maintenance n° " (r.id) }
            @if let Some(notice) = p.notice { p.notice role="status" { (notice) } }
            (summary(r))
            (thread(p.messages))
            @if r.status().is_open() {
                (reply_form(&format!("/profil/demandes/{}/messages", r.id), token, p.message, p.errors))
            } @else {
                p { "Cette demande est terminée. Pour un nouveau besoin, " a href="/profil/demandes/nouvelle" { "déposez une nouvelle demande" } "." }
            }
        },
    )
}

pub fn staff_list(
    viewer: &Viewer,
    token: &CsrfToken,
    list: &Paged<MaintenanceRequest>,
    open: bool,
) -> Markup {
    ADMINISTRATION.page(
        "Demandes de maintenance",
        "/admin/demandes",
        viewer,
        token,
        html! {
            h1 { "Demandes de maintenance" }
            (switch("/admin/demandes", open))
            @if list.items.is_empty() { p { "Aucune demande." } }
            @else {
                (table(&format!("{} demande(s)", list.total), &["Demande", "Déposée le", "Société", "Appareil", "Nature", "Statut"], &rows(&list.items, "/admin/demandes/", true)))
                (pagination(list.page, list.pages, |p| format!("/admin/demandes?page={p}{}", if open { "" } else { "&closes=1" })))
            }
        },
    )
}

pub fn staff_request(viewer: &Viewer, token: &CsrfToken, p: &RequestPage) -> Markup {
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
        viewer,
        token,
        html! {
            h1 { "Demande de maintenance n° " (r.id) " — " (r.company_name) }
            @if let Some(notice) = p.notice { p.notice role="status" { (notice) } }
            div.prose {
                (summary(r))
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
                (thread(p.messages))
                (reply_form(&format!("/admin/demandes/{}/messages", r.id), token, p.message, p.errors))
            }
        },
    )
}
