//! `/profil/batiments`: the company's buildings and their devices.

use crate::views::space::PROFILE;
use crate::views::typography::plural;
use maud::{html, Markup};

use crate::auth::CsrfToken;
use crate::buildings::forms::{BuildingForm, DeviceForm};
use crate::buildings::{Building, BuildingOrder, Device};
use crate::db::pagination::Paged;
use crate::domain::{Country, DeviceKind, DeviceStatus};
use crate::views::components::{pagination, table};
use crate::views::forms::{
    csrf_field, error_summary, field, french_date, options, required_note, select, Field,
    FormErrors,
};

fn country_name(code: &str) -> &'static str {
    Country::parse(code).map(|c| c.name()).unwrap_or("—")
}

pub fn kind_label(key: &str) -> &'static str {
    DeviceKind::parse(key).map(|k| k.label()).unwrap_or("—")
}

pub fn status_label(key: &str) -> &'static str {
    DeviceStatus::parse(key).map(|s| s.label()).unwrap_or("—")
}

pub fn buildings_page(
    list: &Paged<Building>,
    archived: bool,
    order: BuildingOrder,
    notice: Option<&str>,
) -> Markup {
    let archived_key = if archived { "&archives=1" } else { "" };
    let rows: Vec<Vec<Markup>> = list
        .items
        .iter()
        .map(|b| {
            vec![
                html! { a href={ "/profil/batiments/" (b.id) } { (b.name) } },
                html! { (b.address) br; (b.postal_code) " " (b.city) },
                html! { (b.devices) },
                html! { (french_date(b.created_at)) },
            ]
        })
        .collect();
    let title = if archived {
        "Bâtiments archivés"
    } else {
        "Bâtiments"
    };
    let title = match list.pages {
        0 | 1 => title.to_owned(),
        pages => format!("{title} (page {} sur {pages})", list.page),
    };
    PROFILE.page(
        &title,
        "/profil/batiments",
        html! {
            h1 { @if archived { "Bâtiments archivés" } @else { "Bâtiments" } }
            @if let Some(notice) = notice { p.notice role="status" { (notice) } }
            p.actions {
                @if !archived { a.button href="/profil/batiments/nouveau" { "Ajouter un bâtiment" } }
                @if archived { a.button.secondary href="/profil/batiments" { "Voir les bâtiments en service" } }
                @else { a.button.secondary href="/profil/batiments?archives=1" { "Voir les bâtiments archivés" } }
            }
            p {
                "Trier par : "
                @for (i, o) in BuildingOrder::ALL.iter().enumerate() {
                    @if i > 0 { " · " }
                    @if *o == order { strong { (o.label()) } }
                    @else { a href={ "/profil/batiments?tri=" (o.key()) (archived_key) } { (o.label()) } }
                }
            }
            @if list.items.is_empty() {
                p { @if archived { "Aucun bâtiment archivé." } @else { "Aucun bâtiment pour le moment. Ajoutez le premier pour y déclarer vos appareils." } }
            } @else {
                (table(&plural(list.total, "bâtiment", "bâtiments"), &["Bâtiment", "Adresse", "Appareils", "Ajouté le"], &rows))
                (pagination(list.page, list.pages, |p| format!("/profil/batiments?tri={}{archived_key}&page={p}", order.key())))
            }
        },
    )
}

/// The form of a new building (`editing` `None`) or of the building
/// `editing`.
pub fn building_form_page(
    token: &CsrfToken,
    editing: Option<i64>,
    form: &BuildingForm,
    errors: &FormErrors,
) -> Markup {
    let (action, title) = match editing {
        None => (
            "/profil/batiments/nouveau".to_owned(),
            "Ajouter un bâtiment",
        ),
        Some(id) => (
            format!("/profil/batiments/{id}/modifier"),
            "Modifier le bâtiment",
        ),
    };
    let countries = options(&Country::ALL, Country::code, Country::name);
    let pays = if form.country.is_empty() {
        "FR"
    } else {
        form.country.as_str()
    };
    PROFILE.page(
        title,
        "/profil/batiments",
        html! {
            h1 { (title) }
            (error_summary(errors, BuildingForm::LABELS))
            form.form method="post" action=(action) novalidate {
                (csrf_field(token))
                (required_note())
                (field(Field::text("nom", "Nom du bâtiment", &form.name).hint("Par exemple : Résidence Les Tilleuls, bâtiment A."), errors))
                (field(Field::text("adresse", "Adresse", &form.address).autocomplete("address-line1"), errors))
                (field(Field::text("code_postal", "Code postal", &form.postal_code).autocomplete("postal-code"), errors))
                (field(Field::text("ville", "Ville", &form.city).autocomplete("address-level2"), errors))
                (select("pays", "Pays", &countries, pays, errors))
                button.button type="submit" { "Enregistrer" }
            }
        },
    )
}

