//! French typography on every page (`views::typography`, applied by the
//! layout): narrow no-break spaces and ’ in the text, attributes and form
//! values exactly as typed, real plurals and no « (e) » on any page of a
//! client's and a staff member's walk.

use reqwest::StatusCode;
use wemaintain::auth::{Access, Role};
use wemaintain::routes::{Verb, ROUTES};

use crate::common::mail::wait_for;
use crate::helpers::{
    client_with_a_lift, create_account, scalar, spawn_app, Backend, Browser, TestApp, PASSWORD,
};
use crate::on_both_backends;

on_both_backends!(
    pages_set_french_typography_in_their_text_only,
    e_mails_are_set_too_and_their_links_are_not,
    no_page_of_a_walk_writes_plurals_or_agreement_in_parentheses,
    values_typed_with_a_straight_apostrophe_come_back_exactly,
);

const NNBSP: char = '\u{202f}';
const STAFF: &str = "equipe@wemaintain.com";

/// The text between tags of a page (tags and attributes left out).
fn text_nodes(page: &str) -> String {
    page.split('<')
        .filter_map(|chunk| chunk.split_once('>').map(|(_, text)| text))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The pages without a parameter that `access` opens, as a GET.
fn pages_of(access: Access) -> Vec<String> {
    ROUTES
        .iter()
        .filter(|r| r.verb == Verb::Read && r.access == access && !r.path.contains('{'))
        .filter(|r| !r.path.ends_with("/export") && !r.path.ends_with("/texte"))
        .map(|r| r.path.to_owned())
        .collect()
}

async fn staff(app: &TestApp) -> Browser {
    create_account(app, Role::Admin, STAFF).await;
    let browser = app.browser();
    browser.login_ok(STAFF, PASSWORD).await;
    browser
}

/// A client with a building, a device and a maintenance request; returns
/// the browser and the ids of the building and the request.
async fn busy_client(app: &TestApp) -> (Browser, i64, i64) {
    let (client, building, device) =
        client_with_a_lift(app, "gestion@syndic.fr", "Syndic Exemple").await;
    let device = device.to_string();
    let request = [
        ("appareil", device.as_str()),
        ("nature", "entretien"),
        ("urgence", "question"),
        ("description", "La porte palière grince au 2e étage."),
    ];
    let sent = client
        .post_form("/profil/demandes/nouvelle", &request)
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let request = scalar(&app.db, "SELECT MAX(id) FROM maintenance_requests").await;
    (client, building, request)
}

async fn pages_set_french_typography_in_their_text_only(backend: Backend) {
    let app = spawn_app(backend).await;
    let visitor = app.browser();
    for path in ["/connexion", "/contact", "/politique-de-confidentialite"] {
        let (status, page) = visitor.get_page_raw(path).await;
        assert_eq!(status, 200, "{path}");
        let text = text_nodes(&page);
        assert!(
            text.contains(&format!("{NNBSP}:")),
            "{path}: no narrow space before « : »"
        );
        assert!(text.contains('’'), "{path}: no typographic apostrophe");
        assert!(
            !text.contains(" :") && !text.contains(" ?"),
            "{path}: a plain space before « : » or « ? »"
        );
    }
    let (_, login) = visitor.get_page_raw("/connexion").await;
    assert!(login.contains(&format!("Mot de passe oublié{NNBSP}?")));
    // Attributes are not text: the straight apostrophe stays in them.
    let (_, contact) = visitor.get_page_raw("/contact").await;
    assert!(contact.contains("href=\"/politique-de-confidentialite\""));
    assert!(contact.contains(&format!("«{NNBSP}")) || !contact.contains('«'));

    // A date and hour on a staff page: no-break spaces around the « h ».
    let (_, _, request) = busy_client(&app).await;
    let staff = staff(&app).await;
    let (_, page) = staff
        .get_page_raw(&format!("/admin/demandes/{request}"))
        .await;
    let text = text_nodes(&page);
    assert!(
        text.contains("\u{a0}h\u{a0}"),
        "no no-break spaces in the hour: {text}"
    );
    assert!(text.contains(&format!("n°\u{a0}{request}")), "{text}");
    app.stop().await;
}

async fn no_page_of_a_walk_writes_plurals_or_agreement_in_parentheses(backend: Backend) {
    let app = spawn_app(backend).await;
    let (client, building, request) = busy_client(&app).await;
    let mut client_pages = pages_of(Access::Client);
    client_pages.extend([
        format!("/profil/batiments/{building}"),
        format!("/profil/demandes/{request}"),
        "/compte/mot-de-passe".into(),
    ]);
    let staff = staff(&app).await;
    let mut staff_pages = pages_of(Access::Admin);
    staff_pages.extend(pages_of(Access::Statistics));
    staff_pages.push(format!("/admin/demandes/{request}"));
    let public: Vec<String> = pages_of(Access::Public);
    for (browser, paths) in [
        (&client, &client_pages),
        (&staff, &staff_pages),
        (&app.browser(), &public),
    ] {
        for path in paths {
            let (status, page) = browser.get_page_raw(path).await;
            assert!(status.is_success(), "{path}: {status}");
            let text = text_nodes(&page);
            for written in ["(s)", "(e)", "(es)", "é(e)"] {
                assert!(!text.contains(written), "{path}: « {written} » in {text}");
            }
        }
    }
    let (_, list) = client.get_page("/profil/demandes").await;
    assert!(list.contains("1 demande<"), "a real singular: {list}");
    app.stop().await;
}

async fn values_typed_with_a_straight_apostrophe_come_back_exactly(backend: Backend) {
    let app = spawn_app(backend).await;
    let (client, _, _) = busy_client(&app).await;
    let name = "L'Orée du Bois : bât. A ; 50 % ?";
    // A form sent back with an error keeps the value byte for byte.
    let sent = client
        .post_form(
            "/profil/batiments/nouveau",
            &[
                ("nom", name),
                ("adresse", "3 rue d'Alésia"),
                ("code_postal", "x"),
                ("ville", "Paris"),
                ("pays", "FR"),
            ],
        )
        .await;
    assert_eq!(sent.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = sent.text().await.unwrap();
    assert!(page.contains(&format!("value=\"{name}\"")), "{page}");
    assert!(page.contains("value=\"3 rue d'Alésia\""), "{page}");
    // A textarea too.
    let description = "L'ascenseur : bloqué au 2e ! Qu'en dites-vous ?";
    let sent = client
        .post_form(
            "/profil/demandes/nouvelle",
            &[
                ("nature", "entretien"),
                ("urgence", ""),
                ("description", description),
            ],
        )
        .await;
    assert_eq!(sent.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = sent.text().await.unwrap();
    assert!(
        page.contains(&format!(">{description}</textarea>")),
        "{page}"
    );

    // Saved, it is stored as typed and its edit form shows it as typed;
    // only the text of the pages around it is set in French typography.
    let fields = [
        ("nom", name),
        ("adresse", "3 rue d'Alésia"),
        ("code_postal", "75014"),
        ("ville", "Paris"),
        ("pays", "FR"),
    ];
    let sent = client.post_form("/profil/batiments/nouveau", &fields).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let stored = format!(
        "SELECT COUNT(*) FROM buildings WHERE name = '{}'",
        name.replace('\'', "''")
    );
    assert_eq!(scalar(&app.db, &stored).await, 1);
    let id = scalar(&app.db, "SELECT MAX(id) FROM buildings").await;
    let (_, edit) = client
        .get_page_raw(&format!("/profil/batiments/{id}/modifier"))
        .await;
    assert!(edit.contains(&format!("value=\"{name}\"")), "{edit}");
    let (_, shown) = client
        .get_page_raw(&format!("/profil/batiments/{id}"))
        .await;
    assert!(
        shown.contains("L’Orée du Bois\u{202f}: bât. A\u{202f}; 50\u{202f}%\u{202f}?"),
        "{shown}"
    );
    app.stop().await;
}

async fn e_mails_are_set_too_and_their_links_are_not(backend: Backend) {
    let app = spawn_app(backend).await;
    create_account(&app, Role::Admin, STAFF).await;
    let question = [
        ("prenom", "Jeanne"),
        ("nom", "Dupont"),
        ("telephone", "06 12 34 56 78"),
        ("email", "jeanne.dupont@exemple.fr"),
        ("message", "L'ascenseur fait un bruit étrange au 3e étage."),
    ];
    let sent = app.browser().post_form("/contact", &question).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let mail = wait_for(&app.settings.data_dir, STAFF, "Jeanne Dupont")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let body = &mail.raw_text;
    assert!(body.contains(&format!("y répondre{NNBSP}: http")), "{body}");
    assert!(
        body.contains("://") && body.contains("/admin/messages"),
        "{body}"
    );
    assert!(body.contains("L’équipe WeMaintain"), "{body}");
    app.stop().await;
}
