//! Accounts: registration and staff validation, login, sessions, password
//! reset and change, throttling, and what an outsider can learn (nothing).

use chrono::Duration;
use wemaintain::auth::Role;
use wemaintain::db::Db;

use crate::helpers::PlainText;
use crate::helpers::{
    create_account, csrf_in, header, spawn_app, wait, without_csrf, Backend, Browser, TestApp,
    PASSWORD,
};
use crate::on_both_backends;

on_both_backends!(
    a_registration_validated_by_staff_opens_a_working_account,
    every_invalid_registration_field_is_refused_with_its_message,
    a_pending_or_rejected_request_says_so_only_to_its_password,
    a_forgotten_password_is_reset_through_a_single_use_link,
    the_session_key_changes_at_login_and_logout_ends_it,
    a_new_password_ends_every_other_session,
    sessions_end_after_their_idle_and_absolute_lifetimes,
    logins_are_throttled_per_account_and_per_ip,
    an_outsider_cannot_tell_which_addresses_have_an_account,
    the_audit_log_records_sensitive_actions,
    expired_pending_registrations_are_purged,
    create_user_bootstraps_a_staff_account,
    staff_change_roles_and_disable_accounts,
    sessions_survive_a_restart_with_the_same_secret_only,
    every_form_of_the_site_carries_a_csrf_token,
    two_instances_share_sessions_and_login_counts,
    a_stop_sends_the_mail_still_in_flight_and_counts_it,
    staff_read_the_audit_log_and_the_register_with_its_purges,
    staff_decisions_on_a_request_decided_or_taken_meanwhile_change_nothing,
);

const EMAIL: &str = "marie.durand@syndic-exemple.fr";
const NEW_PASSWORD: &str = "Horloge-verte-31-Piano-Nuage";

fn registration_fields() -> Vec<(&'static str, &'static str)> {
    vec![
        ("prenom", "Marie"),
        ("nom", "Durand"),
        ("sexe", "madame"),
        ("role", "Gestionnaire de copropriété"),
        ("email", "Marie.Durand@Syndic-Exemple.fr"),
        ("telephone", "06 12 34 56 78"),
        ("societe", "Syndic Exemple"),
        ("type_societe", "agence"),
        ("adresse", "3 rue de la Paix"),
        ("complement", "2e étage"),
        ("ville", "Paris"),
        ("code_postal", "75002"),
        ("pays", "FR"),
        ("mot_de_passe", PASSWORD),
        ("confirmation", PASSWORD),
    ]
}

async fn scalar_i64(db: &Db, sql: &str) -> i64 {
    match db {
        Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
        Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
    }
    .expect(sql)
}

async fn scalar_text(db: &Db, sql: &str) -> String {
    match db {
        Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
        Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
    }
    .expect(sql)
}

async fn events(db: &Db) -> Vec<String> {
    const SQL: &str = "SELECT event FROM audit_log ORDER BY id";
    match db {
        Db::Sqlite(pool) => sqlx::query_scalar(SQL).fetch_all(pool).await,
        Db::Postgres(pool) => sqlx::query_scalar(SQL).fetch_all(pool).await,
    }
    .expect("audit events")
}

/// Registers Marie and returns the request's id.
async fn register(app: &TestApp, browser: &Browser) -> i64 {
    let response = browser
        .post_form("/inscription", &registration_fields())
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        header(response.headers(), "location"),
        "/inscription/envoyee"
    );
    app.confirm_registration(EMAIL).await;
    scalar_i64(&app.db, "SELECT MAX(id) FROM registrations").await
}

/// The session cookie a response sets, as `name=value`.
fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("wm_session=") && !c.starts_with("wm_session=;"))
        .map(|c| c.split(';').next().unwrap_or("").to_owned())
}

/// Whether a request carrying only `cookie` reaches the Profile.
async fn cookie_opens_profile(app: &TestApp, cookie: &str) -> bool {
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(app.url("/profil"))
        .header("Cookie", cookie)
        .send()
        .await
        .unwrap();
    response.status() == 200
}

