//! Forms that help: the error summary in the order of the form, each entry
//! a link to its field, messages that name what is wrong, required fields
//! marked (and optional ones not), a differing password confirmation told
//! at once, and ids and errors kept per form on a page with several.

use reqwest::StatusCode;
use wemaintain::auth::Role;

use crate::helpers::PlainText;
use crate::helpers::{
    client_with_a_lift, create_account, scalar, spawn_app, Backend, Browser, TestApp, PASSWORD,
};
use crate::on_both_backends;

on_both_backends!(
    the_summary_lists_errors_in_the_order_of_the_form_with_links_to_each_field,
    each_message_names_what_is_wrong_with_its_field,
    required_fields_are_marked_and_optional_ones_are_not,
    a_differing_confirmation_is_told_with_the_other_errors,
    the_rights_decisions_keep_their_ids_and_errors_per_form,
    titles_say_the_view,
    pages_with_several_forms_have_unique_ids,
);

const STAFF: &str = "equipe@wemaintain.com";

/// The values of `attribute` in `page`, in the order they appear.
fn attributes<'a>(page: &'a str, attribute: &str) -> Vec<&'a str> {
    let needle = format!(" {attribute}=\"");
    let mut found = Vec::new();
    let mut rest = page;
    while let Some(start) = rest.find(&needle) {
        rest = &rest[start + needle.len()..];
        let end = rest.find('"').expect("a closed attribute");
        found.push(&rest[..end]);
        rest = &rest[end..];
    }
    found
}

/// The part of `page` from `start` to the first `end` after it.
fn between<'a>(page: &'a str, start: &str, end: &str) -> &'a str {
    let from = page
        .find(start)
        .unwrap_or_else(|| panic!("{start} in {page}"));
    let rest = &page[from..];
    &rest[..rest.find(end).map_or(rest.len(), |e| e + end.len())]
}

/// The error summary of a page.
fn summary(page: &str) -> &str {
    between(page, "<div class=\"error-summary\" data-erreurs", "</div>")
}

/// The targets of the summary's links, in order.
fn summary_targets(page: &str) -> Vec<String> {
    attributes(summary(page), "href")
        .into_iter()
        .map(|href| href.trim_start_matches('#').to_owned())
        .collect()
}

/// The field the error is about, from the element carrying `id`, is a
/// form control or a group in the page; every id is unique; the summary
/// links to existing ids in the order of the page.
fn assert_summary_follows_the_page(page: &str) {
    let ids = attributes(page, "id");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "ids are unique: {ids:?}");
    let targets = summary_targets(page);
    assert!(!targets.is_empty(), "{page}");
    let positions: Vec<usize> = targets
        .iter()
        .map(|target| {
            ids.iter()
                .position(|id| id == target)
                .unwrap_or_else(|| panic!("#{target} is not an id of the page: {ids:?}"))
        })
        .collect();
    let mut sorted = positions.clone();
    sorted.sort();
    assert_eq!(
        positions, sorted,
        "the summary follows the form: {targets:?}"
    );
}

/// The message shown under the field whose id is `id`.
fn field_error<'a>(page: &'a str, id: &str) -> &'a str {
    let start = format!("id=\"{id}-erreur\">");
    let block = between(page, &start, "</p>");
    block[start.len()..].trim_end_matches("</p>")
}

async fn staff(app: &TestApp) -> Browser {
    create_account(app, Role::Admin, STAFF).await;
    let browser = app.browser();
    browser.login_ok(STAFF, PASSWORD).await;
    browser
}

/// A client of a company with one building and one device; returns the
/// browser and the building's and device's ids.
async fn client_with_a_device(app: &TestApp) -> (Browser, i64, i64) {
    client_with_a_lift(app, "gestion@syndic.fr", "Syndic Exemple").await
}

/// A form sent with `fields`, shown again with its errors (422, or 200 for
/// the password forms).
async fn sent_back(browser: &Browser, path: &str, fields: &[(&str, &str)]) -> String {
    let response = browser.post_form(path, fields).await;
    let status = response.status();
    let page = response.plain_text().await;
    assert!(
        status == StatusCode::UNPROCESSABLE_ENTITY || status == StatusCode::OK,
        "{path}: {status}"
    );
    assert!(page.contains("class=\"error-summary\""), "{path}: {page}");
    page
}

