//! Validated values from the site's forms. Each type is built only by its
//! parser, from raw user input, so holding one means holding a valid value.
//! A refused input gives a [`FieldError`]: a short, polite French sentence
//! to show next to the field.

mod choices;
mod dates;
mod devices;
mod email;
mod emergency_phone;
mod password;
mod phone;
mod postal;
mod text;

pub use choices::{Civility, CompanyKind};
pub use dates::{parse_date, DateError, DateRange, DateRangeError};
pub use devices::{commissioning_year, DeviceKind, DeviceStatus};
pub use email::Email;
pub use emergency_phone::EmergencyPhone;
pub use password::NewPassword;
pub use phone::Phone;
pub use postal::{Country, PostalCode};
pub use text::{message_text, optional_text, required_text, years_of_experience};

/// A French message shown next to the form field that caused it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FieldError(pub String);

impl FieldError {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}
