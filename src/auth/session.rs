//! Sessions: actix-session with the session key in a private (encrypted)
//! cookie and the state in the database, so that logging out, or ending
//! every session of an account, takes effect on every instance at once.
//! The table keeps only a hash of each key: reading the database does not
//! give a session away.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_session::config::{BrowserSession, CookieContentSecurity, TtlExtensionPolicy};
use actix_session::storage::{
    generate_session_key, LoadError, SaveError, SessionKey, SessionStore, UpdateError,
};
use actix_session::{Session, SessionExt, SessionInsertError, SessionMiddleware};
use actix_web::body::{BoxBody, MessageBody};
use actix_web::cookie::{time, SameSite};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};

use super::digest;
use super::secret::SiteSecret;
use crate::accounts::SessionAccount;
use crate::clock::SharedClock;
use crate::db::{millis, on_pool, Db};

/// The session cookie's name over plain http (tests, a local network).
pub const SESSION_COOKIE: &str = "wm_session";

/// The session cookie's name: behind TLS a `__Host-` cookie, which a
/// subdomain or a plain-http page cannot plant or overwrite.
pub fn session_cookie_name(https: bool) -> &'static str {
    if https {
        "__Host-wm_session"
    } else {
        SESSION_COOKIE
    }
}

/// The entries a logged-in session holds: read and written only through
/// [`SiteSession`].
mod keys {
    /// The account's id.
    pub const USER: &str = "uid";
    /// The account's session epoch at login: raising it ends the session.
    pub const EPOCH: &str = "epoch";
    /// When the person logged in (ms): the absolute lifetime counts from it.
    pub const LOGGED_IN_AT: &str = "login_at";
    /// The last request seen (ms, refreshed at most once a minute): the idle
    /// lifetime counts from it.
    pub const SEEN_AT: &str = "seen_at";
    /// The secret this session's CSRF tokens derive from.
    pub const CSRF: &str = "csrf";
    pub const ALL: [&str; 5] = [USER, EPOCH, LOGGED_IN_AT, SEEN_AT, CSRF];
    /// Set by the store, never stored: the session could not be read
    /// because the database did not answer.
    pub const UNREADABLE: &str = "unreadable";
}

/// After a session could not be read, how long the store answers
/// "unreadable" at once instead of asking the database again: while the
/// database is down, one request per instance waits for the pool's timeout
/// and the others are answered without waiting.
const UNREADABLE_FOR: Duration = Duration::from_secs(2);

/// The site's view of a request's session: the login it holds, read and
/// written through named methods rather than hand-set keys.
#[derive(Clone)]
pub struct SiteSession(Session);

/// The login a session holds (times in ms).
#[derive(Debug, Clone, Copy)]
pub struct SessionLogin {
    pub user_id: i64,
    /// The account's session epoch at login; `None` in a malformed session.
    pub epoch: Option<i64>,
    pub logged_in_at: i64,
    pub seen_at: i64,
}

