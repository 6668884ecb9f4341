//! The Contrat de Maintenance: reading and signing, the signed contract
//! with its hash, and the verification page.

use crate::views::space::{ADMINISTRATION, PROFILE};
use maud::{html, Markup};

use crate::auth::{CsrfToken, Viewer};
use crate::contract::{Annex, ContractDocument, Signature, ANNEX_NOTE, CURRENT_VERSION};
use crate::views::components::table;
use crate::views::forms::{
    csrf_field, error_summary, field, french_datetime, required_note, Field, FormErrors,
};

pub struct SignPage<'a> {
    /// The contract to sign; `None` when the company has no device yet.
    pub document: Option<&'a ContractDocument>,
    pub fingerprint: &'a str,
    pub signed: Option<&'a Signature>,
    pub name: &'a str,
    pub errors: &'a FormErrors,
}

pub fn contract_page(viewer: &Viewer, token: &CsrfToken, p: &SignPage) -> Markup {
    PROFILE.page(
        "Contrat de maintenance",
        "/profil/contrat",
        viewer,
        token,
        html! {
            h1 { "Contrat de maintenance" }
            @if let Some(signature) = p.signed {
                p.notice role="status" {
                    "La version " (signature.template_version) " a été signée par " (signature.signer_name)
                    " le " (french_datetime(signature.signed_at)) ". "
                    a href={ "/profil/contrat/" (signature.id) } { "Voir et imprimer le contrat signé" }
                }
                p { a href="/profil/contrat/verifier" { "Vérifier l'empreinte des contrats signés" } }
            } @else if let Some(document) = p.document {
                p { "Lisez le contrat ci-dessous. Ses annexes reprennent votre société et les appareils déclarés aujourd'hui ; pour en ajouter, faites-le avant de signer." }
                pre.contract-text { (document.clauses) }
                @for annex in &document.annexes { (annex_table(annex)) }
                (error_summary(p.errors, &[("nom_complet", "Nom et prénom"), ("accepte", "Acceptation"), ("empreinte", "Contrat")]))
                @if let Some(error) = p.errors.get("empreinte") { p.field-error role="alert" { (error) } }
                form.form method="post" action="/profil/contrat/signer" novalidate {
                    (csrf_field(token))
                    (required_note())
                    input type="hidden" name="empreinte" value=(p.fingerprint);
                    (field(Field::text("nom_complet", "Votre nom et prénom, tels qu'ils valent signature", p.name).autocomplete("name"), p.errors))
                    div.check {
                        input #accepte type="checkbox" name="accepte" value="oui";
                        label for="accepte" { "J'ai lu et j'accepte le contrat de maintenance (version " (CURRENT_VERSION) ")" }
                    }
                    @if let Some(error) = p.errors.get("accepte") { p.field-error id="accepte-erreur" { (error) } }
                    button.button type="submit" { "Signer le contrat" }
                }
                p.data-note { "La signature enregistre le texte exact du contrat, son empreinte SHA-256, votre nom, la date, l'heure et votre adresse IP, conservés cinq ans après la fin du contrat pour en garder la preuve. Une signature ne peut plus être modifiée." }
            } @else {
                p { "Déclarez d'abord vos appareils dans " a href="/profil/batiments" { "vos bâtiments" } " : le contrat les reprend." }
            }
        },
    )
}

/// An annex as a table: the client's values as data cells, never as text
/// of the contract. A list (the devices) has a row per record; a single
/// record (the company) a row per field.
fn annex_table(annex: &Annex) -> Markup {
    let caption = format!("Annexe {} — {}", annex.number, annex.title);
    let shown =
        |value: &String| html! { @if value.is_empty() { "non renseigné" } @else { (value) } };
    let (headers, rows): (Vec<&str>, Vec<Vec<Markup>>) = if annex.record_label.is_some() {
        let headers = std::iter::once("N°")
            .chain(annex.fields.iter().copied())
            .collect();
        let rows = annex
            .records
            .iter()
            .enumerate()
            .map(|(n, record)| {
                std::iter::once(html! { (n + 1) })
                    .chain(record.iter().map(shown))
                    .collect()
            })
            .collect();
        (headers, rows)
    } else {
        let rows = annex
            .records
            .iter()
            .flat_map(|record| {
                annex
                    .fields
                    .iter()
                    .zip(record)
                    .map(|(field, value)| vec![html! { (field) }, shown(value)])
            })
            .collect();
        (vec!["Champ", "Valeur déclarée"], rows)
    };
    html! {
        section.contract-annex {
            h2 { (caption) }
            p.data-note { (ANNEX_NOTE) }
            (table(&caption, &headers, &rows))
        }
    }
}

