//! Statistics reports by e-mail: asked for at the bottom of `/statistiques`
//! (marketing and staff only), sent once per subscriber and period after
//! Monday 07:00 or the 1st 07:00 (Paris), even by two runs at once, with the
//! page's figures, stopped by the link of the mail without login, audited,
//! and their record purged after its window.

use std::sync::Arc;

use chrono::{DateTime, Duration, Months, TimeZone, Utc};
use chrono_tz::Europe::Paris;
use wemaintain::analytics::mail_reports::job::ReportJob;
use wemaintain::analytics::user_agent::classify;
use wemaintain::analytics::{insert_batch, VisitorEvent};
use wemaintain::auth::Role;
use wemaintain::db::Db;
use wemaintain::mail::Mailer;
use wemaintain::metrics::Metrics;
use wemaintain::privacy::purge::{purge, PurgeMode};
use wemaintain::privacy::{Purpose, Register};

use crate::common::mail::{outbox, Mail};
use crate::helpers::{
    client_of_company, create_account, scalar, spawn_app, Backend, Browser, TestApp,
    DESKTOP_CHROME, PASSWORD,
};
use crate::on_both_backends;
use crate::statistics::unmeasured_browser;

on_both_backends!(
    reports_are_chosen_through_the_form_by_marketing_only,
    the_weekly_and_monthly_reports_go_after_seven_and_not_before,
    a_report_goes_once_even_to_two_runs_at_once,
    the_figures_of_the_mail_are_the_pages,
    the_link_of_the_mail_stops_the_report_with_a_button,
    the_sent_log_is_purged_after_its_window,
    a_mail_that_fails_is_not_recorded_and_goes_at_the_next_run,
);

const MARKETING: &str = "marketing@wemaintain.com";
const FORM: &str = "/statistiques/rapports";
const STOP: &str = "/statistiques/rapports/desabonnement/";

fn paris(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Paris
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .unwrap()
        .with_timezone(&Utc)
}

/// The marketing account, logged in, subscribed to `fields`.
async fn subscribed(app: &TestApp, fields: &[(&str, &str)]) -> Browser {
    create_account(app, Role::Marketing, MARKETING).await;
    let browser = unmeasured_browser(app);
    browser.login_ok(MARKETING, PASSWORD).await;
    let response = browser.post_form(FORM, fields).await;
    assert_eq!(response.status(), 303);
    browser
}

async fn logged_in_again(app: &TestApp) -> Browser {
    let browser = unmeasured_browser(app);
    browser.login_ok(MARKETING, PASSWORD).await;
    browser
}

/// The job as the server runs it, on `db`.
fn job(app: &TestApp, db: Db) -> ReportJob {
    ReportJob {
        db,
        register: Arc::new(Register::default()),
        mailer: Mailer::from_settings(&app.settings, Arc::new(Metrics::default())).unwrap(),
        public_url: app.address.clone(),
        min_group: app.settings.min_group,
        goals: Arc::new(app.settings.analytics_goals.clone()),
    }
}

/// Runs the job with the site's clock at `now`.
async fn run_at(app: &TestApp, now: DateTime<Utc>) -> usize {
    app.clock.set(now);
    job(app, app.db.clone()).run(now).await.expect("a run")
}

fn reports(app: &TestApp, needle: &str) -> Vec<Mail> {
    outbox(&app.settings.data_dir)
        .into_iter()
        .filter(|m| m.to.contains(MARKETING) && flat(m).contains(needle))
        .collect()
}

/// The text on one line: long lines are wrapped.
fn flat(mail: &Mail) -> String {
    mail.text.replace('\n', " ")
}

/// The head, its long lines unfolded.
fn head(mail: &Mail) -> String {
    mail.head.replace("\r\n ", " ").replace("\r\n\t", " ")
}

async fn rows(app: &TestApp, sql: &str) -> i64 {
    scalar(&app.db, sql).await
}

