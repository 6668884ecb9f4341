//! Demandes de Maintenance: a client asks for work on one device of the
//! company; staff move it along its status flow; both write on its thread.
//! Tables `maintenance_requests` and `request_messages` (purpose `account`),
//! every client query scoped to the company.

pub mod forms;
pub mod resolution;
pub mod routes;
pub mod staff;
pub mod staff_views;
pub mod views;
pub mod workflow;

use chrono::{DateTime, Utc};

use crate::db::pagination::{fetch_page, ListSql, PageRequest, Paged};
use crate::db::record_of_company;
use crate::db::{millis, on_pool, Db, DbError};
use crate::domain::FieldError;

const NOT_IN_LIST: &str = "Choisissez une réponse dans la liste.";

macro_rules! choice {
    ($name:ident { $($variant:ident => $key:literal, $label:literal;)* }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),* }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),* }
            }

            pub fn parse(key: &str) -> Result<$name, FieldError> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.key() == key)
                    .ok_or_else(|| FieldError::new(NOT_IN_LIST))
            }
        }
    };
}

choice!(Nature {
    Panne => "panne", "Panne";
    Entretien => "entretien", "Entretien";
    Travaux => "travaux", "Travaux";
});

choice!(Urgency {
    PersonneBloquee => "personne_bloquee", "Personne bloquée dans l'appareil";
    AppareilArret => "appareil_arret", "Appareil à l'arrêt";
    Dysfonctionnement => "dysfonctionnement", "Dysfonctionnement";
    Question => "question", "Question";
});

choice!(RequestStatus {
    Recue => "recue", "Reçue";
    Planifiee => "planifiee", "Planifiée";
    EnCours => "en_cours", "En cours";
    Resolue => "resolue", "Résolue";
    Annulee => "annulee", "Annulée";
});

impl RequestStatus {
    /// The statuses staff may move a request to from this one:
    /// reçue → planifiée → en cours → résolue, and annulée from any open one.
    pub fn next(self) -> &'static [RequestStatus] {
        use RequestStatus::*;
        match self {
            Recue => &[Planifiee, EnCours, Annulee],
            Planifiee => &[EnCours, Annulee],
            EnCours => &[Resolue, Annulee],
            Resolue | Annulee => &[],
        }
    }

    pub fn is_open(self) -> bool {
        !self.next().is_empty()
    }
}

/// Where the problem is: a device of the company, or, when the client has
/// not declared it yet, the place in words (and the building if they
/// have one); staff attach the device later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Device(i64),
    Described {
        location: String,
        building: Option<i64>,
    },
}

/// A validated request.
#[derive(Debug, Clone)]
pub struct NewRequest {
    pub place: Place,
    pub nature: Nature,
    pub urgency: Urgency,
    pub description: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MaintenanceRequest {
    pub id: i64,
    pub company_id: i64,
    /// `None` until staff attach it, when the client described the place.
    pub device_id: Option<i64>,
    pub created_by: Option<i64>,
    pub nature: String,
    pub urgency: String,
    pub description: String,
    /// Where the device is, as the client described it.
    pub location: Option<String>,
    pub status: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// The device's building, or the one the client chose.
    pub building_id: Option<i64>,
    pub building_name: Option<String>,
    /// The building's postal address on one line.
    pub building_address: Option<String>,
    pub device_location: Option<String>,
    pub company_name: String,
}

impl MaintenanceRequest {
    pub fn status(&self) -> RequestStatus {
        RequestStatus::parse(&self.status).unwrap_or(RequestStatus::Recue)
    }

    /// A person is stuck in the device: the on-call number goes with every
    /// page and e-mail about it while it is open.
    pub fn is_emergency(&self) -> bool {
        self.urgency == Urgency::PersonneBloquee.key()
    }

