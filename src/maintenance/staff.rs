//! The staff's side of maintenance requests: the list sorted by urgency
//! then age and filtered, the counts of the staff home's queues, who to
//! call about a request, and attaching the device of a request that only
//! described where it is.

use crate::audit::PendingAudit;
use crate::db::pagination::{fetch_page, ListSql, PageRequest, Paged};
use crate::db::{millis, on_pool, Db, DbError, Sql};
use crate::domain::Phone;

use super::{MaintenanceRequest, RequestStatus, Urgency, COLUMNS, FROM};

/// Which requests the staff list shows, by status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatusFilter {
    /// Every request still open (the list's default).
    #[default]
    Open,
    /// Every request resolved or cancelled.
    Closed,
    One(RequestStatus),
}

impl StatusFilter {
    /// `?statut=` as sent by the filter form: empty is open, `terminees`
    /// closed, else one status; `None` for a value the form never sends.
    pub fn parse(key: &str) -> Option<StatusFilter> {
        match key {
            "" => Some(StatusFilter::Open),
            "terminees" => Some(StatusFilter::Closed),
            key => RequestStatus::parse(key).ok().map(StatusFilter::One),
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            StatusFilter::Open => "",
            StatusFilter::Closed => "terminees",
            StatusFilter::One(status) => status.key(),
        }
    }

    fn sql(self) -> String {
        let keys = |statuses: &[RequestStatus]| {
            let keys: Vec<String> = statuses.iter().map(|s| format!("'{}'", s.key())).collect();
            format!("r.status IN ({})", keys.join(", "))
        };
        match self {
            StatusFilter::Open => keys(&open_statuses()),
            StatusFilter::Closed => {
                let closed: Vec<RequestStatus> = RequestStatus::ALL
                    .iter()
                    .copied()
                    .filter(|s| !s.is_open())
                    .collect();
                keys(&closed)
            }
            StatusFilter::One(status) => keys(&[status]),
        }
    }
}

fn open_statuses() -> Vec<RequestStatus> {
    RequestStatus::ALL
        .iter()
        .copied()
        .filter(|s| s.is_open())
        .collect()
}

/// The staff list's filters, as the GET form sends them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StaffFilter {
    pub status: StatusFilter,
    pub urgency: Option<Urgency>,
    /// Only the open requests waiting for the team's answer.
    pub awaiting_staff: bool,
}

impl StaffFilter {
    /// The filters as typed in the query string; a value the form never
    /// sends is dropped, and `true` says one was.
    pub fn parse(status: &str, urgency: &str, awaiting: &str) -> (StaffFilter, bool) {
        let mut ignored = false;
        let status = StatusFilter::parse(status).unwrap_or_else(|| {
            ignored = true;
            StatusFilter::Open
        });
        let urgency = match urgency {
            "" => None,
            key => Urgency::parse(key).ok().or_else(|| {
                ignored = true;
                None
            }),
        };
        let awaiting_staff = match awaiting {
            "" => false,
            "attendue" => true,
            _ => {
                ignored = true;
                false
            }
        };
        let filter = StaffFilter {
            status,
            urgency,
            awaiting_staff,
        };
        (filter, ignored)
    }
}

/// Open requests in which the client spoke last: their last message is
/// theirs, or nobody has written yet on a request still « reçue ».
fn awaiting_staff() -> String {
    format!(
        "{} AND COALESCE((SELECT m.from_staff FROM request_messages m \
           WHERE m.request_id = r.id ORDER BY m.created_at DESC, m.id DESC LIMIT 1), \
           r.status <> 'recue') = FALSE",
        StatusFilter::Open.sql()
    )
}

/// « Personne bloquée » first, then the others by their gravity.
const BY_URGENCY: &str = "CASE r.urgency WHEN 'personne_bloquee' THEN 0 \
    WHEN 'appareil_arret' THEN 1 WHEN 'dysfonctionnement' THEN 2 ELSE 3 END";

/// One page of the requests the filter keeps: the most urgent first, then
/// the oldest first.
pub async fn requests(
    db: &Db,
    filter: StaffFilter,
    page: PageRequest,
) -> Result<Paged<MaintenanceRequest>, DbError> {
    // The keys written into the SQL come from the enums, never from the
    // query string.
    let mut conditions = vec![filter.status.sql()];
    if let Some(urgency) = filter.urgency {
        conditions.push(format!("r.urgency = '{}'", urgency.key()));
    }
    if filter.awaiting_staff {
        conditions.push(awaiting_staff());
    }
    let from = format!("{FROM} WHERE {}", conditions.join(" AND "));
    let order_by = format!("{BY_URGENCY}, r.created_at, r.id");
    let list = ListSql {
        columns: COLUMNS,
        from: &from,
        order_by: &order_by,
        args: &[],
    };
    fetch_page(db, list, page).await
}

