//! `/admin/droits`: staff handle rights requests within their deadline and
//! look up the security visit log.

use actix_web::{web, HttpResponse};
use maud::Markup;
use serde::Deserialize;

use crate::audit::{AuditEvent, PendingAudit};
use crate::auth::opened_from_another_site;
use crate::db::{from_millis, millis};
use crate::forms::FormErrors;
use crate::http::csv_download::{Cell, CsvDownload, Separator};
use crate::http::{confirm_audited_opening, html, redirect, staff_audit, PageError, StaffPage};
use crate::mail::OutgoingMail;
use crate::notifications;
use crate::rights::forms::RightsDecisionForm;
use crate::rights::views as view;
use crate::rights::views::VisitResults;
use crate::rights::visits::{self, LoggedVisit, VisitQuery, VisitSearch};
use crate::rights::{self, RightsError, RightsRequest};
use crate::views::forms::french_date;
use actix_web::http::StatusCode;
use chrono::{DateTime, SecondsFormat, Utc};

#[derive(Deserialize)]
pub struct ListQuery {
    page: Option<String>,
}

/// `GET /admin/droits[?page=N]`.
pub async fn staff_list(
    query: web::Query<ListQuery>,
    staff: StaffPage,
) -> Result<Markup, PageError> {
    let page = query
        .page
        .as_deref()
        .and_then(|p| p.parse().ok())
        .unwrap_or(1);
    let list = rights::confirmed(&staff.state.db, page).await?;
    let now = staff.state.clock.now();
    let overdue = rights::overdue_count(&staff.state.db, now).await?;
    Ok(view::staff_list(&list, overdue, now))
}

/// `GET /admin/droits/{id}`.
pub async fn staff_request(page: StaffPage, path: web::Path<i64>) -> Result<Markup, PageError> {
    if let Some(confirm) = page.opened_elsewhere() {
        return Ok(confirm);
    }
    let id = path.into_inner();
    let request = rights::get(&page.state.db, id).await?;
    page.viewed()
        .user(request.user_id)
        .subject(format!("rights_request:{id}"))
        .record_with(&page.state)
        .await?;
    Ok(view::staff_request(
        &request,
        page.state.clock.now(),
        &RightsDecisionForm::default(),
        &FormErrors::default(),
        None,
        &page.token,
    ))
}

/// The page a staff decision was made on: where its form goes back, with
/// its errors or a refusal, when the decision cannot be made.
struct DecisionPage<'a> {
    staff: &'a StaffPage,
    id: i64,
    form: &'a RightsDecisionForm,
}

impl<'a> DecisionPage<'a> {
    fn new(staff: &'a StaffPage, id: i64, form: &'a RightsDecisionForm) -> Self {
        DecisionPage { staff, id, form }
    }

    /// The audit line of the decision, written with it.
    fn audit(&self, event: AuditEvent) -> PendingAudit<'a> {
        let StaffPage {
            state, req, viewer, ..
        } = self.staff;
        staff_audit(state, req, viewer, event).pending(state)
    }

    /// The decision form sent back with its errors or a refusal.
    async fn refused(
        &self,
        errors: &FormErrors,
        alert: Option<&str>,
    ) -> Result<HttpResponse, PageError> {
        let request = rights::get(&self.staff.state.db, self.id).await?;
        let now = self.staff.state.clock.now();
        let markup =
            view::staff_request(&request, now, self.form, errors, alert, &self.staff.token);
        Ok(html(INVALID, markup))
    }

    /// The end of every decision (made and audited in one transaction): a
    /// refusal the request's state explains is shown on its page; otherwise
    /// the requester is told (unless erased: only a fingerprint of the
    /// address is left), and staff see the request again.
    async fn after(
        &self,
        outcome: Result<RightsRequest, RightsError>,
        mail: impl FnOnce(&RightsRequest) -> OutgoingMail,
    ) -> Result<HttpResponse, PageError> {
        let request = match outcome {
            Ok(request) => request,
            Err(e) => match refusal(&e) {
                Some(alert) => return self.refused(&FormErrors::default(), Some(alert)).await,
                None => return Err(e.into()),
            },
        };
        if !request.email.starts_with("empreinte:") {
            self.staff.state.mailer.send_later(mail(&request));
        }
        Ok(redirect(&format!("/admin/droits/{}", self.id)))
    }
}

