use std::net::IpAddr;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

use crate::analytics::TrustedProxies;
use crate::state::AppState;

/// `GET /metrics`: counters of the visitor-log writer, the purge and the
/// e-mails, in Prometheus text format. Counts only, no personal data.
/// Behind a bearer token when `WM_METRICS_TOKEN` is set; without one, only
/// a scraper on this machine reads them, and everyone else gets a 404.
pub async fn metrics(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    if state.metrics_token.is_none() {
        let forwarded = FORWARDING_HEADERS
            .iter()
            .any(|name| req.headers().contains_key(*name));
        let peer = req.peer_addr().map(|addr| addr.ip());
        if !from_this_machine(peer, forwarded, &state.proxies) {
            return HttpResponse::NotFound().finish();
        }
    }
    if let Some(token) = &state.metrics_token {
        let presented = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        if !presented.is_some_and(|p| constant_time_eq(p.as_bytes(), token.as_bytes())) {
            return HttpResponse::Unauthorized()
                .insert_header((header::WWW_AUTHENTICATE, "Bearer"))
                .finish();
        }
    }
    let (depth, capacity) = state
        .visitor_log
        .as_ref()
        .map_or((0, 0), |log| (log.queue_depth(), log.queue_capacity()));
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render(depth, capacity))
}

/// Headers a proxy adds when it relays a request.
const FORWARDING_HEADERS: [&str; 3] = ["x-forwarded-for", "forwarded", "x-real-ip"];

/// Whether a request comes straight from this machine: its socket peer (never
/// a header) is loopback. A proxy on this machine has a loopback peer address
/// for every outsider it relays, so a request that was relayed is not local:
/// one carrying a forwarding header, or whose peer is a declared proxy
/// (`WM_TRUSTED_PROXIES`), with or without the header.
fn from_this_machine(peer: Option<IpAddr>, forwarded: bool, proxies: &TrustedProxies) -> bool {
    let Some(peer) = peer.map(|ip| ip.to_canonical()) else {
        return false;
    };
    peer.is_loopback() && !forwarded && !proxies.contains(peer)
}

/// Compares without stopping at the first difference, so the time taken
/// does not tell how much of a guess was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn only_a_direct_loopback_peer_is_this_machine() {
        let none = TrustedProxies::default();
        for local in ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"] {
            assert!(from_this_machine(ip(local), false, &none), "{local}");
            assert!(
                !from_this_machine(ip(local), true, &none),
                "{local} relayed"
            );
        }
        for outside in [
            "203.0.113.9",
            "10.0.0.2",
            "192.168.1.1",
            "2001:db8::1",
            "0.0.0.0",
        ] {
            assert!(!from_this_machine(ip(outside), false, &none), "{outside}");
        }
        assert!(!from_this_machine(None, false, &none), "no peer");
        let proxy_here = TrustedProxies::new(vec!["127.0.0.1/32".parse().unwrap()]);
        assert!(!from_this_machine(ip("127.0.0.1"), false, &proxy_here));
        assert!(from_this_machine(ip("::1"), false, &proxy_here));
    }
}
