//! A client account and its company: staff attach and detach it at
//! `/admin/comptes/{id}` (audited, CSRF-checked, admins only), `create-user`
//! attaches it at creation, and a client without a company is told what to
//! do on every page of the company instead of a dead end.

use wemaintain::auth::Role;
use wemaintain::db::Db;

use crate::helpers::PlainText;
use crate::helpers::{
    client_of_company, create_account, header, scalar, spawn_app, Backend, Browser, TestApp,
    PASSWORD,
};
use crate::on_both_backends;

on_both_backends!(
    staff_attach_a_client_who_then_sees_the_company_and_detach_it,
    attaching_is_for_admins_with_the_form_token_and_for_client_accounts,
    a_bad_company_is_refused_in_french_and_changes_nothing,
    create_user_attaches_to_a_company_or_creates_it,
    create_user_refuses_an_unknown_company_and_creates_nothing,
    a_client_without_a_company_is_told_what_to_do,
);

const EXPLANATION: &str = "pas encore rattaché à une société";
const ADMIN: &str = "equipe@wemaintain.com";

/// An admin, logged in.
async fn admin(app: &TestApp) -> Browser {
    create_account(app, Role::Admin, ADMIN).await;
    let browser = app.browser();
    browser.login_ok(ADMIN, PASSWORD).await;
    browser
}

/// A client of `company` with a building named `building`; the company's id.
async fn company_with_building(app: &TestApp, company: &str, building: &str) -> i64 {
    let (company_id, owner) = client_of_company(app, "gerant@exemple.fr", company).await;
    let created = owner
        .post_form(
            "/profil/batiments/nouveau",
            &[
                ("nom", building),
                ("adresse", "12 avenue des Tilleuls"),
                ("code_postal", "92200"),
                ("ville", "Neuilly-sur-Seine"),
                ("pays", "FR"),
            ],
        )
        .await;
    assert_eq!(created.status(), 303, "the building is created");
    company_id
}

/// One text of the database.
async fn text(db: &Db, sql: &str) -> Option<String> {
    match db {
        Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_optional(pool).await,
        Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_optional(pool).await,
    }
    .expect("a text")
}

async fn company_of(app: &TestApp, user: i64) -> i64 {
    scalar(
        &app.db,
        &format!("SELECT COALESCE(company_id, 0) FROM users WHERE id = {user}"),
    )
    .await
}