/// The French sentence for a decision the request's state refuses.
fn refusal(error: &RightsError) -> Option<&'static str> {
    match error {
        RightsError::Closed => Some("Cette demande est déjà close."),
        RightsError::NotConfirmed => Some("Le demandeur n'a pas encore confirmé son adresse."),
        RightsError::ExtensionTooLong => Some(
            "Le délai ne peut pas dépasser trois mois après la réception : choisissez une prolongation plus courte.",
        ),
        _ => None,
    }
}

/// `POST /admin/droits/{id}/prolonger`.
pub async fn extend(
    staff: StaffPage,
    path: web::Path<i64>,
    form: web::Form<RightsDecisionForm>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let page = DecisionPage::new(&staff, id, &form);
    let (months, reason) = match form.extension() {
        Ok(valid) => valid,
        Err(errors) => return page.refused(&errors, None).await,
    };
    let audit = page.audit(AuditEvent::RightsRequestExtended);
    let outcome = rights::extend(&staff.state.db, id, months, &reason, audit).await;
    page.after(outcome, |request| {
        let due = request.due_at.map(french_date).unwrap_or_default();
        notifications::rights_request_extended(&request.email, id, &due, &reason)
    })
    .await
}

/// A decision that is a text for the requester.
#[derive(Debug, Clone, Copy)]
enum TextDecision {
    /// A question: the request waits for the answer, its deadline unchanged.
    Question,
    /// The outcome, which closes the request.
    Outcome,
}

impl TextDecision {
    /// The form of the request's page it comes from.
    fn form(self) -> &'static str {
        match self {
            TextDecision::Question => RightsDecisionForm::QUESTION,
            TextDecision::Outcome => RightsDecisionForm::CLOSE,
        }
    }

    /// What the staff member must write, when it is left blank.
    fn missing(self) -> &'static str {
        match self {
            TextDecision::Question => {
                "Indiquez la question à poser au demandeur (par exemple : une pièce d'identité)."
            }
            TextDecision::Outcome => {
                "Indiquez la réponse envoyée au demandeur : ce qui a été fait, ou pourquoi la demande ne peut pas être satisfaite."
            }
        }
    }

    fn event(self) -> AuditEvent {
        match self {
            TextDecision::Question => AuditEvent::RightsRequestInformationAsked,
            TextDecision::Outcome => AuditEvent::RightsRequestClosed,
        }
    }
}

type DecisionForm = web::Form<RightsDecisionForm>;

/// `POST /admin/droits/{id}/informations`.
pub async fn ask_information(staff: StaffPage, path: web::Path<i64>, form: DecisionForm) -> Answer {
    text_decision(staff, *path, &form, TextDecision::Question).await
}

/// `POST /admin/droits/{id}/clore`.
pub async fn close(staff: StaffPage, path: web::Path<i64>, form: DecisionForm) -> Answer {
    text_decision(staff, *path, &form, TextDecision::Outcome).await
}

type Answer = Result<HttpResponse, PageError>;

async fn text_decision(
    staff: StaffPage,
    id: i64,
    form: &RightsDecisionForm,
    kind: TextDecision,
) -> Answer {
    let page = DecisionPage::new(&staff, id, form);
    let text = match form.text(kind.form(), kind.missing()) {
        Ok(text) => text,
        Err(errors) => return page.refused(&errors, None).await,
    };
    let (db, audit) = (&staff.state.db, page.audit(kind.event()));
    let outcome = match kind {
        TextDecision::Question => rights::ask_information(db, id, &text, audit).await,
        TextDecision::Outcome => rights::close(db, id, &text, audit).await,
    };
    page.after(outcome, |request| match kind {
        TextDecision::Question => {
            notifications::rights_information_asked(&request.email, id, &text)
        }
        TextDecision::Outcome => notifications::rights_request_closed(&request.email, id, &text),
    })
    .await
}

