//! Staff work on reports and questions: a report names the maintenance
//! request it answers and may resolve it; staff list, read and correct
//! reports; questions from /contact are answered by e-mail.

use wemaintain::auth::Role;
use wemaintain::db::Db;

use crate::helpers::PlainText;
use crate::helpers::{
    client_of_company, create_account, execute, header, scalar, spawn_app, Backend, Browser,
    TestApp, PASSWORD,
};
use crate::on_both_backends;

on_both_backends!(
    a_report_names_its_request_and_resolves_it,
    staff_list_read_and_correct_reports,
    staff_answer_a_question_by_email_and_it_is_kept_erased_and_purged_with_it,
);

const STAFF: &str = "equipe@wemaintain.com";
const WORK: &str = "Remplacement du contacteur de porte palière, essais de fonctionnement.";

async fn staff(app: &TestApp) -> Browser {
    create_account(app, Role::Admin, STAFF).await;
    let staff = app.browser();
    staff.login_ok(STAFF, PASSWORD).await;
    staff
}

/// A logged-in client of a new company with one device; returns (browser,
/// company id, device id).
pub async fn client_with_device(app: &TestApp, email: &str, company: &str) -> (Browser, i64, i64) {
    let (company_id, browser) = client_of_company(app, email, company).await;
    let building = browser
        .post_form(
            "/profil/batiments/nouveau",
            &[
                ("nom", &format!("Immeuble {company}")),
                ("adresse", "5 rue Haute"),
                ("code_postal", "69001"),
                ("ville", "Lyon"),
                ("pays", "FR"),
            ],
        )
        .await;
    assert_eq!(building.status(), 303);
    let building = scalar(
        &app.db,
        &format!("SELECT MAX(id) FROM buildings WHERE company_id = {company_id}"),
    )
    .await;
    let device = browser
        .post_form(
            &format!("/profil/batiments/{building}/appareils/nouveau"),
            &[
                ("type_appareil", "ascenseur"),
                ("emplacement", "Escalier B"),
                ("etat", "a_l_arret"),
            ],
        )
        .await;
    assert_eq!(device.status(), 303);
    let device = scalar(
        &app.db,
        &format!("SELECT MAX(id) FROM devices WHERE building_id = {building}"),
    )
    .await;
    (browser, company_id, device)
}

/// The client files a request on the device; returns its id.
async fn file_request(app: &TestApp, client: &Browser, device: i64) -> i64 {
    let device = device.to_string();
    let filed = client
        .post_form(
            "/profil/demandes/nouvelle",
            &[
                ("appareil", &device),
                ("nature", "panne"),
                ("urgence", "appareil_arret"),
                ("description", "L'ascenseur reste bloqué au 3e étage."),
            ],
        )
        .await;
    assert_eq!(filed.status(), 303);
    scalar(&app.db, "SELECT MAX(id) FROM maintenance_requests").await
}

/// Staff send the report form to `path` with `extra` fields.
async fn send_report(
    staff: &Browser,
    path: &str,
    device: i64,
    work: &str,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let device = device.to_string();
    let mut fields = vec![
        ("appareil", device.as_str()),
        ("prestation", "reparation"),
        ("date", "2026-02-20"),
        ("travaux", work),
        ("pieces", "Contacteur de porte"),
        ("etat", "en_service"),
    ];
    fields.extend_from_slice(extra);
    staff.post_form(path, &fields).await
}

/// One nullable text, on either backend.
pub async fn text(db: &Db, sql: &str) -> Option<String> {
    match db {
        Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
        Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
    }
    .expect(sql)
}

async fn status_of(app: &TestApp, request: i64) -> String {
    let sql = format!("SELECT status FROM maintenance_requests WHERE id = {request}");
    text(&app.db, &sql).await.unwrap_or_default()
}

