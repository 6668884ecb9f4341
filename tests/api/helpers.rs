//! The API tests' helpers, now shared with the browser tests in
//! `tests/common/` (one file per job); kept as re-exports so that the test
//! files' `use crate::helpers::…` still read as before.

pub use crate::common::accounts::*;
pub use crate::common::app::*;
pub use crate::common::backends::*;
pub use crate::common::database::*;
pub use crate::common::forms::*;
pub use crate::common::places::*;
pub use crate::common::text::{plain, PlainText};
pub use crate::common::wait;
