//! Requests to exercise a right (purpose `rights_requests`): who asked for
//! what, when the request was received, when it is due, and how it ended.
//! The deadline is one month from receipt; staff may extend it by up to two
//! more months, only with a written reason (GDPR art. 12.3).
//!
//! The self-service rights of an Utilisateur (copy, rectification, erasure,
//! objection) live in [`export`], [`erasure`] and [`profile_changes`]; this
//! module keeps the requests that staff answer by hand, and the proof of the
//! erasures done from the Profile.

pub mod forms;
pub mod routes;
pub mod views;

pub mod erasure;
pub mod export;
pub mod profile_changes;
pub mod visits;

use crate::db::pagination::{fetch_page, ListSql, PageRequest, Paged};
use crate::paris;
use chrono::{DateTime, Duration, Months, Utc};

use crate::audit::PendingAudit;
use crate::auth::digest;
use crate::db::{from_millis, millis, on_pool, Db, DbError, Sql};
use crate::domain::Email;
use crate::privacy::Purpose;
use crate::views::forms::french_date;

/// How long the confirmation link of a visitor's request stays valid; an
/// unconfirmed request is purged after it.
pub const CONFIRMATION_LIFETIME: Duration = Duration::days(7);
/// The answer is due one month after receipt…
pub const ANSWER_WITHIN_MONTHS: u32 = 1;
/// …and may be extended by two more months at most.
pub const MAX_EXTENSION_MONTHS: u32 = 2;
pub const MESSAGE_MAX: usize = 5000;

#[derive(Debug, thiserror::Error)]
pub enum RightsError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("no such request")]
    NotFound,
    #[error("the request is closed")]
    Closed,
    #[error("the request is not confirmed yet")]
    NotConfirmed,
    #[error("the deadline would pass three months after receipt")]
    ExtensionTooLong,
}

impl From<sqlx::Error> for RightsError {
    fn from(error: sqlx::Error) -> Self {
        RightsError::Db(DbError::Query(error))
    }
}

/// The right a person exercises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RightKind {
    Access,
    Portability,
    Rectification,
    Erasure,
    Objection,
    Restriction,
}

impl RightKind {
    pub const ALL: [RightKind; 6] = [
        RightKind::Access,
        RightKind::Portability,
        RightKind::Rectification,
        RightKind::Erasure,
        RightKind::Objection,
        RightKind::Restriction,
    ];

    pub fn key(self) -> &'static str {
        match self {
            RightKind::Access => "acces",
            RightKind::Portability => "portabilite",
            RightKind::Rectification => "rectification",
            RightKind::Erasure => "effacement",
            RightKind::Objection => "opposition",
            RightKind::Restriction => "limitation",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RightKind::Access => "Accès : obtenir une copie de mes données",
            RightKind::Portability => {
                "Portabilité : recevoir mes données dans un format réutilisable"
            }
            RightKind::Rectification => "Rectification : corriger des données inexactes",
            RightKind::Erasure => "Effacement : supprimer mes données",
            RightKind::Objection => "Opposition à un traitement",
            RightKind::Restriction => "Limitation d'un traitement",
        }
    }

    /// The short name, for tables.
    pub fn short(self) -> &'static str {
        match self {
            RightKind::Access => "Accès",
            RightKind::Portability => "Portabilité",
            RightKind::Rectification => "Rectification",
            RightKind::Erasure => "Effacement",
            RightKind::Objection => "Opposition",
            RightKind::Restriction => "Limitation",
        }
    }

    pub fn parse(key: &str) -> Result<Self, &'static str> {
        RightKind::ALL
            .into_iter()
            .find(|k| k.key() == key.trim())
            .ok_or("Choisissez le droit que vous souhaitez exercer.")
    }
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestStatus {
    /// Waiting for the requester to click the link sent to their address.
    Unconfirmed,
    Open,
    /// Staff asked the requester for more (an identity document…).
    InformationAsked,
    Closed,
}

impl RequestStatus {
    pub fn key(self) -> &'static str {
        match self {
            RequestStatus::Unconfirmed => "a_confirmer",
            RequestStatus::Open => "ouverte",
            RequestStatus::InformationAsked => "info_demandee",
            RequestStatus::Closed => "close",
        }
    }

    pub fn from_key(key: &str) -> Self {
        match key {
            "a_confirmer" => RequestStatus::Unconfirmed,
            "info_demandee" => RequestStatus::InformationAsked,
            "close" => RequestStatus::Closed,
            _ => RequestStatus::Open,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RequestStatus::Unconfirmed => "Adresse à confirmer",
            RequestStatus::Open => "Ouverte",
            RequestStatus::InformationAsked => "Informations demandées",
            RequestStatus::Closed => "Close",
        }
    }
}