async fn a_report_names_its_request_and_resolves_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let staff = staff(&app).await;
    let (client, _, device) = client_with_device(&app, "a@syndic-a.fr", "Syndic A").await;
    let (other, _, other_device) = client_with_device(&app, "b@syndic-b.fr", "Syndic B").await;
    let request = file_request(&app, &client, device).await;
    let foreign = file_request(&app, &other, other_device).await;

    // From the request's page, the form has the request and its device chosen.
    let (_, page) = staff.get_page(&format!("/admin/demandes/{request}")).await;
    assert!(page.contains(&format!("/admin/rapports/nouveau?demande={request}")));
    assert!(page.contains("Aucun rapport ne répond encore à cette demande."));
    let (status, form) = staff
        .get_page(&format!("/admin/rapports/nouveau?demande={request}"))
        .await;
    assert_eq!(status, 200);
    assert!(form.contains(&format!(r#"<option value="{request}" selected>"#)));
    assert!(form.contains(&format!(r#"<option value="{device}" selected>"#)));

    // Another company's request, or « résolue » without a request: refused, kept.
    let (r, f) = (request.to_string(), foreign.to_string());
    let refused = send_report(&staff, "/admin/rapports", device, WORK, &[("demande", &f)]).await;
    assert_eq!(refused.status(), 422);
    let page = refused.plain_text().await;
    assert!(page.contains("Cette demande n'est pas une demande de la société de l'appareil."));
    assert!(page.contains(WORK));
    let refused = send_report(
        &staff,
        "/admin/rapports",
        device,
        WORK,
        &[("resolue", "oui")],
    )
    .await;
    assert_eq!(refused.status(), 422);
    assert!(refused
        .plain_text()
        .await
        .contains(r#"id="resolue-erreur""#));
    assert_eq!(app.count("reports").await, 0);

    // Published with its request, said resolved.
    let fields = [("demande", r.as_str()), ("resolue", "oui")];
    let published = send_report(&staff, "/admin/rapports", device, WORK, &fields).await;
    assert_eq!(published.status(), 303);
    assert_eq!(
        header(published.headers(), "location"),
        "/admin/rapports?fait=resolue"
    );
    let report = scalar(&app.db, "SELECT MAX(id) FROM reports").await;
    assert_eq!(
        scalar(
            &app.db,
            &format!("SELECT request_id FROM reports WHERE id = {report}")
        )
        .await,
        request
    );
    assert_eq!(status_of(&app, request).await, "resolue");
    app.wait_for_mail("a@syndic-a.fr", "Résolue").await;

    // Both request pages show the report, with a link; the client's list says résolue.
    let (_, page) = client
        .get_page(&format!("/profil/demandes/{request}"))
        .await;
    assert!(
        page.contains(&format!(r#"href="/profil/rapports/{report}""#)),
        "{page}"
    );
    assert!(page.contains("Résolue"));
    let (_, closed) = client.get_page("/profil/demandes?closes=1").await;
    assert!(closed.contains(&format!("N° {request}")) && closed.contains("Résolue"));
    let (_, page) = staff.get_page(&format!("/admin/demandes/{request}")).await;
    assert!(page.contains(&format!(r#"href="/admin/rapports/{report}""#)));
    let (_, printed) = client.get_page(&format!("/profil/rapports/{report}")).await;
    assert!(printed.contains(&format!(r#"href="/profil/demandes/{request}""#)));

    // A report without « résolue » leaves the request open; staff resolve it later.
    let later = file_request(&app, &client, device).await;
    let l = later.to_string();
    let published = send_report(&staff, "/admin/rapports", device, WORK, &[("demande", &l)]).await;
    assert_eq!(published.status(), 303);
    assert_eq!(status_of(&app, later).await, "recue");
    let (_, page) = staff.get_page(&format!("/admin/demandes/{later}")).await;
    assert!(page.contains(&format!(r#"action="/admin/demandes/{later}/resolue""#)));
    let resolved = staff
        .post_form(&format!("/admin/demandes/{later}/resolue"), &[])
        .await;
    assert_eq!(resolved.status(), 303);
    assert_eq!(status_of(&app, later).await, "resolue");
    let (_, page) = client.get_page(&format!("/profil/demandes/{later}")).await;
    assert!(page.contains("Résolue"));

    // A request no report names cannot be resolved from here.
    let bare = staff
        .post_form(&format!("/admin/demandes/{foreign}/resolue"), &[])
        .await;
    assert_eq!(bare.status(), 404);
    assert_eq!(status_of(&app, foreign).await, "recue");
    let audited = |event: &str| format!("SELECT COUNT(*) FROM audit_log WHERE event = '{event}'");
    assert_eq!(scalar(&app.db, &audited("report_published")).await, 2);
    assert_eq!(scalar(&app.db, &audited("request_resolved")).await, 1);
}

async fn staff_list_read_and_correct_reports(backend: Backend) {
    let app = spawn_app(backend).await;
    let staff = staff(&app).await;
    let (client, company, device) = client_with_device(&app, "a@syndic-a.fr", "Syndic A").await;
    let (other, _, other_device) = client_with_device(&app, "b@syndic-b.fr", "Syndic B").await;
    let foreign = file_request(&app, &other, other_device).await;
    for _ in 0..2 {
        let sent = send_report(&staff, "/admin/rapports", device, WORK, &[]).await;
        assert_eq!(sent.status(), 303);
    }
    send_report(&staff, "/admin/rapports", other_device, WORK, &[]).await;
    let report = scalar(&app.db, "SELECT MIN(id) FROM reports").await;

    let (status, list) = staff.get_page("/admin/rapports?fait=publie").await;
    assert_eq!(status, 200);
    assert!(
        list.contains(r#"href="/admin/rapports/nouveau""#) && list.contains("Publier un rapport")
    );
    assert!(list.contains("Rapport publié") && list.contains("3 rapports"));
    let (_, list) = staff
        .get_page(&format!("/admin/rapports?societe={company}"))
        .await;
    assert!(list.contains("2 rapports") && !list.contains("Immeuble Syndic B"));
    let (status, list) = staff.get_page("/admin/rapports?societe=abc&page=x").await;
    assert_eq!(status, 200);
    assert!(list.contains("3 rapports"));

    // Pages of 20.
    for _ in 0..19 {
        send_report(&staff, "/admin/rapports", device, WORK, &[]).await;
    }
    let (_, first) = staff.get_page("/admin/rapports").await;
    assert!(first.contains("Page 1 sur 2") && first.contains("22 rapports"));
    let (_, second) = staff.get_page("/admin/rapports?page=2").await;
    assert!(second.contains("Page 2 sur 2"));

    // Read one, then correct it; the form keeps what was typed.
    let (status, page) = staff.get_page(&format!("/admin/rapports/{report}")).await;
    assert_eq!(status, 200);
    assert!(page.contains(WORK) && page.contains(&format!("/admin/rapports/{report}/modifier")));
    let (status, form) = staff
        .get_page(&format!("/admin/rapports/{report}/modifier"))
        .await;
    assert_eq!(status, 200);
    assert!(form.contains(WORK) && form.contains("Enregistrer la correction"));
    let edit = format!("/admin/rapports/{report}/modifier");
    let short = send_report(&staff, &edit, device, "court", &[]).await;
    assert_eq!(short.status(), 422);
    let page = short.plain_text().await;
    assert!(page.contains(r#"id="travaux-erreur""#) && page.contains("court"));
    let f = foreign.to_string();
    let corrected = "Remplacement du contacteur et du galet de porte, essais concluants.";
    let refused = send_report(&staff, &edit, device, corrected, &[("demande", &f)]).await;
    assert_eq!(refused.status(), 422);
    let done = send_report(&staff, &edit, other_device, corrected, &[]).await;
    assert_eq!(done.status(), 303);
    assert_eq!(
        header(done.headers(), "location"),
        format!("/admin/rapports/{report}?fait=corrige")
    );
    assert_eq!(
        scalar(
            &app.db,
            &format!("SELECT device_id FROM reports WHERE id = {report}")
        )
        .await,
        device,
        "a correction keeps the report's device"
    );

    // The client reads the corrected text, said corrected.
    let (_, printed) = client.get_page(&format!("/profil/rapports/{report}")).await;
    assert!(printed.contains(corrected) && !printed.contains(WORK));
    assert!(printed.contains("Corrigé le"));
    let audited = format!(
        "SELECT COUNT(*) FROM audit_log WHERE event = 'report_corrected' AND subject = 'report:{report}'"
    );
    assert_eq!(scalar(&app.db, &audited).await, 1);
    let (_, journal) = staff.get_page("/admin/journal?quoi=report_corrected").await;
    assert!(journal.contains(&format!(
        r#"<a href="/admin/rapports/{report}">Rapport d'intervention n° {report}</a>"#
    )));
    assert_eq!(staff.get("/admin/rapports/999999").await.status(), 404);
    assert_eq!(
        staff.get("/admin/rapports/999999/modifier").await.status(),
        404
    );
}

const ASKER: &str = "jeanne.dupont@exemple.fr";
const ANSWER: &str = "Bonjour, un technicien passera jeudi matin pour écouter ce bruit.";

async fn ask(app: &TestApp, first_name: &str, email: &str) -> i64 {
    let asked = app
        .browser()
        .post_form(
            "/contact",
            &[
                ("prenom", first_name),
                ("nom", "Dupont"),
                ("telephone", "06 12 34 56 78"),
                ("email", email),
                (
                    "message",
                    "L'ascenseur de notre immeuble fait un bruit étrange.",
                ),
            ],
        )
        .await;
    assert_eq!(asked.status(), 303);
    scalar(&app.db, "SELECT MAX(id) FROM contact_messages").await
}

async fn staff_answer_a_question_by_email_and_it_is_kept_erased_and_purged_with_it(
    backend: Backend,
) {
    use chrono::Duration;
    use wemaintain::metrics::Metrics;
    use wemaintain::privacy::purge::{purge, PurgeMode};
    use wemaintain::privacy::Register;

    let app = spawn_app(backend).await;
    app.settled().await;
    let asked_at = app.clock_now();
    let question = ask(&app, "Jeanne", ASKER).await;
    let other = ask(&app, "Paul", "paul@exemple.fr").await;
    // Answered two years later: the retention restarts from the answer.
    app.clock.set(asked_at + Duration::days(730));
    let answered_at = app.clock_now();
    let staff = staff(&app).await;
    client_of_company(&app, ASKER, "Syndic J").await;
    // As a sign-up does: the address is proven, so what was sent with it is the account's.
    let proven = format!("UPDATE users SET email_confirmed_at = 1 WHERE email = '{ASKER}'");
    execute(&app.db, &proven).await.unwrap();

    let (status, page) = staff.get_page("/admin/messages").await;
    assert_eq!(status, 200);
    for id in [question, other] {
        assert!(page.contains(&format!(
            r#"action="/admin/messages/questions/{id}/reponse""#
        )));
        assert!(
            page.contains(&format!(r#"id="reponse-{id}""#)),
            "one id per form"
        );
    }
    let path = format!("/admin/messages/questions/{question}/reponse");
    let empty = staff.post_form(&path, &[("reponse", "  ")]).await;
    assert_eq!(empty.status(), 422);
    let page = empty.plain_text().await;
    assert!(page.contains("Écrivez votre réponse à la question."));
    assert!(page.contains(&format!(r#"id="reponse-{question}-erreur""#)));
    // Like every form sent back: a summary linking to the field, the
    // title saying « Erreur ».
    assert!(page.contains("<title>Erreur"), "the title");
    assert!(
        page.contains(r#"class="error-summary""#)
            && page.contains(&format!(r##"href="#reponse-{question}""##)),
        "the summary links to the answer's field"
    );
    let short = staff.post_form(&path, &[("reponse", "x")]).await;
    assert_eq!(short.status(), 422);
    assert!(short.plain_text().await.contains(">x</textarea>"), "kept");
    let unanswered = "SELECT COUNT(*) FROM contact_messages WHERE answer IS NULL";
    assert_eq!(scalar(&app.db, unanswered).await, 2);

    let sent = staff.post_form(&path, &[("reponse", ANSWER)]).await;
    assert_eq!(sent.status(), 303);
    assert_eq!(
        header(sent.headers(), "location"),
        "/admin/messages?fait=repondu"
    );
    let mail = app
        .wait_for_mail(ASKER, "un technicien passera jeudi")
        .await;
    assert!(
        mail.contains("Vous nous aviez écrit") && mail.contains("> L'ascenseur"),
        "{mail}"
    );
    let row = format!(
        "SELECT COUNT(*) FROM contact_messages WHERE id = {question} AND handled_at IS NOT NULL \
         AND answered_by IS NOT NULL AND last_exchange_at = {}",
        answered_at.timestamp_millis()
    );
    assert_eq!(scalar(&app.db, &row).await, 1);
    let (_, page) = staff.get_page("/admin/messages?fait=repondu").await;
    assert!(page.contains(ANSWER) && page.contains("par Camille Martin"));
    assert!(
        !page.contains(&format!(r#"id="reponse-{question}""#)),
        "answered once"
    );
    let again = staff.post_form(&path, &[("reponse", ANSWER)]).await;
    assert_eq!(
        header(again.headers(), "location"),
        "/admin/messages?fait=deja-repondu"
    );
    let audited = "SELECT COUNT(*) FROM audit_log WHERE event = 'question_answered'";
    assert_eq!(scalar(&app.db, audited).await, 1);
    let other_path = format!("/admin/messages/questions/{other}/reponse");
    let sent = staff.post_form(&other_path, &[("reponse", ANSWER)]).await;
    assert_eq!(sent.status(), 303);

    // The asker's copy holds the answer; the erasure takes it away.
    let asker = app.browser();
    asker.login_ok(ASKER, PASSWORD).await;
    let copy = asker
        .post_form(
            "/profil/donnees/copie",
            &[("format", "json"), ("mot_de_passe", PASSWORD)],
        )
        .await;
    let copy = copy.plain_text().await;
    assert!(copy.contains(ANSWER), "{copy}");
    let erased = asker
        .post_form(
            "/profil/donnees/effacer",
            &[
                ("mot_de_passe_effacement", PASSWORD),
                ("confirmation", "oui"),
            ],
        )
        .await;
    assert_eq!(erased.status(), 200);
    assert!(erased
        .plain_text()
        .await
        .contains("Votre compte est effacé"));
    let held = format!("SELECT COUNT(*) FROM contact_messages WHERE email = '{ASKER}'");
    assert_eq!(scalar(&app.db, &held).await, 0);
    assert_eq!(app.count("contact_messages").await, 1);

    // The other question is kept three years from its answer, not its arrival.
    let (register, metrics) = (Register::default(), Metrics::default());
    let at = asked_at + Duration::days(3 * 365 + 2);
    purge(&app.db, &register, at, 100, PurgeMode::Delete, &metrics)
        .await
        .unwrap();
    assert_eq!(app.count("contact_messages").await, 1);
    let at = answered_at + Duration::days(3 * 365 + 2);
    purge(&app.db, &register, at, 100, PurgeMode::Delete, &metrics)
        .await
        .unwrap();
    assert_eq!(app.count("contact_messages").await, 0);
}
