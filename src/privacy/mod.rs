//! The register of processing activities (GDPR art. 30) as data: every
//! purpose the privacy policy announces, with its legal basis, the data it
//! covers, who may read it and how long it is kept. The policy page, the purge
//! job and the rights export all read this one register, so what the site
//! publishes and what it does cannot drift apart.

pub mod views;

mod register;
mod retention;

mod expired_rows;
mod partition_purge;
pub mod purge;

pub use register::{LegalBasis, ProcessingActivity, Purpose, Reader, Register, StoredIn};
pub use retention::{Period, RetentionOverrides, RetentionStart, RetentionWindow};
