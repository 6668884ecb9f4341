//! `/profil`: the Utilisateur's space.

use actix_web::web;
use maud::Markup;

use super::PageError;
use crate::accounts;
use crate::auth::{CsrfToken, Viewer};
use crate::startup::AppState;
use crate::views::profile as view;

/// `GET /profil`.
pub async fn home(
    state: web::Data<AppState>,
    viewer: Viewer,
    token: CsrfToken,
) -> Result<Markup, PageError> {
    let profile = accounts::profile(&state.db, viewer.id)
        .await?
        .ok_or(PageError::NotFound)?;
    Ok(view::profile_page(&viewer, &profile, &token))
}
