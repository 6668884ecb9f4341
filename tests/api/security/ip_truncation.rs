//! Audience rows keep at most the /24 of an IPv4 address, also when the
//! address reaches the site inside an IPv6 one (6to4, Teredo, NAT64).

use crate::helpers::{spawn_app_with, Backend, LoggedVisit};
use crate::on_both_backends;

on_both_backends!(tunnelled_ipv4_addresses_are_truncated_in_audience_rows);

async fn tunnelled_ipv4_addresses_are_truncated_in_audience_rows(backend: Backend) {
    let app = spawn_app_with(backend, |s| {
        s.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    })
    .await;
    // 6to4 of 192.0.2.4; Teredo whose client is 192.0.2.45 (obfuscated)
    // behind the relay 65.54.227.120; NAT64 of 192.0.2.77.
    for forwarded in [
        "2002:c000:0204::1",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",
        "64:ff9b::c000:24d",
    ] {
        let response = app
            .get_with("/services", &[("X-Forwarded-For", forwarded)])
            .await;
        assert_eq!(response.status(), 200, "{forwarded}");
    }
    let app = app.stop().await;
    let ips = |visits: Vec<LoggedVisit>| visits.into_iter().map(|v| v.ip).collect::<Vec<_>>();
    assert_eq!(
        ips(app.visits_of("security").await),
        [
            "2002:c000:204::1",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2",
            "64:ff9b::c000:24d"
        ],
        "security rows keep the full address, for 6 months"
    );
    let audience = ips(app.visits_of("audience").await);
    assert_eq!(audience, ["2002:c000:200::", "2001::", "64:ff9b::c000:200"]);
    for ip in &audience {
        assert!(!ip.contains("c000:204"), "{ip} keeps 192.0.2.4");
        assert!(!ip.contains("4136"), "{ip} keeps part of an IPv4");
    }
}