/// The first deadline: one calendar month after receipt, in Paris time (a
/// request received on 31 January is due on the last day of February).
pub fn first_due_date(received_at: DateTime<Utc>) -> DateTime<Utc> {
    add_months(received_at, ANSWER_WITHIN_MONTHS)
}

/// The latest deadline an extension may set.
pub fn latest_due_date(received_at: DateTime<Utc>) -> DateTime<Utc> {
    add_months(received_at, ANSWER_WITHIN_MONTHS + MAX_EXTENSION_MONTHS)
}

fn add_months(at: DateTime<Utc>, months: u32) -> DateTime<Utc> {
    paris::local(at)
        .naive_local()
        .checked_add_months(Months::new(months))
        .and_then(paris::instant)
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// The deadline after extending `current` by `months`, if it stays within
/// three months of receipt.
pub fn extended_due_date(
    received_at: DateTime<Utc>,
    current: DateTime<Utc>,
    months: u32,
) -> Result<DateTime<Utc>, RightsError> {
    let extended = add_months(current, months);
    if months == 0 || extended > latest_due_date(received_at) {
        return Err(RightsError::ExtensionTooLong);
    }
    Ok(extended)
}

/// Whole calendar days (Paris) from `now` to the deadline; negative once
/// it has passed.
pub fn days_left(now: DateTime<Utc>, due_at: DateTime<Utc>) -> i64 {
    (paris::date(due_at) - paris::date(now)).num_days()
}

/// One request, as staff and the requester read it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RightsRequest {
    pub id: i64,
    pub kind: String,
    pub user_id: Option<i64>,
    pub email: String,
    pub visit_description: Option<String>,
    pub message: Option<String>,
    pub status: String,
    pub created_at: i64,
    pub received_at: Option<i64>,
    pub due_at: Option<i64>,
    pub extension_reason: Option<String>,
    pub info_request: Option<String>,
    pub closed_at: Option<i64>,
    pub outcome: Option<String>,
}

impl RightsRequest {
    pub fn kind(&self) -> Option<RightKind> {
        RightKind::parse(&self.kind).ok()
    }

    pub fn status(&self) -> RequestStatus {
        RequestStatus::from_key(&self.status)
    }

    /// Still open after its deadline.
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.status() != RequestStatus::Closed && self.due_at.is_some_and(|due| millis(now) > due)
    }

    pub fn days_left(&self, now: DateTime<Utc>) -> Option<i64> {
        self.due_at.map(|due| days_left(now, from_millis(due)))
    }
}

const COLUMNS: &str = "id, kind, user_id, email, visit_description, message, status, created_at, \
     received_at, due_at, extension_reason, info_request, closed_at, outcome";

/// A request typed on `/confidentialite/demande`.
#[derive(Debug, Clone)]
pub struct NewRightsRequest {
    pub kind: RightKind,
    pub email: Email,
    pub visit_description: Option<String>,
    pub message: String,
}

/// Records a visitor's request, inactive until the link is clicked; returns
/// its id and the link's token (only its hash is kept).
pub async fn submit(
    db: &Db,
    now: DateTime<Utc>,
    new: &NewRightsRequest,
) -> Result<(i64, String), RightsError> {
    let token = crate::auth::link_token();
    let id: i64 = on_pool!(db, |pool| {
        sqlx::query_scalar(
        "INSERT INTO rights_requests (kind, email, visit_description, message, status, token_hash, \
           created_at, expires_at) VALUES ($1, $2, $3, $4, 'a_confirmer', $5, $6, $7) RETURNING id"
    )
    .bind(new.kind.key())
    .bind(new.email.as_str())
    .bind(&new.visit_description)
    .bind(&new.message)
    .bind(digest(&token))
    .bind(millis(now))
    .bind(millis(now + CONFIRMATION_LIFETIME))
    .fetch_all(pool)
    .await.and_then(crate::db::one)
    })?;
    Ok((id, token))
}

