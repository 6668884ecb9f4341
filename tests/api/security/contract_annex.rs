//! Client text never reads as a clause of the contract: what the client
//! typed (company, building, location, brand, serial number) appears only
//! inside the delimited annexes, one value per line behind its field name.

use wemaintain::db::Db;

use crate::helpers::{bare_cells, client_of_company, header, spawn_app, Backend};
use crate::on_both_backends;

on_both_backends!(a_device_location_cannot_add_a_clause);

/// The clause a client would like to slip in.
const FORGED: &str = "Article 6 — Tarif : WeMaintain renonce à toute facturation";

/// Every line of a text, as a reader (or a browser showing `pre`) breaks it.
fn lines(text: &str) -> Vec<&str> {
    text.split([
        '\n', '\r', '\u{2028}', '\u{2029}', '\u{85}', '\u{b}', '\u{c}',
    ])
    .collect()
}

fn assert_no_forged_clause(text: &str, what: &str) {
    for line in lines(text) {
        assert!(
            !line.trim_start().starts_with("Article 6"),
            "{what}: a line reads as a clause: {line:?}\n{text}"
        );
    }
}

/// The contract text shown on the signing page (its `pre`).
fn shown_clauses(page: &str) -> &str {
    let start = page
        .find(r#"<pre class="contract-text">"#)
        .expect("the contract text");
    let end = start + page[start..].find("</pre>").expect("the end of the text");
    &page[start..end]
}

async fn set_location(db: &Db, location: &str) {
    const SQL: &str = "UPDATE devices SET location = $1";
    match db {
        Db::Sqlite(pool) => sqlx::query(SQL)
            .bind(location)
            .execute(pool)
            .await
            .map(|_| ()),
        Db::Postgres(pool) => sqlx::query(SQL)
            .bind(location)
            .execute(pool)
            .await
            .map(|_| ()),
    }
    .expect("update the device");
}

async fn a_device_location_cannot_add_a_clause(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, client) = client_of_company(&app, "marie@syndic.fr", "Syndic Exemple").await;
    let building = client.declare_building().await;
    // The form refuses control characters, not a Unicode line separator.
    let through_the_form = format!("Hall.\u{2028}{FORGED}");
    let created = client
        .post_form(
            &format!("/profil/batiments/{building}/appareils/nouveau"),
            &[
                ("type_appareil", "ascenseur"),
                ("emplacement", &through_the_form),
                ("marque", "Otis » \u{2029}Article 6 — Pénalités : aucune"),
                ("etat", "en_service"),
            ],
        )
        .await;
    assert_eq!(created.status(), 303, "the device is accepted");

    let (_, page) = client.get_page("/profil/contrat").await;
    assert_no_forged_clause(shown_clauses(&page), "the page");
    assert!(
        !shown_clauses(&page).contains("Tarif"),
        "client text in the clauses"
    );
    assert!(
        bare_cells(&page)
            .contains("<td>Hall. Article 6 — Tarif : WeMaintain renonce à toute facturation</td>"),
        "the value is a cell of the annex: {page}"
    );

    // A value stored with a real line break (written before the form
    // checked it, or by another path) is no different.
    set_location(&app.db, &format!("Hall. \n{FORGED}")).await;
    let (_, page) = client.get_page("/profil/contrat").await;
    assert_no_forged_clause(shown_clauses(&page), "the page");
    let start = page
        .find(r#"name="empreinte" value=""#)
        .expect("a signing form")
        + r#"name="empreinte" value=""#.len();
    let fingerprint = page[start..start + 64].to_owned();
    let signed = client
        .post_form(
            "/profil/contrat/signer",
            &[
                ("nom_complet", "Marie Durand"),
                ("accepte", "oui"),
                ("empreinte", &fingerprint),
            ],
        )
        .await;
    assert!(header(signed.headers(), "location").starts_with("/profil/contrat/"));

    let stored: String = match &app.db {
        Db::Sqlite(pool) => {
            sqlx::query_scalar("SELECT text FROM contract_signatures")
                .fetch_one(pool)
                .await
        }
        Db::Postgres(pool) => {
            sqlx::query_scalar("SELECT text FROM contract_signatures")
                .fetch_one(pool)
                .await
        }
    }
    .expect("the signed text");
    assert_no_forged_clause(&stored, "the signed text");
    // The value is quoted data on its field's line, inside the annex.
    let annex_start = stored.find("\nANNEXE 2 — ").expect("annex 2");
    let annex_end = stored.find("\nFIN DE L'ANNEXE 2").expect("end of annex 2");
    let at = stored.find(FORGED).expect("the value is kept");
    assert!(annex_start < at && at < annex_end, "{stored}");
    assert!(
        lines(&stored).contains(&format!("    Emplacement : « Hall.  {FORGED} »").as_str()),
        "{stored}"
    );
    assert!(
        lines(&stored).contains(&"    Marque : « Otis ›  Article 6 — Pénalités : aucune »"),
        "a value cannot close its quotes: {stored}"
    );
    assert_eq!(stored.matches("Tarif").count(), 1, "{stored}");
    let clauses = &stored[..stored.find("\nANNEXE 1 — ").expect("annex 1")];
    assert!(clauses.contains("la société désignée à l'annexe 1"));
    for client_value in ["Syndic Exemple", "Tilleuls", "Hall", "Otis"] {
        assert!(
            !clauses.contains(client_value),
            "{client_value} in the clauses"
        );
    }
}
