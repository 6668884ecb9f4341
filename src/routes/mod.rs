//! HTTP only: each handler extracts its input, calls one function of the
//! module that owns the work and renders a view. `configure` is the one list
//! of every route of the site.

mod health;
mod metrics;
mod opt_out;
mod public;

use actix_web::dev::HttpServiceFactory;
use actix_web::{guard, web, FromRequest, Handler, HttpResponse, Responder};

use crate::assets;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(read("/", public::home))
        .service(read("/services", public::services))
        .service(read(
            "/politique-de-confidentialite",
            public::privacy_policy,
        ))
        .service(
            web::resource("/confidentialite/opposition")
                .route(web::get().to(opt_out::show))
                .route(web::head().to(opt_out::show))
                .route(web::post().to(opt_out::choose)),
        )
        .service(read("/healthz", health::healthz))
        .service(read("/metrics", metrics::metrics))
        .service(read("/static/{file}", assets::serve));
}

/// A resource answering GET and HEAD (the body is left out for HEAD); any
/// other method gets 405, drawn as a French page.
fn read<F, Args>(path: &str, handler: F) -> impl HttpServiceFactory
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    web::resource(path).route(
        web::route()
            .guard(guard::Any(guard::Get()).or(guard::Head()))
            .to(handler),
    )
}

/// Anything no route matched: the error-page middleware draws the French 404.
pub async fn not_found() -> HttpResponse {
    HttpResponse::NotFound().finish()
}
