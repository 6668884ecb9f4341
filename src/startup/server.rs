//! The HTTP server: the listening socket, and the middleware around the
//! route table in the order each layer needs.

use std::net::{SocketAddr, TcpListener};

use actix_web::dev::Server;
use actix_web::middleware::{from_fn, Compress, Condition};
use actix_web::{web, App, HttpServer};

use crate::analytics::{self, Analytics};
use crate::auth::csrf::{set_minted_token, MAX_FORM_BYTES};
use crate::auth::roles::load_viewer;
use crate::auth::session::{session_middleware, session_store_errors, DbSessionStore};
use crate::auth::SiteSecret;
use crate::config::Settings;
use crate::http::client_ip::resolve_client_ip;
use crate::http::error_pages::error_pages;
use crate::http::page_frame::set_page_frame;
use crate::http::security_headers::security_headers;
use crate::routes;
use crate::state::AppState;
use crate::telemetry::trace_requests;

use super::StartupError;

/// Binds `WM_BIND` now, so that a busy port is a start-up error; returns the
/// address bound (its real port when the settings ask for port 0).
pub(super) fn bind(addr: SocketAddr) -> Result<(TcpListener, SocketAddr), StartupError> {
    let bind_error = |source| StartupError::Bind { addr, source };
    let listener = TcpListener::bind(addr).map_err(bind_error)?;
    let bound = listener.local_addr().map_err(bind_error)?;
    Ok((listener, bound))
}

/// Starts serving the route table on `listener`.
pub(super) fn serve(
    settings: &Settings,
    listener: TcpListener,
    state: web::Data<AppState>,
    analytics: Option<web::Data<Analytics>>,
    secret: SiteSecret,
) -> Result<Server, StartupError> {
    // One store for every worker, so that all of them know at once
    // when the database stopped answering.
    let session_store = DbSessionStore::new(state.db.clone(), state.clock.clone());
    let session_lifetime = settings.session_lifetime;
    let https = settings.https;
    let analytics_on = settings.analytics;
    let proxies = web::Data::new(state.proxies.clone());
    let server = HttpServer::new(move || {
        // The last `wrap` runs first: tracing sees the final response,
        // error pages are drawn before the visitor log reads the status
        // and before the security headers are added.
        // Forms are read whole up to the size the CSRF check allows
        // (actix-web's default, 16 KiB, would cut a long question).
        let mut app = App::new()
            .app_data(state.clone())
            .app_data(proxies.clone())
            .app_data(web::FormConfig::default().limit(MAX_FORM_BYTES));
        if let Some(analytics) = &analytics {
            app = app.app_data(analytics.clone());
        }
        // Sessions are read before the viewer is loaded from them; the
        // router puts the CSRF check on each resource with a POST route.
        app.wrap(from_fn(set_minted_token))
            .wrap(from_fn(set_page_frame))
            .wrap(from_fn(load_viewer))
            .wrap(session_middleware(
                session_store.clone(),
                &secret,
                https,
                session_lifetime,
            ))
            .wrap(from_fn(session_store_errors))
            .wrap(error_pages())
            .wrap(Compress::default())
            .wrap(Condition::new(
                analytics_on,
                from_fn(analytics::record_visits),
            ))
            .wrap(security_headers(https))
            .wrap(from_fn(resolve_client_ip))
            .wrap(from_fn(trace_requests))
            .configure(routes::configure)
            .default_service(web::to(routes::not_found))
    })
    .shutdown_timeout(10);
    let server = match settings.workers {
        Some(workers) => server.workers(workers),
        None => server,
    };
    let addr = settings.bind;
    Ok(server
        .listen(listener)
        .map_err(|source| StartupError::Bind { addr, source })?
        .run())
}