async fn staff_attach_a_client_who_then_sees_the_company_and_detach_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = company_with_building(&app, "Syndic Horizon", "Résidence Les Tilleuls").await;
    let user = create_account(&app, Role::Client, "nouveau@exemple.fr").await;
    let client = app.browser();
    client.login_ok("nouveau@exemple.fr", PASSWORD).await;
    let (_, before) = client.get_page("/profil/batiments").await;
    assert!(before.contains(EXPLANATION), "{before}");
    assert!(!before.contains("Résidence Les Tilleuls"));

    let staff = admin(&app).await;
    let (status, page) = staff.get_page(&format!("/admin/comptes/{user}")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains(&format!("action=\"/admin/comptes/{user}/societe\"")),
        "{page}"
    );
    assert!(
        page.contains("Syndic Horizon"),
        "the company is one of the choices"
    );
    let company_text = company.to_string();
    let attached = staff
        .post_form(
            &format!("/admin/comptes/{user}/societe"),
            &[("societe", &company_text)],
        )
        .await;
    assert_eq!(attached.status(), 303);
    let back = header(attached.headers(), "location").to_owned();
    assert_eq!(back, format!("/admin/comptes/{user}?fait=rattache"));
    let (_, notice) = staff.get_page(&back).await;
    assert!(notice.contains("Compte rattaché à la société"), "{notice}");
    assert!(notice.contains("Détacher le compte"), "{notice}");

    // Attaching it again changes nothing and is not audited twice.
    let again = staff
        .post_form(
            &format!("/admin/comptes/{user}/societe"),
            &[("societe", &company_text)],
        )
        .await;
    assert!(header(again.headers(), "location").ends_with("fait=meme-societe"));
    // The same session sees the company at once: no need to log in again.
    let (status, after) = client.get_page("/profil/batiments").await;
    assert_eq!(status, 200);
    assert!(after.contains("Résidence Les Tilleuls"), "{after}");
    let (_, home) = client.get_page("/profil").await;
    assert!(home.contains("Syndic Horizon") && !home.contains(EXPLANATION));
    let subject = text(
        &app.db,
        &format!("SELECT subject FROM audit_log WHERE event = 'company_attached' AND subject_user_id = {user}"),
    )
    .await;
    assert_eq!(
        subject.as_deref(),
        Some(format!("company:{company}").as_str())
    );
    let attached_lines = scalar(
        &app.db,
        "SELECT COUNT(*) FROM audit_log WHERE event = 'company_attached'",
    )
    .await;
    assert_eq!(attached_lines, 1);

    let detached = staff
        .post_form(&format!("/admin/comptes/{user}/societe/retirer"), &[])
        .await;
    assert_eq!(detached.status(), 303);
    assert_eq!(
        header(detached.headers(), "location"),
        format!("/admin/comptes/{user}?fait=detache")
    );
    assert_eq!(company_of(&app, user).await, 0);
    let (status, gone) = client.get_page("/profil/batiments").await;
    assert_eq!(status, 200);
    assert!(!gone.contains("Résidence Les Tilleuls"), "{gone}");
    assert!(gone.contains(EXPLANATION));
    let building = scalar(&app.db, "SELECT MIN(id) FROM buildings").await;
    let (status, _) = client
        .get_page(&format!("/profil/batiments/{building}"))
        .await;
    assert_eq!(status, 200);
    let detached_lines = scalar(
        &app.db,
        &format!("SELECT COUNT(*) FROM audit_log WHERE event = 'company_detached' AND subject_user_id = {user} AND subject = 'company:{company}'"),
    )
    .await;
    assert_eq!(detached_lines, 1);
    // Detaching again: nothing to do, said so, not audited.
    let again = staff
        .post_form(&format!("/admin/comptes/{user}/societe/retirer"), &[])
        .await;
    assert!(header(again.headers(), "location").ends_with("fait=sans-societe"));
    let (_, journal) = staff.get_page("/admin/journal").await;
    assert!(
        journal.contains("Compte rattaché à une société"),
        "{journal}"
    );
    assert!(journal.contains("Compte détaché de sa société"));
}

