use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::Markup;
use serde::Deserialize;

use crate::analytics::{objection_cookie, withdrawal_cookie, AudienceChoice};
use crate::auth::CsrfToken;
use crate::state::AppState;

/// `GET /confidentialite/opposition`: says whether this browser is measured.
pub async fn show(req: HttpRequest, state: web::Data<AppState>, token: CsrfToken) -> Markup {
    let just_saved = req.query_string().split('&').any(|p| p == "enregistre=1");
    let choice = AudienceChoice::of_request(req.headers());
    crate::analytics::views::opt_out::opt_out_page(choice, just_saved, &state.register, &token)
}

#[derive(Deserialize)]
pub enum Choice {
    /// The visitor objects to audience measurement.
    #[serde(rename = "opposition")]
    Object,
    /// The visitor withdraws their objection.
    #[serde(rename = "mesure")]
    Measure,
}

#[derive(Deserialize)]
pub struct ChoiceForm {
    #[serde(rename = "choix")]
    choice: Choice,
}

/// `POST /confidentialite/opposition`: records or withdraws the objection,
/// then shows the page again (post/redirect/get).
pub async fn choose(form: web::Form<ChoiceForm>, state: web::Data<AppState>) -> HttpResponse {
    let cookie = match form.choice {
        Choice::Object => objection_cookie(state.https),
        Choice::Measure => withdrawal_cookie(state.https),
    };
    HttpResponse::SeeOther()
        .cookie(cookie)
        .insert_header((header::LOCATION, "/confidentialite/opposition?enregistre=1"))
        .finish()
}
