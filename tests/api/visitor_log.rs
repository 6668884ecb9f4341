//! The visitor log: which requests leave which rows, and what the rows hold.

use chrono::{Months, TimeZone, Utc};

use crate::helpers::{spawn_app, spawn_app_with, Backend};
use crate::on_both_backends;

on_both_backends!(
    a_page_view_leaves_one_security_and_one_audience_row,
    forwarded_for_is_ignored_from_an_untrusted_peer,
    forwarded_for_is_used_from_a_trusted_proxy_and_audience_ips_are_truncated,
    objections_and_crawlers_leave_security_rows_only,
    static_files_leave_no_row,
    query_strings_keep_only_the_allow_listed_parameters,
    errors_posts_and_json_leave_security_rows_only,
    analytics_off_writes_nothing,
);

const IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1";
const GOOGLEBOT: &str = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

async fn a_page_view_leaves_one_security_and_one_audience_row(backend: Backend) {
    let app = spawn_app(backend).await;
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 30, 0).unwrap();
    assert_eq!(app.get("/services").await.status(), 200);
    assert_eq!(
        app.get_with("/", &[("User-Agent", IPHONE)]).await.status(),
        200
    );
    let app = app.stop().await;

    let audience = app.visits_of("audience").await;
    let security = app.visits_of("security").await;
    assert_eq!(audience.len(), 2, "{audience:?}");
    assert_eq!(security.len(), 2, "{security:?}");

    let desktop = &audience[0];
    assert_eq!(desktop.url, "/services");
    assert_eq!(desktop.ip, "127.0.0.0");
    assert_eq!(desktop.browser.as_deref(), Some("Chrome"));
    assert_eq!(desktop.browser_version.as_deref(), Some("120"));
    assert_eq!(desktop.os.as_deref(), Some("Windows"));
    assert_eq!(desktop.device_type, "pc");
    assert_eq!(desktop.manufacturer, None);
    assert_eq!(desktop.occurred_at, now.timestamp_millis());
    assert_eq!(
        desktop.expires_at,
        (now + Months::new(13)).timestamp_millis(),
        "audience rows live 13 months"
    );

    let phone = &audience[1];
    assert_eq!(phone.url, "/");
    assert_eq!(phone.os.as_deref(), Some("iOS"));
    assert_eq!(phone.device_type, "smartphone");
    assert_eq!(phone.manufacturer.as_deref(), Some("Apple"));

    assert_eq!(security[0].ip, "127.0.0.1");
    assert_eq!(
        security[0].expires_at,
        (now + Months::new(6)).timestamp_millis(),
        "security rows live 6 months"
    );
    assert_eq!(security[1].manufacturer.as_deref(), Some("Apple"));
}

async fn forwarded_for_is_ignored_from_an_untrusted_peer(backend: Backend) {
    let app = spawn_app(backend).await;
    app.get_with("/", &[("X-Forwarded-For", "203.0.113.77")])
        .await;
    let app = app.stop().await;
    for visit in app.visits().await {
        assert!(visit.ip.starts_with("127.0.0."), "{visit:?}");
    }
}

async fn forwarded_for_is_used_from_a_trusted_proxy_and_audience_ips_are_truncated(
    backend: Backend,
) {
    let app = spawn_app_with(backend, |s| {
        s.trusted_proxies = vec![
            "127.0.0.0/8".parse().unwrap(),
            "10.0.0.0/8".parse().unwrap(),
        ];
    })
    .await;
    for forwarded in [
        "203.0.113.77",
        // The client forged the left-most entry; our own proxy added 10.0.0.5.
        "6.6.6.6, 2001:db8:abcd:12::1, 10.0.0.5",
        "::ffff:198.51.100.200",
        "garbage, 192.0.2.1",
        "not-an-ip",
    ] {
        let response = app.get_with("/", &[("X-Forwarded-For", forwarded)]).await;
        assert_eq!(response.status(), 200, "{forwarded}");
    }
    let app = app.stop().await;
    let ips = |visits: Vec<crate::helpers::LoggedVisit>| {
        visits.into_iter().map(|v| v.ip).collect::<Vec<_>>()
    };
    assert_eq!(
        ips(app.visits_of("security").await),
        [
            "203.0.113.77",
            "2001:db8:abcd:12::1",
            "198.51.100.200",
            "192.0.2.1",
            "127.0.0.1"
        ]
    );
    assert_eq!(
        ips(app.visits_of("audience").await),
        [
            "203.0.113.0",
            "2001:db8:abcd::",
            "198.51.100.0",
            "192.0.2.0",
            "127.0.0.0"
        ]
    );
}