/// The link was clicked: the request is received now, and due in a month;
/// `audit` is written with it. `None` when the link is unknown, used or
/// expired.
pub async fn confirm(
    db: &Db,
    token: &str,
    audit: PendingAudit<'_>,
) -> Result<Option<RightsRequest>, RightsError> {
    let now = audit.now;
    let mut tx = db.begin_write().await?;
    let confirmed: Option<RightsRequest> = Sql::new(format!(
        "UPDATE rights_requests SET status = 'ouverte', token_hash = NULL, received_at = $1, \
           due_at = $2, expires_at = NULL \
         WHERE token_hash = $3 AND status = 'a_confirmer' AND expires_at > $1 RETURNING {COLUMNS}"
    ))
    .bind(millis(now))
    .bind(millis(first_due_date(now)))
    .bind(digest(token))
    .fetch_all(&mut tx)
    .await
    .map(crate::db::first)?;
    let Some(request) = confirmed else {
        return Ok(None);
    };
    audit
        .subject(format!("rights_request:{}", request.id))
        .record_in(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(Some(request))
}

pub async fn get(db: &Db, id: i64) -> Result<RightsRequest, RightsError> {
    let sql = format!("SELECT {COLUMNS} FROM rights_requests WHERE id = $1");
    let found: Option<RightsRequest> = on_pool!(db, |pool| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await)?;
    found.ok_or(RightsError::NotFound)
}

/// One page of the confirmed requests: those still open first, the
/// nearest deadline first, then the closed ones, the latest closed first.
pub async fn confirmed(db: &Db, page: i64) -> Result<Paged<RightsRequest>, RightsError> {
    let list = ListSql {
        columns: COLUMNS,
        from: "FROM rights_requests WHERE status <> 'a_confirmer'",
        order_by: "CASE WHEN status = 'close' THEN 1 ELSE 0 END, \
                   CASE WHEN status = 'close' THEN -closed_at ELSE due_at END, id",
        args: &[],
    };
    Ok(fetch_page(db, list, PageRequest::new(page)).await?)
}

/// How many open requests are past their deadline, for the staff home page.
pub async fn overdue_count(db: &Db, now: DateTime<Utc>) -> Result<i64, RightsError> {
    Ok(on_pool!(db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM rights_requests \
         WHERE (status = 'ouverte' OR status = 'info_demandee') AND due_at < $1"
    )
    .bind(millis(now))
    .fetch_one(pool)
    .await)?)
}

/// How many open requests fall due within `days` days from now (late ones
/// aside), for the staff home page.
pub async fn due_within_count(db: &Db, now: DateTime<Utc>, days: i64) -> Result<i64, RightsError> {
    Ok(on_pool!(db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM rights_requests \
         WHERE (status = 'ouverte' OR status = 'info_demandee') AND due_at >= $1 AND due_at <= $2"
    )
    .bind(millis(now))
    .bind(millis(now + Duration::days(days)))
    .fetch_one(pool)
    .await)?)
}

/// The requests made by an account or with its address.
/// The requests of an account, and those sent with its address when it has
/// proven it owns it (`proven_email`).
pub async fn of_person(
    db: &Db,
    user_id: i64,
    proven_email: Option<&str>,
) -> Result<Vec<RightsRequest>, RightsError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM rights_requests WHERE user_id = $1 OR email = $2 ORDER BY id"
    );
    Ok(on_pool!(db, |pool| sqlx::query_as(&sql)
        .bind(user_id)
        .bind(proven_email)
        .fetch_all(pool)
        .await)?)
}

fn open_or_error(request: &RightsRequest) -> Result<(), RightsError> {
    match request.status() {
        RequestStatus::Closed => Err(RightsError::Closed),
        RequestStatus::Unconfirmed => Err(RightsError::NotConfirmed),
        _ => Ok(()),
    }
}

/// Moves the deadline by `months`, never past three months after receipt;
/// the reason is kept (and told to the requester by the caller). The UPDATE
/// checks the deadline it moves from, so two staff at once cannot add up
/// two extensions past the limit.
pub async fn extend(
    db: &Db,
    id: i64,
    months: u32,
    reason: &str,
    audit: PendingAudit<'_>,
) -> Result<RightsRequest, RightsError> {
    let change = |request: &RightsRequest| {
        let (Some(received), Some(due)) = (request.received_at, request.due_at) else {
            return Err(RightsError::NotConfirmed);
        };
        let new_due = extended_due_date(from_millis(received), from_millis(due), months)?;
        let reasons = match &request.extension_reason {
            Some(before) => format!("{before}\n{reason}"),
            None => reason.to_owned(),
        };
        Ok(Sql::new(format!(
            "UPDATE rights_requests SET due_at = $1, extension_reason = $2 \
             WHERE id = $3 AND due_at = $4 AND status <> 'close' RETURNING {COLUMNS}"
        ))
        .bind(millis(new_due))
        .bind(reasons)
        .bind(id)
        .bind(due))
    };
    let detail = |request: &RightsRequest| {
        let due = request.due_at.map(french_date).unwrap_or_default();
        Some(format!("+{months} mois, jusqu'au {due}"))
    };
    decide(db, id, audit, change, detail).await
}

/// Staff ask the requester for more information; the deadline is unchanged.
pub async fn ask_information(
    db: &Db,
    id: i64,
    question: &str,
    audit: PendingAudit<'_>,
) -> Result<RightsRequest, RightsError> {
    let change = |request: &RightsRequest| {
        let asked = match &request.info_request {
            Some(before) => format!("{before}\n{question}"),
            None => question.to_owned(),
        };
        Ok(update_if_open(id, "status = 'info_demandee', info_request = $2").bind(asked))
    };
    decide(db, id, audit, change, |_: &RightsRequest| None).await
}

