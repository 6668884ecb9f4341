use actix_web::web;
use maud::Markup;

use crate::startup::AppState;
use crate::views;

pub async fn home() -> Markup {
    views::public::home()
}

pub async fn services() -> Markup {
    views::public::services()
}

pub async fn privacy_policy(state: web::Data<AppState>) -> Markup {
    let sessions = views::policy::SessionLifetimes {
        idle: state.session_idle,
        absolute: state.session_lifetime,
    };
    views::policy::privacy_policy(&state.register, &sessions)
}
