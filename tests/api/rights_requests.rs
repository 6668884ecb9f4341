//! Rights requests of visitors, staff deadlines, and the visit-log lookup.

use chrono::{DateTime, Duration, TimeZone, Utc};
use chrono_tz::Europe::Paris;
use reqwest::StatusCode;
use wemaintain::auth::Role;
use wemaintain::db::Db;
use wemaintain::metrics::Metrics;
use wemaintain::privacy::purge::{purge, PurgeMode};
use wemaintain::privacy::Register;
use wemaintain::rights::RightsRequest;

use crate::helpers::{
    client_of_company, create_account, execute, header, scalar, spawn_app, spawn_app_with, wait,
    Backend, Browser, TestApp, PASSWORD,
};
use crate::on_both_backends;

on_both_backends!(
    a_visitor_request_needs_the_link_sent_by_email,
    due_dates_follow_the_calendar_and_extensions_stop_at_three_months,
    requests_past_their_deadline_are_marked_overdue,
    deadlines_falling_in_a_clock_change_hour_stay_real_dates,
    staff_ask_for_information_and_close_and_the_purge_follows_the_register,
    staff_look_up_the_visit_log_by_address_or_range,
    the_staff_list_pages_by_twenty_open_requests_first,
);

const STAFF: &str = "equipe@wemaintain.com";
const FORM: &str = "/confidentialite/demande";
const CONFIRM: &str = "/confidentialite/demande/confirmer";

/// An instant in Paris time.
fn paris(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Paris
        .with_ymd_and_hms(year, month, day, hour, minute, 0)
        .unwrap()
        .with_timezone(&Utc)
}

/// A valid request, as a visitor types it.
fn request_fields(email: &str) -> [(&str, &str); 4] {
    [
        ("droit", "acces"),
        ("email", email),
        ("visite", "IP 192.0.2.7, le 1er mars vers 10 h"),
        (
            "message",
            "Bonjour, je souhaite obtenir une copie des données que vous avez sur moi.",
        ),
    ]
}

/// A staff browser, logged in now (sessions follow the server's clock, so a
/// test that moves the clock far logs in again).
async fn staff(app: &TestApp) -> Browser {
    let browser = app.browser();
    browser.login_ok(STAFF, PASSWORD).await;
    browser
}

/// The token of the confirmation link in the last mail sent to `email`.
async fn link_token(app: &TestApp, email: &str) -> String {
    let mail = app.wait_for_mail(email, &format!("{CONFIRM}?jeton=")).await;
    let start = mail.find("jeton=").expect("a link with a token") + "jeton=".len();
    let token: String = mail[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    assert!(token.len() >= 40, "a long random token: {token:?}");
    token
}

/// A visitor sends a valid request from `email`; returns its id and the
/// token of the link mailed to that address.
async fn submit(app: &TestApp, email: &str) -> (i64, String) {
    let visitor = app.browser();
    let sent = visitor.post_form(FORM, &request_fields(email)).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        header(sent.headers(), "location"),
        "/confidentialite/demande/envoyee"
    );
    let id = scalar(
        &app.db,
        &format!("SELECT id FROM rights_requests WHERE email = '{email}'"),
    )
    .await;
    (id, link_token(app, email).await)
}

/// Opens the link (its POST): the status and the page.
async fn confirm(app: &TestApp, token: &str) -> (StatusCode, String) {
    let response = app.browser().post_form(CONFIRM, &[("jeton", token)]).await;
    let status = response.status();
    (status, response.text().await.expect("a text body"))
}

/// A confirmed request from `email`; returns its id.
async fn confirmed_request(app: &TestApp, email: &str) -> i64 {
    let (id, token) = submit(app, email).await;
    let (status, page) = confirm(app, &token).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    id
}

async fn stored(app: &TestApp, id: i64) -> RightsRequest {
    wemaintain::rights::get(&app.db, id)
        .await
        .expect("the request is stored")
}

async fn expires_at(db: &Db, id: i64) -> Option<i64> {
    const SQL: &str = "SELECT expires_at FROM rights_requests WHERE id = $1";
    match db {
        Db::Sqlite(pool) => sqlx::query_scalar(SQL).bind(id).fetch_one(pool).await,
        Db::Postgres(pool) => sqlx::query_scalar(SQL).bind(id).fetch_one(pool).await,
    }
    .expect("read expires_at")
}

async fn audit_rows(app: &TestApp, event: &str, id: i64) -> i64 {
    scalar(
        &app.db,
        &format!(
            "SELECT COUNT(*) FROM audit_log WHERE event = '{event}' \
             AND subject = 'rights_request:{id}'"
        ),
    )
    .await
}

/// A mail's text with its lines joined again (bodies are wrapped at about
/// 70 characters).
fn flat(mail: &str) -> String {
    mail.replace('\n', " ")
}

/// Waits for a mail to `to` whose body contains `needle`, wherever the
/// lines were wrapped; returns it with its lines joined.
async fn wait_for_body(app: &TestApp, to: &str, needle: &str) -> String {
    let mail = app
        .wait_for_mail_where(&format!("an e-mail to {to} containing {needle:?}"), |m| {
            let m = flat(m);
            m.contains(&format!("To: {to}")) && m.contains(needle)
        })
        .await;
    flat(&mail)
}