async fn reports_are_chosen_through_the_form_by_marketing_only(backend: Backend) {
    let app = spawn_app(backend).await;
    let browser = subscribed(&app, &[("hebdomadaire", "oui")]).await;
    let (status, page) = browser.get_page("/statistiques?rapports=enregistres").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Recevoir ces statistiques par e-mail"),
        "{page}"
    );
    assert!(page.contains("Votre choix est enregistré."));
    assert!(page.contains(r#"name="hebdomadaire" value="oui" checked"#));
    assert!(!page.contains(r#"name="mensuel" value="oui" checked"#));
    let (_, plain_page) = browser.get_page("/statistiques").await;
    assert!(!plain_page.contains("Votre choix est enregistré."));
    let response = browser.post_form(FORM, &[("mensuel", "oui")]).await;
    assert_eq!(
        response.headers()["location"],
        "/statistiques?rapports=enregistres#rapports-email"
    );
    let (_, page) = browser.get_page("/statistiques").await;
    assert!(page.contains("<strong>mensuel</strong>."), "{page}");
    let subscriptions = "SELECT COUNT(*) FROM statistics_report_subscriptions";
    assert_eq!(rows(&app, subscriptions).await, 1);
    assert_eq!(
        rows(
            &app,
            "SELECT COUNT(*) FROM statistics_report_subscriptions WHERE frequency = 'monthly'"
        )
        .await,
        1
    );
    // A client and an anonymous visitor cannot.
    let (_, client) = client_of_company(&app, "client@example.fr", "Agence Martin").await;
    let refused = client.post_form(FORM, &[("hebdomadaire", "oui")]).await;
    assert_eq!(refused.status(), 403);
    let anonymous = unmeasured_browser(&app);
    let refused = anonymous.post_form(FORM, &[("hebdomadaire", "oui")]).await;
    assert!(!refused.status().is_success());
    assert_ne!(
        refused
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap()),
        Some("/statistiques?rapports=enregistres#rapports-email")
    );
    assert_eq!(rows(&app, subscriptions).await, 1);
    let (status, _) = client.get_page("/statistiques").await;
    assert_eq!(status, 403);
    // Two changes, two audit lines with the account's id.
    assert_eq!(
        rows(&app, "SELECT COUNT(*) FROM audit_log WHERE event = 'statistics_reports_changed' AND subject_user_id IS NOT NULL AND actor_user_id = subject_user_id").await,
        2
    );
}

async fn the_weekly_and_monthly_reports_go_after_seven_and_not_before(backend: Backend) {
    let app = spawn_app(backend).await;
    subscribed(&app, &[("hebdomadaire", "oui"), ("mensuel", "oui")]).await;
    // Subscribed on Monday 2 March after 07:00: the week before is not sent.
    assert_eq!(run_at(&app, paris(2026, 3, 8, 23, 59)).await, 0);
    assert_eq!(run_at(&app, paris(2026, 3, 9, 6, 59)).await, 0);
    assert_eq!(run_at(&app, paris(2026, 3, 9, 7, 0)).await, 1);
    assert_eq!(run_at(&app, paris(2026, 3, 9, 12, 0)).await, 0);
    let week = reports(&app, "semaine du lundi 2 au dimanche 8 mars 2026");
    assert_eq!(week.len(), 1, "{:?}", outbox(&app.settings.data_dir));
    // A site down at 07:00 sends when it comes back: the 1st of April 06:59
    // is still March, then the report of March goes once.
    run_at(&app, paris(2026, 4, 1, 6, 59)).await;
    assert!(reports(&app, "mois de mars").is_empty());
    run_at(&app, paris(2026, 4, 2, 15, 0)).await;
    run_at(&app, paris(2026, 4, 3, 15, 0)).await;
    let march = reports(&app, "le mois de mars 2026");
    assert_eq!(march.len(), 1);
    assert!(
        march[0].text.contains("rapport mensuel"),
        "{}",
        march[0].text
    );
    assert_eq!(
        rows(
            &app,
            "SELECT COUNT(*) FROM statistics_report_sends WHERE frequency = 'monthly'"
        )
        .await,
        1
    );
    assert_eq!(
        rows(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE event = 'statistics_report_sent'"
        )
        .await,
        rows(&app, "SELECT COUNT(*) FROM statistics_report_sends").await
    );
}

async fn a_report_goes_once_even_to_two_runs_at_once(backend: Backend) {
    let app = spawn_app(backend).await;
    subscribed(&app, &[("hebdomadaire", "oui")]).await;
    let now = paris(2026, 3, 9, 7, 5);
    app.clock.set(now);
    let second = Db::connect(&app.settings.database_url, 2).await.unwrap();
    let (first_job, second_job) = (job(&app, app.db.clone()), job(&app, second.clone()));
    let (a, b) = tokio::join!(first_job.run(now), second_job.run(now));
    assert_eq!(a.unwrap() + b.unwrap(), 1);
    assert_eq!(run_at(&app, now + Duration::minutes(5)).await, 0);
    assert_eq!(reports(&app, "semaine du lundi 2").len(), 1);
    second.close().await;
}

/// `visitors` visitors on `at`, each viewing `/` twice and `/services` from
/// a campaign once.
async fn visits(app: &TestApp, at: DateTime<Utc>, visitors: u8) {
    let device = Arc::new(classify(DESKTOP_CHROME));
    let mut events = Vec::new();
    for visitor in 0..visitors {
        for url in [
            "/",
            "/",
            "/services?utm_source=lettre&utm_medium=email&utm_campaign=mars",
        ] {
            events.push(VisitorEvent {
                purpose: Purpose::Audience,
                occurred_at: at,
                expires_at: at + Months::new(13),
                ip: format!("198.51.{visitor}.0"),
                device: device.clone(),
                url: url.to_owned(),
            });
        }
    }
    insert_batch(&app.db, events.into()).await.expect("visits");
}

/// The four headline figures of a statistics page.
fn page_figures(page: &str) -> Vec<String> {
    page.split(r#"<p class="figure">"#)
        .skip(1)
        .map(|rest| rest.split('<').next().unwrap_or_default().to_owned())
        .collect()
}

async fn the_figures_of_the_mail_are_the_pages(backend: Backend) {
    let app = spawn_app(backend).await;
    subscribed(&app, &[("hebdomadaire", "oui")]).await;
    visits(&app, paris(2026, 2, 24, 10, 0), 5).await;
    visits(&app, paris(2026, 3, 3, 10, 0), 6).await;
    run_at(&app, paris(2026, 3, 9, 7, 1)).await;
    let mail = reports(&app, "semaine du lundi 2 au dimanche 8 mars").remove(0);
    // The link opens the same period, on the site's address.
    let link = mail.link(&app.address).unwrap();
    let path = link.strip_prefix(&app.address).unwrap();
    assert_eq!(
        path,
        "/statistiques?periode=perso&du=2026-03-02&au=2026-03-08"
    );
    // A week later the session has ended: logged in again.
    let browser = logged_in_again(&app).await;
    let (status, page) = browser.get_page(path).await;
    assert_eq!(status, 200);
    assert!(page.contains("du 02/03/2026 au 08/03/2026"));
    let figures = page_figures(&page);
    assert_eq!(figures.len(), 7, "{page}");
    for (name, figure) in [
        "Pages vues",
        "Visiteurs",
        "Visites",
        "Pages par visite",
        "Taux de rebond",
        "Durée moyenne d'une visite",
        "Part des mobiles",
    ]
    .iter()
    .zip(&figures)
    {
        assert!(
            flat(&mail).contains(&format!("- {name} : {figure} (")),
            "{name} {figure:?} in:\n{}",
            mail.text
        );
    }
    assert_eq!(figures[0], "18");
    assert!(flat(&mail).contains("Pages vues : 18 (↑ +20,0 % par rapport à la semaine précédente)"));
    assert!(mail
        .text
        .contains("Pages les plus vues\n- 1. / : 12 pages vues, 6 visiteurs"));
    assert!(
        mail.text.contains("Campagnes\n- 1. lettre"),
        "{}",
        mail.text
    );
    assert!(head(&mail).contains("List-Unsubscribe: <"));

    // A week of two visitors: « moins de 5 », on the page as in the mail.
    visits(&app, paris(2026, 3, 10, 10, 0), 2).await;
    run_at(&app, paris(2026, 3, 16, 7, 1)).await;
    let small = reports(&app, "semaine du lundi 9 au dimanche 15 mars").remove(0);
    assert!(
        small.text.contains("- Pages vues : moins de 5\n"),
        "{}",
        small.text
    );
    assert!(small.text.contains("- Visiteurs : moins de 5\n"));
    assert!(flat(&small).contains("- Pages par visite : non affiché (moins de 5 visiteurs)"));
    assert!(!small.text.contains("- 1. / :"), "{}", small.text);
    // No table either: its « Autres » would give the total away.
    assert!(!small.text.contains("Autres (lignes"), "{}", small.text);
    assert!(small
        .text
        .contains("Non affiché : moins de 5 visiteurs sur la période."));
    if std::env::var_os("SHOW_MAIL").is_some() {
        println!("{}\n----\n{}", mail.full(), small.text);
    }
    let link = small.link(&app.address).unwrap();
    let browser = logged_in_again(&app).await;
    let (_, page) = browser
        .get_page(link.strip_prefix(&app.address).unwrap())
        .await;
    assert_eq!(page_figures(&page)[0], "moins de 5");
}

async fn the_link_of_the_mail_stops_the_report_with_a_button(backend: Backend) {
    let app = spawn_app(backend).await;
    subscribed(&app, &[("hebdomadaire", "oui"), ("mensuel", "oui")]).await;
    run_at(&app, paris(2026, 3, 9, 7, 1)).await;
    let mail = reports(&app, "semaine du lundi 2").remove(0);
    let link = mail.link(&format!("{}{STOP}", app.address)).unwrap();
    assert!(
        head(&mail).contains(&format!("List-Unsubscribe: <{link}>")),
        "{}",
        mail.head
    );
    let path = link.strip_prefix(&app.address).unwrap();
    let subscriptions = "SELECT COUNT(*) FROM statistics_report_subscriptions";

    // Opened (by a person or a mail filter): nothing changes.
    let visitor = unmeasured_browser(&app);
    let (status, page) = visitor.get_page(path).await;
    assert_eq!(status, 200);
    assert!(page.contains("Arrêter le rapport hebdomadaire"), "{page}");
    assert!(page.contains(MARKETING));
    let (status, _) = visitor.get_page(path).await;
    assert_eq!(status, 200);
    assert_eq!(rows(&app, subscriptions).await, 2);

    // The button, without login.
    let response = visitor.post_form(path, &[]).await;
    assert_eq!(response.status(), 200);
    assert!(response.text().await.unwrap().contains("Rapport arrêté"));
    assert_eq!(rows(&app, subscriptions).await, 1);
    let (status, page) = visitor.get_page(path).await;
    assert_eq!(status, 200);
    assert!(page.contains("n'est plus envoyé"));
    assert_eq!(
        rows(&app, "SELECT COUNT(*) FROM audit_log WHERE event = 'statistics_report_stopped' AND subject_user_id IS NOT NULL").await,
        1
    );
    // No weekly report any more; the monthly one still comes.
    run_at(&app, paris(2026, 4, 1, 7, 1)).await;
    assert!(reports(&app, "semaine du lundi 23").is_empty());
    let monthly = reports(&app, "le mois de mars");
    assert_eq!(monthly.len(), 1);

    // The mail client's one-click stop (RFC 8058): a POST of its own, from
    // no page, without cookies or form token.
    assert!(
        head(&monthly[0]).contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
        "{}",
        monthly[0].head
    );
    let one_click = monthly[0].link(&format!("{}{STOP}", app.address)).unwrap();
    let response = reqwest::Client::new()
        .post(&one_click)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .expect("the one-click POST");
    assert_eq!(response.status(), 200);
    assert_eq!(rows(&app, subscriptions).await, 0);
    // Any other form still needs the page's token.
    let forged = reqwest::Client::new()
        .post(format!("{}/contact", app.address))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("nom=X")
        .send()
        .await
        .expect("a forged POST");
    assert_eq!(forged.status(), 403);

    // A wrong token: a clear page, 404, on GET and POST.
    let wrong = format!("{STOP}pas-un-jeton");
    let (status, page) = visitor.get_page(&wrong).await;
    assert_eq!(status, 404);
    assert!(page.contains("Lien inconnu"));
    let response = visitor.post_form(&wrong, &[]).await;
    assert_eq!(response.status(), 404);
    assert!(response.text().await.unwrap().contains("Lien inconnu"));
}

async fn the_sent_log_is_purged_after_its_window(backend: Backend) {
    let app = spawn_app(backend).await;
    app.settled().await;
    subscribed(&app, &[("hebdomadaire", "oui")]).await;
    let sent_at = paris(2026, 3, 9, 7, 1);
    run_at(&app, sent_at).await;
    let sends = "SELECT COUNT(*) FROM statistics_report_sends";
    assert_eq!(rows(&app, sends).await, 1);
    let register = Register::default();
    let metrics = Metrics::default();
    for (days, left) in [(91, 1), (93, 0)] {
        purge(
            &app.db,
            &register,
            sent_at + Duration::days(days),
            500,
            PurgeMode::Delete,
            &metrics,
        )
        .await
        .expect("purge");
        assert_eq!(rows(&app, sends).await, left, "after {days} days");
    }
    // The subscription is the account's: it stays while the account does,
    // and goes with it, as does any record of a report sent to it.
    let subscriptions = "SELECT COUNT(*) FROM statistics_report_subscriptions";
    assert_eq!(rows(&app, subscriptions).await, 1);
    run_at(&app, paris(2026, 6, 15, 7, 1)).await;
    assert_eq!(rows(&app, sends).await, 1);
    let closed_at = paris(2026, 6, 16, 0, 0);
    crate::helpers::execute(
        &app.db,
        &format!(
            "UPDATE users SET status = 'disabled', expires_at = {}",
            closed_at.timestamp_millis()
        ),
    )
    .await
    .unwrap();
    purge(
        &app.db,
        &register,
        closed_at + Duration::days(1),
        500,
        PurgeMode::Delete,
        &metrics,
    )
    .await
    .expect("purge");
    assert_eq!(rows(&app, "SELECT COUNT(*) FROM users").await, 0);
    assert_eq!(rows(&app, subscriptions).await, 0);
    assert_eq!(rows(&app, sends).await, 0);
}

async fn a_mail_that_fails_is_not_recorded_and_goes_at_the_next_run(backend: Backend) {
    let app = spawn_app(backend).await;
    subscribed(&app, &[("hebdomadaire", "oui")]).await;
    // A mail server that refuses: the outbox cannot be written.
    let dir = tempfile::tempdir().unwrap();
    let mut settings = app.settings.clone();
    settings.data_dir = dir.path().to_path_buf();
    let mut failing = job(&app, app.db.clone());
    failing.mailer = Mailer::from_settings(&settings, Arc::new(Metrics::default())).unwrap();
    let outbox_dir = dir.path().join("outbox");
    std::fs::remove_dir(&outbox_dir).unwrap();
    std::fs::write(&outbox_dir, "not a directory").unwrap();
    let now = paris(2026, 3, 9, 7, 1);
    app.clock.set(now);
    assert_eq!(failing.run(now).await.unwrap(), 0);
    let sends = "SELECT COUNT(*) FROM statistics_report_sends";
    assert_eq!(rows(&app, sends).await, 0);
    assert_eq!(
        rows(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE event = 'statistics_report_sent'"
        )
        .await,
        0
    );
    // The server is back: the next run sends it, once.
    std::fs::remove_file(&outbox_dir).unwrap();
    std::fs::create_dir(&outbox_dir).unwrap();
    assert_eq!(failing.run(now + Duration::minutes(5)).await.unwrap(), 1);
    assert_eq!(rows(&app, sends).await, 1);
    assert_eq!(std::fs::read_dir(&outbox_dir).unwrap().count(), 1);
}
