//! Password reset links (table `password_resets`): single-use, short-lived,
//! only their hash stored.

use chrono::{DateTime, Duration, Utc};

use super::users::set_password_in;
use crate::audit::PendingAudit;
use crate::auth::digest;
use crate::db::{millis, on_pool, Db, DbError, Sql};

/// How long a password reset link works.
pub const RESET_LINK_LIFETIME: Duration = Duration::hours(1);

/// A new single-use reset link's token; only its hash is stored.
pub async fn create_password_reset(
    db: &Db,
    now: DateTime<Utc>,
    user_id: i64,
) -> Result<String, DbError> {
    let token = crate::auth::link_token();
    on_pool!(db, |pool| {
        sqlx::query(
        "INSERT INTO password_resets (user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)"
    )
    .bind(user_id)
    .bind(digest(&token))
    .bind(millis(now))
    .bind(millis(now + RESET_LINK_LIFETIME))
    .execute(pool)
    .await
    .map(|done| done.rows_affected())
    })?;
    Ok(token)
}

/// The account a reset token belongs to, while it is unused and unexpired.
pub async fn password_reset_account(
    db: &Db,
    now: DateTime<Utc>,
    token: &str,
) -> Result<Option<i64>, DbError> {
    Ok(on_pool!(db, |pool| {
        sqlx::query_scalar(
        "SELECT r.user_id FROM password_resets r JOIN users u ON u.id = r.user_id \
         WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > $2 AND u.status = 'active'"
    )
    .bind(digest(token))
    .bind(millis(now))
    .fetch_optional(pool)
    .await
    })?)
}

/// Uses a reset token: marks it used, so that a second use finds nothing,
/// then sets the new password (which ends every session). `None` when the
/// link is unknown, used or expired. Should setting the password fail after
/// the token is spent, the person asks for a new link: nothing half-done
/// lets anyone in.
pub async fn reset_password(
    db: &Db,
    now: DateTime<Utc>,
    token: &str,
    password_hash: &str,
    audit: PendingAudit<'_>,
) -> Result<Option<i64>, DbError> {
    let mut tx = db.begin_write().await?;
    let spent: Option<(i64,)> = Sql::new(
        "UPDATE password_resets SET used_at = $1 \
         WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING user_id",
    )
    .bind(millis(now))
    .bind(digest(token))
    .fetch_optional(&mut tx)
    .await?;
    let Some((user_id,)) = spent else {
        return Ok(None);
    };
    set_password_in(&mut tx, user_id, password_hash).await?;
    audit.user(user_id).record_in(&mut tx).await?;
    tx.commit().await?;
    Ok(Some(user_id))
}
