//! Password hashes: argon2id with the crate's default cost (19 MiB, two
//! passes), in PHC strings that carry their own parameters, so the cost can
//! be raised later without invalidating stored hashes.

use std::sync::LazyLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::SaltString;
use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use tokio::sync::Semaphore;

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("cannot hash the password: {0}")]
    Hash(argon2::password_hash::Error),
    #[error("the hashing task ended abnormally: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// Each hash or check holds 19 MiB for tens of milliseconds. Without a
/// bound, a flood of login or sign-up posts would start one per request on
/// the blocking pool (up to 512 threads, about 10 GiB); with it, they wait
/// their turn and memory stays at a few hashes' worth.
static HASHING: LazyLock<Semaphore> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    Semaphore::new(cores * 2)
});

/// Hashes on a blocking thread: a hash takes tens of milliseconds of CPU,
/// which must not hold up the async workers.
pub async fn hash_password(password: String) -> Result<String, PasswordError> {
    let _turn = HASHING
        .acquire()
        .await
        .expect("the semaphore is never closed");
    tokio::task::spawn_blocking(move || hash_now(&password)).await?
}

fn hash_now(password: &str) -> Result<String, PasswordError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(PasswordError::Hash)
}

/// Checks a password against a stored hash. With no hash (no such account)
/// it checks against a fixed one anyway, so that an unknown address costs
/// the same time as a known one and the answer's delay reveals nothing.
pub async fn verify_password(password: String, stored: Option<String>) -> bool {
    let _turn = HASHING
        .acquire()
        .await
        .expect("the semaphore is never closed");
    let outcome = tokio::task::spawn_blocking(move || {
        let hash = stored.as_deref().unwrap_or(DUMMY_HASH.as_str());
        let matches = PasswordHash::new(hash).is_ok_and(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        });
        matches && stored.is_some()
    })
    .await;
    outcome.unwrap_or(false)
}

static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    hash_now("no account has this password, it only spends the same time")
        .expect("argon2 hashes a constant")
});

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let hash = hash_password("Grue-bleue-7-Toit".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("Grue-bleue-7-Toit".into(), Some(hash.clone())).await);
        assert!(!verify_password("grue-bleue-7-toit".into(), Some(hash)).await);
        assert!(!verify_password("anything".into(), None).await);
        assert!(!verify_password("x".into(), Some("not a hash".into())).await);
    }
}
