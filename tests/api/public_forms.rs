//! `/contact` and `/techniciens`: the public forms, what they store and for
//! how long, the staff's inbox at `/admin/messages`, and the purge.

use chrono::{DateTime, Datelike, Duration, Months, TimeZone, Utc};
use reqwest::StatusCode;
use wemaintain::auth::Role;
use wemaintain::clock::Clock;
use wemaintain::db::Db;
use wemaintain::privacy::purge::{purge, PurgeMode, PurgeOutcome};
use wemaintain::privacy::{Purpose, Register};

use crate::helpers::PlainText;
use crate::helpers::{
    create_account, csrf_in, header, spawn_app, Backend, Browser, TestApp, PASSWORD,
};
use crate::on_both_backends;

on_both_backends!(
    a_question_is_stored_under_the_contact_purpose_and_staff_are_told,
    an_application_is_stored_under_the_recruitment_purpose_and_staff_are_told,
    invalid_questions_come_back_with_messages_and_what_was_typed,
    invalid_applications_come_back_with_messages_and_what_was_typed,
    a_question_of_5000_characters_is_accepted_and_one_more_is_refused,
    html_in_a_name_is_stored_verbatim_and_shown_escaped,
    forms_without_the_browsers_own_csrf_token_are_refused,
    staff_list_and_handle_messages_and_no_one_else_can,
    the_purge_deletes_expired_messages_and_keeps_later_ones,
    a_shortened_contact_period_applies_to_questions_already_stored,
);

const STAFF: &str = "equipe@wemaintain.com";
const SCRIPT: &str = "<script>alert(1)</script>";

/// A valid question, as a visitor types it.
const QUESTION: &[(&str, &str)] = &[
    ("prenom", "Jeanne"),
    ("nom", "Dupont"),
    ("telephone", "06 12 34 56 78"),
    ("email", "Jeanne.Dupont@Exemple.FR"),
    (
        "message",
        "Bonjour,\nl'ascenseur de notre immeuble fait un bruit étrange au 3e étage.",
    ),
];

/// A valid technician application, as a visitor types it.
const APPLICATION: &[(&str, &str)] = &[
    ("prenom", "Karim"),
    ("nom", "Benali"),
    ("telephone", "+32 2 555 12 12"),
    ("email", "K.Benali@Ascenseurs-Nord.BE"),
    ("experience", "12"),
    ("entreprise", "Ascenseurs du Nord"),
];

/// `base` with some fields replaced.
fn with<'a>(
    base: &[(&'a str, &'a str)],
    changes: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    base.iter()
        .map(|(name, value)| {
            let changed = changes.iter().find(|(n, _)| n == name).map(|(_, v)| *v);
            (*name, changed.unwrap_or(value))
        })
        .collect()
}