    /// Where the problem is, on one line: the device, else the building
    /// and the place as described.
    pub fn place(&self) -> String {
        let parts = [
            self.building_name.as_deref(),
            self.device_location.as_deref(),
            self.device_id
                .is_none()
                .then_some(self.location.as_deref())
                .flatten(),
        ];
        let text: Vec<&str> = parts.into_iter().flatten().collect();
        text.join(" — ")
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RequestMessage {
    pub from_staff: bool,
    pub author: Option<String>,
    pub body: String,
    pub created_at: i64,
}

const COLUMNS: &str = "r.id, r.company_id, r.device_id, r.created_by, r.nature, r.urgency, \
    r.description, r.location, r.status, r.created_at, r.updated_at, b.id AS building_id, \
    b.name AS building_name, \
    b.address || ', ' || b.postal_code || ' ' || b.city AS building_address, \
    d.location AS device_location, c.name AS company_name";
/// A request described in words has no device: its building is the one
/// chosen, if any.
const FROM: &str = "FROM maintenance_requests r LEFT JOIN devices d ON d.id = r.device_id \
    LEFT JOIN buildings b ON b.id = COALESCE(d.building_id, r.building_id) \
    JOIN companies c ON c.id = r.company_id";

/// Files a request on a device (or building) of the company; `None` when
/// the device or building is not the company's.
pub async fn create(
    db: &Db,
    company_id: i64,
    user_id: i64,
    now: DateTime<Utc>,
    new: &NewRequest,
) -> Result<Option<i64>, DbError> {
    let (device, building, location) = match &new.place {
        Place::Device(id) => (Some(*id), None, None),
        Place::Described { location, building } => (None, *building, Some(location.as_str())),
    };
    // The device and the building, when given, must be the company's; the
    // building of a device is the device's.
    Ok(on_pool!(db, |pool| sqlx::query_scalar(
        "INSERT INTO maintenance_requests (company_id, device_id, building_id, location, \
           created_by, nature, urgency, description, status, created_at, updated_at) \
         SELECT $1, d.id, b.id, $8, $2, $3, $4, $5, 'recue', $6, $6 FROM (SELECT 1 AS one) x \
         LEFT JOIN devices d ON d.id = $7 \
         LEFT JOIN buildings b ON b.id = COALESCE(d.building_id, $9) AND b.company_id = $1 \
         WHERE ($7 IS NULL OR (d.id IS NOT NULL AND b.id IS NOT NULL)) \
           AND ($9 IS NULL OR b.id IS NOT NULL) \
         RETURNING id"
    )
    .bind(company_id)
    .bind(user_id)
    .bind(new.nature.key())
    .bind(new.urgency.key())
    .bind(&new.description)
    .bind(millis(now))
    .bind(device)
    .bind(location)
    .bind(building)
    .fetch_all(pool)
    .await
    .map(crate::db::first))?)
}

/// A request: the company's only, or any when `company_id` is `None` (staff).
pub async fn request(
    db: &Db,
    company_id: Option<i64>,
    id: i64,
) -> Result<Option<MaintenanceRequest>, DbError> {
    let sql =
        format!("SELECT {COLUMNS} {FROM} WHERE r.id = $1 AND ($2 IS NULL OR r.company_id = $2)");
    record_of_company(db, sql, id, company_id).await
}

/// Requests, newest first, one page: the company's (client) or all (staff),
/// open ones or closed ones.
pub async fn requests(
    db: &Db,
    company_id: Option<i64>,
    open: bool,
    page: PageRequest,
) -> Result<Paged<MaintenanceRequest>, DbError> {
    let status = if open {
        "r.status IN ('recue', 'planifiee', 'en_cours')"
    } else {
        "r.status IN ('resolue', 'annulee')"
    };
    let from = format!("{FROM} WHERE ($1 IS NULL OR r.company_id = $1) AND {status}");
    let list = ListSql {
        columns: COLUMNS,
        from: &from,
        order_by: "r.created_at DESC, r.id DESC",
        args: &[company_id],
    };
    fetch_page(db, list, page).await
}

pub async fn messages(db: &Db, request_id: i64) -> Result<Vec<RequestMessage>, DbError> {
    Ok(on_pool!(db, |pool| sqlx::query_as(
        "SELECT m.from_staff, u.first_name || ' ' || u.last_name AS author, m.body, m.created_at \
         FROM request_messages m LEFT JOIN users u ON u.id = m.author_id \
         WHERE m.request_id = $1 ORDER BY m.created_at, m.id"
    )
    .bind(request_id)
    .fetch_all(pool)
    .await)?)
}

pub async fn add_message(
    db: &Db,
    request_id: i64,
    author_id: i64,
    from_staff: bool,
    body: &str,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    on_pool!(db, |pool| sqlx::query(
        "INSERT INTO request_messages (request_id, author_id, from_staff, body, created_at) \
         VALUES ($1, $2, $3, $4, $5)"
    )
    .bind(request_id)
    .bind(author_id)
    .bind(from_staff)
    .bind(body)
    .bind(millis(now))
    .execute(pool)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// Moves a request to `to` if the flow allows it from its current status
/// (checked in the statement, so two staff at once cannot skip a step);
/// `false` when it does not.
pub async fn change_status(
    db: &Db,
    id: i64,
    from: RequestStatus,
    to: RequestStatus,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    if !from.next().contains(&to) {
        return Ok(false);
    }
    let changed = on_pool!(db, |pool| {
        sqlx::query(
        "UPDATE maintenance_requests SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4"
    )
    .bind(to.key())
    .bind(millis(now))
    .bind(id)
    .bind(from.key())
    .execute(pool)
    .await
    .map(|done| done.rows_affected())
    })?;
    Ok(changed == 1)
}

/// The address and first name of whoever filed the request, for e-mails.
pub async fn requester(
    db: &Db,
    request: &MaintenanceRequest,
) -> Result<Option<(String, String)>, DbError> {
    let Some(user) = request.created_by else {
        return Ok(None);
    };
    Ok(on_pool!(db, |pool| sqlx::query_as(
        "SELECT email, first_name FROM users WHERE id = $1 AND status = 'active'"
    )
    .bind(user)
    .fetch_optional(pool)
    .await)?)
}

/// The company's devices, for the request form: (id, "building — location").
pub async fn device_choices(db: &Db, company_id: i64) -> Result<Vec<(i64, String)>, DbError> {
    Ok(on_pool!(db, |pool| {
        sqlx::query_as(
        "SELECT d.id, b.name || ' — ' || d.location FROM devices d JOIN buildings b ON b.id = d.building_id \
         WHERE b.company_id = $1 AND b.archived_at IS NULL ORDER BY b.name, d.location, d.id"
    )
    .bind(company_id)
    .fetch_all(pool)
    .await
    })?)
}

/// The company's open requests whose last message is from staff: they wait
/// for the client's answer.
pub async fn awaiting_client(db: &Db, company_id: i64) -> Result<Vec<i64>, DbError> {
    Ok(on_pool!(db, |pool| sqlx::query_scalar(
        "SELECT r.id FROM maintenance_requests r \
         WHERE r.company_id = $1 AND r.status IN ('recue', 'planifiee', 'en_cours') \
           AND (SELECT m.from_staff FROM request_messages m WHERE m.request_id = r.id \
                ORDER BY m.created_at DESC, m.id DESC LIMIT 1) = TRUE \
         ORDER BY r.id"
    )
    .bind(company_id)
    .fetch_all(pool)
    .await)?)
}