async fn a_registration_validated_by_staff_opens_a_working_account(backend: Backend) {
    let app = spawn_app(backend).await;
    create_account(&app, Role::Admin, "equipe@wemaintain.com").await;
    let visitor = app.browser();

    let (status, page) = visitor.get_page("/inscription").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("90 jours"),
        "the page says how long a pending request is kept"
    );
    let id = register(&app, &visitor).await;
    let (_, page) = visitor.get_page("/inscription/envoyee").await;
    assert!(page.contains("Confirmez votre adresse e-mail"));

    // Stored as typed, validated and normalised, pending for 90 days.
    let row = scalar_text(
        &app.db,
        &format!("SELECT email || '|' || phone || '|' || postal_code || '|' || status || '|' || civility FROM registrations WHERE id = {id}"),
    )
    .await;
    assert_eq!(row, format!("{EMAIL}|+33612345678|75002|pending|madame"));
    let hash = scalar_text(&app.db, "SELECT password_hash FROM registrations").await;
    assert!(hash.starts_with("$argon2id$") && !hash.contains(PASSWORD));
    let now = app.clock_now();
    let expires = scalar_i64(&app.db, "SELECT expires_at FROM registrations").await;
    assert_eq!(expires, (now + Duration::days(90)).timestamp_millis());
    let staff_mail = app
        .wait_for_mail("equipe@wemaintain.com", "Nouvelle demande de compte")
        .await;
    assert!(
        staff_mail.contains(&format!("/admin/inscriptions/{id}")),
        "{staff_mail}"
    );

    // Before validation the person is told the request is being examined.
    let response = visitor.login(EMAIL, PASSWORD).await;
    assert_eq!(response.status(), 200);
    assert!(response.plain_text().await.contains("en cours d'examen"));

    let staff = app.browser();
    staff.login_ok("equipe@wemaintain.com", PASSWORD).await;
    let (status, list) = staff.get_page("/admin/inscriptions").await;
    assert_eq!(status, 200);
    assert!(list.contains("Marie Durand") && list.contains("Syndic Exemple"));
    let (status, record) = staff.get_page(&format!("/admin/inscriptions/{id}")).await;
    assert_eq!(status, 200);
    assert!(record.contains("+33 6 12 34 56 78") && record.contains("2e étage"));
    let response = staff
        .post_form(&format!("/admin/inscriptions/{id}/valider"), &[])
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        header(response.headers(), "location"),
        "/admin/inscriptions?fait=valide"
    );
    // Validating twice changes nothing.
    let again = staff
        .post_form(&format!("/admin/inscriptions/{id}/valider"), &[])
        .await;
    assert_eq!(
        header(again.headers(), "location"),
        "/admin/inscriptions?fait=deja"
    );
    assert_eq!(app.count("users").await, 2);
    assert_eq!(app.count("companies").await, 1);
    assert_eq!(
        app.count("registrations").await,
        0,
        "the request moved to the account tables"
    );

    let mail = app
        .wait_for_mail(EMAIL, "Votre compte WeMaintain est ouvert")
        .await;
    assert!(mail.contains("/connexion"));

    let response = visitor.login(EMAIL, PASSWORD).await;
    assert_eq!(response.status(), 303);
    assert_eq!(header(response.headers(), "location"), "/profil");
    let (status, profile) = visitor.get_page("/profil").await;
    assert_eq!(status, 200);
    for expected in [
        "Bonjour Marie",
        "Syndic Exemple",
        "Agence",
        "75002 Paris",
        "Madame",
        "+33 6 12 34 56 78",
    ] {
        assert!(
            profile.contains(expected),
            "{expected} missing from the profile"
        );
    }
}