/// How many requests are open, for each urgency, the most urgent first
/// (urgencies with none included, at 0).
pub async fn open_counts_by_urgency(db: &Db) -> Result<Vec<(Urgency, i64)>, DbError> {
    let sql = format!(
        "SELECT r.urgency, COUNT(*) FROM maintenance_requests r WHERE {} GROUP BY r.urgency",
        StatusFilter::Open.sql()
    );
    let rows: Vec<(String, i64)> = on_pool!(db, |pool| sqlx::query_as(&sql).fetch_all(pool).await)?;
    Ok(Urgency::ALL
        .iter()
        .map(|&urgency| {
            let count = rows
                .iter()
                .find(|(key, _)| key == urgency.key())
                .map_or(0, |(_, n)| *n);
            (urgency, count)
        })
        .collect())
}

/// How many open requests wait for the team's answer.
pub async fn awaiting_staff_count(db: &Db) -> Result<i64, DbError> {
    let sql = format!(
        "SELECT COUNT(*) FROM maintenance_requests r WHERE {}",
        awaiting_staff()
    );
    Ok(on_pool!(db, |pool| sqlx::query_scalar(&sql)
        .fetch_one(pool)
        .await)?)
}

/// Who filed a request, to call or write to.
#[derive(Debug, Clone)]
pub struct Requester {
    pub name: String,
    pub email: String,
    pub phone: Option<Phone>,
}

/// The requester of a request, while their account exists.
pub async fn requester(
    db: &Db,
    request: &MaintenanceRequest,
) -> Result<Option<Requester>, DbError> {
    let Some(user) = request.created_by else {
        return Ok(None);
    };
    let row: Option<(String, String, Option<String>)> = on_pool!(db, |pool| sqlx::query_as(
        "SELECT first_name || ' ' || last_name, email, phone FROM users WHERE id = $1"
    )
    .bind(user)
    .fetch_optional(pool)
    .await)?;
    Ok(row.map(|(name, email, phone)| Requester {
        name,
        email,
        phone: phone.map(Phone::from_stored),
    }))
}

/// Attaches a device of the request's company to the request (its building
/// with it), with `audit`; `false` when the device is not the company's or
/// the request is unknown (nothing changed).
pub async fn attach_device(
    db: &Db,
    request_id: i64,
    device_id: i64,
    audit: PendingAudit<'_>,
) -> Result<bool, DbError> {
    let mut tx = db.begin_write().await?;
    let changed = Sql::new(
        "UPDATE maintenance_requests SET device_id = $1, updated_at = $2, \
           building_id = (SELECT building_id FROM devices WHERE id = $1) \
         WHERE id = $3 AND EXISTS (SELECT 1 FROM devices d JOIN buildings b ON b.id = d.building_id \
           WHERE d.id = $1 AND b.company_id = maintenance_requests.company_id)",
    )
    .bind(device_id)
    .bind(millis(audit.now))
    .bind(request_id)
    .execute(&mut tx)
    .await?;
    if changed == 1 {
        audit.record_in(&mut tx).await?;
    }
    tx.commit().await?;
    Ok(changed == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_the_form_never_sends_are_dropped_and_said() {
        let (filter, ignored) = StaffFilter::parse("planifiee", "personne_bloquee", "attendue");
        assert!(!ignored);
        assert_eq!(filter.status, StatusFilter::One(RequestStatus::Planifiee));
        assert_eq!(filter.urgency, Some(Urgency::PersonneBloquee));
        assert!(filter.awaiting_staff);
        let (filter, ignored) = StaffFilter::parse("' OR 1=1 --", "bidon", "oui");
        assert!(ignored);
        assert_eq!(filter, StaffFilter::default());
        assert_eq!(
            StaffFilter::parse("terminees", "", "").0.status,
            StatusFilter::Closed
        );
    }

    #[test]
    fn the_status_filter_names_statuses_only() {
        assert_eq!(
            StatusFilter::Open.sql(),
            "r.status IN ('recue', 'planifiee', 'en_cours')"
        );
        assert_eq!(
            StatusFilter::Closed.sql(),
            "r.status IN ('resolue', 'annulee')"
        );
    }
}
