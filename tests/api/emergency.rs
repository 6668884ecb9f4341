//! The on-call number (`WM_EMERGENCY_PHONE`): beside « Personne bloquée »
//! on the request form, on an urgent request's page and in its e-mails;
//! when unset, a warning at start and no page promising an on-call line; a
//! wrong number refuses to start.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use wemaintain::domain::EmergencyPhone;

use crate::cli::run;
use crate::helpers::{
    client_with_a_lift, header, spawn_app, spawn_app_with, Backend, Browser, TestApp,
};
use crate::on_both_backends;

on_both_backends!(
    the_number_is_beside_personne_bloquee_and_in_the_urgent_mail,
    without_a_number_nothing_promises_an_on_call_line,
    staff_are_told_first_that_a_person_is_stuck,
);

const EMAIL: &str = "marie@syndic.fr";
const TEL: &str = r#"href="tel:+33123456789""#;
/// What the e-mail acknowledging an urgent request says.
const URGENT_MAIL: &str = "(personne bloquée dans l'appareil) est reçue";

/// A mail's text with its lines unwrapped, as a reader reads it.
fn unwrapped(mail: &str) -> String {
    // Not `split_whitespace`: the number's no-break spaces stay.
    mail.split([' ', '\n'])
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
const SHOWN: &str = "01\u{a0}23\u{a0}45\u{a0}67\u{a0}89";

/// A client of a company with one building and one device; the device id.
async fn client_with_device(app: &TestApp) -> (Browser, i64) {
    let (client, _, device) = client_with_a_lift(app, EMAIL, "Syndic Exemple").await;
    (client, device)
}

/// Files a request of this urgency; returns the request's page address.
async fn file_request(client: &Browser, device: i64, urgency: &str) -> String {
    let filed = client
        .post_form(
            "/profil/demandes/nouvelle",
            &[
                ("appareil", device.to_string().as_str()),
                ("nature", "panne"),
                ("urgence", urgency),
                ("description", "La cabine est arrêtée entre deux étages."),
            ],
        )
        .await;
    assert_eq!(filed.status(), 303);
    header(filed.headers(), "location").to_owned()
}

async fn the_number_is_beside_personne_bloquee_and_in_the_urgent_mail(backend: Backend) {
    let app = spawn_app_with(backend, |settings| {
        settings.emergency_phone = Some(EmergencyPhone::parse("+33 1 23 45 67 89").unwrap());
    })
    .await;
    let (client, device) = client_with_device(&app).await;

    let (status, form) = client.get_page_raw("/profil/demandes/nouvelle").await;
    assert_eq!(status, 200);
    // At the top of the form, and right after the urgency field.
    let top = form.find(TEL).expect("the number as a tel: link");
    let form_start = form.find(r#"action="/profil/demandes/nouvelle""#).unwrap();
    assert!(top < form_start, "{form}");
    let urgency = form.find(r#"name="urgence""#).expect("the urgency field");
    let end = urgency + form[urgency..].find("</select>").unwrap();
    let hint = &form[end..end + form[end..].find("</p>").unwrap()];
    assert!(
        hint.contains("Personne bloquée") && hint.contains(TEL) && hint.contains(SHOWN),
        "{hint}"
    );

    // The urgent request: its page and the client's e-mail carry the number.
    let page = file_request(&client, device, "personne_bloquee").await;
    let (_, shown) = client.get_page(&page).await;
    assert!(
        shown.contains(TEL) && shown.contains("astreinte"),
        "{shown}"
    );
    let mail = unwrapped(&app.wait_for_mail(EMAIL, "tel:+33123456789").await);
    assert!(
        mail.contains(URGENT_MAIL) && mail.contains(&SHOWN.replace('\u{a0}', " ")),
        "{mail}"
    );
    // So does the staff's answer on it.
    let id = page
        .trim_start_matches("/profil/demandes/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let staff = app.browser();
    crate::helpers::create_account(&app, wemaintain::auth::Role::Admin, "equipe@wemaintain.com")
        .await;
    staff
        .login_ok("equipe@wemaintain.com", crate::helpers::PASSWORD)
        .await;
    let replied = staff
        .post_form(
            &format!("/admin/demandes/{id}/messages"),
            &[("message", "Le technicien est en route.")],
        )
        .await;
    assert_eq!(replied.status(), 303);
    let reply = app
        .wait_for_mail(EMAIL, "Nouveau message sur votre demande")
        .await;
    assert!(reply.contains("tel:+33123456789"), "{reply}");

    // A request that is not urgent gets no such e-mail.
    file_request(&client, device, "question").await;
    app.wait_for_mails_queued_so_far(EMAIL).await;
    let urgent_mails = app
        .outbox()
        .iter()
        .filter(|m| unwrapped(m).contains(URGENT_MAIL))
        .count();
    assert_eq!(urgent_mails, 1);
}

async fn without_a_number_nothing_promises_an_on_call_line(backend: Backend) {
    let app = spawn_app(backend).await;
    let (client, device) = client_with_device(&app).await;

    let (status, form) = client.get_page("/profil/demandes/nouvelle").await;
    assert_eq!(status, 200);
    assert!(!form.contains("astreinte"), "{form}");
    assert!(form.contains("Personne bloquée"), "{form}");
    let refused = client
        .post_form(
            "/profil/demandes/nouvelle",
            &[("urgence", "personne_bloquee")],
        )
        .await;
    assert_eq!(refused.status(), 422);
    assert!(!refused.text().await.unwrap().contains("astreinte"));

    let page = file_request(&client, device, "personne_bloquee").await;
    let (_, shown) = client.get_page(&page).await;
    assert!(!shown.contains("astreinte"), "{shown}");
    let mail = app
        .wait_for_mail_where("the urgent request's e-mail", |m| {
            unwrapped(m).contains(URGENT_MAIL)
        })
        .await;
    assert!(
        !mail.contains("astreinte") && !mail.contains("tel:+"),
        "{mail}"
    );
}

#[test]
fn a_wrong_number_refuses_to_start_in_french() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let config = dir.path().join("wemaintain.toml");
    std::fs::write(&config, "emergency_phone = \"0800 FLEURS\"\n").unwrap();
    for vars in [
        vec![("WM_EMERGENCY_PHONE", "01 23 45"), ("WM_DATA_DIR", data)],
        vec![
            ("WM_CONFIG", config.to_str().unwrap()),
            ("WM_DATA_DIR", data),
        ],
    ] {
        let output = run(&[], &vars);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.contains("emergency_phone") || stderr.contains("WM_EMERGENCY_PHONE"),
            "{stderr}"
        );
        assert!(
            stderr.contains("n'est pas un numéro de téléphone valide"),
            "{stderr}"
        );
    }
}

/// The log lines the binary writes until it listens.
fn start_up_log(vars: &[(&str, &str)]) -> Vec<String> {
    let mut command = Command::new(env!("CARGO_BIN_EXE_wemaintain"));
    for (key, _) in std::env::vars() {
        if key.starts_with("WM_") {
            command.env_remove(key);
        }
    }
    let mut child = command
        .env("WM_BIND", "127.0.0.1:0")
        .env("WM_LOG_FORMAT", "json")
        .envs(vars.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = Vec::new();
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        let listening = line.contains("\"address\"");
        lines.push(line);
        if listening {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    lines
}

#[test]
fn an_unset_number_is_a_warning_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let warned = |lines: &[String]| {
        lines
            .iter()
            .any(|l| l.contains("WARN") && l.contains("WM_EMERGENCY_PHONE"))
    };
    let unset = start_up_log(&[("WM_DATA_DIR", data)]);
    assert!(warned(&unset), "{unset:#?}");
    let set = start_up_log(&[
        ("WM_DATA_DIR", data),
        ("WM_EMERGENCY_PHONE", "01 23 45 67 89"),
    ]);
    assert!(set.last().unwrap().contains("\"address\""), "{set:#?}");
    assert!(!warned(&set), "{set:#?}");
}

async fn staff_are_told_first_that_a_person_is_stuck(backend: Backend) {
    const STAFF: &str = "astreinte@wemaintain.com";
    let app = spawn_app_with(backend, |settings| {
        settings.staff_email = vec![STAFF.to_owned()];
    })
    .await;
    let (client, device) = client_with_device(&app).await;
    file_request(&client, device, "dysfonctionnement").await;
    let ordinary = app
        .wait_for_mail(STAFF, "Nouvelle demande de maintenance")
        .await;
    assert!(!ordinary.contains("URGENT"), "{ordinary}");
    file_request(&client, device, "personne_bloquee").await;
    let urgent = unwrapped(&app.wait_for_mail(STAFF, "URGENT").await);
    assert!(
        urgent.contains("URGENT : une personne est bloquée"),
        "{urgent}"
    );
    assert!(urgent.contains("Urgence : Personne bloquée"), "{urgent}");
    assert!(
        urgent.contains("Résidence Les Tilleuls"),
        "the place: {urgent}"
    );
    app.stop().await;
}