/// `text` as maud writes it in a page.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The `<input>` tag of a field.
fn input_tag<'p>(page: &'p str, name: &str) -> Option<&'p str> {
    let start = page.find(&format!(r#"<input id="{name}""#))?;
    let end = page[start..].find('>')? + start;
    Some(&page[start..=end])
}

/// The (escaped) value shown in a field: an input's `value`, or a textarea's content.
fn shown_value(page: &str, name: &str) -> Option<String> {
    if let Some(tag) = input_tag(page, name) {
        let start = tag.find(r#"value=""#)? + r#"value=""#.len();
        let end = tag[start..].find('"')? + start;
        return Some(tag[start..end].to_owned());
    }
    let start = page.find(&format!(r#"<textarea id="{name}""#))?;
    let content = page[start..].find('>')? + start + 1;
    let end = page[content..].find("</textarea>")? + content;
    Some(page[content..end].to_owned())
}

/// The message shown next to a field, if any.
fn field_error<'p>(page: &'p str, name: &str) -> Option<&'p str> {
    let marker = format!(r#"id="{name}-erreur">"#);
    let start = page.find(&marker)? + marker.len();
    let end = page[start..].find("</p>")? + start;
    Some(&page[start..end])
}

/// POSTs a form with this browser's token; the status and the page.
async fn send(browser: &Browser, path: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
    let response = browser.post_form(path, fields).await;
    let status = response.status();
    (status, response.plain_text().await)
}

/// POSTs a form exactly as given (no token added).
async fn send_raw(browser: &Browser, path: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
    let response = browser
        .client
        .post(browser.url(path))
        .form(fields)
        .send()
        .await
        .expect("the server answers");
    let status = response.status();
    (status, response.plain_text().await)
}

/// A question row as stored.
#[derive(Debug, sqlx::FromRow)]
struct StoredQuestion {
    id: i64,
    received_at: i64,
    last_exchange_at: i64,
    expires_at: i64,
    first_name: String,
    last_name: String,
    phone: String,
    email: String,
    message: String,
    handled_at: Option<i64>,
    handled_by: Option<i64>,
}

/// An application row as stored.
#[derive(Debug, sqlx::FromRow)]
struct StoredApplication {
    id: i64,
    received_at: i64,
    expires_at: i64,
    first_name: String,
    last_name: String,
    phone: String,
    email: String,
    years_experience: i32,
    current_company: String,
    handled_at: Option<i64>,
    handled_by: Option<i64>,
}

async fn stored_questions(app: &TestApp) -> Vec<StoredQuestion> {
    const SQL: &str =
        "SELECT id, received_at, last_exchange_at, expires_at, first_name, last_name, \
        phone, email, message, handled_at, handled_by FROM contact_messages ORDER BY id";
    match &app.db {
        Db::Sqlite(pool) => sqlx::query_as(SQL).fetch_all(pool).await,
        Db::Postgres(pool) => sqlx::query_as(SQL).fetch_all(pool).await,
    }
    .expect("read contact_messages")
}

async fn stored_applications(app: &TestApp) -> Vec<StoredApplication> {
    const SQL: &str = "SELECT id, received_at, expires_at, first_name, last_name, phone, email, \
        years_experience, current_company, handled_at, handled_by \
        FROM technician_applications ORDER BY id";
    match &app.db {
        Db::Sqlite(pool) => sqlx::query_as(SQL).fetch_all(pool).await,
        Db::Postgres(pool) => sqlx::query_as(SQL).fetch_all(pool).await,
    }
    .expect("read technician_applications")
}

/// Audit lines of `event` by `actor` about `subject`.
async fn audit_lines(app: &TestApp, event: &str, actor: i64, subject: &str) -> i64 {
    const SQL: &str =
        "SELECT COUNT(*) FROM audit_log WHERE event = $1 AND actor_user_id = $2 AND subject = $3";
    match &app.db {
        Db::Sqlite(pool) => {
            sqlx::query_scalar(SQL)
                .bind(event)
                .bind(actor)
                .bind(subject)
                .fetch_one(pool)
                .await
        }
        Db::Postgres(pool) => {
            sqlx::query_scalar(SQL)
                .bind(event)
                .bind(actor)
                .bind(subject)
                .fetch_one(pool)
                .await
        }
    }
    .expect("count audit_log rows")
}

/// `at`, `years` calendar years later (same day and time).
fn years_after(at: DateTime<Utc>, years: i32) -> DateTime<Utc> {
    at.with_year(at.year() + years).expect("a valid date")
}

fn rows(outcomes: &[PurgeOutcome], purpose: Purpose) -> u64 {
    outcomes
        .iter()
        .find(|o| o.purpose == purpose)
        .map(|o| o.rows)
        .unwrap_or_else(|| panic!("no outcome for {purpose}"))
}

/// A question from `/contact` is stored as typed (normalised phone and
/// e-mail), kept 3 years, and staff get an e-mail without its text.
async fn a_question_is_stored_under_the_contact_purpose_and_staff_are_told(backend: Backend) {
    let app = spawn_app(backend).await;
    create_account(&app, Role::Admin, STAFF).await;
    let visitor = app.browser();

    let (status, page) = visitor.get_page("/contact").await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"action="/contact""#), "{page}");
    for name in ["prenom", "nom", "telephone", "email"] {
        assert!(input_tag(&page, name).is_some(), "no {name} field: {page}");
    }
    assert!(
        page.contains(r#"<textarea id="message" name="message""#),
        "{page}"
    );
    assert!(
        csrf_in(&page).is_some_and(|t| !t.is_empty()),
        "no CSRF field: {page}"
    );
    assert!(page.contains("Ces informations servent uniquement à répondre à votre question."));
    assert!(
        page.contains("Elles sont conservées 3 ans après notre dernier échange"),
        "{page}"
    );

    let now = app.clock.now();
    let response = visitor.post_form("/contact", QUESTION).await;
    assert_eq!(response.status(), 303);
    assert_eq!(header(response.headers(), "location"), "/contact/envoye");
    let (status, page) = visitor.get_page("/contact/envoye").await;
    assert_eq!(status, 200);
    assert!(page.contains("Votre question est envoyée"), "{page}");

    let stored = stored_questions(&app).await;
    assert_eq!(stored.len(), 1, "{stored:?}");
    let q = &stored[0];
    assert_eq!(q.first_name, "Jeanne");
    assert_eq!(q.last_name, "Dupont");
    assert_eq!(q.phone, "+33612345678");
    assert_eq!(q.email, "jeanne.dupont@exemple.fr");
    assert_eq!(
        q.message,
        "Bonjour,\nl'ascenseur de notre immeuble fait un bruit étrange au 3e étage."
    );
    assert_eq!(q.received_at, now.timestamp_millis());
    assert_eq!(q.last_exchange_at, now.timestamp_millis());
    let expires = years_after(now, 3);
    assert_eq!(expires, Utc.with_ymd_and_hms(2029, 3, 2, 9, 30, 0).unwrap());
    assert_eq!(q.expires_at, expires.timestamp_millis());
    assert_eq!((q.handled_at, q.handled_by), (None, None));
    assert_eq!(app.count("technician_applications").await, 0);

    let mail = app.wait_for_mail(STAFF, "Jeanne Dupont").await;
    // 8bit text: the French is readable as is, so the checks below mean something.
    assert!(mail.contains("a posé une question"), "{mail}");
    assert!(mail.contains("/admin/messages"), "{mail}");
    assert!(
        !mail.contains("bruit étrange"),
        "the question itself is in the e-mail: {mail}"
    );
    assert!(
        !mail.contains("immeuble"),
        "the question itself is in the e-mail: {mail}"
    );
}

/// A technician application from `/techniciens` is stored as typed, kept 2
/// years after it is sent, and staff are told.
async fn an_application_is_stored_under_the_recruitment_purpose_and_staff_are_told(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    create_account(&app, Role::Admin, STAFF).await;
    let visitor = app.browser();

    let (status, page) = visitor.get_page("/techniciens").await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"action="/techniciens""#), "{page}");
    for name in [
        "prenom",
        "nom",
        "telephone",
        "email",
        "experience",
        "entreprise",
    ] {
        assert!(input_tag(&page, name).is_some(), "no {name} field: {page}");
    }
    assert!(
        csrf_in(&page).is_some_and(|t| !t.is_empty()),
        "no CSRF field: {page}"
    );
    assert!(page.contains(
        "Ces informations servent uniquement à étudier votre candidature et à vous recontacter."
    ));
    assert!(
        page.contains("Elles sont conservées 2 ans après leur envoi"),
        "{page}"
    );

    let now = app.clock.now();
    let response = visitor.post_form("/techniciens", APPLICATION).await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        header(response.headers(), "location"),
        "/techniciens/envoye"
    );
    let (status, page) = visitor.get_page("/techniciens/envoye").await;
    assert_eq!(status, 200);
    assert!(page.contains("Votre candidature est envoyée"), "{page}");

    let stored = stored_applications(&app).await;
    assert_eq!(stored.len(), 1, "{stored:?}");
    let a = &stored[0];
    assert_eq!(a.first_name, "Karim");
    assert_eq!(a.last_name, "Benali");
    assert_eq!(a.phone, "+3225551212");
    assert_eq!(a.email, "k.benali@ascenseurs-nord.be");
    assert_eq!(a.years_experience, 12);
    assert_eq!(a.current_company, "Ascenseurs du Nord");
    assert_eq!(a.received_at, now.timestamp_millis());
    let expires = years_after(now, 2);
    assert_eq!(expires, Utc.with_ymd_and_hms(2028, 3, 2, 9, 30, 0).unwrap());
    assert_eq!(a.expires_at, expires.timestamp_millis());
    assert_eq!((a.handled_at, a.handled_by), (None, None));
    assert_eq!(app.count("contact_messages").await, 0);

    let mail = app.wait_for_mail(STAFF, "Karim Benali").await;
    assert!(mail.contains("12 ans d'expérience"), "{mail}");
    assert!(mail.contains("candidature de technicien"), "{mail}");
    assert!(mail.contains("/admin/messages"), "{mail}");
}

/// Sends `fields` to `path` and checks the answer: 422, each expected
/// message next to its field and no other, everything typed shown again.
async fn check_refused(
    app: &TestApp,
    browser: &Browser,
    path: &str,
    fields: &[(&str, &str)],
    all_fields: &[&str],
    expected: &[(&str, &str)],
) {
    let (status, page) = send(browser, path, fields).await;
    let case = format!("{path} {fields:?}");
    assert_eq!(status, 422, "{case}");
    for name in all_fields {
        let wanted = expected.iter().find(|(n, _)| n == name).map(|(_, m)| *m);
        assert_eq!(
            field_error(&page, name),
            wanted,
            "{case}: message of {name}"
        );
        if wanted.is_some() {
            let tag = input_tag(&page, name).unwrap_or("");
            if !tag.is_empty() {
                assert!(tag.contains(r#"aria-invalid="true""#), "{case}: {tag}");
                assert!(tag.contains(&format!("{name}-erreur")), "{case}: {tag}");
            }
        }
        let typed = fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| *v)
            .unwrap_or("");
        assert_eq!(
            shown_value(&page, name),
            Some(escape(typed)),
            "{case}: value of {name}"
        );
    }
    let summary = match expected.len() {
        1 => "Le formulaire contient une erreur".to_owned(),
        n => format!("Le formulaire contient {n} erreurs"),
    };
    assert!(page.contains(&summary), "{case}: {summary:?} missing");
    assert_eq!(app.count("contact_messages").await, 0, "{case}");
    assert_eq!(app.count("technician_applications").await, 0, "{case}");
}

/// Each invalid field of `/contact`: 422, a French message next to it,
/// everything typed kept, nothing stored.
async fn invalid_questions_come_back_with_messages_and_what_was_typed(backend: Backend) {
    let app = spawn_app(backend).await;
    let visitor = app.browser();
    let fields = ["prenom", "nom", "telephone", "email", "message"];
    let empty_errors = [
        ("prenom", "Indiquez votre prénom."),
        ("nom", "Indiquez votre nom."),
        ("telephone", "Indiquez votre numéro de téléphone."),
        (
            "email",
            "Indiquez l'adresse e-mail à laquelle vous répondre.",
        ),
        (
            "message",
            "Écrivez votre question : ce que vous souhaitez savoir ou le problème rencontré.",
        ),
    ];
    // A form sent blank, and a body with no field at all.
    let blank = with(
        QUESTION,
        &[
            ("prenom", ""),
            ("nom", ""),
            ("telephone", ""),
            ("email", ""),
            ("message", ""),
        ],
    );
    check_refused(&app, &visitor, "/contact", &blank, &fields, &empty_errors).await;
    check_refused(&app, &visitor, "/contact", &[], &fields, &empty_errors).await;

    let cases: &[(&str, &str, &str)] = &[
        (
            "email",
            "jeanne.dupont@",
            "Indiquez une adresse e-mail valide, par exemple nom@entreprise.fr.",
        ),
        (
            "telephone",
            "12",
            "Indiquez un numéro de téléphone valide, par exemple 06 12 34 56 78, \
             ou +32 2 555 12 12 pour un numéro étranger.",
        ),
        (
            "message",
            "Bonjour",
            "Ce texte est trop court (10 caractères au moins).",
        ),
        ("prenom", "   ", "Indiquez votre prénom."),
    ];
    for (field, value, message) in cases {
        let typed = with(QUESTION, &[(field, value)]);
        check_refused(
            &app,
            &visitor,
            "/contact",
            &typed,
            &fields,
            &[(field, message)],
        )
        .await;
    }
}

/// Each invalid field of `/techniciens`: 422, a French message next to it,
/// everything typed kept, nothing stored.
async fn invalid_applications_come_back_with_messages_and_what_was_typed(backend: Backend) {
    let app = spawn_app(backend).await;
    let visitor = app.browser();
    let fields = [
        "prenom",
        "nom",
        "telephone",
        "email",
        "experience",
        "entreprise",
    ];
    let empty_errors = [
        ("prenom", "Indiquez votre prénom."),
        ("nom", "Indiquez votre nom."),
        ("telephone", "Indiquez votre numéro de téléphone."),
        (
            "email",
            "Indiquez l'adresse e-mail à laquelle vous répondre.",
        ),
        ("experience", "Indiquez votre nombre d'années d'expérience."),
        (
            "entreprise",
            "Indiquez l'entreprise où vous travaillez aujourd'hui (ou « sans emploi »).",
        ),
    ];
    let blank = with(
        APPLICATION,
        &[
            ("prenom", ""),
            ("nom", ""),
            ("telephone", ""),
            ("email", ""),
            ("experience", ""),
            ("entreprise", ""),
        ],
    );
    check_refused(
        &app,
        &visitor,
        "/techniciens",
        &blank,
        &fields,
        &empty_errors,
    )
    .await;
    check_refused(&app, &visitor, "/techniciens", &[], &fields, &empty_errors).await;

    let years = "Indiquez un nombre d'années entre 0 et 60.";
    let cases: &[(&str, &str, &str)] = &[
        (
            "email",
            "k.benali@localhost",
            "Indiquez une adresse e-mail valide, par exemple nom@entreprise.fr.",
        ),
        (
            "telephone",
            "12",
            "Indiquez un numéro de téléphone valide, par exemple 06 12 34 56 78, \
             ou +32 2 555 12 12 pour un numéro étranger.",
        ),
        ("experience", "abc", years),
        ("experience", "61", years),
        ("experience", "-1", years),
    ];
    for (field, value, message) in cases {
        let typed = with(APPLICATION, &[(field, value)]);
        check_refused(
            &app,
            &visitor,
            "/techniciens",
            &typed,
            &fields,
            &[(field, message)],
        )
        .await;
    }
}

/// The form says « 5 000 caractères au plus »: a question of exactly 5,000
/// characters is stored, whatever the characters; one more is refused with a
/// message, and kept in the form.
// Forms are read up to the CSRF check's 64 KiB, not actix-web's default
// 16 KiB, which cut 5,000 accented characters (30,000 bytes URL-encoded).
async fn a_question_of_5000_characters_is_accepted_and_one_more_is_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let visitor = app.browser();

    let longest = "é".repeat(5_000);
    let typed = with(QUESTION, &[("message", longest.as_str())]);
    let (status, page) = send(&visitor, "/contact", &typed).await;
    assert_eq!(status, 303, "a 5,000-character question is refused: {page}");
    let stored = stored_questions(&app).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].message, longest);

    let too_long = "é".repeat(5_001);
    let typed = with(QUESTION, &[("message", too_long.as_str())]);
    let (status, page) = send(&visitor, "/contact", &typed).await;
    assert_eq!(status, 422, "{page}");
    assert_eq!(
        field_error(&page, "message"),
        Some("Ce texte ne peut pas dépasser 5000 caractères.")
    );
    assert_eq!(shown_value(&page, "message"), Some(too_long));
    assert_eq!(app.count("contact_messages").await, 1);
}

/// A name with HTML in it is data: stored as typed, never run as markup
/// (in the form sent back, and in the staff's inbox).
async fn html_in_a_name_is_stored_verbatim_and_shown_escaped(backend: Backend) {
    let app = spawn_app(backend).await;
    create_account(&app, Role::Admin, STAFF).await;
    let visitor = app.browser();
    let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;";

    // Sent back with another error: the value is escaped.
    let typed = with(
        QUESTION,
        &[("prenom", SCRIPT), ("email", "pas-une-adresse")],
    );
    let (status, page) = send(&visitor, "/contact", &typed).await;
    assert_eq!(status, 422);
    assert_eq!(shown_value(&page, "prenom").as_deref(), Some(escaped));
    assert!(!page.contains("<script>alert"), "{page}");

    // Otherwise valid: accepted and stored verbatim, in both forms.
    let (status, _) = send(&visitor, "/contact", &with(QUESTION, &[("prenom", SCRIPT)])).await;
    assert_eq!(status, 303);
    let (status, _) = send(
        &visitor,
        "/techniciens",
        &with(APPLICATION, &[("nom", SCRIPT)]),
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(stored_questions(&app).await[0].first_name, SCRIPT);
    assert_eq!(stored_applications(&app).await[0].last_name, SCRIPT);

    let staff = app.browser();
    staff.login_ok(STAFF, PASSWORD).await;
    let (status, page) = staff.get_page("/admin/messages").await;
    assert_eq!(status, 200);
    // The question's sender, its answer form's label, the applicant.
    assert_eq!(page.matches(escaped).count(), 3, "{page}");
    assert!(!page.contains("<script>alert"), "{page}");
}

/// A POST without this browser's own token is refused with a French page
/// and changes nothing.
async fn forms_without_the_browsers_own_csrf_token_are_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let visitor = app.browser();
    let other = app.browser();
    let never_saw_a_form = app.browser();
    for (path, form) in [("/contact", QUESTION), ("/techniciens", APPLICATION)] {
        let (_, page) = visitor.get_page(path).await;
        let own = csrf_in(&page).expect("the form carries a token");
        let (_, page) = other.get_page(path).await;
        let others = csrf_in(&page).expect("the form carries a token");
        assert_ne!(own, others, "each browser has its own token");
        let mut tampered = own.clone();
        let last = if tampered.ends_with('A') { 'B' } else { 'A' };
        tampered.pop();
        tampered.push(last);

        let attempts: [(&Browser, Option<&str>, &str); 5] = [
            (&visitor, None, "no csrf field"),
            (&visitor, Some(""), "an empty csrf field"),
            (&visitor, Some(tampered.as_str()), "a tampered token"),
            (&visitor, Some(others.as_str()), "another browser's token"),
            (
                &never_saw_a_form,
                Some(others.as_str()),
                "no cookie, another browser's token",
            ),
        ];
        for (browser, token, case) in attempts {
            let mut fields = form.to_vec();
            if let Some(token) = token {
                fields.push(("csrf", token));
            }
            let (status, page) = send_raw(browser, path, &fields).await;
            assert_eq!(status, 403, "{path}: {case}");
            assert!(page.contains("Formulaire expiré"), "{path}: {case}: {page}");
            assert!(page.contains("Rien n'a été enregistré."), "{path}: {case}");
            assert_eq!(app.count("contact_messages").await, 0, "{path}: {case}");
            assert_eq!(
                app.count("technician_applications").await,
                0,
                "{path}: {case}"
            );
        }
    }

    // The same forms with the browser's own token go through.
    let (status, _) = send(&visitor, "/contact", QUESTION).await;
    assert_eq!(status, 303);
    let (status, _) = send(&visitor, "/techniciens", APPLICATION).await;
    assert_eq!(status, 303);
    assert_eq!(app.count("contact_messages").await, 1);
    assert_eq!(app.count("technician_applications").await, 1);
}

/// Staff see every message, unhandled first, and mark them handled (audited);
/// anonymous visitors are sent to the login page, clients refused.
async fn staff_list_and_handle_messages_and_no_one_else_can(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin_id = create_account(&app, Role::Admin, STAFF).await;
    create_account(&app, Role::Client, "client@syndic-exemple.fr").await;
    let visitor = app.browser();

    // Jeanne's question at 09:30, then Karim's application, then Louis's
    // question an hour later.
    assert_eq!(send(&visitor, "/contact", QUESTION).await.0, 303);
    assert_eq!(send(&visitor, "/techniciens", APPLICATION).await.0, 303);
    app.clock.advance(Duration::hours(1));
    let later = with(
        QUESTION,
        &[
            ("prenom", "Louis"),
            ("nom", "Girard"),
            ("email", "louis.girard@exemple.fr"),
        ],
    );
    assert_eq!(send(&visitor, "/contact", &later).await.0, 303);
    let questions = stored_questions(&app).await;
    let (jeanne, louis) = (questions[0].id, questions[1].id);
    let karim = stored_applications(&app).await[0].id;

    // Anonymous: to the login page, and back here after.
    let response = app.get("/admin/messages").await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        header(response.headers(), "location"),
        "/connexion?suite=%2Fadmin%2Fmessages"
    );
    // A client account: refused, even with a valid form.
    let client = app.browser();
    client.login_ok("client@syndic-exemple.fr", PASSWORD).await;
    let (status, page) = client.get_page("/admin/messages").await;
    assert_eq!(status, 403);
    assert!(!page.contains("Jeanne"), "{page}");
    let response = client
        .post_form(&format!("/admin/messages/questions/{jeanne}/traite"), &[])
        .await;
    assert_eq!(response.status(), 403);
    assert!(stored_questions(&app)
        .await
        .iter()
        .all(|q| q.handled_at.is_none()));

    let staff = app.browser();
    staff.login_ok(STAFF, PASSWORD).await;
    let (status, page) = staff.get_page("/admin/messages").await;
    assert_eq!(status, 200);
    let at = |page: &str, needle: &str| {
        page.find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not on the page: {page}"))
    };
    // Both kinds are listed; the most recent question first.
    at(&page, "Karim Benali");
    at(&page, "k.benali@ascenseurs-nord.be");
    at(&page, "12 ans, chez Ascenseurs du Nord");
    at(&page, "bruit étrange");
    assert!(at(&page, "Louis Girard") < at(&page, "Jeanne Dupont"));
    assert_eq!(page.matches("À traiter").count(), 3, "{page}");
    assert!(page.contains(&format!(
        r#"action="/admin/messages/questions/{louis}/traite""#
    )));

    // Without the form's token: refused, nothing changes.
    let (status, page) = send_raw(
        &staff,
        &format!("/admin/messages/questions/{louis}/traite"),
        &[],
    )
    .await;
    assert_eq!(status, 403);
    assert!(page.contains("Formulaire expiré"), "{page}");
    assert!(stored_questions(&app)
        .await
        .iter()
        .all(|q| q.handled_at.is_none()));

    // Louis's question is handled: it goes below Jeanne's, still unhandled.
    let handled_at = app.clock.now();
    let response = staff
        .post_form(&format!("/admin/messages/questions/{louis}/traite"), &[])
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        header(response.headers(), "location"),
        "/admin/messages?fait=traite"
    );
    let questions = stored_questions(&app).await;
    assert_eq!(questions[1].id, louis);
    assert_eq!(questions[1].handled_at, Some(handled_at.timestamp_millis()));
    assert_eq!(questions[1].handled_by, Some(admin_id));
    assert_eq!(
        (questions[0].handled_at, questions[0].handled_by),
        (None, None)
    );
    assert_eq!(
        audit_lines(
            &app,
            "message_handled",
            admin_id,
            &format!("questions:{louis}")
        )
        .await,
        1
    );

    let (_, page) = staff.get_page("/admin/messages?fait=traite").await;
    assert!(page.contains("Message marqué comme traité."), "{page}");
    // 10:30 UTC is 11:30 in Paris, the same day.
    assert!(page.contains("Traité le 02/03/2026"), "{page}");
    assert!(at(&page, "Jeanne Dupont") < at(&page, "Louis Girard"));
    assert!(!page.contains(&format!("/admin/messages/questions/{louis}/traite")));
    assert!(page.contains(&format!("/admin/messages/questions/{jeanne}/traite")));

    // A second click later keeps the first date and person.
    app.clock.advance(Duration::minutes(5));
    let response = staff
        .post_form(&format!("/admin/messages/questions/{louis}/traite"), &[])
        .await;
    assert_eq!(response.status(), 303);
    let again = &stored_questions(&app).await[1];
    assert_eq!(again.handled_at, Some(handled_at.timestamp_millis()));
    assert_eq!(again.handled_by, Some(admin_id));

    // The application, in its own inbox.
    let response = staff
        .post_form(&format!("/admin/messages/candidatures/{karim}/traite"), &[])
        .await;
    assert_eq!(response.status(), 303);
    let application = &stored_applications(&app).await[0];
    assert_eq!(
        application.handled_at,
        Some(app.clock.now().timestamp_millis())
    );
    assert_eq!(application.handled_by, Some(admin_id));
    assert_eq!(
        audit_lines(
            &app,
            "message_handled",
            admin_id,
            &format!("candidatures:{karim}")
        )
        .await,
        1
    );

    // Unknown message, unknown inbox: 404, nothing changed.
    let audited = app.count("audit_log").await;
    for path in [
        "/admin/messages/questions/999999/traite".to_owned(),
        format!("/admin/messages/candidatures/{}/traite", karim + 1000),
        format!("/admin/messages/inconnus/{jeanne}/traite"),
    ] {
        let response = staff.post_form(&path, &[]).await;
        assert_eq!(response.status(), 404, "{path}");
        let page = response.plain_text().await;
        assert!(page.contains("Page introuvable"), "{path}: {page}");
    }
    assert_eq!(stored_questions(&app).await[0].handled_at, None);
    assert_eq!(app.count("audit_log").await, audited);
}