async fn the_summary_lists_errors_in_the_order_of_the_form_with_links_to_each_field(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    // Errors at the start, middle and end of the sign-up; the map holding
    // them sorts by name, the form does not.
    let page = sent_back(
        &app.browser(),
        "/inscription",
        &[
            ("telephone", "12"),
            ("pays", "FR"),
            ("mot_de_passe", "court"),
            ("confirmation", "autre"),
        ],
    )
    .await;
    assert_summary_follows_the_page(&page);
    let targets = summary_targets(&page);
    assert_eq!(
        targets,
        [
            "prenom",
            "nom",
            "sexe",
            "role",
            "email",
            "telephone",
            "societe",
            "type_societe",
            "adresse",
            "code_postal",
            "ville",
            "mot_de_passe",
            "confirmation"
        ]
    );
    // It takes the focus when the page loads, without a script.
    let opening = between(&page, "<div class=\"error-summary\"", ">");
    assert!(
        opening.contains("tabindex=\"-1\"") && opening.contains("autofocus"),
        "{opening}"
    );
    // The content marks the page for the title's « Erreur : » (the layout
    // reads it through `views::forms::page_title`).
    assert!(page.contains(wemaintain::views::forms::ERROR_SUMMARY_MARK));
    let (_, blank) = app.browser().get_page("/inscription").await;
    assert!(!blank.contains(wemaintain::views::forms::ERROR_SUMMARY_MARK));
}

async fn each_message_names_what_is_wrong_with_its_field(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = staff(&app).await;
    let (client, building, device) = client_with_a_device(&app).await;

    let mut pages = Vec::new();
    let page = sent_back(&client, "/profil/batiments/nouveau", &[("pays", "FR")]).await;
    for (id, message) in [
        ("nom", "Indiquez le nom du bâtiment"),
        ("adresse", "Indiquez l'adresse du bâtiment"),
        (
            "code_postal",
            "Indiquez le code postal du bâtiment (5 chiffres).",
        ),
        ("ville", "Indiquez la ville du bâtiment."),
    ] {
        assert!(field_error(&page, id).starts_with(message), "{id}: {page}");
    }
    pages.push(page);
    let path = format!("/profil/batiments/{building}/appareils/nouveau");
    let page = sent_back(&client, &path, &[]).await;
    assert!(field_error(&page, "type_appareil").starts_with("Choisissez le type d'appareil"));
    assert!(field_error(&page, "emplacement").starts_with("Indiquez où se trouve l'appareil"));
    assert_eq!(
        field_error(&page, "etat"),
        "Choisissez l'état de l'appareil."
    );

    pages.push(page);
    let device = device.to_string();
    let page = sent_back(
        &client,
        "/profil/demandes/nouvelle",
        &[("appareil", &device)],
    )
    .await;
    assert!(field_error(&page, "nature").starts_with("Choisissez la nature de la demande"));
    assert!(field_error(&page, "urgence").starts_with("Choisissez l'urgence"));
    assert!(field_error(&page, "description").starts_with("Décrivez le problème"));

    pages.push(page);
    let page = sent_back(
        &admin,
        "/admin/rapports",
        &[("appareil", &device), ("date", "2026-01-05")],
    )
    .await;
    assert_eq!(
        field_error(&page, "travaux"),
        "Indiquez les travaux réalisés."
    );
    assert!(field_error(&page, "prestation").starts_with("Choisissez la prestation"));

    pages.push(page);
    let page = sent_back(
        &app.browser(),
        "/connexion",
        &[("email", "gestion@syndic.fr")],
    )
    .await;
    assert_eq!(
        field_error(&page, "mot_de_passe"),
        "Indiquez votre mot de passe."
    );
    pages.push(page);
    let page = sent_back(&client, "/compte/mot-de-passe", &[]).await;
    assert_eq!(
        field_error(&page, "actuel"),
        "Indiquez votre mot de passe actuel."
    );
    assert!(field_error(&page, "mot_de_passe").starts_with("Choisissez un mot de passe"));
    pages.push(page);
    let page = sent_back(&app.browser(), "/contact", &[]).await;
    assert_eq!(field_error(&page, "prenom"), "Indiquez votre prénom.");
    assert!(field_error(&page, "message").starts_with("Écrivez votre question"));

    pages.push(page);
    let page = sent_back(
        &client,
        "/profil/propositions/nouvelle",
        &[("pre_visite", "oui")],
    )
    .await;
    assert!(field_error(&page, "dates").starts_with("Indiquez les jours et heures"));

    pages.push(page);
    for page in &pages {
        for generic in ["Ce champ est obligatoire", "Écrivez votre message"] {
            assert!(!page.contains(generic), "{generic}: {page}");
        }
    }
}

