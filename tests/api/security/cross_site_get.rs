//! Pages whose opening is written to the audit log (a search of the visit
//! log, a person's record) are GETs: a link on another site could make a
//! logged-in admin run a search, or open a record, of the attacker's
//! choosing. Reached from another site, such a page asks for a click on the
//! site itself first, and neither searches nor writes anything.

use reqwest::StatusCode;
use wemaintain::auth::Role;

use crate::helpers::{
    client_of_company, create_account, scalar, spawn_app, Backend, Browser, PASSWORD,
};
use crate::on_both_backends;

on_both_backends!(
    a_visit_search_from_another_site_is_shown_but_not_run,
    audited_pages_opened_from_another_site_ask_for_a_click,
);

const ADMIN: &str = "admin.navigation@wemaintain.com";
const SEARCH: &str = "/admin/droits/visites?ip=192.0.2.7&du=2026-03-01&au=2026-03-02";

async fn get_from(browser: &Browser, path: &str, site: Option<&str>) -> (StatusCode, String) {
    let mut request = browser.client.get(browser.url(path));
    if let Some(site) = site {
        request = request.header("sec-fetch-site", site);
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status();
    (status, response.text().await.expect("a page"))
}

async fn searches(app: &crate::helpers::TestApp) -> i64 {
    scalar(
        &app.db,
        "SELECT COUNT(*) FROM audit_log WHERE event = 'visit_log_searched'",
    )
    .await
}

async fn a_visit_search_from_another_site_is_shown_but_not_run(backend: Backend) {
    let app = spawn_app(backend).await;
    create_account(&app, Role::Admin, ADMIN).await;
    let admin = app.browser();
    admin.login_ok(ADMIN, PASSWORD).await;

    for site in ["cross-site", "same-site"] {
        let (status, page) = get_from(&admin, SEARCH, Some(site)).await;
        assert_eq!(status, StatusCode::OK, "{site}");
        assert!(
            page.contains("Vérifiez la recherche puis lancez-la"),
            "{site}: {page}"
        );
        assert!(page.contains(r#"value="192.0.2.7""#), "prefilled: {page}");
        assert!(
            !page.contains("Exporter en CSV") && !page.contains("Aucune visite"),
            "{site}: no result shown: {page}"
        );
        assert_eq!(searches(&app).await, 0, "{site}: nothing searched");

        let export = SEARCH.replace("/visites?", "/visites/export?");
        let (status, page) = get_from(&admin, &export, Some(site)).await;
        assert_eq!(status, StatusCode::OK, "{site}");
        assert!(!page.contains("date_heure_utc"), "{site}: no export");
        assert_eq!(searches(&app).await, 0, "{site}: nothing exported");
    }

    // From the site itself, or typed in the address bar, as today.
    let mut expected = 0;
    for site in [Some("same-origin"), Some("none"), None] {
        let (status, page) = get_from(&admin, SEARCH, site).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Aucune visite"), "{site:?}: {page}");
        assert!(!page.contains("Vérifiez la recherche"), "{site:?}");
        expected += 1;
        assert_eq!(searches(&app).await, expected, "{site:?}");
    }
}

async fn audited_pages_opened_from_another_site_ask_for_a_click(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin_id = create_account(&app, Role::Admin, ADMIN).await;
    let (company, _) = client_of_company(&app, "client.navigation@example.fr", "Syndic Lien").await;
    let admin = app.browser();
    admin.login_ok(ADMIN, PASSWORD).await;
    let audited = [
        format!("/admin/comptes/{admin_id}"),
        format!("/admin/societes/{company}"),
        "/admin/messages".to_owned(),
        "/admin/journal".to_owned(),
    ];
    let rows = app.count("audit_log").await;
    for path in &audited {
        for site in ["cross-site", "same-site"] {
            let (status, page) = get_from(&admin, path, Some(site)).await;
            assert_eq!(status, StatusCode::OK, "{path} {site}");
            assert!(
                page.contains(&format!(r#"href="{path}""#)),
                "{path} {site}: a link to open the page: {page}"
            );
            assert!(page.contains("Ouvrir la page"), "{path}: {page}");
            assert_eq!(app.count("audit_log").await, rows, "{path} {site}");
        }
    }
    for path in &audited {
        let (status, page) = get_from(&admin, path, Some("same-origin")).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(!page.contains("Ouvrir la page"), "{path}");
    }
    assert_eq!(
        app.count("audit_log").await,
        rows + audited.len() as i64,
        "each opening from the site is audited"
    );
}
