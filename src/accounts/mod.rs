//! Accounts: validated Utilisateurs and staff accounts, their companies,
//! logins and password reset links (tables `users`, `companies`,
//! `password_resets`, purpose `account`); sign-ups, before they become
//! accounts, in `registrations.rs` (purpose `pending_registrations`), and
//! what `/inscription` does around them (hash, store, mail) in `sign_ups.rs`.

pub mod forms;
pub mod routes;
pub mod views;

mod companies;
mod membership;
mod password_resets;
mod registrations;
pub mod sign_ups;
mod users;

pub use crate::db::Db;
pub use companies::*;
pub use membership::*;
pub use password_resets::*;
pub use registrations::*;
pub use users::*;

use crate::db::DbError;

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("an account already uses this e-mail address")]
    AddressTaken,
    #[error("no such registration request")]
    NotFound,
    #[error("this registration request has already been decided")]
    AlreadyDecided,
    #[error("no company has the id {0}")]
    UnknownCompany(i64),
}

impl From<sqlx::Error> for AccountError {
    fn from(error: sqlx::Error) -> Self {
        let unique = error
            .as_database_error()
            .is_some_and(|e| e.is_unique_violation());
        if unique {
            AccountError::AddressTaken
        } else {
            AccountError::Db(DbError::Query(error))
        }
    }
}