/// Closes the request with its outcome; from now on it is kept for the
/// register's retention of the purpose, then purged.
pub async fn close(
    db: &Db,
    id: i64,
    outcome: &str,
    audit: PendingAudit<'_>,
) -> Result<RightsRequest, RightsError> {
    let now = audit.now;
    let expires_at = audit
        .register
        .retention(Purpose::RightsRequests)
        .period
        .after(now);
    let change = |_: &RightsRequest| {
        let set = "status = 'close', closed_at = $2, outcome = $3, expires_at = $4";
        Ok(update_if_open(id, set)
            .bind(millis(now))
            .bind(outcome)
            .bind(millis(expires_at)))
    };
    decide(db, id, audit, change, |_: &RightsRequest| None).await
}

/// An UPDATE that neither a closed nor an unconfirmed request takes, and
/// that returns the request; `$1` is its id, `set` binds from `$2`.
fn update_if_open(id: i64, set: &str) -> Sql {
    Sql::new(format!(
        "UPDATE rights_requests SET {set} \
         WHERE id = $1 AND status <> 'close' AND status <> 'a_confirmer' RETURNING {COLUMNS}"
    ))
    .bind(id)
}

/// A staff decision on an open request: the change (an UPDATE that
/// returns the request, or `None` if another decision closed it first) and
/// its audit line, whose detail `detail` reads from the request as changed,
/// in one transaction.
async fn decide(
    db: &Db,
    id: i64,
    audit: PendingAudit<'_>,
    change: impl FnOnce(&RightsRequest) -> Result<Sql, RightsError>,
    detail: impl FnOnce(&RightsRequest) -> Option<String>,
) -> Result<RightsRequest, RightsError> {
    let mut tx = db.begin_write().await?;
    let request: RightsRequest = Sql::new(format!(
        "SELECT {COLUMNS} FROM rights_requests WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut tx)
    .await?
    .ok_or(RightsError::NotFound)?;
    open_or_error(&request)?;
    let updated: RightsRequest = change(&request)?
        .fetch_all(&mut tx)
        .await
        .map(crate::db::first)?
        .ok_or(RightsError::Closed)?;
    audit
        .user(updated.user_id)
        .subject(format!("rights_request:{id}"))
        .maybe_detail(detail(&updated))
        .record_in(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(updated)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use chrono_tz::Europe::Paris;

    fn paris(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Paris
            .with_ymd_and_hms(y, m, d, h, 0, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn an_answer_is_due_one_calendar_month_after_receipt() {
        assert_eq!(first_due_date(paris(2026, 3, 10, 9)), paris(2026, 4, 10, 9));
        // The last day of a shorter month.
        assert_eq!(first_due_date(paris(2026, 1, 31, 9)), paris(2026, 2, 28, 9));
        // Across the change to summer time, the Paris hour stays.
        assert_eq!(first_due_date(paris(2026, 3, 20, 9)), paris(2026, 4, 20, 9));
    }

    #[test]
    fn extensions_stop_three_months_after_receipt() {
        let received = paris(2026, 3, 10, 9);
        let due = first_due_date(received);
        assert_eq!(
            extended_due_date(received, due, 2).unwrap(),
            paris(2026, 6, 10, 9)
        );
        let once = extended_due_date(received, due, 1).unwrap();
        assert_eq!(once, paris(2026, 5, 10, 9));
        assert_eq!(
            extended_due_date(received, once, 1).unwrap(),
            paris(2026, 6, 10, 9)
        );
        assert!(matches!(
            extended_due_date(received, due, 3),
            Err(RightsError::ExtensionTooLong)
        ));
        assert!(matches!(
            extended_due_date(received, once, 2),
            Err(RightsError::ExtensionTooLong)
        ));
        assert!(matches!(
            extended_due_date(received, due, 0),
            Err(RightsError::ExtensionTooLong)
        ));
    }

    #[test]
    fn days_left_count_paris_calendar_days() {
        let due = paris(2026, 4, 10, 9);
        assert_eq!(days_left(paris(2026, 4, 10, 23), due), 0);
        assert_eq!(days_left(paris(2026, 4, 9, 23), due), 1);
        assert_eq!(days_left(paris(2026, 4, 12, 8), due), -2);
    }

    #[test]
    fn kinds_parse_from_their_keys() {
        for kind in RightKind::ALL {
            assert_eq!(RightKind::parse(kind.key()), Ok(kind));
        }
        assert!(RightKind::parse("autre").is_err());
    }
}
