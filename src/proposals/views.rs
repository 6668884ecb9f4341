//! Demandes de proposition commerciale: the client's form and list, the
//! staff's list and answer.

use crate::views::space::{ADMINISTRATION, PROFILE};
use crate::views::typography::plural;
use maud::{html, Markup};

use crate::auth::CsrfToken;
use crate::buildings::views::kind_label;
use crate::db::pagination::Paged;
use crate::proposals::forms::ProposalForm;
use crate::proposals::Proposal;
use crate::views::components::{pagination, table};
use crate::views::forms::{
    csrf_field, error_summary, field, french_datetime, required_note, text_area, textarea, Field,
    FormErrors, TextArea,
};

fn status(p: &Proposal) -> &'static str {
    if p.status == "repondue" {
        "Répondue"
    } else {
        "En attente de réponse"
    }
}

fn rows(list: &[Proposal], base: &str, with_company: bool) -> Vec<Vec<Markup>> {
    list.iter()
        .map(|p| {
            let mut row = vec![
                html! { a href={ (base) (p.id) } { "N° " (p.id) } },
                html! { (french_datetime(p.created_at)) },
            ];
            if with_company {
                row.push(html! { (p.company_name) });
            }
            row.push(html! { @if p.previsit { "Oui" } @else { "Non" } });
            row.push(html! { span.badge { (status(p)) } });
            row
        })
        .collect()
}

pub fn client_list(list: &Paged<Proposal>) -> Markup {
    PROFILE.page(
        "Propositions commerciales",
        "/profil/propositions",
        html! {
            h1 { "Demandes de proposition commerciale" }
            p.actions { a.button href="/profil/propositions/nouvelle" { "Demander une proposition" } }
            @if list.items.is_empty() { p { "Aucune demande." } }
            @else {
                (table(&plural(list.total, "demande", "demandes"), &["Demande", "Envoyée le", "Pré-visite", "Statut"], &rows(&list.items, "/profil/propositions/", false)))
                (pagination(list.page, list.pages, |p| format!("/profil/propositions?page={p}")))
            }
        },
    )
}

pub fn form_page(
    token: &CsrfToken,
    devices: &[(i64, String)],
    form: &ProposalForm,
    errors: &FormErrors,
) -> Markup {
    PROFILE.page(
        "Demander une proposition",
        "/profil/propositions",
        html! {
            h1 { "Demander une proposition commerciale" }
            @if devices.is_empty() {
                p { "Déclarez d'abord vos appareils dans " a href="/profil/batiments" { "vos bâtiments" } "." }
            } @else {
                (error_summary(errors, ProposalForm::LABELS))
                form.form method="post" action="/profil/propositions/nouvelle" novalidate {
                    (csrf_field(token))
                    (required_note())
                    fieldset #appareils {
                        legend { "Appareils concernés " span.required-mark aria-hidden="true" { "*" } }
                        @if let Some(error) = errors.get("appareils") { p.field-error id="appareils-erreur" { (error) } }
                        @for (id, name) in devices {
                            @let value = id.to_string();
                            div.check {
                                input type="checkbox" id={ "appareil-" (id) } name="appareils" value=(value) checked[form.devices.contains(&value)];
                                label for={ "appareil-" (id) } { (name) }
                            }
                        }
                    }
                    div.check {
                        input #pre_visite type="checkbox" name="pre_visite" value="oui" checked[form.previsit];
                        label for="pre_visite" { "Je souhaite une pré-visite d'un technicien" }
                    }
                    (field(Field::text("dates", "Dates souhaitées pour la pré-visite", &form.preferred_dates).optional().hint("Par exemple : semaine du 16 mars, le matin. Obligatoire si vous demandez une pré-visite."), errors))
                    (text_area(TextArea::new("message", "Précisions", &form.message).hint("Ce que nous devons savoir pour préparer la proposition.").optional(), errors))
                    button.button type="submit" { "Envoyer la demande" }
                }
            }
        },
    )
}

fn details(p: &Proposal, devices: &[(String, String, String)]) -> Markup {
    html! {
        dl.definitions {
            dt { "Statut" } dd { span.badge { (status(p)) } }
            dt { "Envoyée le" } dd { (french_datetime(p.created_at)) }
            dt { "Pré-visite" } dd { @if p.previsit { "Oui : " (p.preferred_dates.as_deref().unwrap_or("")) } @else { "Non" } }
        }
        h2 { "Appareils" }
        ul { @for (building, kind, location) in devices { li { (building) " — " (kind_label(kind)) ", " (location) } } }
        @if let Some(message) = &p.message { h2 { "Précisions" } p.message-text { (message) } }
        @if let Some(answer) = &p.answer {
            h2 { "Réponse de l'équipe WeMaintain" }
            @if let Some(at) = p.answered_at { p.meta { (french_datetime(at)) } }
            p.message-text { (answer) }
        }
    }
}

pub fn client_page(
    p: &Proposal,
    devices: &[(String, String, String)],
    notice: Option<&str>,
) -> Markup {
    PROFILE.page(
        &format!("Demande de proposition n° {}", p.id),
        "/profil/propositions",
        html! {
            h1 { "Demande de proposition n° " (p.id) }
            @if let Some(notice) = notice { p.notice role="status" { (notice) } }
            (details(p, devices))
        },
    )
}

pub fn staff_list(list: &Paged<Proposal>) -> Markup {
    ADMINISTRATION.page(
        "Propositions",
        "/admin/propositions",
        html! {
            h1 { "Demandes de proposition et de pré-visite" }
            @if list.items.is_empty() { p { "Aucune demande." } }
            @else {
                (table(&format!("{}, celles en attente d'abord", plural(list.total, "demande", "demandes")), &["Demande", "Envoyée le", "Société", "Pré-visite", "Statut"], &rows(&list.items, "/admin/propositions/", true)))
                (pagination(list.page, list.pages, |p| format!("/admin/propositions?page={p}")))
            }
        },
    )
}

pub fn staff_page(
    token: &CsrfToken,
    p: &Proposal,
    devices: &[(String, String, String)],
    (answer, errors): (&str, &FormErrors),
    notice: Option<&str>,
) -> Markup {
    ADMINISTRATION.page(
        &format!("Proposition n° {}", p.id),
        "/admin/propositions",
        html! {
            h1 { "Demande de proposition n° " (p.id) " — " (p.company_name) }
            @if let Some(notice) = notice { p.notice role="status" { (notice) } }
            div.prose {
                (details(p, devices))
                @if p.answer.is_none() {
                    h2 { "Répondre" }
                    (error_summary(errors, &[("reponse", "Réponse")]))
                    form.form method="post" action={ "/admin/propositions/" (p.id) "/reponse" } {
                        (csrf_field(token))
                        (required_note())
                        (textarea("reponse", "Réponse", answer, Some("Le client la lit dans son espace et reçoit un e-mail."), errors))
                        button.button type="submit" { "Envoyer la réponse" }
                    }
                }
            }
        },
    )
}
