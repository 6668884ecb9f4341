//! One navigation per space: every client page carries the Profile's menu,
//! every staff page the staff's, with the current entry marked; the header
//! says who is logged in and leads to their space; the spaces have no
//! marketing footer.

use wemaintain::auth::{Access, Role};
use wemaintain::routes::{Verb, ROUTES};

use wemaintain::domain::EmergencyPhone;

use crate::helpers::{
    client_of_company, create_account, spawn_app, spawn_app_with, Backend, Browser, PASSWORD,
};
use crate::on_both_backends;

on_both_backends!(
    every_page_of_a_space_carries_its_menu_with_the_current_entry,
    the_header_says_who_is_logged_in_and_leads_to_their_space,
    a_visitor_is_offered_the_login_and_the_marketing_footer,
    every_header_carries_the_on_call_number_when_there_is_one,
);

/// A link of the public footer, which the spaces do not carry.
const MARKETING_FOOTER: &str = "Technicien ascensoriste ? Rejoignez-nous";

/// The `<nav>` element named `label`, as text.
fn nav<'a>(page: &'a str, label: &str) -> Option<&'a str> {
    let start = page.find(&format!("<nav class=\"space-nav\" aria-label=\"{label}\""))?;
    let end = start + page[start..].find("</nav>")?;
    Some(&page[start..end])
}

/// The label of the menu entry marked current in `menu`.
fn current_entry(menu: &str) -> Option<String> {
    let marked: Vec<&str> = menu.split("aria-current=\"page\">").skip(1).collect();
    assert!(marked.len() <= 1, "several current entries in {menu}");
    let rest = marked.first()?;
    Some(rest[..rest.find("</a>")?].to_owned())
}

/// The pages without a parameter that `access` opens, as a GET.
fn pages_of(access: Access) -> Vec<String> {
    ROUTES
        .iter()
        .filter(|r| r.verb == Verb::Read && r.access == access && !r.path.contains('{'))
        .filter(|r| !r.path.ends_with("/export") && !r.path.ends_with("/verifier"))
        .map(|r| r.path.to_owned())
        .collect()
}

async fn check_space(browser: &Browser, paths: &[String], menu: &str) {
    for path in paths {
        let (status, page) = browser.get_page(path).await;
        assert!(status.is_success(), "{path}: {status}");
        let nav = nav(&page, menu).unwrap_or_else(|| panic!("{path}: no « {menu} » menu"));
        let current = current_entry(nav);
        // A page below an entry (the password page is below none) marks it.
        if !path.starts_with("/compte") {
            assert!(current.is_some(), "{path}: no current entry in « {menu} »");
        }
        assert!(
            !page.contains(MARKETING_FOOTER),
            "{path}: the marketing footer on a page of « {menu} »"
        );
        for menu in page.split("<nav").skip(1) {
            let menu = &menu[..menu.find("</nav>").unwrap_or(menu.len())];
            assert!(!menu.contains(" · "), "{path}: a menu made of « · » runs");
        }
    }
}

async fn every_page_of_a_space_carries_its_menu_with_the_current_entry(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, client) = client_of_company(&app, "client@example.fr", "Syndic Martin").await;
    let mut client_pages = pages_of(Access::Client);
    client_pages.push("/compte/mot-de-passe".into());
    check_space(&client, &client_pages, "Espace client").await;
    let (_, page) = client.get_page("/profil/batiments").await;
    assert_eq!(
        current_entry(nav(&page, "Espace client").unwrap()).as_deref(),
        Some("Bâtiments")
    );

    create_account(&app, Role::Admin, "admin@example.fr").await;
    let admin = app.browser();
    admin.login_ok("admin@example.fr", PASSWORD).await;
    let mut staff_pages = pages_of(Access::Admin);
    staff_pages.extend(pages_of(Access::Statistics));
    staff_pages.push("/compte/mot-de-passe".into());
    check_space(&admin, &staff_pages, "Administration").await;
    let (_, page) = admin.get_page("/admin/droits/visites").await;
    assert_eq!(
        current_entry(nav(&page, "Administration").unwrap()).as_deref(),
        Some("Droits")
    );

    create_account(&app, Role::Marketing, "marketing@example.fr").await;
    let marketing = app.browser();
    marketing.login_ok("marketing@example.fr", PASSWORD).await;
    check_space(
        &marketing,
        &pages_of(Access::Statistics),
        "Espace marketing",
    )
    .await;
    app.stop().await;
}

