//! The client's full IP address, worked out once per request by
//! [`resolve_client_ip`] (from the socket peer, and `X-Forwarded-For` when
//! the peer is a trusted proxy) and read by handlers as [`ClientIp`]. It is
//! personal data: the audit log and the login throttle keep it, the request
//! log never does.

use std::future::{ready, Ready};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::HeaderMap;
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};

use crate::analytics::TrustedProxies;

/// The client's full IP address, as the request extension holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl ClientIp {
    /// The address of a request from `peer` with these headers. A request
    /// always has a peer on TCP; a Unix socket has none.
    pub fn of(proxies: &TrustedProxies, peer: Option<SocketAddr>, headers: &HeaderMap) -> Self {
        let peer = peer.map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |addr| addr.ip());
        let forwarded_for = headers
            .get_all("x-forwarded-for")
            .filter_map(|value| value.to_str().ok());
        Self(proxies.client_ip(peer, forwarded_for))
    }

    /// The address [`resolve_client_ip`] stored, or else worked out now with
    /// `proxies`.
    pub fn of_request(req: &HttpRequest, proxies: &TrustedProxies) -> Self {
        let stored = req.extensions().get::<Self>().copied();
        stored.unwrap_or_else(|| Self::of(proxies, req.peer_addr(), req.headers()))
    }
}

impl std::fmt::Display for ClientIp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The middleware: stores the request's [`ClientIp`] as an extension,
/// believing `X-Forwarded-For` only from the [`TrustedProxies`] of the app
/// data (`WM_TRUSTED_PROXIES`).
pub async fn resolve_client_ip(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if let Some(proxies) = req.app_data::<web::Data<TrustedProxies>>() {
        let ip = ClientIp::of(proxies, req.peer_addr(), req.headers());
        req.extensions_mut().insert(ip);
    }
    next.call(req).await
}

/// A handler argument; without the middleware, worked out from the
/// trusted proxies of the app data (none when it holds none).
impl FromRequest for ClientIp {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let ip = match req.app_data::<web::Data<TrustedProxies>>() {
            Some(proxies) => Self::of_request(req, proxies),
            None => Self::of_request(req, &TrustedProxies::default()),
        };
        ready(Ok(ip))
    }
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    fn proxies() -> TrustedProxies {
        TrustedProxies::new(vec!["10.0.0.0/8".parse().unwrap()])
    }

    #[actix_web::test]
    async fn the_stored_address_wins_over_the_headers() {
        let req = TestRequest::default()
            .peer_addr("10.0.0.1:4711".parse().unwrap())
            .insert_header(("x-forwarded-for", "203.0.113.7"))
            .to_http_request();
        assert_eq!(
            ClientIp::of_request(&req, &proxies()).to_string(),
            "203.0.113.7"
        );
        let stored = ClientIp("198.51.100.1".parse().unwrap());
        req.extensions_mut().insert(stored);
        assert_eq!(ClientIp::of_request(&req, &proxies()), stored);
        let extracted = ClientIp::extract(&req).await.unwrap();
        assert_eq!(extracted, stored);
    }

    /// What the middleware stored, as the handler sees it.
    async fn stored(req: HttpRequest) -> String {
        let stored = req.extensions().get::<ClientIp>().copied();
        stored.map(|ip| ip.to_string()).unwrap_or_default()
    }

    #[actix_web::test]
    async fn the_middleware_believes_only_the_trusted_proxies() {
        use actix_web::{middleware::from_fn, test, App};

        let app = test::init_service(
            App::new()
                .app_data(web::Data::new(proxies()))
                .wrap(from_fn(resolve_client_ip))
                .route("/", web::get().to(stored)),
        )
        .await;
        for (peer, expected) in [("10.0.0.1:1", "203.0.113.7"), ("192.0.2.9:1", "192.0.2.9")] {
            let req = TestRequest::get()
                .uri("/")
                .peer_addr(peer.parse().unwrap())
                .insert_header(("x-forwarded-for", "203.0.113.7"))
                .to_request();
            let body = test::call_and_read_body(&app, req).await;
            assert_eq!(body, expected.as_bytes(), "{peer}");
        }
    }

    #[actix_web::test]
    async fn an_untrusted_peer_is_the_client() {
        let req = TestRequest::default()
            .peer_addr("192.0.2.9:4711".parse().unwrap())
            .insert_header(("x-forwarded-for", "203.0.113.7"))
            .to_http_request();
        assert_eq!(
            ClientIp::extract(&req).await.unwrap().to_string(),
            "192.0.2.9"
        );
    }
}
