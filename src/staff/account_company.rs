//! `/admin/comptes/{id}`: the company a client account belongs to. Staff
//! attach an account to a company (a client made by `create-user` without
//! one, or one that changed company) and detach it; both are audited, and
//! apply from the person's next page (see [`crate::accounts::membership`]).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use crate::accounts::{self, AccountSummary, CompanyChoice, MembershipChange};
use crate::audit::AuditEvent;
use crate::auth::{CsrfToken, Role};
use crate::db::{Db, DbError};
use crate::forms::FormErrors;
use crate::http::{html, redirect, staff_audit, PageError, StaffPage};
use crate::staff::views as view;
use crate::views::forms::{csrf_field, error_summary, select};

/// The notices of the account page after a change of company.
pub fn notice(key: &str) -> Option<&'static str> {
    match key {
        "rattache" => Some(
            "Compte rattaché à la société : la personne voit ses bâtiments, demandes, rapports et contrat dès sa prochaine page.",
        ),
        "detache" => Some(
            "Compte détaché : dès sa prochaine page, la personne ne voit plus rien de la société. Ses demandes et messages restent à la société.",
        ),
        "pas-client" => Some(
            "Seul un compte client se rattache à une société : les comptes de l'équipe (administration, marketing) n'en ont pas.",
        ),
        "sans-societe" => Some("Ce compte n'est rattaché à aucune société : rien à détacher."),
        "meme-societe" => Some("Ce compte est déjà rattaché à cette société : rien n'a changé."),
        _ => None,
    }
}

/// The « Société » section of the account page: a client's forms to attach
/// or detach, or why a staff account has none.
pub async fn company_section(
    db: &Db,
    token: &CsrfToken,
    account: &AccountSummary,
    chosen: &str,
    errors: &FormErrors,
) -> Result<Markup, DbError> {
    if Role::parse(&account.role) != Some(Role::Client) {
        return Ok(html! {
            h2 { "Société" }
            p { "Les comptes de l'équipe WeMaintain (administration, marketing) ne sont rattachés à aucune société." }
        });
    }
    let choices = accounts::company_choices(db).await?;
    Ok(section(token, account, &choices, chosen, errors))
}

fn section(
    token: &CsrfToken,
    account: &AccountSummary,
    choices: &[CompanyChoice],
    chosen: &str,
    errors: &FormErrors,
) -> Markup {
    let labels: Vec<(String, String)> = choices
        .iter()
        .map(|c| {
            (
                c.id.to_string(),
                format!("{} ({}) — n° {}", c.name, c.city, c.id),
            )
        })
        .collect();
    let labels: Vec<(&str, &str)> = labels
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let current = account
        .company_id
        .map(|id| id.to_string())
        .unwrap_or_default();
    let chosen = if chosen.is_empty() {
        current.as_str()
    } else {
        chosen
    };
    html! {
        h2 { "Société" }
        @match (account.company_id, &account.company_name) {
            (Some(id), Some(name)) => p { "Rattaché à " a href={ "/admin/societes/" (id) } { (name) } "." },
            _ => p { "Ce compte n'est rattaché à aucune société : la personne ne voit ni bâtiment, ni demande, ni contrat, et son espace lui explique d'attendre le rattachement." },
        }
        form.form method="post" action={ "/admin/comptes/" (account.id) "/societe" } {
            (csrf_field(token))
            (error_summary(errors, &[("societe", "Société")]))
            (select("societe", "Société du compte", &labels, chosen, errors))
            p.hint { "La personne voit les bâtiments, demandes, rapports et contrat de cette société dès sa prochaine page, sans se reconnecter." }
            button.button type="submit" {
                @if account.company_id.is_some() { "Changer de société" } @else { "Rattacher à cette société" }
            }
        }
        @if account.company_id.is_some() {
            form method="post" action={ "/admin/comptes/" (account.id) "/societe/retirer" } {
                (csrf_field(token))
                button.button.danger type="submit" { "Détacher le compte de sa société" }
                p.hint { "Dès sa prochaine page, la personne ne voit plus rien de la société ; ses demandes et messages restent à la société." }
            }
        }
    }
}

#[derive(Deserialize)]
pub struct AttachForm {
    #[serde(default, rename = "societe")]
    company: String,
}

/// `POST /admin/comptes/{id}/societe`.
pub async fn attach(
    page: StaffPage,
    path: web::Path<i64>,
    form: web::Form<AttachForm>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let chosen = form.company.trim();
    let Ok(company) = chosen.parse::<i64>() else {
        let message = "Choisissez la société à laquelle rattacher le compte.";
        return refused(&page, id, chosen, message).await;
    };
    let event = AuditEvent::CompanyAttached;
    let audit = staff_audit(&page.state, &page.req, &page.viewer, event).pending(&page.state);
    match accounts::attach_to_company(&page.state.db, id, company, audit).await? {
        MembershipChange::NoCompany => {
            let message = "Cette société n'existe pas ou plus : choisissez-en une dans la liste.";
            refused(&page, id, chosen, message).await
        }
        other => answer(id, other, "rattache"),
    }
}

/// `POST /admin/comptes/{id}/societe/retirer`.
pub async fn detach(page: StaffPage, path: web::Path<i64>) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let event = AuditEvent::CompanyDetached;
    let audit = staff_audit(&page.state, &page.req, &page.viewer, event).pending(&page.state);
    let outcome = accounts::detach_from_company(&page.state.db, id, audit).await?;
    answer(id, outcome, "detache")
}

/// Back to the account page, saying what happened (`done` when it was done).
fn answer(id: i64, outcome: MembershipChange, done: &str) -> Result<HttpResponse, PageError> {
    let notice = match outcome {
        MembershipChange::NoAccount => return Err(PageError::NotFound),
        MembershipChange::Done => done,
        MembershipChange::NotClient => "pas-client",
        MembershipChange::AlreadyDetached => "sans-societe",
        MembershipChange::Unchanged => "meme-societe",
        MembershipChange::NoCompany => return Err(PageError::BadRequest),
    };
    Ok(redirect(&format!("/admin/comptes/{id}?fait={notice}")))
}

/// The account page again, the choice kept, with `message` on the select
/// (422); a staff account has no select: its page says why instead.
async fn refused(
    page: &StaffPage,
    id: i64,
    chosen: &str,
    message: &str,
) -> Result<HttpResponse, PageError> {
    let db = &page.state.db;
    let found = accounts::account_summary(db, id)
        .await?
        .ok_or(PageError::NotFound)?;
    if Role::parse(&found.role) != Some(Role::Client) {
        return answer(id, MembershipChange::NotClient, "");
    }
    let mut errors = FormErrors::default();
    errors.add("societe", message);
    let company = company_section(db, &page.token, &found, chosen, &errors).await?;
    let markup = view::account_page(&page.viewer, &page.token, &found, None, company);
    Ok(html(StatusCode::UNPROCESSABLE_ENTITY, markup))
}