async fn the_header_says_who_is_logged_in_and_leads_to_their_space(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, client) = client_of_company(&app, "client@example.fr", "Syndic Martin").await;
    for path in ["/", "/services", "/profil", "/profil/demandes"] {
        let (_, page) = client.get_page(path).await;
        let header = &page[page.find("<header").unwrap()..page.find("</header>").unwrap()];
        assert!(
            // The last name in its own element, which a phone hides.
            header.contains("Camille<span class=\"person-last\"> Martin</span>"),
            "{path}: no name in {header}"
        );
        assert!(
            header.contains("href=\"/profil\""),
            "{path}: no link to the space"
        );
        assert!(
            !header.contains("href=\"/connexion\""),
            "{path}: a login link"
        );
        assert!(
            header.contains("action=\"/deconnexion\""),
            "{path}: no logout"
        );
    }
    create_account(&app, Role::Admin, "admin@example.fr").await;
    let admin = app.browser();
    admin.login_ok("admin@example.fr", PASSWORD).await;
    let (_, page) = admin.get_page("/").await;
    let header = &page[page.find("<header").unwrap()..page.find("</header>").unwrap()];
    assert!(
        header.contains("href=\"/admin\""),
        "no link to the staff space"
    );
    assert!(header.contains("Administration"));
    app.stop().await;
}

async fn a_visitor_is_offered_the_login_and_the_marketing_footer(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, page) = app.browser().get_page("/").await;
    let header = &page[page.find("<header").unwrap()..page.find("</header>").unwrap()];
    assert!(header.contains("href=\"/connexion\""));
    assert!(!header.contains("/deconnexion"));
    assert!(page.contains(MARKETING_FOOTER));
    assert!(page.contains("aria-current=\"page\">Accueil</a>"));
    app.stop().await;
}

/// The page's `<header>`.
fn header_of(page: &str) -> &str {
    &page[page.find("<header").unwrap()..page.find("</header>").unwrap()]
}

async fn every_header_carries_the_on_call_number_when_there_is_one(backend: Backend) {
    let app = spawn_app_with(backend.clone(), |settings| {
        settings.emergency_phone = Some(EmergencyPhone::parse("01 23 45 67 89").unwrap());
    })
    .await;
    let (_, client) = client_of_company(&app, "client@example.fr", "Syndic Martin").await;
    create_account(&app, Role::Admin, "admin@example.fr").await;
    let admin = app.browser();
    admin.login_ok("admin@example.fr", PASSWORD).await;
    let visitor = app.browser();
    for (browser, path) in [
        (&visitor, "/"),
        (&visitor, "/contact"),
        (&visitor, "/page-qui-n-existe-pas"),
        (&client, "/profil"),
        (&client, "/profil/demandes/nouvelle"),
        (&admin, "/admin/demandes"),
    ] {
        let (_, page) = browser.get_page_raw(path).await;
        let header = header_of(&page);
        assert!(
            header.contains("href=\"tel:+33123456789\""),
            "{path}: no on-call link in {header}"
        );
        assert!(
            header.contains("01\u{a0}23\u{a0}45\u{a0}67\u{a0}89"),
            "{path}"
        );
    }
    app.stop().await;

    let app = spawn_app(backend).await;
    let (_, page) = app.browser().get_page("/").await;
    assert!(
        !header_of(&page).contains("tel:"),
        "a number shown without one set"
    );
    assert!(
        !page.contains("astreinte"),
        "an on-call line promised without a number"
    );
    app.stop().await;
}
