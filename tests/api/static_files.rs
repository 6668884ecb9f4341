use crate::helpers::{header, spawn_app, Backend};
use crate::on_both_backends;

on_both_backends!(static_files_are_versioned_and_cached_for_a_year);

async fn static_files_are_versioned_and_cached_for_a_year(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, _, home) = app.get_page("/").await;
    let assets: Vec<String> = home
        .split('"')
        .filter(|s| s.starts_with("/static/"))
        .map(str::to_owned)
        .collect();
    assert!(assets.len() >= 3, "{assets:?}");
    for url in &assets {
        // name.<12 hex digits>.ext
        let file = url.trim_start_matches("/static/");
        let parts: Vec<&str> = file.split('.').collect();
        assert_eq!(parts.len(), 3, "{url}");
        assert!(
            parts[1].len() == 12 && parts[1].chars().all(|c| c.is_ascii_hexdigit()),
            "{url}"
        );

        let response = app.get(url).await;
        assert_eq!(response.status(), 200, "{url}");
        let cache = header(response.headers(), "cache-control");
        assert!(
            cache.contains("max-age=31536000") && cache.contains("immutable"),
            "{url}: {cache}"
        );
    }
    let css = assets.iter().find(|u| u.ends_with(".css")).unwrap();
    let response = app.get(css).await;
    assert_eq!(
        header(response.headers(), "content-type"),
        "text/css; charset=utf-8"
    );
    assert!(response.text().await.unwrap().contains(".site-header"));

    // The plain name still answers, but is revalidated.
    let response = app.get("/static/site.css").await;
    assert_eq!(response.status(), 200);
    assert!(header(response.headers(), "cache-control").contains("no-cache"));

    // A stale version is not served as if it were the current one.
    assert_eq!(app.get("/static/site.000000000000.css").await.status(), 404);
}