async fn attaching_is_for_admins_with_the_form_token_and_for_client_accounts(backend: Backend) {
    let app = spawn_app(backend).await;
    let (company, owner) = client_of_company(&app, "gerant@exemple.fr", "Syndic Horizon").await;
    let user = create_account(&app, Role::Client, "nouveau@exemple.fr").await;
    let marketing = create_account(&app, Role::Marketing, "marketing@wemaintain.com").await;
    let path = format!("/admin/comptes/{user}/societe");
    let company_text = company.to_string();

    // A client (even of the company) and marketing are refused.
    let refused = owner.post_form(&path, &[("societe", &company_text)]).await;
    assert_eq!(refused.status(), 403);
    let marketer = app.browser();
    marketer
        .login_ok("marketing@wemaintain.com", PASSWORD)
        .await;
    let refused = marketer
        .post_form(&path, &[("societe", &company_text)])
        .await;
    assert_eq!(refused.status(), 403);

    // An admin without the form's token is refused.
    let staff = admin(&app).await;
    let forged = staff
        .client
        .post(staff.url(&path))
        .form(&[("societe", company_text.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    let forged = staff
        .client
        .post(staff.url(&format!("{path}/retirer")))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    assert_eq!(company_of(&app, user).await, 0);

    // A staff account has no company: refused in French, nothing changes.
    let staff_account = staff
        .post_form(
            &format!("/admin/comptes/{marketing}/societe"),
            &[("societe", &company_text)],
        )
        .await;
    let back = header(staff_account.headers(), "location").to_owned();
    assert!(back.ends_with("fait=pas-client"), "{back}");
    let (_, page) = staff.get_page(&back).await;
    assert!(page.contains("Seul un compte client se rattache à une société"));
    assert!(!page.contains(&format!("action=\"/admin/comptes/{marketing}/societe\"")));
    assert_eq!(company_of(&app, marketing).await, 0);
    // An unknown account: 404.
    let unknown = staff
        .post_form("/admin/comptes/9999/societe", &[("societe", &company_text)])
        .await;
    assert_eq!(unknown.status(), 404);
    assert_eq!(
        scalar(
            &app.db,
            "SELECT COUNT(*) FROM audit_log WHERE event LIKE 'company_%'"
        )
        .await,
        0
    );
}

async fn a_bad_company_is_refused_in_french_and_changes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let (company, _) = client_of_company(&app, "gerant@exemple.fr", "Syndic Horizon").await;
    let user = create_account(&app, Role::Client, "nouveau@exemple.fr").await;
    let staff = admin(&app).await;
    let path = format!("/admin/comptes/{user}/societe");
    for (value, message) in [
        ("", "Choisissez la société"),
        ("abc", "Choisissez la société"),
        ("9999", "Cette société n'existe pas ou plus"),
    ] {
        let response = staff.post_form(&path, &[("societe", value)]).await;
        assert_eq!(response.status(), 422, "{value:?}");
        let page = response.plain_text().await;
        assert!(page.contains(message), "{value:?}: {page}");
        assert!(page.contains("aria-invalid=\"true\""), "{value:?}");
    }
    // A company emptied by an erasure is not one to attach to.
    crate::helpers::execute(
        &app.db,
        &format!("UPDATE companies SET expires_at = 1 WHERE id = {company}"),
    )
    .await
    .unwrap();
    let response = staff
        .post_form(&path, &[("societe", &company.to_string())])
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(company_of(&app, user).await, 0);
}

/// Runs `wemaintain create-user` against the app's database.
fn create_user(app: &TestApp, args: &[&str]) -> std::process::Output {
    let url = app.settings.database_url.as_str().to_owned();
    let data = app.settings.data_dir.display().to_string();
    let vars = [
        ("WM_DATABASE_URL", url.as_str()),
        ("WM_DATA_DIR", data.as_str()),
        ("WM_PASSWORD", PASSWORD),
        ("WM_LOG", "warn"),
    ];
    let mut all = vec!["create-user"];
    all.extend_from_slice(args);
    crate::cli::run(&all, &vars)
}

async fn create_user_attaches_to_a_company_or_creates_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let company = company_with_building(&app, "Syndic Horizon", "Résidence Les Tilleuls").await;
    let company_text = company.to_string();
    let output = create_user(
        &app,
        &[
            "--role",
            "client",
            "--email",
            "Lea@Exemple.fr",
            "--company-id",
            &company_text,
        ],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("créé : lea@exemple.fr"), "{stdout}");
    assert!(
        stdout.contains(&format!("rattaché à la société n° {company}")),
        "{stdout}"
    );
    let client = app.browser();
    client.login_ok("lea@exemple.fr", PASSWORD).await;
    let (_, buildings) = client.get_page("/profil/batiments").await;
    assert!(buildings.contains("Résidence Les Tilleuls"), "{buildings}");

    // With the company's fields, the company is created with the account.
    let output = create_user(
        &app,
        &[
            "--role",
            "client",
            "--email",
            "paul@exemple.fr",
            "--company-name",
            "Foncière du Parc",
            "--company-kind",
            "agence",
            "--company-address",
            "3 rue de la Paix",
            "--company-postal-code",
            "75002",
            "--company-city",
            "Paris",
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("Société n° "));
    let paul = app.browser();
    paul.login_ok("paul@exemple.fr", PASSWORD).await;
    let (_, home) = paul.get_page("/profil").await;
    assert!(
        home.contains("Foncière du Parc") && home.contains("Paris"),
        "{home}"
    );
    let audited = scalar(
        &app.db,
        "SELECT COUNT(*) FROM audit_log WHERE event = 'account_created' AND subject LIKE 'company:%'",
    )
    .await;
    assert_eq!(audited, 2);

    // Missing fields of a new company: named by their option, nothing made.
    let (users, companies) = (app.count("users").await, app.count("companies").await);
    let output = create_user(
        &app,
        &[
            "--role",
            "client",
            "--email",
            "zoe@exemple.fr",
            "--company-name",
            "Sans Adresse",
        ],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("--company-address :") && stderr.contains("--company-city :"),
        "{stderr}"
    );
    // A staff account with a company is refused.
    let output = create_user(
        &app,
        &[
            "--role",
            "admin",
            "--email",
            "chef@wemaintain.com",
            "--company-id",
            &company_text,
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("seul un compte client"));
    assert_eq!(app.count("users").await, users);
    assert_eq!(app.count("companies").await, companies);
}

async fn create_user_refuses_an_unknown_company_and_creates_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let output = create_user(
        &app,
        &[
            "--role",
            "client",
            "--email",
            "lea@exemple.fr",
            "--company-id",
            "4242",
        ],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr
            .starts_with("wemaintain : create-user : --company-id : aucune société n'a le n° 4242"),
        "{stderr}"
    );
    assert_eq!(app.count("users").await, 0);
    assert_eq!(app.count("audit_log").await, 0);
}

async fn a_client_without_a_company_is_told_what_to_do(backend: Backend) {
    let app = spawn_app(backend).await;
    create_account(&app, Role::Client, "seul@exemple.fr").await;
    let client = app.browser();
    client.login_ok("seul@exemple.fr", PASSWORD).await;
    let (status, home) = client.get_page("/profil").await;
    assert_eq!(status, 200);
    assert!(home.contains(EXPLANATION), "{home}");
    assert!(home.contains("href=\"/contact\"") && home.contains("mailto:contact@wemaintain.com"));
    for path in [
        "/profil/batiments",
        "/profil/batiments/nouveau",
        "/profil/batiments/1",
        "/profil/demandes",
        "/profil/demandes/nouvelle",
        "/profil/demandes/1",
        "/profil/propositions",
        "/profil/propositions/nouvelle",
        "/profil/rapports",
        "/profil/rapports/1",
        "/profil/contrat",
        "/profil/contrat/verifier",
        "/profil/contrat/1",
    ] {
        let (status, page) = client.get_page(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(page.contains(EXPLANATION), "{path}: {page}");
        assert!(page.contains("href=\"/contact\""), "{path}");
        assert!(
            !page.contains("Aucun bâtiment"),
            "{path}: no empty list pretending"
        );
    }
    // A form sent anyway creates nothing and says the same.
    let posted = client
        .post_form(
            "/profil/batiments/nouveau",
            &[
                ("nom", "Résidence"),
                ("adresse", "1 rue"),
                ("code_postal", "75001"),
                ("ville", "Paris"),
                ("pays", "FR"),
            ],
        )
        .await;
    assert_eq!(posted.status(), 200);
    assert!(posted.plain_text().await.contains(EXPLANATION));
    assert_eq!(app.count("buildings").await, 0);
    let posted = client
        .post_form("/profil/demandes/nouvelle", &[("appareil", "1")])
        .await;
    assert!(posted.plain_text().await.contains(EXPLANATION));
    assert_eq!(app.count("maintenance_requests").await, 0);
    // Their own data pages need no company.
    let (status, data) = client.get_page("/profil/donnees").await;
    assert_eq!(status, 200);
    assert!(!data.contains(EXPLANATION));
}