fn signed_body(s: &Signature) -> Markup {
    html! {
        pre.contract-text { (s.text) }
        h2 { "Signature" }
        dl.definitions {
            dt { "Signé par" } dd { (s.signer_name) " (" (s.signer_email) ")" }
            dt { "Le" } dd { (french_datetime(s.signed_at)) }
            dt { "Depuis l'adresse IP" } dd { (s.ip) }
            dt { "Version du modèle" } dd { (s.template_version) }
            dt { "Empreinte SHA-256 du texte" } dd { code.hash { (s.text_sha256) } }
        }
    }
}

pub fn signed_page(viewer: &Viewer, token: &CsrfToken, s: &Signature) -> Markup {
    PROFILE.page(
        "Contrat signé",
        "/profil/contrat",
        viewer,
        token,
        html! {
            article.report {
                h1 { "Contrat de maintenance signé" }
                (signed_body(s))
            }
            p.no-print { "Pour l'imprimer ou l'enregistrer en PDF, utilisez la commande Imprimer de votre navigateur. " a href="/profil/contrat/verifier" { "Vérifier l'empreinte" } }
        },
    )
}

fn verification_rows(signatures: &[Signature], base: &str) -> Vec<Vec<Markup>> {
    signatures
        .iter()
        .map(|s| {
            vec![
                html! { a href={ (base) (s.id) } { "Version " (s.template_version) } },
                html! { (french_datetime(s.signed_at)) },
                html! { code.hash { (s.text_sha256) } },
                html! { code.hash { (crate::contract::sha256(&s.text)) } },
                html! { @if s.verifies() { strong { "Conforme" } } @else { strong.field-error { "Non conforme" } } },
            ]
        })
        .collect()
}

pub fn verify_page(viewer: &Viewer, token: &CsrfToken, signatures: &[Signature]) -> Markup {
    PROFILE.page(
        "Vérifier un contrat signé",
        "/profil/contrat",
        viewer,
        token,
        html! {
            h1 { "Vérifier les contrats signés" }
            p { "Pour chaque contrat signé, l'empreinte SHA-256 est recalculée à partir du texte conservé et comparée à celle enregistrée au moment de la signature. Vous pouvez aussi la recalculer vous-même sur le texte imprimé (par exemple avec " code { "sha256sum" } ")." }
            @if signatures.is_empty() { p { "Aucun contrat signé." } }
            @else { (table("Contrats signés", &["Contrat", "Signé le", "Empreinte enregistrée", "Empreinte recalculée", "Résultat"], &verification_rows(signatures, "/profil/contrat/"))) }
        },
    )
}

pub fn staff_list(viewer: &Viewer, token: &CsrfToken, signatures: &[Signature]) -> Markup {
    let rows: Vec<Vec<Markup>> = signatures
        .iter()
        .map(|s| {
            vec![
                html! { a href={ "/admin/contrats/" (s.id) } { "N° " (s.id) } },
                html! { "Société " (s.company_id) },
                html! { (s.signer_name) },
                html! { (french_datetime(s.signed_at)) },
                html! { @if s.verifies() { "Conforme" } @else { "Non conforme" } },
            ]
        })
        .collect();
    ADMINISTRATION.page(
        "Contrats signés",
        "/admin/contrats",
        viewer,
        token,
        html! {
            h1 { "Contrats signés" }
            @if signatures.is_empty() { p { "Aucun contrat signé." } }
            @else { (table("Contrats signés, les plus récents en premier", &["Contrat", "Société", "Signataire", "Signé le", "Empreinte"], &rows)) }
        },
    )
}

pub fn staff_signed(viewer: &Viewer, token: &CsrfToken, s: &Signature) -> Markup {
    ADMINISTRATION.page(
        "Contrat signé",
        "/admin/contrats",
        viewer,
        token,
        html! { h1 { "Contrat signé n° " (s.id) } (signed_body(s)) },
    )
}