/// A form sent back with its errors.
const INVALID: StatusCode = StatusCode::UNPROCESSABLE_ENTITY;

/// `GET /admin/droits/visites`: the security visit log of an address or
/// range over a period.
pub async fn visits_page(
    staff: StaffPage,
    query: web::Query<VisitQuery>,
) -> Result<HttpResponse, PageError> {
    let draw = |status, query: &VisitQuery, results, errors: &FormErrors| {
        let markup = view::visit_search_page(query, results, errors);
        Ok::<_, PageError>(html(status, markup))
    };
    let (ok, no_errors) = (StatusCode::OK, FormErrors::default());
    if query.is_blank() {
        let blank = VisitQuery::last_thirty_days(staff.state.clock.now());
        return draw(ok, &blank, VisitResults::None, &no_errors);
    }
    // A search is audited: one opened from another site is only shown,
    // for the person to check and run it themselves.
    if opened_from_another_site(&staff.req) {
        return draw(ok, &query, VisitResults::ToCheck, &no_errors);
    }
    let search = match VisitSearch::parse(&query) {
        Ok(valid) => valid,
        Err(errors) => return draw(INVALID, &query, VisitResults::None, &errors),
    };
    let detail = format!("{} → {}", query.from, query.to);
    let found = audited_search(&staff, search, visits::PAGE_LIMIT, detail).await?;
    draw(ok, &query, VisitResults::Found(&found), &no_errors)
}

/// `GET /admin/droits/visites/export`: the same search, every row, as CSV.
pub async fn visits_export(
    staff: StaffPage,
    query: web::Query<VisitQuery>,
) -> Result<HttpResponse, PageError> {
    if let Some(confirm) = confirm_audited_opening(&staff.req) {
        return Ok(html(StatusCode::OK, confirm));
    }
    let search = VisitSearch::parse(&query).map_err(|_| PageError::BadRequest)?;
    let detail = format!("export CSV {} → {}", query.from, query.to);
    let found = audited_search(&staff, search, usize::MAX, detail).await?;
    visits_csv(found, staff.state.clock.now())
}

/// Runs a search of the visit log, and audits it.
async fn audited_search(
    staff: &StaffPage,
    search: VisitSearch,
    limit: usize,
    detail: String,
) -> Result<Vec<LoggedVisit>, PageError> {
    let found = visits::search(&staff.state.db, search.ip, search.from, search.to, limit).await?;
    let audit = staff_audit(
        &staff.state,
        &staff.req,
        &staff.viewer,
        AuditEvent::VisitLogSearched,
    );
    staff
        .record(audit.subject(format!("ip:{}", search.ip)).detail(detail))
        .await?;
    Ok(found)
}

fn visits_csv(found: Vec<LoggedVisit>, now: DateTime<Utc>) -> Result<HttpResponse, PageError> {
    let mut csv = CsvDownload::new(
        format!("visites-{}.csv", millis(now)),
        Separator::default(),
        &[
            "date_heure_utc",
            "adresse_ip",
            "page",
            "navigateur",
            "systeme",
            "appareil",
        ],
    )?;
    for v in found {
        csv.row([
            Cell::Text(from_millis(v.occurred_at).to_rfc3339_opts(SecondsFormat::Secs, true)),
            Cell::Text(v.ip),
            Cell::Text(v.url),
            Cell::Text(v.browser.unwrap_or_default()),
            Cell::Text(v.os.unwrap_or_default()),
            Cell::Text(v.device_type),
        ])?;
    }
    Ok(csv.into_response()?)
}
