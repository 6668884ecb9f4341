//! The maintenance contract signed online, and its proof.

use wemaintain::auth::Role;
use wemaintain::db::Db;

use crate::helpers::PlainText;
use crate::helpers::{
    bare_cells, client_of_company, create_account, execute, header, scalar, spawn_app, Backend,
    Browser, TestApp, PASSWORD,
};
use crate::on_both_backends;

on_both_backends!(
    a_contract_is_signed_once_verified_and_never_changed,
    a_signed_contract_reads_as_a_contract_and_prints,
    a_contract_signed_with_an_older_template_still_reads_and_verifies,
);

async fn text(db: &Db, sql: &str) -> String {
    match db {
        Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
        Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
    }
    .expect(sql)
}

async fn client_with_device(app: &TestApp, email: &str, company: &str) -> (Browser, i64) {
    let (_, browser) = client_of_company(app, email, company).await;
    let building = browser.declare_building().await;
    browser
        .declare_lift(&app.db, building, &[("marque", "Otis")])
        .await;
    (browser, building)
}

/// The fingerprint carried by the signing form.
fn fingerprint(page: &str) -> String {
    let start = page
        .find(r#"name="empreinte" value=""#)
        .expect("a signing form")
        + r#"name="empreinte" value=""#.len();
    page[start..start + 64].to_owned()
}

async fn a_contract_is_signed_once_verified_and_never_changed(backend: Backend) {
    let app = spawn_app(backend).await;
    let (client, building) = client_with_device(&app, "marie@syndic.fr", "Syndic Exemple").await;
    let (_, home) = client.get_page("/profil").await;
    assert!(home.contains("votre contrat de maintenance n'est pas encore signé"));
    let (_, page) = client.get_page("/profil/contrat").await;
    let page = bare_cells(&page);
    // The company and the devices are in the annexes' tables.
    assert!(page.contains("<td>Raison sociale</td><td>Syndic Exemple</td>"));
    assert!(page.contains("<td>Pays</td><td>France</td>"));
    assert!(page.contains(
        "<td>1</td><td>Résidence Les Tilleuls</td><td>Ascenseur</td><td>Escalier B</td><td>Otis</td>"
    ));
    let shown = fingerprint(&page);

    // Not accepted, no name: refused, the name typed kept.
    let refused = client
        .post_form(
            "/profil/contrat/signer",
            &[("nom_complet", "Marie Durand"), ("empreinte", &shown)],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let body = refused.plain_text().await;
    assert!(
        body.contains("Cochez « J'ai lu et j'accepte »")
            && body.contains(r#"value="Marie Durand""#)
    );
    let refused = client
        .post_form(
            "/profil/contrat/signer",
            &[("accepte", "oui"), ("empreinte", &shown)],
        )
        .await;
    assert_eq!(refused.status(), 422);

    // The devices changed after the page was read: read it again.
    client
        .post_form(
            &format!("/profil/batiments/{building}/appareils/nouveau"),
            &[
                ("type_appareil", "monte_charge"),
                ("emplacement", "Cour"),
                ("etat", "en_service"),
            ],
        )
        .await;
    let stale = client
        .post_form(
            "/profil/contrat/signer",
            &[
                ("nom_complet", "Marie Durand"),
                ("accepte", "oui"),
                ("empreinte", &shown),
            ],
        )
        .await;
    assert_eq!(stale.status(), 422);
    assert!(stale
        .plain_text()
        .await
        .contains("Le contrat a changé depuis que vous l'avez ouvert"));
    assert_eq!(
        scalar(&app.db, "SELECT COUNT(*) FROM contract_signatures").await,
        0
    );

    let (_, page) = client.get_page("/profil/contrat").await;
    let read = fingerprint(&page);
    let signed = client
        .post_form(
            "/profil/contrat/signer",
            &[
                ("nom_complet", "Marie Durand"),
                ("accepte", "oui"),
                ("empreinte", &read),
            ],
        )
        .await;
    let location = header(signed.headers(), "location").to_owned();
    assert!(location.starts_with("/profil/contrat/"), "{location}");
    let id = scalar(&app.db, "SELECT id FROM contract_signatures").await;

    // The record: the exact text shown, its SHA-256, the signer, the IP.
    let stored_text = text(&app.db, "SELECT text FROM contract_signatures").await;
    let stored_hash = text(&app.db, "SELECT text_sha256 FROM contract_signatures").await;
    assert_eq!(stored_hash, read, "the text signed is the text read");
    assert_eq!(wemaintain::contract::sha256(&stored_text), stored_hash);
    assert!(stored_text.contains("    Type : « Monte-charge »\n    Emplacement : « Cour »\n"));
    assert!(stored_text.contains("version 2026-12"));
    assert_eq!(
        text(&app.db, "SELECT ip FROM contract_signatures").await,
        "127.0.0.1"
    );
    let (status, printable) = client.get_page(&location).await;
    assert_eq!(status, 200);
    assert!(
        printable.contains(&stored_hash) && printable.contains("Marie Durand (marie@syndic.fr)")
    );

    let (_, home) = client.get_page("/profil").await;
    assert!(home.contains("Signé par Marie Durand") && !home.contains("pas encore signé"));

    // The verification page recomputes the hash.
    let (_, verify) = client.get_page("/profil/contrat/verifier").await;
    assert_eq!(
        verify.matches(&stored_hash).count(),
        2,
        "recorded and recomputed"
    );
    assert!(verify.contains("Conforme") && !verify.contains("Non conforme"));

    // Once per version: the page says it is signed; a second post changes nothing.
    let (_, page) = client.get_page("/profil/contrat").await;
    assert!(
        page.contains("a été signée par Marie Durand") && !page.contains(r#"name="empreinte""#)
    );
    let token = client.csrf_token().await;
    let twice = client
        .client
        .post(client.url("/profil/contrat/signer"))
        .form(&[
            ("nom_complet", "Quelqu'un d'autre"),
            ("accepte", "oui"),
            ("empreinte", read.as_str()),
            ("csrf", token.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(header(twice.headers(), "location"), "/profil/contrat");
    assert_eq!(
        scalar(&app.db, "SELECT COUNT(*) FROM contract_signatures").await,
        1
    );

    // A signature cannot be altered, even by a query.
    let altered = execute(
        &app.db,
        "UPDATE contract_signatures SET signer_name = 'Faussaire'",
    )
    .await;
    assert!(
        altered.is_err(),
        "the database refuses any change to a signature"
    );
    assert_eq!(
        text(&app.db, "SELECT signer_name FROM contract_signatures").await,
        "Marie Durand"
    );
    // Only the end of its retention can be set, once, when the contract
    // ends; nothing else can ride along, and it cannot be moved afterwards.
    let with_more = execute(
        &app.db,
        "UPDATE contract_signatures SET expires_at = 4102444800000, signer_name = 'Faussaire'",
    )
    .await;
    assert!(with_more.is_err(), "the end of retention comes alone");
    execute(
        &app.db,
        "UPDATE contract_signatures SET expires_at = 4102444800000",
    )
    .await
    .expect("the end of retention is set once");
    let moved = execute(
        &app.db,
        "UPDATE contract_signatures SET expires_at = 4102444800001",
    )
    .await;
    assert!(moved.is_err(), "the end of retention cannot be moved");
    execute(&app.db, "UPDATE contract_signatures SET expires_at = NULL")
        .await
        .expect_err("nor removed");

    // Another company does not reach it.
    let (stranger, _) = client_with_device(&app, "b@syndic-b.fr", "Syndic B").await;
    assert_eq!(
        stranger
            .get(&format!("/profil/contrat/{id}"))
            .await
            .status(),
        404
    );
    let (_, verify) = stranger.get_page("/profil/contrat/verifier").await;
    assert!(verify.contains("Aucun contrat signé"));

    // Staff see it, and opening it is audited.
    create_account(&app, Role::Admin, "equipe@wemaintain.com").await;
    let staff = app.browser();
    staff.login_ok("equipe@wemaintain.com", PASSWORD).await;
    let (_, list) = staff.get_page("/admin/contrats").await;
    assert!(list.contains("Marie Durand"));
    let (status, _) = staff.get_page(&format!("/admin/contrats/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(
        scalar(
            &app.db,
            "SELECT COUNT(*) FROM audit_log WHERE subject LIKE 'contract_signature:%'"
        )
        .await,
        1
    );
}

/// Signs the company's contract as Marie Durand; the signed page's address.
async fn sign_as_marie(client: &Browser) -> String {
    let (_, page) = client.get_page("/profil/contrat").await;
    let signed = client
        .post_form(
            "/profil/contrat/signer",
            &[
                ("nom_complet", "Marie Durand"),
                ("accepte", "oui"),
                ("empreinte", &fingerprint(&page)),
            ],
        )
        .await;
    header(signed.headers(), "location").to_owned()
}

/// Where `needle` is in `page`, or a failure showing the page.
fn at(page: &str, needle: &str) -> usize {
    page.find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in:\n{page}"))
}

const ARTICLES: [&str; 5] = [
    "Article 1 — Objet",
    "Article 2 — Appareils couverts",
    "Article 3 — Prestations",
    "Article 4 — Durée",
    "Article 5 — Données personnelles",
];

async fn a_signed_contract_reads_as_a_contract_and_prints(backend: Backend) {
    let app = spawn_app(backend).await;
    // 17 h 25 in Paris.
    app.clock
        .set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 4, 16, 25, 0).unwrap());
    let (client, _) = client_with_device(&app, "marie@syndic.fr", "Syndic Exemple").await;
    let location = sign_as_marie(&client).await;
    let (status, page) = client.get_page(&location).await;
    let page = bare_cells(&page);
    assert_eq!(status, 200);

    // The parties, then the numbered articles in order, the annexes, the signature.
    let parties = at(&page, "<h2 id=\"parties\">Entre les parties</h2>");
    assert!(page[parties..].contains(
        "<h3>WeMaintain</h3><p>20 bis, rue Louis Philippe<br>92200 Neuilly-sur-Seine<br>"
    ));
    assert!(page[parties..].contains("<h3>Le Client</h3>"));
    assert!(page[parties..].contains("<dt>Raison sociale</dt><dd>Syndic Exemple</dd>"));
    let mut previous = parties;
    for (n, article) in ARTICLES.iter().enumerate() {
        let heading = at(
            &page,
            &format!("<h2 id=\"article-{}\">{article}</h2>", n + 1),
        );
        assert!(previous < heading, "{article} out of order");
        previous = heading;
    }
    let devices = at(&page, "<h2>Annexe 2 — Appareils couverts</h2>");
    assert!(previous < devices);
    assert!(page[devices..].contains("<td>1</td><td>Résidence Les Tilleuls</td><td>Ascenseur</td><td>Escalier B</td><td>Otis</td>"));
    let signed = at(
        &page,
        "Signé électroniquement le 4 décembre 2026 à 17 h 25 par Marie Durand (marie@syndic.fr).",
    );
    assert!(devices < signed);
    assert!(page.contains("Imprimer ou enregistrer en PDF"));

    // Staff read the same document.
    create_account(&app, Role::Admin, "equipe@wemaintain.com").await;
    let staff = app.browser();
    staff.login_ok("equipe@wemaintain.com", PASSWORD).await;
    let id = location.trim_start_matches("/profil/contrat/");
    let (_, staff_page) = staff.get_page(&format!("/admin/contrats/{id}")).await;
    for article in ARTICLES {
        assert!(staff_page.contains(article), "{article}");
    }
    assert!(staff_page.contains("Signé électroniquement le 4 décembre 2026"));

    // The exact text signed downloads as a file whose SHA-256 is the one kept.
    let download = client.get(&format!("{location}/texte")).await;
    assert_eq!(download.status(), 200);
    assert_eq!(
        header(download.headers(), "content-type"),
        "text/plain; charset=utf-8"
    );
    assert!(header(download.headers(), "content-disposition").contains("attachment"));
    let downloaded = download.plain_text().await;
    let stored_hash = text(&app.db, "SELECT text_sha256 FROM contract_signatures").await;
    assert_eq!(wemaintain::contract::sha256(&downloaded), stored_hash);

    // The check page explains in plain French first; the fingerprints and
    // the recipe come after, under « Détails techniques ».
    let (_, verify) = client.get_page("/profil/contrat/verifier").await;
    let details = at(&verify, "<summary><h2>Détails techniques</h2></summary>");
    assert!(at(&verify, "resté exactement tel qu'il a été signé") < details);
    assert!(at(&verify, "Contrat n° ") < details);
    assert!(at(&verify, &stored_hash) > details);
    assert!(at(&verify, "sha256sum") > details);

    // The stylesheet prints the document alone, black on white, unbroken.
    let css = app.get("/static/site.css").await.plain_text().await;
    let print = &css[at(&css, "@media print")..];
    let print = &print[..at(print, "\n}\n")];
    for rule in [
        ".site-header",
        ".site-footer",
        "nav",
        "form",
        "button",
        "color: #000",
        "background: #fff",
        "tr, th, td",
        "break-inside: avoid",
        "break-after: avoid",
    ] {
        assert!(
            print.contains(rule),
            "{rule} not in the print rules:\n{print}"
        );
    }
}

/// A contract signed under version 2026-11 (client text in its clauses)
/// keeps its text and fingerprint, reads as a contract and verifies.
async fn a_contract_signed_with_an_older_template_still_reads_and_verifies(backend: Backend) {
    let app = spawn_app(backend).await;
    let (company, client) = client_of_company(&app, "marie@syndic.fr", "Syndic Exemple").await;
    let party = wemaintain::contract::party(&app.db, company)
        .await
        .unwrap()
        .unwrap();
    let device = wemaintain::contract::CoveredDevice {
        building: "Résidence Les Tilleuls".into(),
        kind: "ascenseur".into(),
        location: "Escalier B".into(),
        brand: None,
        serial_number: None,
    };
    let old = wemaintain::contract::text_for("2026-11", &party, &[device]).unwrap();
    let hash = wemaintain::contract::sha256(&old);
    execute(
        &app.db,
        &format!(
            "INSERT INTO contract_signatures (company_id, template_version, text, text_sha256, \
             signer_id, signer_name, signer_email, signed_at, ip) VALUES ({company}, '2026-11', \
             '{}', '{hash}', NULL, 'Marie Durand', 'marie@syndic.fr', 1780000000000, '192.0.2.7')",
            old.replace('\'', "''")
        ),
    )
    .await
    .expect("an older signature");
    let id = scalar(&app.db, "SELECT id FROM contract_signatures").await;
    let (status, page) = client.get_page(&format!("/profil/contrat/{id}")).await;
    assert_eq!(status, 200);
    for (n, article) in ARTICLES.iter().enumerate() {
        assert!(
            page.contains(&format!("<h2 id=\"article-{}\">{article}</h2>", n + 1)),
            "{article}"
        );
    }
    assert!(page.contains("<p>1. Résidence Les Tilleuls — Ascenseur — Escalier B</p>"));
    assert!(page.contains(&hash));
    let (_, verify) = client.get_page("/profil/contrat/verifier").await;
    assert!(verify.contains("Conforme") && !verify.contains("Non conforme"));
}
