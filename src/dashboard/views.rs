//! `/profil`: the Utilisateur's own space.

use crate::views::layout::space_layout;
use crate::views::space::PROFILE;
use maud::{html, Markup};

use crate::accounts::views::no_company::no_company_notice;
use crate::accounts::Profile;
use crate::dashboard::Dashboard;
use crate::domain::{Civility, CompanyKind, Country, Phone};
use crate::information_reports::views::prestation_label;
use crate::maintenance::views::status_label as request_status;
use crate::views::forms::french_date;
use crate::views::Page;

pub fn profile_page(profile: &Profile, dashboard: Option<&Dashboard>) -> Markup {
    let page = Page {
        title: "Mon espace client",
        description: "Votre espace client WeMaintain.",
        path: "/profil",
    };
    let civility = profile
        .civility
        .as_deref()
        .and_then(|c| Civility::parse(c).ok())
        .map(|c| c.label())
        .unwrap_or("—");
    let kind = profile
        .company_kind
        .as_deref()
        .and_then(|k| CompanyKind::parse(k).ok())
        .map(|k| k.label())
        .unwrap_or("—");
    let country = profile
        .country
        .as_deref()
        .and_then(|c| Country::parse(c).ok())
        .map(|c| c.name())
        .unwrap_or("—");
    let phone = profile
        .phone
        .clone()
        .map(|p| Phone::from_stored(p).display_international())
        .unwrap_or_else(|| "—".into());
    let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    space_layout(
        &page,
        &PROFILE,
        html! {
            section.section { div.wrap.prose {
                h1 { "Bonjour " (profile.first_name) }
                p { "Votre compte est ouvert depuis le " (french_date(profile.created_at)) "." }
                @if let Some(d) = dashboard { (overview(d)) } @else { (no_company_notice()) }
                h2 { "Vous" }
                dl.definitions {
                    dt { "Civilité" } dd { (civility) }
                    dt { "Nom" } dd { (profile.first_name) " " (profile.last_name) }
                    dt { "Rôle dans la société" } dd { (dash(&profile.job_title)) }
                    dt { "Adresse e-mail" } dd { (profile.email) }
                    dt { "Téléphone" } dd { (phone) }
                }
                h2 { "Votre société" }
                @if profile.company_name.is_none() {
                    p { "Aucune pour l'instant : voir plus haut comment rattacher votre compte." }
                } @else { dl.definitions {
                    dt { "Nom" } dd { (dash(&profile.company_name)) }
                    dt { "Type" } dd { (kind) }
                    dt { "Adresse" } dd {
                        (dash(&profile.address))
                        @if let Some(extra) = &profile.address_extra { br; (extra) }
                        br; (dash(&profile.postal_code)) " " (dash(&profile.city)) br; (country)
                    }
                } }
                h2 { "Sécurité" }
                p { a href="/compte/mot-de-passe" { "Changer mon mot de passe" } }
                h2 { "Vos données personnelles" }
                p { a href="/profil/donnees" { "Consulter, télécharger, corriger ou effacer mes données" } }
            } }
        },
    )
}

/// What the company has, what is going on, what waits for the client.
fn overview(d: &Dashboard) -> Markup {
    html! {
        @if !d.awaiting_answer.is_empty() {
            div.notice role="status" {
                p { strong { "À traiter : " } "l'équipe WeMaintain attend votre réponse sur "
                    @for (i, id) in d.awaiting_answer.iter().enumerate() {
                        @if i > 0 { ", " }
                        a href={ "/profil/demandes/" (id) } { "la demande n° " (id) }
                    }
                    "."
                }
            }
        }
        @if d.contract.is_none() && d.devices > 0 {
            div.notice role="status" {
                p { strong { "À faire : " } "votre contrat de maintenance n'est pas encore signé. " a href="/profil/contrat" { "Lire et signer le contrat" } }
            }
        }
        ul.cards.figures {
            li.card { h2 { "Bâtiments" } p.figure { (d.buildings) } p { a href="/profil/batiments" { "Gérer les bâtiments et les appareils" } } }
            li.card { h2 { "Appareils" } p.figure { (d.devices) } p { a href="/profil/demandes/nouvelle" { "Demander une intervention" } } }
            li.card { h2 { "Demandes en cours" } p.figure { (d.open_requests.total) } p { a href="/profil/demandes" { "Suivre les demandes" } } }
        }
        @if !d.open_requests.items.is_empty() {
            h2 { "Demandes en cours" }
            ul {
                @for r in d.open_requests.items.iter().take(5) {
                    li { a href={ "/profil/demandes/" (r.id) } { "N° " (r.id) } " — " (r.place()) " : " strong { (request_status(&r.status)) } }
                }
            }
        }
        h2 { "Contrat de maintenance" }
        @if let Some(signature) = &d.contract {
            p { "Signé par " (signature.signer_name) " le " (crate::views::forms::french_date(signature.signed_at)) ". " a href={ "/profil/contrat/" (signature.id) } { "Voir le contrat signé" } }
        } @else {
            p { "Pas encore signé. " a href="/profil/contrat" { "Voir le contrat" } }
        }
        h2 { "Derniers rapports d'intervention" }
        @if d.latest_reports.is_empty() { p { "Aucun rapport pour le moment." } }
        @else {
            ul {
                @for r in &d.latest_reports {
                    li { a href={ "/profil/rapports/" (r.id) } { (r.performed_on().format("%d/%m/%Y")) } " — " (prestation_label(&r.kind)) ", " (r.building_name) }
                }
            }
            p { a href="/profil/rapports" { "Tous les rapports" } }
        }
    }
}
