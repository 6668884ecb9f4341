//! Accounts and logging in: the password every test account uses, accounts
//! made as `wemaintain create-user` makes them, a client of a new company,
//! and the mailed links of sign-up.

use wemaintain::auth::Role;

use crate::common::app::TestApp;
use crate::common::database::{execute, scalar};
use crate::common::forms::{token_in, Browser};
use crate::common::mail;

/// A password every test account uses: long and not guessable.
pub const PASSWORD: &str = "Grue-bleue-7-Toit-Orage";

/// Creates an active account with [`PASSWORD`], as `wemaintain create-user` does.
pub async fn create_account(app: &TestApp, role: Role, email: &str) -> i64 {
    wemaintain::commands::create_user(
        &app.db,
        &app.settings,
        role,
        email,
        "Camille",
        "Martin",
        PASSWORD,
    )
    .await
    .expect("create the account")
}

/// A client account (password [`PASSWORD`]) of a new company `company`,
/// logged in; returns the company's id and the browser.
pub async fn client_of_company(app: &TestApp, email: &str, company: &str) -> (i64, Browser) {
    execute(
        &app.db,
        &format!(
            "INSERT INTO companies (name, kind, address, city, postal_code, country, created_at) \
             VALUES ('{company}', 'agence', '3 rue de la Paix', 'Paris', '75002', 'FR', 0)"
        ),
    )
    .await
    .expect("insert the company");
    let company_id = scalar(
        &app.db,
        &format!("SELECT id FROM companies WHERE name = '{company}'"),
    )
    .await;
    let user = create_account(app, Role::Client, email).await;
    execute(
        &app.db,
        &format!("UPDATE users SET company_id = {company_id} WHERE id = {user}"),
    )
    .await
    .expect("attach the account to the company");
    let browser = app.browser();
    browser.login_ok(email, PASSWORD).await;
    (company_id, browser)
}

impl Browser {
    /// Logs in; returns the login POST's response (303 on success).
    pub async fn login(&self, email: &str, password: &str) -> reqwest::Response {
        self.post_form(
            "/connexion",
            &[("email", email), ("mot_de_passe", password)],
        )
        .await
    }

    /// Logs in and checks it worked.
    pub async fn login_ok(&self, email: &str, password: &str) {
        let response = self.login(email, password).await;
        assert_eq!(response.status(), 303, "login of {email} fails");
    }
}

impl TestApp {
    /// The token of the newest link to `path` mailed to `to`.
    pub async fn link_token(&self, to: &str, path: &str) -> String {
        let needle = format!("{path}?jeton=");
        self.wait_for_mail(to, &needle).await;
        let mail = mail::outbox(&self.settings.data_dir)
            .into_iter()
            .rev()
            .find(|m| m.is(to, &needle))
            .expect("the mail just seen");
        token_in(&mail.full(), path).expect("a link")
    }

    /// Opens the sign-up link mailed to `email` and confirms, as the
    /// address's owner would: the request then goes to staff.
    pub async fn confirm_registration(&self, email: &str) {
        let token = self.link_token(email, "/inscription/confirmer").await;
        let confirmed = self
            .browser()
            .post_form("/inscription/confirmer", &[("jeton", &token)])
            .await;
        assert_eq!(confirmed.status(), 200, "the sign-up link of {email} works");
    }
}
