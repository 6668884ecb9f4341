//! `/profil`: the Utilisateur's space.

use actix_web::web;
use maud::Markup;

use crate::accounts;
use crate::auth::{ClientCompany, Viewer};
use crate::dashboard::views as view;
use crate::http::PageError;
use crate::state::AppState;

/// `GET /profil`.
pub async fn home(
    state: web::Data<AppState>,
    viewer: Viewer,
    company: Option<ClientCompany>,
) -> Result<Markup, PageError> {
    let profile = accounts::profile(&state.db, viewer.id)
        .await?
        .ok_or(PageError::NotFound)?;
    let dashboard = match company {
        Some(ClientCompany(company)) => {
            Some(crate::dashboard::dashboard(&state.db, company).await?)
        }
        None => None,
    };
    Ok(view::profile_page(&profile, dashboard.as_ref()))
}
