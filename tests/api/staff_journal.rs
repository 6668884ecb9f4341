//! `/admin/journal`: the audit log with names instead of ids, filtered by
//! who, what and when, a page at a time.

use chrono::Duration;
use wemaintain::auth::Role;

use crate::helpers::{
    create_account, execute, scalar, spawn_app, Backend, Browser, TestApp, PASSWORD,
};
use crate::on_both_backends;

on_both_backends!(
    the_journal_names_people_and_accounts_gone,
    the_journal_filters_by_who_what_and_when,
    wrong_filters_are_said_and_never_break_the_page,
);

/// An account named `first last`, logged in when `login`.
async fn person(app: &TestApp, role: Role, email: &str, name: (&str, &str)) -> (i64, Browser) {
    let id = create_account(app, role, email).await;
    let sql = format!(
        "UPDATE users SET first_name = '{}', last_name = '{}' WHERE id = {id}",
        name.0, name.1
    );
    execute(&app.db, &sql).await.unwrap();
    let browser = app.browser();
    browser.login_ok(email, PASSWORD).await;
    (id, browser)
}

/// How many lines the journal says it lists.
fn count_shown(page: &str) -> i64 {
    let end = [" actions<", " action<"]
        .iter()
        .find_map(|caption| page.find(caption))
        .expect("a count of actions");
    let start = page[..end].rfind('>').expect("the caption") + 1;
    page[start..end].trim().parse().expect("a number")
}

async fn lines(app: &TestApp, condition: &str) -> i64 {
    scalar(
        &app.db,
        &format!("SELECT COUNT(*) FROM audit_log WHERE {condition}"),
    )
    .await
}

async fn the_journal_names_people_and_accounts_gone(backend: Backend) {
    let app = spawn_app(backend).await;
    app.settled().await;
    let (_, lea) = person(&app, Role::Admin, "lea@wemaintain.com", ("Léa", "Bernard")).await;
    let (client, _) = person(&app, Role::Client, "marie@syndic.fr", ("Marie", "Durand")).await;
    let gone = create_account(&app, Role::Client, "parti@syndic.fr").await;
    for id in [client, gone] {
        assert_eq!(lea.get(&format!("/admin/comptes/{id}")).await.status(), 200);
    }
    execute(&app.db, &format!("DELETE FROM users WHERE id = {gone}"))
        .await
        .unwrap();

    let (status, page) = lea.get_page("/admin/journal").await;
    assert_eq!(status, 200);
    assert!(page.contains("Léa Bernard"), "the staff member's name");
    assert!(page.contains("Marie Durand"), "the subject's name: {page}");
    assert!(
        page.contains(&format!("compte n° {gone} (supprimé)")),
        "{page}"
    );
    assert!(page.contains("Dossier consulté") && page.contains("Connexion réussie"));
    assert!(!page.contains(&format!(">compte {client}<")), "no raw id");
}

async fn the_journal_filters_by_who_what_and_when(backend: Backend) {
    let app = spawn_app(backend).await;
    app.settled().await;
    let start = app.clock_now();
    let (lea_id, lea) = person(&app, Role::Admin, "lea@wemaintain.com", ("Léa", "Bernard")).await;
    let (hugo_id, hugo) = person(&app, Role::Admin, "hugo@wemaintain.com", ("Hugo", "Petit")).await;
    assert_eq!(
        hugo.get(&format!("/admin/comptes/{lea_id}")).await.status(),
        200
    );
    // Ten days later, Léa opens Hugo's account.
    app.clock.set(start + Duration::days(10));
    let lea_again = app.browser();
    lea_again.login_ok("lea@wemaintain.com", PASSWORD).await;
    assert_eq!(
        lea_again
            .get(&format!("/admin/comptes/{hugo_id}"))
            .await
            .status(),
        200
    );
    drop(lea);

    // Who.
    let expected = lines(&app, &format!("actor_user_id = {hugo_id}")).await;
    let (status, page) = lea_again
        .get_page(&format!("/admin/journal?qui={hugo_id}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(count_shown(&page), expected);
    assert!(page.contains(&format!(
        r#"<option value="{hugo_id}" selected>Hugo Petit</option>"#
    )));

    // What.
    let expected = lines(&app, "event = 'login_succeeded'").await;
    assert_eq!(expected, 3);
    let (_, page) = lea_again
        .get_page("/admin/journal?quoi=login_succeeded")
        .await;
    assert_eq!(count_shown(&page), 3);
    assert!(page.contains(r#"<option value="login_succeeded" selected>"#));

    // When: the day of the second visit only, both ends kept in the form.
    let day = wemaintain::paris::date(app.clock_now())
        .format("%Y-%m-%d")
        .to_string();
    let since = wemaintain::paris::day_start(wemaintain::paris::date(app.clock_now()));
    // The accounts were created on the real clock, not on this day.
    let (since, until) = (
        since.timestamp_millis(),
        (since + Duration::days(1)).timestamp_millis(),
    );
    let expected = lines(
        &app,
        &format!("occurred_at >= {since} AND occurred_at < {until}"),
    )
    .await;
    assert!(
        expected >= 4,
        "the login, the account opened, two journal views"
    );
    let (_, page) = lea_again
        .get_page(&format!("/admin/journal?du={day}&au={day}"))
        .await;
    assert_eq!(count_shown(&page), expected);
    assert!(page.contains(&format!(r#"name="du" value="{day}""#)));
    let before = (start - Duration::days(1)).format("%Y-%m-%d");
    let (_, page) = lea_again
        .get_page(&format!("/admin/journal?au={before}"))
        .await;
    assert!(page.contains("Aucune action pour ces critères."));

    // Pages of 20, the filters kept in their links.
    for i in 0..45 {
        let sql = format!(
            "INSERT INTO audit_log (occurred_at, expires_at, event) VALUES ({}, {}, 'logout')",
            start.timestamp_millis() + i,
            (start + Duration::days(180)).timestamp_millis()
        );
        execute(&app.db, &sql).await.unwrap();
    }
    let (_, page) = lea_again.get_page("/admin/journal?quoi=logout").await;
    assert_eq!(count_shown(&page), 45);
    assert!(page.contains("Page 1 sur 3"));
    assert!(
        page.contains("quoi=logout&amp;du=&amp;au=&amp;page=2"),
        "{page}"
    );
    let (_, page) = lea_again
        .get_page("/admin/journal?quoi=logout&page=3")
        .await;
    assert!(page.contains("Page 3 sur 3"));
}

async fn wrong_filters_are_said_and_never_break_the_page(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, lea) = person(&app, Role::Admin, "lea@wemaintain.com", ("Léa", "Bernard")).await;
    for (query, message) in [
        ("qui=abc", "Choisissez un membre de l'équipe dans la liste."),
        ("qui=-3", "Choisissez un membre de l'équipe dans la liste."),
        ("quoi=tout_casser", "Choisissez une action dans la liste."),
        ("du=2026-13-45", "Indiquez les dates au format"),
        (
            "du=2026-03-01&au=2026-01-01",
            "La date de début doit précéder la date de fin.",
        ),
        ("page=-9&qui=99999999999999999999", "Choisissez un membre"),
    ] {
        let (status, page) = lea.get_page(&format!("/admin/journal?{query}")).await;
        assert_eq!(status, 422, "{query}");
        assert!(page.contains(message), "{query}: {page}");
        assert!(page.contains("Ce critère n'est pas appliqué."), "{query}");
    }
    let (status, _) = lea.get_page("/admin/journal?qui=42&page=abc").await;
    assert_eq!(status, 200, "an account that never acted lists nothing");
}