async fn every_invalid_registration_field_is_refused_with_its_message(backend: Backend) {
    let app = spawn_app(backend).await;
    let visitor = app.browser();
    let cases: &[(&str, &str, &str)] = &[
        ("prenom", "", "Indiquez votre prénom."),
        ("nom", "   ", "Indiquez votre nom."),
        ("sexe", "autre", "Choisissez une réponse dans la liste."),
        ("role", "", "Indiquez votre rôle dans la société"),
        ("email", "marie@", "adresse e-mail valide"),
        ("telephone", "12", "numéro"),
        ("societe", "", "Indiquez le nom de la société."),
        (
            "type_societe",
            "filiale",
            "Choisissez une réponse dans la liste.",
        ),
        ("adresse", "", "Indiquez l'adresse de la société"),
        ("ville", "", "Indiquez la ville de la société."),
        ("code_postal", "7500", "5 chiffres"),
        ("pays", "XX", "Choisissez un pays"),
        ("mot_de_passe", "court", "12 caractères"),
        ("mot_de_passe", "motdepasse123", "trop courant"),
        ("confirmation", "Autre-chose-que-le-mot", "pas identiques"),
    ];
    for (field, value, message) in cases {
        let mut fields = registration_fields();
        for entry in fields.iter_mut() {
            if entry.0 == *field {
                entry.1 = value;
            }
        }
        if *field == "mot_de_passe" {
            for entry in fields.iter_mut() {
                if entry.0 == "confirmation" {
                    entry.1 = value;
                }
            }
        }
        let response = visitor.post_form("/inscription", &fields).await;
        assert_eq!(response.status(), 422, "{field}={value:?}");
        let page = response.plain_text().await;
        let error_id = format!(r#"id="{field}-erreur""#);
        let at = page
            .find(&error_id)
            .unwrap_or_else(|| panic!("no error next to {field}"));
        let error: String = page[at..].chars().take(300).collect();
        assert!(error.contains(message), "{field}={value:?}: {error}");
        assert!(
            page.contains("Le formulaire contient une erreur"),
            "{field}"
        );
        // What was typed is still there, except passwords.
        for (other, typed) in registration_fields() {
            if other == *field || other == "mot_de_passe" || other == "confirmation" {
                continue;
            }
            let kept = page.contains(&format!(r#"value="{typed}""#))
                || page.contains(&format!(r#"value="{typed}" selected"#));
            assert!(kept, "{other} lost after an error on {field}");
        }
        assert!(!page.contains(PASSWORD), "a password is never sent back");
    }
    // A postal code is checked against its country.
    let mut fields = registration_fields();
    fields.retain(|(k, _)| *k != "pays" && *k != "code_postal");
    fields.push(("pays", "BE"));
    fields.push(("code_postal", "75002"));
    let response = visitor.post_form("/inscription", &fields).await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        app.count("registrations").await,
        0,
        "nothing stored from an invalid form"
    );
}

async fn a_pending_or_rejected_request_says_so_only_to_its_password(backend: Backend) {
    let app = spawn_app(backend).await;
    create_account(&app, Role::Admin, "equipe@wemaintain.com").await;
    let visitor = app.browser();
    let id = register(&app, &visitor).await;

    let wrong = visitor.login(EMAIL, "Pas-le-bon-mot-de-passe").await;
    assert_eq!(wrong.status(), 200);
    let wrong = wrong.plain_text().await;
    assert!(wrong.contains("Adresse e-mail ou mot de passe incorrect"));
    assert!(
        !wrong.contains("examen"),
        "a wrong password learns nothing of the request"
    );

    let staff = app.browser();
    staff.login_ok("equipe@wemaintain.com", PASSWORD).await;
    // A reason is required.
    let response = staff
        .post_form(
            &format!("/admin/inscriptions/{id}/refuser"),
            &[("motif", "")],
        )
        .await;
    assert_eq!(response.status(), 422);
    assert!(response.plain_text().await.contains("motif-erreur"));
    let reason = "Société inconnue de nos services";
    let response = staff
        .post_form(
            &format!("/admin/inscriptions/{id}/refuser"),
            &[("motif", reason)],
        )
        .await;
    assert_eq!(
        header(response.headers(), "location"),
        "/admin/inscriptions?fait=refuse"
    );
    let mail = app.wait_for_mail(EMAIL, reason).await;
    assert!(mail.contains("Nous ne pouvons pas donner suite"));

    let refused = visitor.login(EMAIL, PASSWORD).await.plain_text().await;
    assert!(refused.contains("n'a pas été acceptée") && refused.contains(reason));
    let wrong = visitor
        .login(EMAIL, "Pas-le-bon-mot-de-passe")
        .await
        .plain_text()
        .await;
    assert!(wrong.contains("Adresse e-mail ou mot de passe incorrect") && !wrong.contains(reason));
    assert_eq!(app.count("users").await, 1, "no account was opened");
}

/// The reset link found in the last reset e-mail to `to`.
async fn reset_link(app: &TestApp, to: &str) -> String {
    let mail = app
        .wait_for_mail(to, "Choisir un nouveau mot de passe")
        .await;
    let start = mail
        .find("/mot-de-passe-oublie/nouveau?jeton=")
        .expect("a link");
    let end = mail[start..].find(char::is_whitespace).unwrap() + start;
    mail[start..end].to_owned()
}

async fn a_forgotten_password_is_reset_through_a_single_use_link(backend: Backend) {
    let app = spawn_app(backend).await;
    create_account(&app, Role::Client, EMAIL).await;
    let visitor = app.browser();

    let known = visitor
        .post_form("/mot-de-passe-oublie", &[("email", EMAIL)])
        .await;
    let unknown = visitor
        .post_form("/mot-de-passe-oublie", &[("email", "personne@ailleurs.fr")])
        .await;
    assert_eq!(known.status(), 303);
    assert_eq!(unknown.status(), known.status());
    assert_eq!(
        header(unknown.headers(), "location"),
        header(known.headers(), "location")
    );
    let (_, page) = visitor.get_page("/mot-de-passe-oublie?envoye=1").await;
    assert!(page.contains("Si un compte existe avec cette adresse"));

    let link = reset_link(&app, EMAIL).await;
    assert_eq!(
        app.outbox().len(),
        1,
        "nothing is sent to an unknown address"
    );
    let (status, page) = visitor.get_page(&link).await;
    assert_eq!(status, 200);
    let jeton = link.split("jeton=").nth(1).unwrap();
    assert!(page.contains(jeton));

    // A weak password is refused and the link still works.
    let weak = visitor
        .post_form(
            "/mot-de-passe-oublie/nouveau",
            &[
                ("jeton", jeton),
                ("mot_de_passe", "azertyuiop123"),
                ("confirmation", "azertyuiop123"),
            ],
        )
        .await;
    assert_eq!(weak.status(), 200);
    assert!(weak.plain_text().await.contains("trop courant"));
    let done = visitor
        .post_form(
            "/mot-de-passe-oublie/nouveau",
            &[
                ("jeton", jeton),
                ("mot_de_passe", NEW_PASSWORD),
                ("confirmation", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        header(done.headers(), "location"),
        "/connexion?etat=mot-de-passe-change"
    );
    app.wait_for_mail(EMAIL, "vient d'être changé").await;

    assert_eq!(
        visitor.login(EMAIL, PASSWORD).await.status(),
        200,
        "the old password no longer works"
    );
    visitor.login_ok(EMAIL, NEW_PASSWORD).await;

    // Single use.
    let (_, page) = app.browser().get_page(&link).await;
    assert!(page.contains("n'est plus valable"));
    let reuse = app
        .browser()
        .post_form(
            "/mot-de-passe-oublie/nouveau",
            &[
                ("jeton", jeton),
                ("mot_de_passe", PASSWORD),
                ("confirmation", PASSWORD),
            ],
        )
        .await;
    assert!(reuse.plain_text().await.contains("n'est plus valable"));

    // Valid one hour.
    visitor
        .post_form("/mot-de-passe-oublie", &[("email", EMAIL)])
        .await;
    let second = wait::until("a second reset link", || async {
        app.outbox()
            .iter()
            .rev()
            .find_map(|m| {
                m.find("/mot-de-passe-oublie/nouveau?jeton=").map(|s| {
                    let e = m[s..].find(char::is_whitespace).unwrap() + s;
                    m[s..e].to_owned()
                })
            })
            .filter(|newest| *newest != link)
    })
    .await;
    assert_ne!(second, link);
    app.clock.advance(Duration::minutes(61));
    let (_, page) = app.browser().get_page(&second).await;
    assert!(page.contains("n'est plus valable"));
}

async fn the_session_key_changes_at_login_and_logout_ends_it(backend: Backend) {
    let app = spawn_app(backend).await;
    create_account(&app, Role::Client, EMAIL).await;
    let browser = app.browser();
    let first = browser.login(EMAIL, PASSWORD).await;
    let first_cookie = session_cookie(&first).expect("a session cookie at login");
    let raw = first
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("wm_session="))
        .unwrap();
    assert!(
        raw.contains("HttpOnly") && raw.contains("SameSite=Lax"),
        "{raw}"
    );
    assert!(!raw.contains("Secure"), "WM_HTTPS=false in tests: {raw}");
    assert!(
        !raw.contains(&format!(
            "{}",
            scalar_i64(&app.db, "SELECT id FROM users").await
        )) || raw.len() > 60
    );
    assert!(cookie_opens_profile(&app, &first_cookie).await);

    // Logging in again renews the key: the old one stops working.
    let second = browser.login(EMAIL, PASSWORD).await;
    let second_cookie = session_cookie(&second).expect("a new session cookie");
    assert_ne!(first_cookie, second_cookie);
    assert!(!cookie_opens_profile(&app, &first_cookie).await);
    assert!(cookie_opens_profile(&app, &second_cookie).await);
    // The database holds only a hash of the key.
    let key = second_cookie.trim_start_matches("wm_session=");
    let stored = scalar_text(&app.db, "SELECT key_hash FROM sessions").await;
    assert!(!stored.contains(key) && stored.len() == 64);

    let out = browser.post_form("/deconnexion", &[]).await;
    assert_eq!(
        header(out.headers(), "location"),
        "/connexion?etat=deconnecte"
    );
    assert!(
        !cookie_opens_profile(&app, &second_cookie).await,
        "a copy of the cookie is worthless after logout"
    );
    assert_eq!(browser.get("/profil").await.status(), 303);
    assert_eq!(app.count("sessions").await, 0);
}

async fn a_new_password_ends_every_other_session(backend: Backend) {
    let app = spawn_app(backend).await;
    let user = create_account(&app, Role::Client, EMAIL).await;
    let laptop = app.browser();
    let phone = app.browser();
    laptop.login_ok(EMAIL, PASSWORD).await;
    phone.login_ok(EMAIL, PASSWORD).await;
    assert_eq!(phone.get("/profil").await.status(), 200);

    // A wrong current password changes nothing.
    let refused = laptop
        .post_form(
            "/compte/mot-de-passe",
            &[
                ("actuel", "pas le bon"),
                ("mot_de_passe", NEW_PASSWORD),
                ("confirmation", NEW_PASSWORD),
            ],
        )
        .await;
    assert!(refused
        .plain_text()
        .await
        .contains("Ce n'est pas votre mot de passe actuel"));
    assert_eq!(phone.get("/profil").await.status(), 200);

    let done = laptop
        .post_form(
            "/compte/mot-de-passe",
            &[
                ("actuel", PASSWORD),
                ("mot_de_passe", NEW_PASSWORD),
                ("confirmation", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        header(done.headers(), "location"),
        "/compte/mot-de-passe?fait=1"
    );
    assert_eq!(
        laptop.get("/profil").await.status(),
        200,
        "this browser stays logged in"
    );
    assert_eq!(
        phone.get("/profil").await.status(),
        303,
        "the other session ended"
    );
    assert_eq!(
        scalar_i64(&app.db, "SELECT session_epoch FROM users").await,
        1
    );

    // The epoch alone ends every session, even one whose row survived.
    phone.login_ok(EMAIL, NEW_PASSWORD).await;
    match &app.db {
        Db::Sqlite(pool) => sqlx::query("UPDATE users SET session_epoch = session_epoch + 1")
            .execute(pool)
            .await
            .map(|_| ()),
        Db::Postgres(pool) => sqlx::query("UPDATE users SET session_epoch = session_epoch + 1")
            .execute(pool)
            .await
            .map(|_| ()),
    }
    .unwrap();
    assert_eq!(phone.get("/profil").await.status(), 303);
    assert_eq!(laptop.get("/profil").await.status(), 303);
    // And the server can end them all at once.
    laptop.login_ok(EMAIL, NEW_PASSWORD).await;
    phone.login_ok(EMAIL, NEW_PASSWORD).await;
    wemaintain::accounts::end_sessions(&app.db, user)
        .await
        .unwrap();
    assert_eq!(phone.get("/profil").await.status(), 303);
    assert_eq!(laptop.get("/profil").await.status(), 303);
}

async fn sessions_end_after_their_idle_and_absolute_lifetimes(backend: Backend) {
    let app = spawn_app(backend).await;
    create_account(&app, Role::Client, EMAIL).await;
    let browser = app.browser();
    browser.login_ok(EMAIL, PASSWORD).await;
    // Idle: 2 hours by default.
    app.clock.advance(Duration::minutes(119));
    assert_eq!(browser.get("/profil").await.status(), 200);
    app.clock.advance(Duration::minutes(119));
    assert_eq!(
        browser.get("/profil").await.status(),
        200,
        "each visit restarts the idle time"
    );
    app.clock.advance(Duration::minutes(121));
    assert_eq!(browser.get("/profil").await.status(), 303, "idle too long");
    // Absolute: 12 hours after login, however active.
    browser.login_ok(EMAIL, PASSWORD).await;
    for _ in 0..7 {
        app.clock.advance(Duration::minutes(100));
        assert_eq!(browser.get("/profil").await.status(), 200);
    }
    app.clock.advance(Duration::minutes(25));
    assert_eq!(
        browser.get("/profil").await.status(),
        303,
        "12 hours after login"
    );
    // The person logs straight back in.
    browser.login_ok(EMAIL, PASSWORD).await;
    assert_eq!(browser.get("/profil").await.status(), 200);
}

async fn logins_are_throttled_per_account_and_per_ip(backend: Backend) {
    let app = spawn_app(backend).await;
    create_account(&app, Role::Client, EMAIL).await;
    let attacker = app.browser();
    for _ in 0..5 {
        let response = attacker.login(EMAIL, "Mauvais-mot-de-passe").await;
        assert_eq!(response.status(), 200);
    }
    let blocked = attacker.login(EMAIL, PASSWORD).await;
    assert_eq!(blocked.status(), 429, "even the right password waits");
    assert_eq!(header(blocked.headers(), "retry-after"), "900");
    let page = blocked.plain_text().await;
    assert!(
        page.contains("Trop de tentatives de connexion")
            && page.contains("réessayez après 10 h 45"),
        "{page}"
    );
    // It holds for another browser too (the count is in the database).
    assert_eq!(app.browser().login(EMAIL, PASSWORD).await.status(), 429);
    app.clock.advance(Duration::minutes(16));
    attacker.login_ok(EMAIL, PASSWORD).await;

    // Per IP: 20 failures over many addresses block the IP.
    let guesser = app.browser();
    for n in 0..20 {
        let response = guesser
            .login(&format!("inconnu{n}@exemple.fr"), "Mauvais-mot-de-passe")
            .await;
        assert_eq!(response.status(), 200, "attempt {n}");
    }
    assert_eq!(guesser.login("autre@exemple.fr", "x").await.status(), 429);
    assert!(events(&app.db)
        .await
        .contains(&"login_throttled".to_owned()));
}

/// The median times of `n` runs of two requests, taken in turns (A B A B…)
/// so that whatever else the machine does weighs on both alike.
async fn median_times<F, G, Fut>(
    n: usize,
    mut a: F,
    mut b: G,
) -> (std::time::Duration, std::time::Duration)
where
    F: FnMut() -> Fut,
    G: FnMut() -> Fut,
    Fut: std::future::Future<Output = reqwest::Response>,
{
    let (mut times_a, mut times_b) = (Vec::new(), Vec::new());
    for _ in 0..n {
        let started = std::time::Instant::now();
        a().await;
        times_a.push(started.elapsed());
        let started = std::time::Instant::now();
        b().await;
        times_b.push(started.elapsed());
    }
    times_a.sort();
    times_b.sort();
    (times_a[n / 2], times_b[n / 2])
}

async fn an_outsider_cannot_tell_which_addresses_have_an_account(backend: Backend) {
    let app = spawn_app(backend).await;
    create_account(&app, Role::Client, EMAIL).await;
    let outsider = app.browser();
    let token = outsider.csrf_token().await;
    let login = |email: &'static str| {
        let outsider = &outsider;
        let token = token.clone();
        async move {
            outsider
                .client
                .post(outsider.url("/connexion"))
                .form(&[
                    ("email", email),
                    ("mot_de_passe", "Mauvais-mot-de-passe"),
                    ("csrf", &token),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    let known = login(EMAIL).await;
    let unknown = login("personne@ailleurs.fr").await;
    assert_eq!(known.status(), unknown.status());
    let known = without_csrf(&known.plain_text().await).replace(EMAIL, "X");
    let unknown = without_csrf(&unknown.plain_text().await).replace("personne@ailleurs.fr", "X");
    assert_eq!(
        known, unknown,
        "the same page for a known and an unknown address"
    );

    // Similar time: an unknown address is checked against a dummy hash. A
    // loose bound, on medians: the point is that a 20 ms hash is not skipped.
    // Five tries each: the sixth failure for one address would be refused
    // by the throttle, without a hash.
    let (known_time, unknown_time) =
        median_times(4, || login(EMAIL), || login("personne@ailleurs.fr")).await;
    let ratio = known_time.as_secs_f64() / unknown_time.as_secs_f64();
    assert!(
        (0.33..3.0).contains(&ratio),
        "known {known_time:?} vs unknown {unknown_time:?}"
    );

    // A reset asked for a known and an unknown address: the same answer
    // (checked in the reset test) in about the same time. Three each: the
    // most one address may be sent in an hour, so that every request
    // measured does the whole work.
    let forgot = |email: &'static str| {
        let outsider = &outsider;
        let token = token.clone();
        async move {
            outsider
                .client
                .post(outsider.url("/mot-de-passe-oublie"))
                .form(&[("email", email), ("csrf", &token)])
                .send()
                .await
                .unwrap()
        }
    };
    let (known_time, unknown_time) =
        median_times(3, || forgot(EMAIL), || forgot("personne@ailleurs.fr")).await;
    let ratio = known_time.as_secs_f64() / unknown_time.as_secs_f64();
    assert!(
        (0.33..3.0).contains(&ratio),
        "reset: known {known_time:?} vs unknown {unknown_time:?}"
    );

    // Registration with a known address: the same answer, and an e-mail to
    // the address's owner instead of a message on the page. An hour later:
    // the resets above spent the address's mails for this hour.
    app.clock.advance(Duration::minutes(61));
    let mut fields = registration_fields();
    for entry in fields.iter_mut() {
        if entry.0 == "email" {
            entry.1 = EMAIL;
        }
    }
    let response = outsider.post_form("/inscription", &fields).await;
    assert_eq!(
        header(response.headers(), "location"),
        "/inscription/envoyee"
    );
    assert_eq!(app.count("registrations").await, 0);
    app.wait_for_mail(EMAIL, "déjà un compte").await;
}

async fn the_audit_log_records_sensitive_actions(backend: Backend) {
    let app = spawn_app(backend).await;
    create_account(&app, Role::Client, EMAIL).await;
    let browser = app.browser();
    browser.login(EMAIL, "Mauvais-mot-de-passe").await;
    browser.login_ok(EMAIL, PASSWORD).await;
    browser
        .post_form(
            "/compte/mot-de-passe",
            &[
                ("actuel", PASSWORD),
                ("mot_de_passe", NEW_PASSWORD),
                ("confirmation", NEW_PASSWORD),
            ],
        )
        .await;
    browser.post_form("/deconnexion", &[]).await;
    browser
        .post_form("/mot-de-passe-oublie", &[("email", EMAIL)])
        .await;
    let link = reset_link(&app, EMAIL).await;
    let jeton = link.split("jeton=").nth(1).unwrap();
    browser
        .post_form(
            "/mot-de-passe-oublie/nouveau",
            &[
                ("jeton", jeton),
                ("mot_de_passe", PASSWORD),
                ("confirmation", PASSWORD),
            ],
        )
        .await;
    let logged = events(&app.db).await;
    for expected in [
        "account_created",
        "login_failed",
        "login_succeeded",
        "password_changed",
        "logout",
        "password_reset_requested",
        "password_reset",
    ] {
        assert!(
            logged.contains(&expected.to_owned()),
            "{expected} missing: {logged:?}"
        );
    }
    // Kept under the security purpose: 6 months.
    let span = scalar_i64(
        &app.db,
        "SELECT MAX(expires_at - occurred_at) FROM audit_log",
    )
    .await;
    let now = app.clock_now();
    assert_eq!(
        span,
        ((now + chrono::Months::new(6)) - now).num_milliseconds()
    );
    let ip = scalar_text(
        &app.db,
        "SELECT ip FROM audit_log WHERE event = 'login_succeeded'",
    )
    .await;
    assert_eq!(ip, "127.0.0.1");
}

async fn expired_pending_registrations_are_purged(backend: Backend) {
    use wemaintain::privacy::purge::{purge, PurgeMode};
    use wemaintain::privacy::{Purpose, Register};
    let app = spawn_app(backend).await;
    register(&app, &app.browser()).await;
    let now = app.clock_now();
    let register_in_force = Register::default();
    let rows = |outcomes: &[wemaintain::privacy::purge::PurgeOutcome]| {
        outcomes
            .iter()
            .find(|o| o.purpose == Purpose::PendingRegistrations)
            .map(|o| o.rows)
    };
    let kept = purge(
        &app.db,
        &register_in_force,
        now + Duration::days(89),
        100,
        PurgeMode::Delete,
        &app.metrics,
    )
    .await
    .unwrap();
    assert_eq!(rows(&kept), Some(0));
    assert_eq!(app.count("registrations").await, 1);
    let gone = purge(
        &app.db,
        &register_in_force,
        now + Duration::days(91),
        100,
        PurgeMode::Delete,
        &app.metrics,
    )
    .await
    .unwrap();
    assert_eq!(rows(&gone), Some(1));
    assert_eq!(app.count("registrations").await, 0);
}

async fn create_user_bootstraps_a_staff_account(backend: Backend) {
    let app = spawn_app(backend).await;
    let run = |args: &[&str], password: &str| {
        let mut vars: Vec<(&str, String)> = vec![
            (
                "WM_DATABASE_URL",
                app.settings.database_url.as_str().to_owned(),
            ),
            ("WM_DATA_DIR", app.settings.data_dir.display().to_string()),
            ("WM_PASSWORD", password.to_owned()),
        ];
        vars.push(("WM_LOG", "warn".to_owned()));
        let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let mut all = vec!["create-user"];
        all.extend_from_slice(args);
        crate::cli::run(&all, &vars)
    };
    let output = run(
        &[
            "--role",
            "admin",
            "--email",
            "Chef@WeMaintain.com",
            "--first-name",
            "Léa",
            "--last-name",
            "Roux",
        ],
        PASSWORD,
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("chef@wemaintain.com"));
    let staff = app.browser();
    let response = staff.login("chef@wemaintain.com", PASSWORD).await;
    assert_eq!(header(response.headers(), "location"), "/admin");
    assert_eq!(staff.get("/admin").await.status(), 200);

    let weak = run(
        &["--role", "marketing", "--email", "m@wemaintain.com"],
        "password1234",
    );
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("mot de passe"));
    let twice = run(
        &["--role", "admin", "--email", "chef@wemaintain.com"],
        PASSWORD,
    );
    assert!(!twice.status.success());
    assert!(String::from_utf8_lossy(&twice.stderr).contains("déjà"));
    let bad_role = run(&["--role", "root", "--email", "x@wemaintain.com"], PASSWORD);
    assert!(!bad_role.status.success());
    assert_eq!(app.count("users").await, 1);
    let _ = csrf_in("");
}

async fn staff_change_roles_and_disable_accounts(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = create_account(&app, Role::Admin, "equipe@wemaintain.com").await;
    let client = create_account(&app, Role::Client, EMAIL).await;
    let staff = app.browser();
    staff.login_ok("equipe@wemaintain.com", PASSWORD).await;
    let person = app.browser();
    person.login_ok(EMAIL, PASSWORD).await;
    assert_eq!(person.get("/profil").await.status(), 200);

    let (status, list) = staff.get_page("/admin/comptes").await;
    assert_eq!(status, 200);
    assert!(list.contains(EMAIL));
    let before = events(&app.db)
        .await
        .iter()
        .filter(|e| *e == "record_viewed")
        .count();
    let (status, record) = staff.get_page(&format!("/admin/comptes/{client}")).await;
    assert_eq!(status, 200);
    assert!(record.contains("Changer le rôle"));
    let after = events(&app.db)
        .await
        .iter()
        .filter(|e| *e == "record_viewed")
        .count();
    assert_eq!(after, before + 1, "opening a person's record is audited");

    // A new role applies from the person's next request.
    let response = staff
        .post_form(
            &format!("/admin/comptes/{client}/role"),
            &[("role", "marketing")],
        )
        .await;
    assert_eq!(
        header(response.headers(), "location"),
        format!("/admin/comptes/{client}?fait=role")
    );
    assert_eq!(person.get("/profil").await.status(), 403);
    let bad = staff
        .post_form(
            &format!("/admin/comptes/{client}/role"),
            &[("role", "root")],
        )
        .await;
    assert_eq!(bad.status(), 400);

    // Disabling ends the sessions at once and refuses the next login plainly.
    staff
        .post_form(
            &format!("/admin/comptes/{client}/etat"),
            &[("etat", "desactive")],
        )
        .await;
    assert_eq!(person.get("/compte/mot-de-passe").await.status(), 303);
    let refused = person.login(EMAIL, PASSWORD).await.plain_text().await;
    assert!(refused.contains("Ce compte est désactivé"));
    let wrong = person
        .login(EMAIL, "Mauvais-mot-de-passe")
        .await
        .plain_text()
        .await;
    assert!(
        !wrong.contains("désactivé"),
        "only the right password learns it"
    );
    staff
        .post_form(
            &format!("/admin/comptes/{client}/etat"),
            &[("etat", "actif")],
        )
        .await;
    person.login_ok(EMAIL, PASSWORD).await;

    // Nobody changes their own account.
    let own = staff
        .post_form(
            &format!("/admin/comptes/{admin}/role"),
            &[("role", "client")],
        )
        .await;
    assert_eq!(
        header(own.headers(), "location"),
        format!("/admin/comptes/{admin}?fait=soi-meme")
    );
    assert_eq!(staff.get("/admin").await.status(), 200);
    let logged = events(&app.db).await;
    assert_eq!(logged.iter().filter(|e| *e == "role_changed").count(), 1);
    assert_eq!(logged.iter().filter(|e| *e == "status_changed").count(), 2);
    let detail = scalar_text(
        &app.db,
        "SELECT detail FROM audit_log WHERE event = 'role_changed'",
    )
    .await;
    assert_eq!(detail, "client -> marketing");
}

async fn sessions_survive_a_restart_with_the_same_secret_only(backend: Backend) {
    let app = spawn_app(backend).await;
    create_account(&app, Role::Client, EMAIL).await;
    let response = app.browser().login(EMAIL, PASSWORD).await;
    let cookie = session_cookie(&response).expect("a session cookie");
    assert!(cookie_opens_profile(&app, &cookie).await);
    assert!(
        app.settings.data_dir.join("secret.key").exists(),
        "the generated key is kept"
    );

    // Restarted with the key generated into WM_DATA_DIR: still logged in.
    let app = app.stop().await.restart(|_| {}).await;
    assert!(cookie_opens_profile(&app, &cookie).await);

    // Restarted with another secret: the cookie cannot be read any more.
    let app = app
        .stop()
        .await
        .restart(|s| s.secret_key = Some("another secret of at least thirty-two characters".into()))
        .await;
    assert!(!cookie_opens_profile(&app, &cookie).await);
}

async fn every_form_of_the_site_carries_a_csrf_token(backend: Backend) {
    use wemaintain::routes::{Verb, ROUTES};
    let app = spawn_app(backend).await;
    create_account(&app, Role::Admin, "equipe@wemaintain.com").await;
    register(&app, &app.browser()).await;
    app.browser()
        .post_form(
            "/contact",
            &[
                ("prenom", "Paul"),
                ("nom", "Roy"),
                ("telephone", "0612345678"),
                ("email", "paul@exemple.fr"),
                ("message", "Une question sur un ascenseur."),
            ],
        )
        .await;
    let anonymous = app.browser();
    let staff = app.browser();
    staff.login_ok("equipe@wemaintain.com", PASSWORD).await;
    let mut pages = 0;
    for spec in ROUTES.iter().filter(|s| s.verb == Verb::Read) {
        for browser in [&anonymous, &staff] {
            let (status, page) = browser.get_page(&spec.example_path()).await;
            if status != 200 {
                continue;
            }
            // GET forms (the statistics' period picker) change nothing.
            let posts = page.matches(r#"method="post""#).count();
            let tokens = page.matches(r#"name="csrf""#).count();
            assert_eq!(posts, tokens, "{}: a form without its token", spec.path);
            pages += usize::from(posts > 0);
        }
    }
    assert!(pages >= 10, "only {pages} pages with forms were seen");
}

/// Several instances share one database and nothing else: a session opened
/// on one is valid on the other, a logout on one ends it on both, and the
/// login counts add up across them.
async fn two_instances_share_sessions_and_login_counts(backend: Backend) {
    let first = spawn_app(backend).await;
    let second = first.another_instance().await;
    create_account(&first, Role::Client, EMAIL).await;
    let response = first.browser().login(EMAIL, PASSWORD).await;
    let cookie = session_cookie(&response).expect("a session cookie");
    assert!(cookie_opens_profile(&first, &cookie).await);
    assert!(
        cookie_opens_profile(&second, &cookie).await,
        "the session is valid on the other instance"
    );

    // Logging out on the second instance ends the session on the first
    // (with the session's own token, drawn by the first).
    let bare = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = bare
        .get(first.url("/profil"))
        .header("Cookie", &cookie)
        .send()
        .await
        .unwrap()
        .plain_text()
        .await;
    let token = csrf_in(&page).expect("the account bar's logout form");
    let out = bare
        .post(second.url("/deconnexion"))
        .header("Cookie", &cookie)
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 303);
    assert!(!cookie_opens_profile(&first, &cookie).await);

    // Failures on both instances count together: 3 + 2 lock the account.
    let a = first.browser();
    let b = second.browser();
    for _ in 0..3 {
        assert_eq!(a.login(EMAIL, "Mauvais-mot-de-passe").await.status(), 200);
    }
    for _ in 0..2 {
        assert_eq!(b.login(EMAIL, "Mauvais-mot-de-passe").await.status(), 200);
    }
    assert_eq!(a.login(EMAIL, PASSWORD).await.status(), 429);
    assert_eq!(b.login(EMAIL, PASSWORD).await.status(), 429);
}

/// E-mails leave from background tasks; a graceful stop right after a form
/// waits for them, and /metrics counts them.
async fn a_stop_sends_the_mail_still_in_flight_and_counts_it(backend: Backend) {
    let app = spawn_app(backend).await;
    create_account(&app, Role::Admin, "equipe@wemaintain.com").await;
    let response = app
        .browser()
        .post_form(
            "/contact",
            &[
                ("prenom", "Paul"),
                ("nom", "Roy"),
                ("telephone", "0612345678"),
                ("email", "paul@exemple.fr"),
                ("message", "Une question sur un ascenseur."),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let data_dir = app.settings.data_dir.clone();
    let stopped = app.stop().await;
    let outbox: Vec<_> = std::fs::read_dir(data_dir.join("outbox"))
        .unwrap()
        .filter_map(Result::ok)
        .collect();
    assert_eq!(
        outbox.len(),
        1,
        "the staff e-mail was written before the stop ended"
    );
    let exposition = stopped.metrics.render(0, 0);
    assert!(exposition.contains("wm_mail_sent_total 1"), "{exposition}");
    assert!(
        exposition.contains("wm_mail_failures_total 0"),
        "{exposition}"
    );
}

async fn staff_read_the_audit_log_and_the_register_with_its_purges(backend: Backend) {
    let app = spawn_app(backend).await;
    app.settled().await;
    create_account(&app, Role::Admin, "equipe@wemaintain.com").await;
    let staff = app.browser();
    staff.login(EMAIL, "Mauvais-mot-de-passe").await;
    staff.login_ok("equipe@wemaintain.com", PASSWORD).await;

    let (status, journal) = staff.get_page("/admin/journal").await;
    assert_eq!(status, 200);
    for expected in [
        "Connexion réussie",
        "Connexion refusée",
        "127.0.0.1",
        EMAIL,
        "6 mois",
    ] {
        assert!(
            journal.contains(expected),
            "{expected} missing from the audit log page"
        );
    }
    let subject = scalar_text(
        &app.db,
        "SELECT subject FROM audit_log WHERE event = 'record_viewed'",
    )
    .await;
    assert_eq!(subject, "audit_log", "opening the journal is audited");

    let (status, page) = staff.get_page("/admin/registre").await;
    assert_eq!(status, 200);
    for expected in [
        "pending_registrations",
        "audience_daily",
        "contact_messages",
        "25 mois",
        "Dernières purges",
    ] {
        assert!(
            page.contains(expected),
            "{expected} missing from the register page"
        );
    }
    assert!(
        !page.contains("Aucune purge"),
        "the start-up purge is listed"
    );
    let client = app.browser();
    create_account(&app, Role::Client, EMAIL).await;
    client.login_ok(EMAIL, PASSWORD).await;
    assert_eq!(client.get("/admin/journal").await.status(), 403);
}

async fn staff_decisions_on_a_request_decided_or_taken_meanwhile_change_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    create_account(&app, Role::Admin, "equipe@wemaintain.com").await;
    let visitor = app.browser();
    let id = register(&app, &visitor).await;
    let staff = app.browser();
    staff.login_ok("equipe@wemaintain.com", PASSWORD).await;

    // The address got an account meanwhile: the request is not validated.
    create_account(&app, Role::Client, EMAIL).await;
    let response = staff
        .post_form(&format!("/admin/inscriptions/{id}/valider"), &[])
        .await;
    assert_eq!(
        header(response.headers(), "location"),
        "/admin/inscriptions?fait=adresse"
    );
    assert_eq!(app.count("registrations").await, 1);

    let refuse = |id: i64| format!("/admin/inscriptions/{id}/refuser");
    let reason = [("motif", "Adresse déjà titulaire d'un compte")];
    let response = staff.post_form(&refuse(id), &reason).await;
    assert_eq!(
        header(response.headers(), "location"),
        "/admin/inscriptions?fait=refuse"
    );
    // Refusing twice changes nothing; an unknown request is not found.
    let again = staff.post_form(&refuse(id), &reason).await;
    assert_eq!(
        header(again.headers(), "location"),
        "/admin/inscriptions?fait=deja"
    );
    let unknown = staff.post_form(&refuse(id + 1_000), &reason).await;
    assert_eq!(unknown.status(), 404);
    let unknown = staff
        .post_form(&format!("/admin/inscriptions/{}/valider", id + 1_000), &[])
        .await;
    assert_eq!(
        header(unknown.headers(), "location"),
        "/admin/inscriptions?fait=deja"
    );
}