/// The `<textarea …>` or `<input …>` tag whose id is `id`.
fn control<'a>(page: &'a str, id: &str) -> &'a str {
    let at = page
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("#{id} in {page}"));
    let start = page[..at].rfind('<').expect("a tag");
    let end = at + page[at..].find('>').expect("a closed tag");
    &page[start..=end]
}

/// The `<label>` of the field whose id is `id`.
fn label_of<'a>(page: &'a str, id: &str) -> &'a str {
    between(page, &format!("<label for=\"{id}\""), "</label>")
}

async fn required_fields_are_marked_and_optional_ones_are_not(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = staff(&app).await;
    let (client, _, _) = client_with_a_device(&app).await;

    let (_, page) = client.get_page("/profil/propositions/nouvelle").await;
    assert!(
        page.contains("Les champs marqués d'un astérisque"),
        "{page}"
    );
    let precisions = control(&page, "message");
    assert!(!precisions.contains("required"), "{precisions}");
    assert!(label_of(&page, "message").contains("(facultatif)"));
    assert!(!label_of(&page, "message").contains("required-mark"));

    let (_, page) = admin.get_page("/admin/rapports/nouveau").await;
    assert!(!control(&page, "pieces").contains("required"));
    assert!(label_of(&page, "pieces").contains("(facultatif)"));
    let work = control(&page, "travaux");
    assert!(work.contains("required"), "{work}");
    assert!(label_of(&page, "travaux").contains("required-mark"));

    for path in [
        "/profil/batiments/nouveau",
        "/profil/demandes/nouvelle",
        "/compte/mot-de-passe",
    ] {
        let (_, page) = client.get_page(path).await;
        assert!(
            page.contains("Les champs marqués d'un astérisque"),
            "{path}"
        );
        assert!(page.contains("required-mark"), "{path}");
    }
    for path in ["/contact", "/inscription", "/mot-de-passe-oublie"] {
        let (_, page) = app.browser().get_page(path).await;
        assert!(
            page.contains("Les champs marqués d'un astérisque"),
            "{path}"
        );
    }
    let (_, page) = app.browser().get_page("/inscription").await;
    assert!(!control(&page, "complement").contains("required"));
    assert!(control(&page, "prenom").contains("required"));
}