/// The purge deletes questions 3 years after their arrival and applications
/// 2 years after, and keeps what arrived later.
async fn the_purge_deletes_expired_messages_and_keeps_later_ones(backend: Backend) {
    let app = spawn_app(backend).await;
    create_account(&app, Role::Admin, STAFF).await;
    let visitor = app.browser();
    let start = app.clock.now();
    assert_eq!(send(&visitor, "/contact", QUESTION).await.0, 303);
    assert_eq!(send(&visitor, "/techniciens", APPLICATION).await.0, 303);

    // A year later, another question and another application.
    app.clock.set(start + Months::new(12));
    let later_question = with(QUESTION, &[("prenom", "Louis"), ("nom", "Girard")]);
    assert_eq!(send(&visitor, "/contact", &later_question).await.0, 303);
    let later_application = with(APPLICATION, &[("prenom", "Sofia"), ("nom", "Marchetti")]);
    assert_eq!(
        send(&visitor, "/techniciens", &later_application).await.0,
        303
    );
    assert_eq!(app.count("contact_messages").await, 2);
    assert_eq!(app.count("technician_applications").await, 2);

    let register = Register::default();
    let run = |at: DateTime<Utc>| {
        let (db, register, metrics) = (app.db.clone(), register.clone(), app.metrics.clone());
        async move {
            purge(&db, &register, at, 100, PurgeMode::Delete, &metrics)
                .await
                .expect("the purge runs")
        }
    };

    // A day before the first application's two years: nothing goes.
    let outcomes = run(years_after(start, 2) - Duration::days(1)).await;
    assert_eq!(rows(&outcomes, Purpose::Recruitment), 0);
    assert_eq!(rows(&outcomes, Purpose::Contact), 0);
    assert_eq!(app.count("technician_applications").await, 2);

    // Two years and a day: the first application goes, every question stays.
    let outcomes = run(years_after(start, 2) + Duration::days(1)).await;
    assert_eq!(rows(&outcomes, Purpose::Recruitment), 1);
    assert_eq!(rows(&outcomes, Purpose::Contact), 0);
    let names: Vec<String> = stored_applications(&app)
        .await
        .into_iter()
        .map(|a| a.first_name)
        .collect();
    assert_eq!(names, ["Sofia"]);
    assert_eq!(app.count("contact_messages").await, 2);

    // Three years and a day: the first question goes, the later one stays.
    let outcomes = run(years_after(start, 3) + Duration::days(1)).await;
    assert_eq!(rows(&outcomes, Purpose::Contact), 1);
    let names: Vec<String> = stored_questions(&app)
        .await
        .into_iter()
        .map(|q| q.first_name)
        .collect();
    assert_eq!(names, ["Louis"]);
    // Sofia's application was two years old too.
    assert_eq!(rows(&outcomes, Purpose::Recruitment), 1);
    assert_eq!(app.count("technician_applications").await, 0);
}

/// The operator shortens the contact period after questions were stored
/// under the old one: the purge counts the new period from each question's
/// last exchange, not from the expiry written at the time.
async fn a_shortened_contact_period_applies_to_questions_already_stored(backend: Backend) {
    let app = spawn_app(backend).await;
    let visitor = app.browser();
    let start = app.clock.now();
    assert_eq!(send(&visitor, "/contact", QUESTION).await.0, 303);
    let mut overrides = wemaintain::privacy::RetentionOverrides::default();
    overrides.set(Purpose::Contact, wemaintain::privacy::Period::Months(12));
    let shortened = Register::with_overrides(&overrides);
    let at = |months: u32| start + Months::new(months);
    let kept = purge(
        &app.db,
        &shortened,
        at(11),
        100,
        PurgeMode::Delete,
        &app.metrics,
    )
    .await
    .unwrap();
    assert_eq!(rows(&kept, Purpose::Contact), 0);
    let gone = purge(
        &app.db,
        &shortened,
        at(12) + Duration::days(1),
        100,
        PurgeMode::Delete,
        &app.metrics,
    )
    .await
    .unwrap();
    assert_eq!(rows(&gone, Purpose::Contact), 1);
    assert_eq!(app.count("contact_messages").await, 0);
}
