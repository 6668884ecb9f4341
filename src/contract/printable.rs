//! The signed contract as a document a manager can file: the parties, the
//! numbered articles, the annexes as tables, the date and the signer, laid
//! out to print on paper or to PDF from the browser (the stylesheet's
//! `@media print` hides the site around it). Everything shown comes from
//! the text kept at signature, read by [`super::reading`].

use maud::{html, Markup};

use crate::contract::reading::{read, SignedDocument};
use crate::contract::{Annex, Signature, ANNEX_NOTE};
use crate::paris::long_date_time_text;
use crate::views::components::table;
use crate::views::layout::{CONTACT_EMAIL, POSTAL_ADDRESS};

/// The whole signed contract, as one `article`.
pub fn signed_contract(s: &Signature) -> Markup {
    let document = read(&s.text);
    html! {
        article.contract {
            h1 { "Contrat de maintenance" }
            p.contract-version { "Contrat n° " (s.id) " — modèle version " (s.template_version) }
            (print_hint())
            (parties(&document))
            @for (n, article) in document.articles.iter().enumerate() {
                section.contract-article aria-labelledby={ "article-" (n + 1) } {
                    h2 id={ "article-" (n + 1) } { (article.heading) }
                    @for paragraph in &article.paragraphs { (lines(paragraph)) }
                }
            }
            @for annex in &document.annexes { (annex_table(annex)) }
            (signature_block(s))
        }
    }
}

/// How to print or keep a PDF: the browser's own print, no script.
pub fn print_hint() -> Markup {
    html! {
        p.print-hint.no-print {
            strong { "Imprimer ou enregistrer en PDF : " }
            "utilisez la commande Imprimer de votre navigateur (Ctrl + P, ou ⌘ + P sur Mac ; "
            "sur un téléphone, le menu Partager ou ⋮ puis Imprimer), puis choisissez "
            "« Enregistrer au format PDF » comme imprimante. Les menus du site ne sont pas imprimés."
        }
    }
}

/// WeMaintain and the client, then the opening lines of the text as signed.
fn parties(document: &SignedDocument) -> Markup {
    let client = document.client();
    html! {
        section.contract-parties aria-labelledby="parties" {
            h2 #parties { "Entre les parties" }
            div.parties {
                section.party {
                    h3 { "WeMaintain" }
                    p {
                        @for line in POSTAL_ADDRESS { (line) br; }
                        (CONTACT_EMAIL)
                    }
                    p.party-role { "ci-après « WeMaintain »" }
                }
                section.party {
                    h3 { "Le Client" }
                    @if client.is_empty() {
                        p { "Désigné dans le préambule ci-dessous." }
                    } @else {
                        dl.definitions {
                            @for (field, value) in &client {
                                dt { (field) }
                                dd { @if value.is_empty() { "non renseigné" } @else { (value) } }
                            }
                        }
                        p.data-note { "Tel que déclaré par le Client (annexe 1)." }
                    }
                    p.party-role { "ci-après « le Client »" }
                }
            }
            @for paragraph in &document.preamble { (lines(paragraph)) }
        }
    }
}

/// A paragraph of the signed text, its line breaks kept.
fn lines(paragraph: &str) -> Markup {
    html! {
        p {
            @for (n, line) in paragraph.lines().enumerate() {
                @if n > 0 { br; }
                (line)
            }
        }
    }
}

fn signature_block(s: &Signature) -> Markup {
    html! {
        section.contract-signature aria-labelledby="signature" {
            h2 #signature { "Signature" }
            p.signed-line {
                "Signé électroniquement le " (long_date_time_text(s.signed_at))
                " par " (s.signer_name) " (" (s.signer_email) ")."
            }
            dl.definitions {
                dt { "Adresse IP de la signature" } dd { (s.ip) }
                dt { "Empreinte SHA-256 du texte signé" } dd { code.hash { (s.text_sha256) } }
            }
            p.data-note {
                "WeMaintain conserve le texte exact signé, son empreinte, le nom du signataire, "
                "la date, l'heure et l'adresse IP comme preuve de la signature, cinq ans après la fin "
                "du contrat. Une signature ne peut plus être modifiée."
            }
        }
    }
}

/// An annex as a table: the client's values as data cells, never as text
/// of the contract. A list (the devices) has a row per record; a single
/// record (the company) a row per field.
pub fn annex_table(annex: &Annex) -> Markup {
    let caption = format!("Annexe {} — {}", annex.number, annex.title);
    let shown =
        |value: &String| html! { @if value.is_empty() { "non renseigné" } @else { (value) } };
    let (headers, rows): (Vec<&str>, Vec<Vec<Markup>>) = if annex.record_label.is_some() {
        let headers = std::iter::once("N°")
            .chain(annex.fields.iter().map(String::as_str))
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