async fn a_differing_confirmation_is_told_with_the_other_errors(backend: Backend) {
    let app = spawn_app(backend).await;
    let (client, _, _) = client_with_a_device(&app).await;
    const DIFFERENT: &str = "Les deux mots de passe ne sont pas identiques.";

    // Sign-up: a refused password and a different confirmation, at once.
    let page = sent_back(
        &app.browser(),
        "/inscription",
        &[("mot_de_passe", "court"), ("confirmation", "autre")],
    )
    .await;
    assert!(field_error(&page, "mot_de_passe").contains("12 caractères"));
    assert_eq!(field_error(&page, "confirmation"), DIFFERENT);

    // Change: a wrong current password, and a confirmation that differs
    // from a good new one.
    let page = sent_back(
        &client,
        "/compte/mot-de-passe",
        &[
            ("actuel", "Pas-le-bon-mot-de-passe"),
            ("mot_de_passe", "Lune-verte-9-Pont-Neige"),
            ("confirmation", "Lune-verte-9-Pont-Neig"),
        ],
    )
    .await;
    assert!(page.contains("Ce n'est pas votre mot de passe actuel."));
    assert_eq!(field_error(&page, "confirmation"), DIFFERENT);
    assert_eq!(summary_targets(&page), ["actuel", "confirmation"], "{page}");
    // A confirmation left blank says what to do.
    let page = sent_back(
        &client,
        "/compte/mot-de-passe",
        &[("actuel", PASSWORD), ("mot_de_passe", "court")],
    )
    .await;
    assert!(field_error(&page, "confirmation").starts_with("Tapez le mot de passe"));

    // Reset: the same rule.
    client
        .post_form("/mot-de-passe-oublie", &[("email", "gestion@syndic.fr")])
        .await;
    let mail = app
        .wait_for_mail("gestion@syndic.fr", "/mot-de-passe-oublie/nouveau?jeton=")
        .await;
    let token =
        crate::helpers::token_in(&mail, "/mot-de-passe-oublie/nouveau").expect("a reset link");
    let page = sent_back(
        &app.browser(),
        "/mot-de-passe-oublie/nouveau",
        &[
            ("jeton", &token),
            ("mot_de_passe", "court"),
            ("confirmation", "autre"),
        ],
    )
    .await;
    assert!(field_error(&page, "mot_de_passe").contains("12 caractères"));
    assert_eq!(field_error(&page, "confirmation"), DIFFERENT);
}

/// A visitor's rights request, confirmed; returns its id.
async fn confirmed_rights_request(app: &TestApp) -> i64 {
    let email = "visiteur@exemple.fr";
    let fields = [
        ("droit", "acces"),
        ("email", email),
        ("message", "Bonjour, je souhaite une copie de mes données."),
    ];
    let sent = app
        .browser()
        .post_form("/confidentialite/demande", &fields)
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let confirm = "/confidentialite/demande/confirmer";
    let mail = app.wait_for_mail(email, &format!("{confirm}?jeton=")).await;
    let token = crate::helpers::token_in(&mail, confirm).expect("a confirmation link");
    let confirmed = app.browser().post_form(confirm, &[("jeton", &token)]).await;
    assert_eq!(confirmed.status(), StatusCode::OK);
    scalar(&app.db, "SELECT MAX(id) FROM rights_requests").await
}

async fn the_rights_decisions_keep_their_ids_and_errors_per_form(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = staff(&app).await;
    let id = confirmed_rights_request(&app).await;

    let (_, page) = admin.get_page(&format!("/admin/droits/{id}")).await;
    let ids = attributes(&page, "id");
    for expected in [
        "clore-texte",
        "informations-texte",
        "prolonger-texte",
        "prolonger-mois",
    ] {
        assert_eq!(
            ids.iter().filter(|i| **i == expected).count(),
            1,
            "{expected}"
        );
    }
    assert!(!ids.contains(&"texte"), "{ids:?}");
    // Every label names a control of the page.
    for target in attributes(&page, "for") {
        assert!(ids.contains(&target), "label for #{target}");
    }

    // An empty question: its error shows in its form only, and the summary
    // leads there.
    let page = sent_back(&admin, &format!("/admin/droits/{id}/informations"), &[]).await;
    assert_summary_follows_the_page(&page);
    assert_eq!(summary_targets(&page), ["informations-texte"]);
    assert!(field_error(&page, "informations-texte").starts_with("Indiquez la question"));
    assert_eq!(page.matches("class=\"field-error\"").count(), 1, "{page}");
    assert_eq!(page.matches("aria-invalid=\"true\"").count(), 1);
    assert!(control(&page, "informations-texte").contains("aria-invalid"));
    assert!(!control(&page, "clore-texte").contains("aria-invalid"));

    // A typed motive with no length: only the extension form keeps it.
    let page = sent_back(
        &admin,
        &format!("/admin/droits/{id}/prolonger"),
        &[("texte", "Demande complexe à rassembler.")],
    )
    .await;
    assert_eq!(summary_targets(&page), ["prolonger-mois"]);
    assert_eq!(page.matches("Demande complexe à rassembler.").count(), 1);
    let extend = between(&page, "id=\"prolonger-texte\"", "</textarea>");
    assert!(extend.contains("Demande complexe"), "{extend}");
}

