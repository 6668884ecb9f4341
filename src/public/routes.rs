use actix_web::web;
use maud::Markup;

use crate::state::AppState;

pub async fn home() -> Markup {
    crate::public::views::home()
}

pub async fn services() -> Markup {
    crate::public::views::services()
}

pub async fn privacy_policy(state: web::Data<AppState>) -> Markup {
    let sessions = crate::privacy::views::SessionLifetimes {
        idle: state.session_idle,
        absolute: state.session_lifetime,
    };
    crate::privacy::views::privacy_policy(&state.register, &sessions)
}
