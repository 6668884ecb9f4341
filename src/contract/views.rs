//! The Contrat de Maintenance: reading and signing, the signed contract
//! with its hash, and the verification page.

use crate::views::space::{ADMINISTRATION, PROFILE};
use maud::{html, Markup};

use crate::auth::CsrfToken;
use crate::contract::printable::{annex_table, signed_contract};
use crate::contract::{ContractDocument, Signature, CURRENT_VERSION};
use crate::views::components::table;
use crate::views::forms::{
    csrf_field, error_summary, field, french_datetime, required_note, Field, FormErrors,
};
use crate::views::layout::CONTACT_EMAIL;

pub struct SignPage<'a> {
    /// The contract to sign; `None` when the company has no device yet.
    pub document: Option<&'a ContractDocument>,
    pub fingerprint: &'a str,
    pub signed: Option<&'a Signature>,
    pub name: &'a str,
    pub errors: &'a FormErrors,
}

pub fn contract_page(token: &CsrfToken, p: &SignPage) -> Markup {
    PROFILE.page(
        "Contrat de maintenance",
        "/profil/contrat",
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
                    (field(Field::text("nom_complet", "Vos nom et prénom (valant signature)", p.name).autocomplete("name"), p.errors))
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

/// The exact text signed, for those who want to check it by hand.
fn exact_text(s: &Signature) -> Markup {
    html! {
        details.technical.no-print {
            summary { "Texte exact signé (celui dont l'empreinte est calculée)" }
            pre.contract-text { (s.text) }
        }
    }
}

pub fn signed_page(s: &Signature) -> Markup {
    PROFILE.page(
        &format!("Contrat de maintenance n° {} signé", s.id),
        "/profil/contrat",
        html! {
            (signed_contract(s))
            p.no-print {
                a href="/profil/contrat/verifier" { "Vérifier que ce contrat n'a pas été modifié" }
                " · "
                a href={ "/profil/contrat/" (s.id) "/texte" } { "Télécharger le texte signé (.txt)" }
            }
            (exact_text(s))
        },
    )
}

fn verification_rows(signatures: &[Signature], base: &str) -> Vec<Vec<Markup>> {
    signatures
        .iter()
        .map(|s| {
            vec![
                html! { a href={ (base) (s.id) } { "Contrat n° " (s.id) " (version " (s.template_version) ")" } },
                html! { (french_datetime(s.signed_at)) " par " (s.signer_name) },
                html! { @if s.verifies() { strong { "Conforme" } } @else { strong.field-error { "Non conforme" } } },
            ]
        })
        .collect()
}

fn fingerprint_rows(signatures: &[Signature], base: &str) -> Vec<Vec<Markup>> {
    signatures
        .iter()
        .map(|s| {
            vec![
                html! { a href={ (base) (s.id) "/texte" } { "contrat-wemaintain-" (s.id) ".txt" } },
                html! { code.hash { (s.text_sha256) } },
                html! { code.hash { (crate::contract::sha256(&s.text)) } },
            ]
        })
        .collect()
}

/// What the check proves and what to do, before any technical word.
fn verification_explained() -> Markup {
    html! {
        p { "Cette page vérifie que chaque contrat signé par votre société est resté exactement tel qu'il a été signé : pas un mot, pas un appareil, pas un chiffre n'a changé depuis." }
        ul {
            li { strong { "Conforme" } " : le contrat conservé par WeMaintain est, à la lettre, celui qui a été signé. Vous pouvez vous y fier." }
            li { "S'il n'est pas conforme, le texte conservé ou son empreinte ont été modifiés après la signature : ne vous fiez pas à cette copie et écrivez-nous à " a href={ "mailto:" (CONTACT_EMAIL) } { (CONTACT_EMAIL) } " en citant le numéro du contrat." }
        }
        p { "Gardez une copie de chaque contrat signé : ouvrez-le, puis imprimez-le ou enregistrez-le en PDF." }
    }
}

/// The fingerprints and how to recompute one by hand.
fn technical_details(signatures: &[Signature]) -> Markup {
    html! {
        details.technical {
            summary { h2 { "Détails techniques" } }
            p { "Au moment de la signature, WeMaintain a calculé l'empreinte SHA-256 du texte exact du contrat : une suite de 64 caractères qui change entièrement si une seule lettre du texte change. La vérification recalcule cette empreinte sur le texte conservé et la compare à celle enregistrée." }
            (table("Empreintes des contrats signés", &["Texte signé", "Empreinte enregistrée", "Empreinte recalculée"], &fingerprint_rows(signatures, "/profil/contrat/")))
            h3 { "La recalculer vous-même" }
            ol {
                li { "Téléchargez le texte signé (lien ci-dessus)." }
                li { "Calculez son empreinte : " code { "sha256sum contrat-wemaintain-N.txt" } " sous Linux, " code { "shasum -a 256 contrat-wemaintain-N.txt" } " sur Mac, " code { "Get-FileHash contrat-wemaintain-N.txt -Algorithm SHA256" } " dans PowerShell sous Windows." }
                li { "Comparez : les 64 caractères doivent être ceux de l'empreinte enregistrée (les majuscules et minuscules ne comptent pas)." }
            }
        }
    }
}

pub fn verify_page(signatures: &[Signature]) -> Markup {
    PROFILE.page(
        "Vérifier un contrat signé",
        "/profil/contrat",
        html! {
            h1 { "Vérifier les contrats signés" }
            (verification_explained())
            @if signatures.is_empty() { p { "Aucun contrat signé." } }
            @else {
                (table("Contrats signés", &["Contrat", "Signé", "Résultat"], &verification_rows(signatures, "/profil/contrat/")))
                (technical_details(signatures))
            }
        },
    )
}

pub fn staff_list(signatures: &[Signature]) -> Markup {
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
        html! {
            h1 { "Contrats signés" }
            @if signatures.is_empty() { p { "Aucun contrat signé." } }
            @else { (table("Contrats signés, les plus récents en premier", &["Contrat", "Société", "Signataire", "Signé le", "Empreinte"], &rows)) }
        },
    )
}

pub fn staff_signed(s: &Signature) -> Markup {
    ADMINISTRATION.page(
        &format!("Contrat signé n° {}", s.id),
        "/admin/contrats",
        html! { (signed_contract(s)) (exact_text(s)) },
    )
}