pub fn building_page(
    token: &CsrfToken,
    b: &Building,
    devices: &[Device],
    notice: Option<&str>,
) -> Markup {
    let rows: Vec<Vec<Markup>> = devices
        .iter()
        .map(|d| {
            vec![
                html! { (kind_label(&d.kind)) },
                html! { (d.location) },
                html! { (d.brand.as_deref().unwrap_or("—")) @if let Some(serial) = &d.serial_number { br; "N° " (serial) } },
                html! { (d.commissioned_year.map(|y| y.to_string()).unwrap_or_else(|| "—".into())) },
                html! { (status_label(&d.status)) },
                html! { @if b.archived_at.is_none() {
                    a href={ "/profil/appareils/" (d.id) "/modifier" } { "Modifier" } " · "
                    a href={ "/profil/demandes/nouvelle?appareil=" (d.id) } { "Demander une intervention" }
                } },
            ]
        })
        .collect();
    PROFILE.page(
        &b.name,
        "/profil/batiments",
        html! {
            h1 { (b.name) }
            @if let Some(notice) = notice { p.notice role="status" { (notice) } }
            p { (b.address) br; (b.postal_code) " " (b.city) br; (country_name(&b.country)) }
            @if let Some(at) = b.archived_at { p.notice { "Bâtiment archivé le " (french_date(at)) "." } }
            p.actions {
                @if b.archived_at.is_none() {
                    a.button href={ "/profil/batiments/" (b.id) "/appareils/nouveau" } { "Ajouter un appareil" }
                    a.button.secondary href={ "/profil/batiments/" (b.id) "/modifier" } { "Modifier le bâtiment" }
                }
                form.inline-form method="post" action={ "/profil/batiments/" (b.id) "/archive" } {
                    (csrf_field(token))
                    @if b.archived_at.is_none() {
                        input type="hidden" name="archive" value="oui";
                        button.button.secondary type="submit" { "Archiver" }
                    } @else {
                        input type="hidden" name="archive" value="non";
                        button.button.secondary type="submit" { "Remettre en service" }
                    }
                }
            }
            h2 { "Appareils" }
            @if devices.is_empty() { p { "Aucun appareil déclaré dans ce bâtiment." } }
            @else { (table("Appareils du bâtiment", &["Type", "Emplacement", "Marque", "Mise en service", "État", "Actions"], &rows)) }
        },
    )
}

/// The form of a new device of `building` (`editing` `None`) or of its
/// device `editing`.
pub fn device_form_page(
    token: &CsrfToken,
    building: &Building,
    editing: Option<i64>,
    form: &DeviceForm,
    errors: &FormErrors,
) -> Markup {
    let (action, title) = match editing {
        None => (
            format!("/profil/batiments/{}/appareils/nouveau", building.id),
            "Ajouter un appareil",
        ),
        Some(id) => (
            format!("/profil/appareils/{id}/modifier"),
            "Modifier l'appareil",
        ),
    };
    let kinds = options(&DeviceKind::ALL, DeviceKind::key, DeviceKind::label);
    let statuses = options(&DeviceStatus::ALL, DeviceStatus::key, DeviceStatus::label);
    let etat = if form.status.is_empty() && errors.is_empty() {
        "en_service"
    } else {
        form.status.as_str()
    };
    PROFILE.page(
        title,
        "/profil/batiments",
        html! {
            h1 { (title) }
            p { "Bâtiment : " a href={ "/profil/batiments/" (building.id) } { (building.name) } }
            (error_summary(errors, DeviceForm::LABELS))
            form.form method="post" action=(action) novalidate {
                (csrf_field(token))
                (required_note())
                (select("type_appareil", "Type d'appareil", &kinds, &form.kind, errors))
                (field(Field::text("emplacement", "Emplacement dans le bâtiment", &form.location).hint("Escalier, aile, étages desservis : par exemple « Escalier B, du rez-de-chaussée au 6e »."), errors))
                (field(Field::text("marque", "Marque", &form.brand).optional(), errors))
                (field(Field::text("numero_serie", "Numéro de série", &form.serial_number).optional(), errors))
                (field(Field::text("annee", "Année de mise en service", &form.year).kind("number").optional(), errors))
                (select("etat", "État", &statuses, etat, errors))
                button.button type="submit" { "Enregistrer" }
            }
        },
    )
}
