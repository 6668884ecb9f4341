//! The building and the lift most scenarios need, declared through the
//! Profile's forms as a client would.

use wemaintain::db::Db;

use super::accounts::client_of_company;
use super::app::TestApp;
use super::database::scalar;
use super::forms::{header, Browser};

/// The building every scenario declares.
pub const BUILDING: &str = "Résidence Les Tilleuls";
/// Where its lift is.
pub const LIFT_LOCATION: &str = "Escalier B";

impl Browser {
    /// Declares [`BUILDING`] (12 avenue des Tilleuls, 92200
    /// Neuilly-sur-Seine); returns its id.
    pub async fn declare_building(&self) -> i64 {
        let created = self
            .post_form(
                "/profil/batiments/nouveau",
                &[
                    ("nom", BUILDING),
                    ("adresse", "12 avenue des Tilleuls"),
                    ("code_postal", "92200"),
                    ("ville", "Neuilly-sur-Seine"),
                    ("pays", "FR"),
                ],
            )
            .await;
        assert_eq!(created.status(), 303, "the building is declared");
        header(created.headers(), "location")
            .trim_start_matches("/profil/batiments/")
            .split('?')
            .next()
            .and_then(|id| id.parse().ok())
            .expect("the new building's address")
    }

    /// Declares a lift in service at [`LIFT_LOCATION`] of `building`, with
    /// `more` fields (a brand…); returns its id.
    pub async fn declare_lift(&self, db: &Db, building: i64, more: &[(&str, &str)]) -> i64 {
        let mut fields = vec![
            ("type_appareil", "ascenseur"),
            ("emplacement", LIFT_LOCATION),
            ("etat", "en_service"),
        ];
        fields.extend_from_slice(more);
        let created = self
            .post_form(
                &format!("/profil/batiments/{building}/appareils/nouveau"),
                &fields,
            )
            .await;
        assert_eq!(created.status(), 303, "the lift is declared");
        scalar(db, "SELECT MAX(id) FROM devices").await
    }
}

/// A logged-in client of a new company `company` with [`BUILDING`] and a
/// lift in it: the browser, the building's id and the lift's.
pub async fn client_with_a_lift(app: &TestApp, email: &str, company: &str) -> (Browser, i64, i64) {
    let (_, client) = client_of_company(app, email, company).await;
    let building = client.declare_building().await;
    let lift = client.declare_lift(&app.db, building, &[]).await;
    (client, building, lift)
}