async fn objections_and_crawlers_leave_security_rows_only(backend: Backend) {
    let app = spawn_app(backend).await;
    app.get_with("/", &[("Sec-GPC", "1")]).await;
    app.get_with("/", &[("DNT", "1")]).await;
    app.get_with("/", &[("User-Agent", GOOGLEBOT)]).await;
    app.get_with("/", &[("Cookie", "wm_mesure_audience=refus")])
        .await;
    // A cookie with any other value is not an objection.
    app.get_with("/services", &[("Cookie", "wm_mesure_audience=oui")])
        .await;
    let app = app.stop().await;
    assert_eq!(app.visits_of("security").await.len(), 5);
    let audience = app.visits_of("audience").await;
    assert_eq!(audience.len(), 1, "{audience:?}");
    assert_eq!(audience[0].url, "/services");
    let crawler = &app.visits_of("security").await[2];
    assert_eq!(crawler.device_type, "crawler");
}

async fn static_files_leave_no_row(backend: Backend) {
    let app = spawn_app(backend).await;
    assert_eq!(app.get("/static/site.css").await.status(), 200);
    assert_eq!(app.get("/static/absent.png").await.status(), 404);
    let app = app.stop().await;
    assert_eq!(app.visits().await, vec![]);
}

async fn query_strings_keep_only_the_allow_listed_parameters(backend: Backend) {
    let app = spawn_app(backend).await;
    app.get("/services?email=jean.dupont%40example.com&utm_source=newsletter&utm_medium=email&token=s3cr3t")
        .await;
    let long = format!("/?utm_campaign={}", "x".repeat(5000));
    app.get(&long).await;
    let app = app.stop().await;
    let visits = app.visits().await;
    assert_eq!(visits.len(), 4);
    for visit in &visits {
        assert!(!visit.url.contains("jean"), "{visit:?}");
        assert!(!visit.url.contains("example.com"), "{visit:?}");
        assert!(!visit.url.contains("s3cr3t"), "{visit:?}");
        assert!(visit.url.len() <= wemaintain::analytics::MAX_LOGGED_URL_LEN);
    }
    assert_eq!(
        visits[0].url,
        "/services?utm_source=newsletter&utm_medium=email"
    );
    assert!(visits[2].url.starts_with("/?utm_campaign=xxx"));
}

async fn errors_posts_and_json_leave_security_rows_only(backend: Backend) {
    let app = spawn_app(backend).await;
    assert_eq!(app.get("/nulle-part").await.status(), 404);
    let post = app.client.post(app.url("/services")).send().await.unwrap();
    assert_eq!(post.status(), 405);
    assert_eq!(app.get("/healthz").await.status(), 200);
    let head = app.client.head(app.url("/")).send().await.unwrap();
    assert_eq!(head.status(), 200);
    let app = app.stop().await;
    let urls: Vec<String> = app
        .visits_of("security")
        .await
        .into_iter()
        .map(|v| v.url)
        .collect();
    assert_eq!(urls, ["/nulle-part", "/services", "/healthz", "/"]);
    assert_eq!(app.visits_of("audience").await, vec![]);
}

async fn analytics_off_writes_nothing(backend: Backend) {
    let app = spawn_app_with(backend, |s| s.analytics = false).await;
    assert_eq!(app.get("/").await.status(), 200);
    assert_eq!(app.get("/nulle-part").await.status(), 404);
    let metrics = app.get("/metrics").await.text().await.unwrap();
    assert!(metrics.contains("wm_visitor_queue_capacity 0"), "{metrics}");
    let app = app.stop().await;
    assert_eq!(app.visits().await, vec![]);
}