/// A session entry could not be written (an answer of 500, never a login
/// half-stored).
#[derive(Debug, thiserror::Error)]
#[error("the session could not be written")]
pub struct SessionNotWritten(#[from] SessionInsertError);

impl SiteSession {
    pub fn new(session: Session) -> Self {
        SiteSession(session)
    }

    fn read<T: serde::de::DeserializeOwned>(&self, key: &str) -> Option<T> {
        self.0.get::<T>(key).ok().flatten()
    }

    /// Whether this request's session could not be read (the database is
    /// unreachable): the person may be logged in, but nobody can tell.
    pub fn is_unreadable(&self) -> bool {
        self.read::<bool>(keys::UNREADABLE).unwrap_or(false)
    }

    pub fn login(&self) -> Option<SessionLogin> {
        Some(SessionLogin {
            user_id: self.read(keys::USER)?,
            epoch: self.read(keys::EPOCH),
            logged_in_at: self.read(keys::LOGGED_IN_AT).unwrap_or(0),
            seen_at: self.read(keys::SEEN_AT).unwrap_or(0),
        })
    }

    /// Logs the account in, under a new session key: a key planted before
    /// login is worthless.
    pub fn log_in(
        &self,
        account: &SessionAccount,
        now: DateTime<Utc>,
    ) -> Result<(), SessionNotWritten> {
        self.0.renew();
        self.0.clear();
        let now = millis(now);
        self.0.insert(keys::USER, account.id)?;
        self.0.insert(keys::EPOCH, account.session_epoch)?;
        self.0.insert(keys::LOGGED_IN_AT, now)?;
        self.0.insert(keys::SEEN_AT, now)?;
        Ok(())
    }

    /// Keeps this session logged in after the account's epoch went up (its
    /// password changed here), under a new key.
    pub fn keep_under_epoch(
        &self,
        epoch: i64,
        now: DateTime<Utc>,
    ) -> Result<(), SessionNotWritten> {
        self.0.renew();
        self.0.insert(keys::EPOCH, epoch)?;
        self.0.insert(keys::SEEN_AT, millis(now))?;
        Ok(())
    }

    /// Notes a request of the logged-in person (ms): the idle lifetime
    /// counts from it.
    pub fn seen(&self, now_ms: i64) -> Result<(), SessionNotWritten> {
        Ok(self.0.insert(keys::SEEN_AT, now_ms)?)
    }

    /// Forgets a login that is no longer valid. Not [`Self::log_out`]: a
    /// purged session cannot take a login later in this same request (a
    /// person whose session ended logging in again). A renewed, empty
    /// session deletes the old row and stores nothing.
    pub fn forget_login(&self) {
        self.0.renew();
        self.0.clear();
    }

    /// Ends this session: its row is deleted and its cookie removed.
    pub fn log_out(&self) {
        self.0.purge();
    }

    /// The secret this session's CSRF tokens derive from.
    pub fn csrf_secret(&self) -> Option<String> {
        self.read(keys::CSRF)
    }

    pub fn set_csrf_secret(&self, secret: String) -> Result<(), SessionNotWritten> {
        Ok(self.0.insert(keys::CSRF, secret)?)
    }
}

impl FromRequest for SiteSession {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(SiteSession(req.get_session())))
    }
}

pub fn session_middleware(
    store: DbSessionStore,
    secret: &SiteSecret,
    secure: bool,
    lifetime: Duration,
) -> SessionMiddleware<DbSessionStore> {
    let ttl = time::Duration::seconds(i64::try_from(lifetime.as_secs()).unwrap_or(i64::MAX));
    SessionMiddleware::builder(store, secret.cookie_key())
        // `__Host-` (behind TLS) asks for Secure, Path=/ (the default) and
        // no Domain (none is set).
        .cookie_name(session_cookie_name(secure).to_owned())
        .cookie_secure(secure)
        .cookie_http_only(true)
        .cookie_same_site(SameSite::Lax)
        .cookie_content_security(CookieContentSecurity::Private)
        // A browser-session cookie: closing the browser ends it; the server
        // ends it after the idle or the absolute lifetime, whichever first.
        .session_lifecycle(
            BrowserSession::default()
                .state_ttl(ttl)
                .state_ttl_extension_policy(TtlExtensionPolicy::OnStateChanges),
        )
        .build()
}

/// Runs the request with a place where the store notes a session it could
/// not write (see [`SessionStore for DbSessionStore`](DbSessionStore)); such
/// a response becomes the site's 503 page, drawn by the error-page
/// middleware outside, and its session cookie is not sent.
pub async fn session_store_errors(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let (response, not_stored) = NOT_STORED
        .scope(std::cell::Cell::new(false), async move {
            let response = next.call(req).await;
            (response, NOT_STORED.with(|not_stored| not_stored.get()))
        })
        .await;
    let response = response?;
    if not_stored {
        let (request, _) = response.into_parts();
        return Ok(ServiceResponse::new(
            request,
            HttpResponse::ServiceUnavailable().finish(),
        ));
    }
    Ok(response.map_into_boxed_body())
}