/// Every id of `page` once, and every label's target among them.
fn assert_unique_ids(page: &str, path: &str) {
    let ids = attributes(page, "id");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "{path}: {ids:?}");
    for target in attributes(page, "for") {
        assert!(ids.contains(&target), "{path}: label for #{target}");
    }
}

async fn pages_with_several_forms_have_unique_ids(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = staff(&app).await;
    let (client, _, _) = client_with_a_device(&app).await;
    let account = scalar(
        &app.db,
        "SELECT id FROM users WHERE email = 'gestion@syndic.fr'",
    )
    .await;
    let path = format!("/admin/comptes/{account}");
    let (status, page) = admin.get_page(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert_unique_ids(&page, &path);
    let (_, page) = client.get_page("/profil/donnees").await;
    assert_unique_ids(&page, "/profil/donnees");
    // An error in the erasure form is shown there, not in the copy's.
    let page = sent_back(&client, "/profil/donnees/effacer", &[]).await;
    assert_unique_ids(&page, "/profil/donnees/effacer");
    assert!(
        field_error(&page, "mot_de_passe_effacement").starts_with("Indiquez votre mot de passe")
    );
    assert!(!page.contains("id=\"mot_de_passe-erreur\""));
}

async fn titles_say_the_view(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = staff(&app).await;
    let (client, _, _) = client_with_a_device(&app).await;
    let id = confirmed_rights_request(&app).await;

    let (_, page) = admin.get_page(&format!("/admin/droits/{id}")).await;
    assert!(page.contains(&format!("<title>Demande d'exercice de droits n° {id}")));
    let (_, page) = client.get_page("/profil/batiments?archives=1").await;
    assert!(page.contains("<title>Bâtiments archivés"), "{page}");
    let (_, page) = admin.get_page("/statistiques?periode=7j").await;
    assert!(
        page.contains("<title>Statistiques de fréquentation du "),
        "{page}"
    );
}

/// The contrast ratio of two `#rrggbb` colours (WCAG 2.1).
fn contrast(a: &str, b: &str) -> f64 {
    let luminance = |hex: &str| {
        let channel = |i: usize| {
            let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).expect("hex")) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    };
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// The value of a custom property of the stylesheet's `:root`.
fn css_colour(css: &str, name: &str) -> String {
    let line = css
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("{name}:")))
        .unwrap_or_else(|| panic!("{name} in site.css"));
    line.split(':')
        .nth(1)
        .expect("a value")
        .trim()
        .trim_end_matches(';')
        .to_owned()
}

#[test]
fn the_focus_ring_and_field_borders_stand_out_on_every_background() {
    let css = std::fs::read_to_string("static/site.css").expect("the stylesheet");
    let light = ["#ffffff", "#f5f7f9", "#e7f0f6", "#eef7f1", "#fdf1f0"];
    for background in light {
        for property in ["--focus", "--field-border"] {
            let colour = css_colour(&css, property);
            let ratio = contrast(&colour, background);
            assert!(
                ratio >= 3.0,
                "{property} {colour} on {background}: {ratio:.2}"
            );
        }
    }
    let on_dark = css_colour(&css, "--focus-on-dark");
    let header = css_colour(&css, "--brand");
    assert!(contrast(&on_dark, &header) >= 3.0);
    assert!(css.contains(".site-header :focus-visible { outline-color: var(--focus-on-dark); }"));
    assert!(!css.contains("outline: 3px solid var(--brand-light)"));
}

/// The layout writes its `<title>` through `views::forms::page_title`.
#[tokio::test]
async fn the_title_starts_with_erreur_when_a_form_comes_back_with_errors() {
    let app = spawn_app(Backend::Sqlite).await;
    let page = sent_back(&app.browser(), "/contact", &[]).await;
    assert!(
        page.contains("<title>Erreur : Poser une question"),
        "{page}"
    );
    let (_, page) = app.browser().get_page("/contact").await;
    assert!(page.contains("<title>Poser une question"), "{page}");
    let (client, _, _) = client_with_a_device(&app).await;
    let page = sent_back(&client, "/profil/batiments/nouveau", &[]).await;
    assert!(page.contains("<title>Erreur : "), "{page}");
}