/// The mails to `to` containing `needle`, now.
fn mails(app: &TestApp, to: &str, needle: &str) -> usize {
    app.outbox()
        .iter()
        .map(|m| flat(m))
        .filter(|m| m.contains(&format!("To: {to}")) && m.contains(needle))
        .count()
}

/// POSTs a staff decision: the status and the page.
async fn decide(
    staff: &Browser,
    id: i64,
    action: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let response = staff
        .post_form(&format!("/admin/droits/{id}/{action}"), fields)
        .await;
    let status = response.status();
    (status, response.text().await.expect("a text body"))
}

async fn page_of(browser: &Browser, path: &str) -> String {
    let (status, page) = browser.get_page(path).await;
    assert_eq!(status, StatusCode::OK, "{path}: {page}");
    page
}

/// How many rows of the staff list are marked « en retard ».
fn overdue_rows(list: &str) -> usize {
    list.matches(">en retard<").count()
}

async fn a_visitor_request_needs_the_link_sent_by_email(backend: Backend) {
    let app = spawn_app(backend).await;
    create_account(&app, Role::Admin, STAFF).await;
    let visitor = app.browser();
    assert_eq!(visitor.get(FORM).await.status(), StatusCode::OK);

    // An invalid request comes back with what was typed; nothing is stored.
    let invalid = visitor
        .post_form(
            FORM,
            &[
                ("droit", "portabilite"),
                ("email", "pas-une-adresse"),
                ("visite", "IP 192.0.2.7, le 1er mars vers 10 h"),
                ("message", "court"),
            ],
        )
        .await;
    assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = invalid.text().await.unwrap();
    assert!(
        page.contains(r#"<option value="portabilite" selected>"#),
        "{page}"
    );
    assert!(page.contains(r#"value="pas-une-adresse""#), "{page}");
    assert!(
        page.contains(r#"value="IP 192.0.2.7, le 1er mars vers 10 h""#),
        "{page}"
    );
    assert!(page.contains(">court</textarea>"), "{page}");
    assert!(
        page.contains("Indiquez une adresse e-mail valide"),
        "{page}"
    );
    assert!(page.contains("trop court"), "{page}");
    let unknown_right = visitor
        .post_form(
            FORM,
            &[
                ("droit", "autre"),
                ("email", "lea.petit@exemple.fr"),
                ("message", "Un message assez long pour passer."),
            ],
        )
        .await;
    assert_eq!(unknown_right.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = unknown_right.text().await.unwrap();
    assert!(page.contains("Choisissez le droit"), "{page}");
    assert_eq!(app.count("rights_requests").await, 0);

    // A valid one is stored, waiting for its link, and hidden from staff.
    let submitted_at = app.clock_now();
    let (id, token) = submit(&app, "lea.petit@exemple.fr").await;
    let request = stored(&app, id).await;
    assert_eq!(request.status, "a_confirmer");
    assert_eq!(request.kind, "acces");
    assert_eq!(
        request.visit_description.as_deref(),
        Some("IP 192.0.2.7, le 1er mars vers 10 h")
    );
    assert_eq!(request.created_at, submitted_at.timestamp_millis());
    assert_eq!(request.received_at, None);
    assert_eq!(request.due_at, None);
    assert_eq!(
        expires_at(&app.db, id).await,
        Some((submitted_at + Duration::days(7)).timestamp_millis()),
        "an unconfirmed request lives 7 days"
    );
    let (status, sent) = visitor.get_page("/confidentialite/demande/envoyee").await;
    assert_eq!(status, StatusCode::OK);
    assert!(sent.contains("7 jours"), "{sent}");
    let admin = staff(&app).await;
    let list = page_of(&admin, "/admin/droits").await;
    assert!(!list.contains("lea.petit@exemple.fr"), "{list}");
    assert!(list.contains("Aucune demande."), "{list}");

    // The link shows a button; its POST confirms the request, which is
    // received now and due one calendar month later, in Paris time.
    app.clock.advance(Duration::hours(2));
    let received = app.clock_now();
    assert_eq!(
        received,
        Utc.with_ymd_and_hms(2026, 3, 2, 11, 30, 0).unwrap()
    );
    let (status, link_page) = visitor.get_page(&format!("{CONFIRM}?jeton={token}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        link_page.contains(&format!(r#"name="jeton" value="{token}""#)),
        "{link_page}"
    );
    assert!(link_page.contains(&format!(r#"action="{CONFIRM}""#)));
    assert_eq!(
        stored(&app, id).await.status,
        "a_confirmer",
        "opening the link alone confirms nothing"
    );
    let (status, confirmed) = confirm(&app, &token).await;
    assert_eq!(status, StatusCode::OK, "{confirmed}");
    assert!(confirmed.contains("Demande confirmée"), "{confirmed}");
    assert!(confirmed.contains("02/04/2026"), "{confirmed}");
    let request = stored(&app, id).await;
    assert_eq!(request.status, "ouverte");
    assert_eq!(request.received_at, Some(received.timestamp_millis()));
    // 12:30 in Paris (winter time) on 2 March, 12:30 in Paris (summer time)
    // on 2 April: 10:30 UTC, not 11:30.
    assert_eq!(
        request.due_at,
        Some(paris(2026, 4, 2, 12, 30).timestamp_millis())
    );
    assert_eq!(
        request.due_at,
        Some(
            Utc.with_ymd_and_hms(2026, 4, 2, 10, 30, 0)
                .unwrap()
                .timestamp_millis()
        )
    );
    assert_eq!(
        expires_at(&app.db, id).await,
        None,
        "an open request is kept until it is closed"
    );
    assert_eq!(audit_rows(&app, "rights_request_confirmed", id).await, 1);
    let to_staff = wait_for_body(&app, STAFF, "02/04/2026").await;
    assert!(
        to_staff.contains(&format!("/admin/droits/{id}")),
        "{to_staff}"
    );

    // (Sessions end after 2 idle hours.)
    let admin = staff(&app).await;
    let list = page_of(&admin, "/admin/droits").await;
    assert!(list.contains("lea.petit@exemple.fr"), "{list}");
    assert!(
        list.contains("Reçue le") && list.contains("Due le"),
        "{list}"
    );
    assert!(list.contains("02/03/2026"), "received: {list}");
    assert!(list.contains("02/04/2026"), "due: {list}");
    assert!(list.contains("31 jours"), "{list}");
    assert_eq!(overdue_rows(&list), 0, "{list}");

    // The link works once.
    let (status, again) = confirm(&app, &token).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(again.contains("Lien invalide"), "{again}");
    assert_eq!(stored(&app, id).await.received_at, request.received_at);
    assert_eq!(audit_rows(&app, "rights_request_confirmed", id).await, 1);
    let (status, _) = confirm(&app, "un-jeton-invente").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A link opened after its 7 days confirms nothing.
    let (late, late_token) = submit(&app, "tardif@exemple.fr").await;
    app.clock.advance(Duration::days(8));
    let (status, _) = confirm(&app, &late_token).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let late = stored(&app, late).await;
    assert_eq!(late.status, "a_confirmer");
    assert_eq!(late.received_at, None);
    let list = page_of(&staff(&app).await, "/admin/droits").await;
    assert!(!list.contains("tardif@exemple.fr"), "{list}");
    assert_eq!(
        mails(&app, STAFF, &format!("/admin/droits/{}", late.id)),
        0,
        "staff hear only of confirmed requests"
    );
}

async fn due_dates_follow_the_calendar_and_extensions_stop_at_three_months(backend: Backend) {
    let app = spawn_app(backend).await;
    create_account(&app, Role::Admin, STAFF).await;
    // The purge run at start reads the clock (2 March) before it deletes:
    // a request made on 31 January, its link expired by 2 March, would go
    // with it if that run were still under way.
    app.settled().await;
    app.clock.set(paris(2026, 1, 31, 10, 0));
    let id = confirmed_request(&app, "lea.petit@exemple.fr").await;
    let due = paris(2026, 2, 28, 10, 0).timestamp_millis();
    assert_eq!(
        stored(&app, id).await.due_at,
        Some(due),
        "the last day of February"
    );

    let admin = staff(&app).await;
    let detail = page_of(&admin, &format!("/admin/droits/{id}")).await;
    assert!(detail.contains("28/02/2026"), "{detail}");
    assert!(
        detail.contains("30/04/2026"),
        "the latest deadline: {detail}"
    );
    assert_eq!(audit_rows(&app, "record_viewed", id).await, 1);

    // No reason, or too short a one: refused, nothing changes.
    for reason in ["", "   ", "court"] {
        let (status, page) =
            decide(&admin, id, "prolonger", &[("mois", "2"), ("texte", reason)]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{reason:?}");
        assert!(page.contains(r#"id="prolonger-texte-erreur""#), "{page}");
    }
    let (status, _) = decide(
        &admin,
        id,
        "prolonger",
        &[
            ("mois", "3"),
            ("texte", "Trois mois de plus, ce serait trop."),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let request = stored(&app, id).await;
    assert_eq!(request.due_at, Some(due));
    assert_eq!(request.extension_reason, None);
    assert_eq!(audit_rows(&app, "rights_request_extended", id).await, 0);

    // Two more months: due on 28 April, and the requester is told why.
    let reason = "Votre demande porte sur de nombreux traitements.";
    let (status, _) = decide(&admin, id, "prolonger", &[("mois", "2"), ("texte", reason)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let request = stored(&app, id).await;
    let extended = paris(2026, 4, 28, 10, 0).timestamp_millis();
    assert_eq!(request.due_at, Some(extended));
    assert_eq!(request.extension_reason.as_deref(), Some(reason));
    assert_eq!(request.status, "ouverte");
    let mail = wait_for_body(&app, "lea.petit@exemple.fr", "28/04/2026").await;
    assert!(mail.contains(reason), "{mail}");
    assert!(mail.contains("prolongé"), "{mail}");
    assert_eq!(audit_rows(&app, "rights_request_extended", id).await, 1);

    // One more month would pass 30 April (three months after receipt).
    let (status, page) = decide(
        &admin,
        id,
        "prolonger",
        &[("mois", "1"), ("texte", "Encore un mois, s'il vous plaît.")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("trois mois"), "{page}");
    assert_eq!(stored(&app, id).await.due_at, Some(extended));
    assert_eq!(audit_rows(&app, "rights_request_extended", id).await, 1);

    // Another request: one month, then one more, then no more.
    let other = confirmed_request(&app, "marc.roux@exemple.fr").await;
    let first = "Nous attendons la réponse d'un sous-traitant.";
    let (status, _) = decide(
        &admin,
        other,
        "prolonger",
        &[("mois", "1"), ("texte", first)],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        stored(&app, other).await.due_at,
        Some(paris(2026, 3, 28, 10, 0).timestamp_millis())
    );
    wait_for_body(&app, "marc.roux@exemple.fr", "28/03/2026").await;
    let second = "La réponse du sous-traitant est incomplète.";
    let (status, _) = decide(
        &admin,
        other,
        "prolonger",
        &[("mois", "1"), ("texte", second)],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let request = stored(&app, other).await;
    assert_eq!(
        request.due_at,
        Some(paris(2026, 4, 28, 10, 0).timestamp_millis()),
        "across the change to summer time, the Paris hour stays"
    );
    assert_eq!(
        request.extension_reason.as_deref(),
        Some(format!("{first}\n{second}").as_str())
    );
    let mail = wait_for_body(&app, "marc.roux@exemple.fr", "28/04/2026").await;
    assert!(mail.contains(second), "{mail}");
    let (status, _) = decide(
        &admin,
        other,
        "prolonger",
        &[("mois", "1"), ("texte", "Une troisième prolongation.")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        stored(&app, other).await.due_at,
        Some(paris(2026, 4, 28, 10, 0).timestamp_millis())
    );
    assert_eq!(audit_rows(&app, "rights_request_extended", other).await, 2);
    // The first request was not touched by the second's extensions.
    assert_eq!(stored(&app, id).await.due_at, Some(extended));
}

async fn requests_past_their_deadline_are_marked_overdue(backend: Backend) {
    let app = spawn_app(backend).await;
    create_account(&app, Role::Admin, STAFF).await;
    // Received on 2 March at 10:30 in Paris: due on 2 April at 10:30.
    let open = confirmed_request(&app, "ouverte@exemple.fr").await;
    let asked = confirmed_request(&app, "question@exemple.fr").await;
    let closed = confirmed_request(&app, "close@exemple.fr").await;
    let due = paris(2026, 4, 2, 10, 30);
    assert_eq!(
        stored(&app, open).await.due_at,
        Some(due.timestamp_millis())
    );
    let admin = staff(&app).await;
    let (status, _) = decide(
        &admin,
        asked,
        "informations",
        &[("texte", "Merci de nous envoyer une pièce d'identité.")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = decide(
        &admin,
        closed,
        "clore",
        &[("texte", "Nous vous avons envoyé la copie de vos données.")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // The day before: days left, nothing late.
    app.clock.set(paris(2026, 4, 1, 12, 0));
    let admin = staff(&app).await;
    let list = page_of(&admin, "/admin/droits").await;
    assert!(list.contains("1 jour<"), "{list}");
    assert_eq!(overdue_rows(&list), 0, "{list}");
    assert!(!list.contains(" en retard."), "{list}");
    assert!(list.contains("Répondue le 02/03/2026"), "{list}");
    let home = page_of(&admin, "/admin").await;
    assert!(
        !home.contains(" demande en retard") && !home.contains(" demandes en retard"),
        "{home}"
    );

    // The day itself, before the hour: due today, not late yet.
    app.clock.set(due - Duration::minutes(1));
    let admin = staff(&app).await;
    let list = page_of(&admin, "/admin/droits").await;
    assert!(list.contains("aujourd'hui"), "{list}");
    assert_eq!(overdue_rows(&list), 0, "{list}");

    // Past the deadline: both requests still open are late, the closed one is not.
    app.clock.set(due + Duration::minutes(1));
    let list = page_of(&admin, "/admin/droits").await;
    assert_eq!(overdue_rows(&list), 2, "{list}");
    assert!(list.contains("2 demandes en retard."), "{list}");
    assert!(list.contains("Répondue le 02/03/2026"), "{list}");
    let home = page_of(&admin, "/admin").await;
    assert!(home.contains("2 demandes en retard"), "{home}");
    let detail = page_of(&admin, &format!("/admin/droits/{open}")).await;
    assert!(detail.contains(">en retard<"), "{detail}");
    let detail = page_of(&admin, &format!("/admin/droits/{closed}")).await;
    assert!(!detail.contains(">en retard<"), "{detail}");

    // Closed late, it is late no more.
    let (status, _) = decide(
        &admin,
        open,
        "clore",
        &[("texte", "Voici, avec retard, la copie de vos données.")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let list = page_of(&admin, "/admin/droits").await;
    assert_eq!(overdue_rows(&list), 1, "{list}");
    assert!(list.contains("1 demande en retard."), "{list}");
    let home = page_of(&admin, "/admin").await;
    assert!(home.contains("1 demande en retard"), "{home}");

    // Months later, closed requests are still never late.
    app.clock.set(due + Duration::days(90));
    let admin = staff(&app).await;
    let (status, _) = decide(
        &admin,
        asked,
        "clore",
        &[(
            "texte",
            "Sans pièce d'identité, nous ne pouvons pas répondre.",
        )],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let list = page_of(&admin, "/admin/droits").await;
    assert_eq!(overdue_rows(&list), 0, "{list}");
    assert!(!list.contains(" en retard."), "{list}");
    let home = page_of(&admin, "/admin").await;
    assert!(
        !home.contains(" demande en retard") && !home.contains(" demandes en retard"),
        "{home}"
    );
}

async fn deadlines_falling_in_a_clock_change_hour_stay_real_dates(backend: Backend) {
    let app = spawn_app(backend).await;
    create_account(&app, Role::Admin, STAFF).await;

    // Confirmed on 25 September 2026 at 02:30 in Paris: one month later,
    // 02:30 happens twice (the end of summer time). The deadline is the
    // first of the two, 00:30 UTC.
    app.clock.set(paris(2026, 9, 25, 2, 30));
    let autumn = confirmed_request(&app, "automne@exemple.fr").await;
    let autumn_due = Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap();
    assert_eq!(
        stored(&app, autumn).await.due_at,
        Some(autumn_due.timestamp_millis())
    );

    // Confirmed on 25 July 2026 at 02:30: two more months land on that
    // same hour, and stay within three months of receipt.
    app.clock.set(paris(2026, 7, 25, 2, 30));
    let extended = confirmed_request(&app, "prolongee@exemple.fr").await;
    let admin = staff(&app).await;
    let (status, page) = decide(
        &admin,
        extended,
        "prolonger",
        &[
            ("mois", "2"),
            ("texte", "Votre demande porte sur plusieurs années."),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    assert_eq!(
        stored(&app, extended).await.due_at,
        Some(autumn_due.timestamp_millis())
    );

    // Confirmed on 28 February 2027 at 02:30: one month later, 02:30 does
    // not exist (the start of summer time); it is 01:30 UTC.
    app.clock.set(paris(2027, 2, 28, 2, 30));
    let spring = confirmed_request(&app, "printemps@exemple.fr").await;
    let spring_due = Utc.with_ymd_and_hms(2027, 3, 28, 1, 30, 0).unwrap();
    assert_eq!(
        stored(&app, spring).await.due_at,
        Some(spring_due.timestamp_millis())
    );

    // Such requests fall due, and are late after it, like any other.
    app.clock.set(spring_due + Duration::minutes(1));
    let list = page_of(&staff(&app).await, "/admin/droits").await;
    assert!(list.contains("25/10/2026"), "{list}");
    assert!(list.contains("28/03/2027"), "{list}");
    assert_eq!(overdue_rows(&list), 3, "{list}");
}

async fn staff_ask_for_information_and_close_and_the_purge_follows_the_register(backend: Backend) {
    let app = spawn_app(backend).await;
    // The server's own purge at start must not run over this test's rows.
    app.settled().await;
    create_account(&app, Role::Admin, STAFF).await;
    let requester = "lea.petit@exemple.fr";
    let id = confirmed_request(&app, requester).await;
    let kept = confirmed_request(&app, "toujours.ouverte@exemple.fr").await;
    let (unconfirmed, _) = submit(&app, "jamais.confirmee@exemple.fr").await;
    let admin = staff(&app).await;

    // A question: empty, refused; written, sent, and the request waits.
    let (status, page) = decide(&admin, id, "informations", &[("texte", "")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(r#"id="informations-texte-erreur""#), "{page}");
    assert_eq!(stored(&app, id).await.status, "ouverte");
    let question = "Merci de nous envoyer une copie de votre pièce d'identité.";
    let (status, _) = decide(&admin, id, "informations", &[("texte", question)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let request = stored(&app, id).await;
    assert_eq!(request.status, "info_demandee");
    assert_eq!(request.info_request.as_deref(), Some(question));
    assert_eq!(
        request.due_at,
        Some(paris(2026, 4, 2, 10, 30).timestamp_millis())
    );
    let mail = wait_for_body(&app, requester, "nous avons besoin des informations").await;
    assert!(mail.contains(question), "{mail}");
    assert!(mail.contains(&format!("n° {id}")), "{mail}");
    assert_eq!(
        audit_rows(&app, "rights_request_information_asked", id).await,
        1
    );

    // Closed with its outcome: kept three years from now.
    app.clock.advance(Duration::days(3));
    let closed_at = app.clock_now();
    let admin = staff(&app).await;
    let (status, page) = decide(&admin, id, "clore", &[("texte", "")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert_eq!(stored(&app, id).await.status, "info_demandee");
    let outcome = "Nous vous avons envoyé la copie de vos données par e-mail.";
    let (status, _) = decide(&admin, id, "clore", &[("texte", outcome)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let request = stored(&app, id).await;
    assert_eq!(request.status, "close");
    assert_eq!(request.closed_at, Some(closed_at.timestamp_millis()));
    assert_eq!(request.outcome.as_deref(), Some(outcome));
    assert_eq!(
        expires_at(&app.db, id).await,
        Some(
            Utc.with_ymd_and_hms(2029, 3, 5, 9, 30, 0)
                .unwrap()
                .timestamp_millis()
        ),
        "three years after the closure"
    );
    let mail = wait_for_body(&app, requester, "Voici notre réponse").await;
    assert!(mail.contains(outcome), "{mail}");
    assert!(mail.contains("CNIL"), "{mail}");
    assert_eq!(audit_rows(&app, "rights_request_closed", id).await, 1);
    let detail = page_of(&admin, &format!("/admin/droits/{id}")).await;
    assert!(detail.contains(outcome), "{detail}");
    assert!(
        !detail.contains("/clore"),
        "no more decision forms: {detail}"
    );

    // A closed request takes no other decision.
    for (action, fields) in [
        (
            "clore",
            vec![("texte", "Une deuxième réponse, différente.")],
        ),
        (
            "informations",
            vec![("texte", "Une question de trop, après la clôture.")],
        ),
        (
            "prolonger",
            vec![
                ("mois", "1"),
                ("texte", "Une prolongation après la clôture."),
            ],
        ),
    ] {
        let (status, page) = decide(&admin, id, action, &fields).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{action}");
        assert!(page.contains("déjà close"), "{action}: {page}");
    }
    let after = stored(&app, id).await;
    assert_eq!(after.status, "close");
    assert_eq!(after.closed_at, request.closed_at);
    assert_eq!(after.outcome, request.outcome);
    assert_eq!(after.due_at, request.due_at);
    assert_eq!(after.info_request, request.info_request);
    assert_eq!(after.extension_reason, None);
    assert_eq!(audit_rows(&app, "rights_request_closed", id).await, 1);
    app.wait_for_mails_queued_so_far(STAFF).await;
    assert_eq!(mails(&app, requester, "Voici notre réponse"), 1);
    assert_eq!(mails(&app, requester, "Une question de trop"), 0);
    // An unconfirmed request takes none either.
    let (status, page) = decide(
        &admin,
        unconfirmed,
        "clore",
        &[("texte", "Une réponse à une demande non confirmée.")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("pas encore confirmé"), "{page}");
    assert_eq!(stored(&app, unconfirmed).await.status, "a_confirmer");
    let (status, _) = admin.get_page("/admin/droits/999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The purge: the unconfirmed request goes after its 7 days, the closed
    // one three years after its closure, the open one stays.
    let register = Register::default();
    let metrics = Metrics::default();
    let submitted = closed_at - Duration::days(3);
    let run = |now: DateTime<Utc>| {
        let db = app.db.clone();
        let register = register.clone();
        let metrics = &metrics;
        async move {
            purge(&db, &register, now, 10, PurgeMode::Delete, metrics)
                .await
                .expect("the purge runs")
        }
    };
    let exists = |id: i64| {
        let db = app.db.clone();
        async move {
            scalar(
                &db,
                &format!("SELECT COUNT(*) FROM rights_requests WHERE id = {id}"),
            )
            .await
                == 1
        }
    };
    run(submitted + Duration::days(7) - Duration::minutes(1)).await;
    assert!(exists(unconfirmed).await, "within its 7 days");
    run(submitted + Duration::days(7) + Duration::minutes(1)).await;
    assert!(!exists(unconfirmed).await, "unconfirmed after 7 days");
    assert!(exists(id).await && exists(kept).await);
    run(paris(2029, 3, 4, 12, 0)).await;
    assert!(
        exists(id).await,
        "a day before three years after the closure"
    );
    run(paris(2029, 3, 6, 12, 0)).await;
    assert!(!exists(id).await, "three years and a day after the closure");
    assert!(exists(kept).await, "an open request is never purged");
    assert_eq!(stored(&app, kept).await.status, "ouverte");
}

/// One row of the visitor log, as the site writes them.
async fn visit(app: &TestApp, at: DateTime<Utc>, ip: &str, url: &str, purpose: &str) {
    let ms = at.timestamp_millis();
    let expires = (at + Duration::days(180)).timestamp_millis();
    execute(
        &app.db,
        &format!(
            "INSERT INTO visitor_log (purpose, occurred_at, expires_at, ip, browser, os, \
             device_type, url) VALUES ('{purpose}', {ms}, {expires}, '{ip}', 'Firefox', 'Linux', \
             'pc', '{url}')"
        ),
    )
    .await
    .expect("insert a visit");
}

async fn staff_look_up_the_visit_log_by_address_or_range(backend: Backend) {
    let app = spawn_app_with(backend, |s| {
        s.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()];
    })
    .await;
    create_account(&app, Role::Admin, STAFF).await;
    let admin = staff(&app).await;
    // A real visit of 192.0.2.7 behind our proxy, now (2 March, 10:30 in
    // Paris), as the site logs it.
    let seen = app
        .get_with("/services", &[("X-Forwarded-For", "192.0.2.7")])
        .await;
    assert_eq!(seen.status(), StatusCode::OK);
    let logged = "SELECT COUNT(*) FROM visitor_log WHERE purpose = 'security' \
                  AND ip = '192.0.2.7' AND url = '/services'";
    wait::until_true("the visit logged", || async {
        scalar(&app.db, logged).await > 0
    })
    .await;
    assert_eq!(scalar(&app.db, logged).await, 1, "the visit is logged");
    // The visitor 192.0.2.7, their neighbour, someone else, on 1–3 March
    // (Paris days), and the day before.
    visit(
        &app,
        paris(2026, 2, 28, 23, 50),
        "192.0.2.7",
        "/la-veille",
        "security",
    )
    .await;
    visit(
        &app,
        paris(2026, 3, 1, 0, 10),
        "192.0.2.7",
        "/premier-mars",
        "security",
    )
    .await;
    visit(
        &app,
        paris(2026, 3, 1, 0, 10),
        "192.0.2.0",
        "/tronquee",
        "audience",
    )
    .await;
    visit(
        &app,
        paris(2026, 3, 2, 23, 30),
        "192.0.2.7",
        "/deux-mars-soir",
        "security",
    )
    .await;
    visit(
        &app,
        paris(2026, 3, 2, 12, 0),
        "192.0.2.99",
        "/voisin",
        "security",
    )
    .await;
    visit(
        &app,
        paris(2026, 3, 2, 12, 0),
        "198.51.100.4",
        "/autre-personne",
        "security",
    )
    .await;
    visit(
        &app,
        paris(2026, 3, 3, 0, 30),
        "192.0.2.7",
        "/trois-mars",
        "security",
    )
    .await;
    visit(
        &app,
        paris(2026, 3, 2, 9, 0),
        "2001:db8::1",
        "/en-ipv6",
        "security",
    )
    .await;

    let (status, blank) = admin.get_page("/admin/droits/visites").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        blank.contains(r#"value="2026-03-02""#),
        "today by default: {blank}"
    );

    // One address over 1–2 March, in Paris days.
    let page = page_of(
        &admin,
        "/admin/droits/visites?ip=192.0.2.7&du=2026-03-01&au=2026-03-02",
    )
    .await;
    assert!(page.contains("3 visites"), "{page}");
    for url in ["/premier-mars", "/services", "/deux-mars-soir"] {
        assert!(page.contains(url), "{url}: {page}");
    }
    for url in [
        "/la-veille",
        "/trois-mars",
        "/voisin",
        "/autre-personne",
        "/tronquee",
    ] {
        assert!(!page.contains(url), "{url}: {page}");
    }
    assert!(page.contains("Exporter en CSV"), "{page}");
    assert_eq!(
        scalar(
            &app.db,
            "SELECT COUNT(*) FROM audit_log WHERE event = 'visit_log_searched' \
             AND subject = 'ip:192.0.2.7'"
        )
        .await,
        1
    );

    // A range: the neighbour too, never the audience row or another network.
    let range = "ip=192.0.2.0/24&du=2026-03-01&au=2026-03-02";
    let page = page_of(&admin, &format!("/admin/droits/visites?{range}")).await;
    assert!(page.contains("4 visites"), "{page}");
    for url in ["/premier-mars", "/services", "/deux-mars-soir", "/voisin"] {
        assert!(page.contains(url), "{url}: {page}");
    }
    for url in ["/la-veille", "/trois-mars", "/autre-personne", "/tronquee"] {
        assert!(!page.contains(url), "{url}: {page}");
    }
    let page = page_of(
        &admin,
        "/admin/droits/visites?ip=2001:db8::/32&du=2026-03-02&au=2026-03-02",
    )
    .await;
    assert!(
        page.contains("1 visite.") && page.contains("/en-ipv6"),
        "{page}"
    );
    let page = page_of(
        &admin,
        "/admin/droits/visites?ip=203.0.113.9&du=2026-03-01&au=2026-03-02",
    )
    .await;
    assert!(page.contains("Aucune visite"), "{page}");

    // The export holds every row of the search, and nothing else.
    let export = admin
        .get(&format!("/admin/droits/visites/export?{range}"))
        .await;
    assert_eq!(export.status(), StatusCode::OK);
    assert!(header(export.headers(), "content-type").starts_with("text/csv"));
    assert!(header(export.headers(), "content-disposition").starts_with("attachment"));
    assert_eq!(header(export.headers(), "cache-control"), "no-store");
    let csv = export.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines,
        [
            "\u{feff}\"date_heure_utc\";\"adresse_ip\";\"page\";\"navigateur\";\"systeme\";\"appareil\"",
            "\"2026-02-28T23:10:00Z\";\"192.0.2.7\";\"/premier-mars\";\"Firefox\";\"Linux\";\"pc\"",
            "\"2026-03-02T09:30:00Z\";\"192.0.2.7\";\"/services\";\"Chrome\";\"Windows\";\"pc\"",
            "\"2026-03-02T11:00:00Z\";\"192.0.2.99\";\"/voisin\";\"Firefox\";\"Linux\";\"pc\"",
            "\"2026-03-02T22:30:00Z\";\"192.0.2.7\";\"/deux-mars-soir\";\"Firefox\";\"Linux\";\"pc\"",
        ],
        "{csv}"
    );
    assert_eq!(
        scalar(
            &app.db,
            "SELECT COUNT(*) FROM audit_log WHERE event = 'visit_log_searched' \
             AND subject = 'ip:192.0.2.0/24'"
        )
        .await,
        2,
        "the search and its export"
    );

    // Bad input: 422 with a French message, and nothing searched.
    let searches = app.count("audit_log").await;
    for (query, message) in [
        (
            "ip=192.0.2&du=2026-03-01&au=2026-03-02",
            "Indiquez une adresse IP",
        ),
        (
            "ip=%27%20OR%201%3D1%20--&du=2026-03-01&au=2026-03-02",
            "Indiquez une adresse IP",
        ),
        (
            "ip=192.0.2.7&du=2026-13-01&au=2026-03-02",
            "Indiquez les dates au format",
        ),
        (
            "ip=192.0.2.7&du=2026-03-01&au=",
            "Indiquez les dates au format",
        ),
        (
            "ip=192.0.2.7&du=2026-03-02&au=2026-03-01",
            "La date de début doit précéder la date de fin",
        ),
    ] {
        let (status, page) = admin
            .get_page(&format!("/admin/droits/visites?{query}"))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert!(page.contains(message), "{query}: {page}");
        // The export is only reached from a valid search's page.
        let (status, _) = admin
            .get_page(&format!("/admin/droits/visites/export?{query}"))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "export {query}");
    }
    assert_eq!(app.count("audit_log").await, searches);

    // A client is refused, as for every staff page.
    let (_, client) = client_of_company(&app, "client@syndic-exemple.fr", "Syndic Exemple").await;
    for path in [
        "/admin/droits".to_owned(),
        format!("/admin/droits/visites?{range}"),
        format!("/admin/droits/visites/export?{range}"),
    ] {
        let (status, page) = client.get_page(&path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        assert!(page.contains("Accès réservé"), "{path}: {page}");
        assert!(!page.contains("192.0.2.7"), "{path}: {page}");
    }
    // And so is a visitor who is not logged in.
    let (status, page) = app
        .browser()
        .get_page(&format!("/admin/droits/visites/export?{range}"))
        .await;
    assert_ne!(status, StatusCode::OK);
    assert!(!page.contains("192.0.2.7"), "{page}");
}

async fn the_staff_list_pages_by_twenty_open_requests_first(backend: Backend) {
    let app = spawn_app(backend).await;
    create_account(&app, Role::Admin, STAFF).await;
    let staff = staff(&app).await;
    let now = wemaintain::db::millis(app.clock_now());
    let day = 86_400_000_i64;
    // 22 open requests due in 1..=22 days, 3 closed ones, 1 unconfirmed.
    for n in 1..=25_i64 {
        let (status, closed_at) = if n > 22 {
            ("close", format!("{}", now - n * day))
        } else {
            ("ouverte", "NULL".to_owned())
        };
        execute(
            &app.db,
            &format!(
                "INSERT INTO rights_requests (kind, email, message, status, created_at, received_at, \
                   due_at, closed_at) VALUES ('acces', 'personne{n}@exemple.fr', 'Ma demande', \
                   '{status}', {now}, {now}, {}, {closed_at})",
                now + n * day
            ),
        )
        .await
        .unwrap();
    }
    execute(
        &app.db,
        &format!(
            "INSERT INTO rights_requests (kind, email, status, created_at, expires_at) \
             VALUES ('acces', 'pas-confirmee@exemple.fr', 'a_confirmer', {now}, {})",
            now + day
        ),
    )
    .await
    .unwrap();

    let first = page_of(&staff, "/admin/droits").await;
    assert_eq!(first.matches("personne").count(), 20, "{first}");
    assert!(first.contains("Page 1 sur 2"), "{first}");
    // The nearest deadline first; no closed one on the first page.
    let p1 = first.find("personne1@").unwrap();
    let p2 = first.find("personne2@").unwrap();
    assert!(p1 < p2);
    assert!(!first.contains("personne23@"));
    assert!(!first.contains("pas-confirmee@"));

    let second = page_of(&staff, "/admin/droits?page=2").await;
    assert_eq!(second.matches("personne").count(), 5, "{second}");
    assert!(second.contains("personne21@") && second.contains("personne22@"));
    // Closed ones last, the latest closed first.
    let c23 = second.find("personne23@").unwrap();
    let c25 = second.find("personne25@").unwrap();
    assert!(c23 < c25);
    assert!(!second.contains("pas-confirmee@"));
    // Out-of-range and nonsense page numbers fall back to a real page.
    assert!(page_of(&staff, "/admin/droits?page=99")
        .await
        .contains("Page 2 sur 2"));
    assert!(page_of(&staff, "/admin/droits?page=abc")
        .await
        .contains("Page 1 sur 2"));
}