#[derive(Clone)]
pub struct DbSessionStore {
    db: Db,
    clock: SharedClock,
    /// Until when sessions are answered unreadable without a query.
    unreadable_until: Arc<Mutex<Option<Instant>>>,
}

type State = HashMap<String, String>;

impl DbSessionStore {
    /// One store is shared by every worker (clones share its state).
    pub fn new(db: Db, clock: SharedClock) -> Self {
        DbSessionStore {
            db,
            clock,
            unreadable_until: Arc::default(),
        }
    }
}

impl DbSessionStore {
    fn expires_at(&self, ttl: &time::Duration) -> i64 {
        millis(self.clock.now())
            .saturating_add(i64::try_from(ttl.whole_milliseconds()).unwrap_or(i64::MAX))
    }

    /// Stores a new session. An empty one is not stored at all: its key
    /// finds nothing, which is what an empty session is.
    async fn insert(
        &self,
        state: &State,
        ttl: &time::Duration,
    ) -> Result<SessionKey, anyhow::Error> {
        let key = generate_session_key();
        if state.is_empty() {
            return Ok(key);
        }
        let json = serde_json::to_string(state)?;
        let user = user_of(state);
        let expires_at = self.expires_at(ttl);
        on_pool!(&self.db, |pool| sqlx::query(
            "INSERT INTO sessions (key_hash, user_id, state, expires_at) VALUES ($1, $2, $3, $4)"
        )
        .bind(digest(key.as_ref()))
        .bind(user)
        .bind(&json)
        .bind(expires_at)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(key)
    }
}

fn user_of(state: &State) -> Option<i64> {
    state
        .get(keys::USER)
        .and_then(|value| serde_json::from_str(value).ok())
}

impl DbSessionStore {
    /// A database that does not answer gives an "unreadable" session rather
    /// than an error, which actix-session would turn into a 500 on every
    /// page, public ones included. Pages that need a login then answer 503
    /// (see `roles::require`), the others are served to an anonymous visitor.
    async fn try_load(&self, key: &SessionKey) -> Result<Option<State>, LoadError> {
        let unreadable = || {
            Some(State::from([(
                keys::UNREADABLE.to_owned(),
                "true".to_owned(),
            )]))
        };
        let waiting = self.unreadable_until.lock().ok().and_then(|until| *until);
        if waiting.is_some_and(|until| Instant::now() < until) {
            return Ok(unreadable());
        }
        let now = millis(self.clock.now());
        let state: Option<String> = match on_pool!(&self.db, |pool| sqlx::query_scalar(
            "SELECT state FROM sessions WHERE key_hash = $1 AND expires_at > $2"
        )
        .bind(digest(key.as_ref()))
        .bind(now)
        .fetch_optional(pool)
        .await)
        {
            Ok(state) => state,
            Err(error) => {
                tracing::warn!(%error, "session not readable: the database did not answer");
                if let Ok(mut until) = self.unreadable_until.lock() {
                    *until = Some(Instant::now() + UNREADABLE_FOR);
                }
                return Ok(unreadable());
            }
        };
        state
            .map(|json| serde_json::from_str(&json))
            .transpose()
            .map_err(|e| LoadError::Deserialization(e.into()))
    }
}

impl DbSessionStore {
    async fn try_update(
        &self,
        key: SessionKey,
        mut state: State,
        ttl: &time::Duration,
    ) -> Result<SessionKey, UpdateError> {
        // An unreadable session is left as the database holds it.
        if state.contains_key(keys::UNREADABLE) {
            return Ok(key);
        }
        if state.is_empty() {
            self.try_delete(&key).await.map_err(UpdateError::Other)?;
            return Ok(key);
        }
        let json =
            serde_json::to_string(&state).map_err(|e| UpdateError::Serialization(e.into()))?;
        let updated = on_pool!(&self.db, |pool| sqlx::query(
            "UPDATE sessions SET state = $1, user_id = $2, expires_at = $3 WHERE key_hash = $4"
        )
        .bind(&json)
        .bind(user_of(&state))
        .bind(self.expires_at(ttl))
        .bind(digest(key.as_ref()))
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))
        .map_err(|e| UpdateError::Other(e.into()))?;
        if updated == 1 {
            return Ok(key);
        }
        // The session ended (logout elsewhere, expiry) while this request ran:
        // whatever else it holds may go on, but never the login itself.
        for entry in keys::ALL {
            state.remove(entry);
        }
        self.insert(&state, ttl).await.map_err(UpdateError::Other)
    }

    async fn try_update_ttl(
        &self,
        key: &SessionKey,
        ttl: &time::Duration,
    ) -> Result<(), anyhow::Error> {
        on_pool!(&self.db, |pool| sqlx::query(
            "UPDATE sessions SET expires_at = $1 WHERE key_hash = $2"
        )
        .bind(self.expires_at(ttl))
        .bind(digest(key.as_ref()))
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(())
    }

    async fn try_delete(&self, key: &SessionKey) -> Result<(), anyhow::Error> {
        on_pool!(&self.db, |pool| sqlx::query(
            "DELETE FROM sessions WHERE key_hash = $1"
        )
        .bind(digest(key.as_ref()))
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(())
    }
}

/// A save, update or delete that the database refused is not an error for
/// actix-session, which would answer a bare 500 that no error page draws: it
/// is logged and noted for this request, and [`session_store_errors`] turns
/// the response into the site's 503 page.
impl SessionStore for DbSessionStore {
    async fn load(&self, key: &SessionKey) -> Result<Option<State>, LoadError> {
        self.try_load(key).await
    }

    async fn save(&self, state: State, ttl: &time::Duration) -> Result<SessionKey, SaveError> {
        match self.insert(&state, ttl).await {
            Ok(key) => Ok(key),
            Err(error) => {
                note_not_stored(&error);
                Ok(generate_session_key())
            }
        }
    }

    async fn update(
        &self,
        key: SessionKey,
        state: State,
        ttl: &time::Duration,
    ) -> Result<SessionKey, UpdateError> {
        match self.try_update(key, state, ttl).await {
            // The response is replaced by the 503 page: this key is not sent.
            Err(UpdateError::Other(error)) => {
                note_not_stored(&error);
                Ok(generate_session_key())
            }
            result => result,
        }
    }

    async fn update_ttl(
        &self,
        key: &SessionKey,
        ttl: &time::Duration,
    ) -> Result<(), anyhow::Error> {
        if let Err(error) = self.try_update_ttl(key, ttl).await {
            note_not_stored(&error);
        }
        Ok(())
    }

    async fn delete(&self, key: &SessionKey) -> Result<(), anyhow::Error> {
        if let Err(error) = self.try_delete(key).await {
            note_not_stored(&error);
        }
        Ok(())
    }
}

tokio::task_local! {
    /// Set when the store could not write this request's session.
    static NOT_STORED: std::cell::Cell<bool>;
}

fn note_not_stored(error: &anyhow::Error) {
    tracing::error!(%error, "session not stored: the database refused it");
    let _ = NOT_STORED.try_with(|not_stored| not_stored.set(true));
}

/// Ends every session of an account on every instance (with the epoch,
/// which the account's row holds, as the second lock).
pub async fn end_all_sessions(db: &Db, user_id: i64) -> Result<(), sqlx::Error> {
    on_pool!(db, |pool| sqlx::query(
        "DELETE FROM sessions WHERE user_id = $1"
    )
    .bind(user_id)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}
