//! The route table. Each handler extracts its input, calls one function of the
//! module that owns the work and renders a view. [`ROUTES`] is the one list
//! of every route of the site, with the access each asks for; the router is
//! built from it, and the tests draw their access matrix from it.

use crate::accounts::routes::{account, registration};
use crate::analytics::routes::{mail_reports, opt_out, statistics, tables};
use crate::assets;
use crate::auth::csrf::check_csrf;
use crate::auth::roles::require;
use crate::auth::Access;
use crate::http::{health, metrics};
use crate::staff::account_company;
use crate::{
    buildings::routes as buildings, contract::routes as contract, dashboard::routes as profile,
    inbox::routes as forms, information_reports::routes as information_reports,
    information_reports::staff_routes as staff_reports, maintenance::resolution,
    maintenance::routes as maintenance, proposals::routes as proposals, public::routes as public,
    rights::routes as rights, staff::answers, staff::journal, staff::routes as admin,
};

use actix_web::middleware::{from_fn, Condition};
use actix_web::{guard, web, HttpResponse, Route};

/// Which requests a route answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    /// GET, and HEAD (the body left out).
    Read,
    Post,
}

/// One route of the site.
pub struct RouteSpec {
    pub verb: Verb,
    /// The path pattern, as actix-web reads it (`/admin/inscriptions/{id}`).
    pub path: &'static str,
    pub access: Access,
    handler: fn() -> Route,
}

impl RouteSpec {
    /// The path with each `{parameter}` replaced by a plausible value, for
    /// tests that call every route.
    pub fn example_path(&self) -> String {
        let mut out = String::new();
        for segment in self.path.split('/').skip(1) {
            out.push('/');
            match segment {
                "{file}" => out.push_str("site.css"),
                "{inbox}" => out.push_str("questions"),
                s if s.starts_with('{') => out.push('1'),
                s => out.push_str(s),
            }
        }
        if out.is_empty() {
            out.push('/');
        }
        out
    }

    fn route(&self) -> Route {
        let route = (self.handler)();
        match self.verb {
            Verb::Read => route.guard(guard::Any(guard::Get()).or(guard::Head())),
            Verb::Post => route.guard(guard::Post()),
        }
    }
}

macro_rules! routes {
    ($($verb:ident $path:literal $access:ident => $handler:path;)*) => {
        &[$(RouteSpec {
            verb: Verb::$verb,
            path: $path,
            access: Access::$access,
            handler: || web::route().to($handler),
        }),*]
    };
}

/// Every route. All routes of one path share its access.
pub static ROUTES: &[RouteSpec] = routes! {
    Read "/" Public => public::home;
    Read "/services" Public => public::services;
    Read "/politique-de-confidentialite" Public => public::privacy_policy;
    Read "/confidentialite/opposition" Public => opt_out::show;
    Post "/confidentialite/opposition" Public => opt_out::choose;
    Read "/confidentialite/demande" Public => rights::request_form;
    Post "/confidentialite/demande" Public => rights::submit_request;
    Read "/confidentialite/demande/envoyee" Public => rights::request_sent;
    Read "/confidentialite/demande/confirmer" Public => rights::request_link;
    Post "/confidentialite/demande/confirmer" Public => rights::confirm_request;
    Read "/confidentialite/schema-export-v1.json" Public => rights::schema;
    Read "/contact" Public => forms::contact;
    Post "/contact" Public => forms::ask;
    Read "/contact/envoye" Public => forms::contact_sent;
    Read "/techniciens" Public => forms::technicians;
    Post "/techniciens" Public => forms::apply;
    Read "/techniciens/envoye" Public => forms::technicians_sent;
    Read "/inscription" Public => registration::show;
    Post "/inscription" Public => registration::submit;
    Read "/inscription/envoyee" Public => registration::sent;
    Read "/inscription/confirmer" Public => registration::confirm_link;
    Post "/inscription/confirmer" Public => registration::confirm;
    Read "/connexion" Public => account::login_page;
    Post "/connexion" Public => account::login;
    Post "/deconnexion" Public => account::logout;
    Read "/mot-de-passe-oublie" Public => account::forgot_page;
    Post "/mot-de-passe-oublie" Public => account::forgot;
    Read "/mot-de-passe-oublie/nouveau" Public => account::reset_page;
    Post "/mot-de-passe-oublie/nouveau" Public => account::reset;
    Read "/compte/mot-de-passe" LoggedIn => account::password_change_page;
    Post "/compte/mot-de-passe" LoggedIn => account::change_password;
    Read "/compte/adresse/confirmer" Public => rights::email_link;
    Post "/compte/adresse/confirmer" Public => rights::confirm_email;
    Read "/profil" Client => profile::home;
    Read "/profil/batiments" Client => buildings::list;
    Read "/profil/batiments/nouveau" Client => buildings::new_building;
    Post "/profil/batiments/nouveau" Client => buildings::create_building;
    Read "/profil/batiments/{id}" Client => buildings::building;
    Read "/profil/batiments/{id}/modifier" Client => buildings::edit_building;
    Post "/profil/batiments/{id}/modifier" Client => buildings::update_building;
    Post "/profil/batiments/{id}/archive" Client => buildings::archive;
    Read "/profil/batiments/{id}/appareils/nouveau" Client => buildings::new_device;
    Post "/profil/batiments/{id}/appareils/nouveau" Client => buildings::create_device;
    Read "/profil/appareils/{id}/modifier" Client => buildings::edit_device;
    Post "/profil/appareils/{id}/modifier" Client => buildings::update_device;
    Read "/profil/demandes" Client => maintenance::client_list;
    Read "/profil/demandes/nouvelle" Client => maintenance::new_request;
    Post "/profil/demandes/nouvelle" Client => maintenance::create_request;
    Read "/profil/demandes/{id}" Client => maintenance::client_request;
    Post "/profil/demandes/{id}/messages" Client => maintenance::client_message;
    Read "/profil/propositions" Client => proposals::client_list;
    Read "/profil/propositions/nouvelle" Client => proposals::new_proposal;
    Post "/profil/propositions/nouvelle" Client => proposals::create;
    Read "/profil/propositions/{id}" Client => proposals::client_page;
    Read "/profil/propositions/{id}/envoyee" Client => proposals::sent_page;
    Read "/profil/contrat" Client => contract::show;
    Post "/profil/contrat/signer" Client => contract::sign;
    Read "/profil/contrat/verifier" Client => contract::verify;
    Read "/profil/contrat/{id}" Client => contract::signed;
    Read "/profil/contrat/{id}/texte" Client => contract::signed_text;
    Read "/profil/rapports" Client => information_reports::client_list;
    Read "/profil/rapports/{id}" Client => information_reports::client_report;
    Read "/profil/donnees" Client => rights::data;
    Post "/profil/donnees/copie" Client => rights::export;
    Read "/profil/donnees/modifier" Client => rights::edit;
    Post "/profil/donnees/modifier" Client => rights::rectify;
    Post "/profil/donnees/email" Client => rights::change_email;
    Post "/profil/donnees/email/confirmer" Client => rights::confirm_own_email;
    Post "/profil/donnees/actualites" Client => rights::news_choice;
    Post "/profil/donnees/effacer" Client => rights::erase;
    Read "/statistiques" Statistics => statistics::page;
    Read "/statistiques/export" Statistics => statistics::export;
    Read "/statistiques/tableau/{key}" Statistics => tables::full;
    Read "/statistiques/tableau/{key}/export" Statistics => tables::export;
    Read "/statistiques/en-ce-moment" Statistics => tables::live;
    Post "/statistiques/rapports" Statistics => mail_reports::choose;
    Read "/statistiques/rapports/desabonnement/{token}" Public => mail_reports::stop_link;
    Post "/statistiques/rapports/desabonnement/{token}" Public => mail_reports::stop;
    Read "/admin" Admin => admin::home;
    Read "/admin/inscriptions" Admin => admin::registrations;
    Read "/admin/inscriptions/{id}" Admin => admin::registration;
    Post "/admin/inscriptions/{id}/valider" Admin => admin::validate;
    Post "/admin/inscriptions/{id}/refuser" Admin => admin::reject;
    Read "/admin/messages" Admin => admin::messages;
    Post "/admin/messages/{inbox}/{id}/traite" Admin => admin::mark_handled;
    Post "/admin/messages/questions/{id}/reponse" Admin => answers::answer;
    Read "/admin/societes" Admin => admin::companies;
    Read "/admin/societes/{id}" Admin => admin::company;
    Read "/admin/comptes" Admin => admin::accounts_list;
    Read "/admin/comptes/{id}" Admin => admin::account;
    Post "/admin/comptes/{id}/role" Admin => admin::change_role;
    Post "/admin/comptes/{id}/etat" Admin => admin::change_status;
    Post "/admin/comptes/{id}/societe" Admin => account_company::attach;
    Post "/admin/comptes/{id}/societe/retirer" Admin => account_company::detach;
    Read "/admin/demandes" Admin => maintenance::staff_list;
    Read "/admin/demandes/{id}" Admin => maintenance::staff_request;
    Post "/admin/demandes/{id}/statut" Admin => maintenance::change_status;
    Post "/admin/demandes/{id}/messages" Admin => maintenance::staff_message;
    Post "/admin/demandes/{id}/appareil" Admin => maintenance::attach_device;
    Post "/admin/demandes/{id}/resolue" Admin => resolution::resolve;
    Read "/admin/propositions" Admin => proposals::staff_list;
    Read "/admin/propositions/{id}" Admin => proposals::staff_page;
    Post "/admin/propositions/{id}/reponse" Admin => proposals::answer;
    Read "/admin/contrats" Admin => contract::staff_list;
    Read "/admin/contrats/{id}" Admin => contract::staff_signed;
    Read "/admin/rapports" Admin => staff_reports::staff_list;
    Post "/admin/rapports" Admin => staff_reports::publish;
    Read "/admin/rapports/nouveau" Admin => staff_reports::new_report;
    Read "/admin/rapports/{id}" Admin => staff_reports::staff_report;
    Read "/admin/rapports/{id}/modifier" Admin => staff_reports::edit_report;
    Post "/admin/rapports/{id}/modifier" Admin => staff_reports::correct;
    Read "/admin/droits" Admin => rights::staff_list;
    Read "/admin/droits/visites" Admin => rights::visits_page;
    Read "/admin/droits/visites/export" Admin => rights::visits_export;
    Read "/admin/droits/{id}" Admin => rights::staff_request;
    Post "/admin/droits/{id}/prolonger" Admin => rights::extend;
    Post "/admin/droits/{id}/informations" Admin => rights::ask_information;
    Post "/admin/droits/{id}/clore" Admin => rights::close;
    Read "/admin/journal" Admin => journal::audit_log;
    Read "/admin/registre" Admin => admin::register;
    Read "/healthz" Public => health::healthz;
    Read "/metrics" Public => metrics::metrics;
    Read "/static/{file}" Public => assets::serve;
};

pub fn configure(cfg: &mut web::ServiceConfig) {
    let mut paths: Vec<&'static str> = Vec::new();
    for spec in ROUTES {
        if !paths.contains(&spec.path) {
            paths.push(spec.path);
        }
    }
    for path in paths {
        let specs: Vec<&RouteSpec> = ROUTES.iter().filter(|s| s.path == path).collect();
        let access = specs[0].access;
        let has_post = specs.iter().any(|spec| spec.verb == Verb::Post);
        let resource = specs.iter().fold(web::resource(path), |resource, spec| {
            resource.route(spec.route())
        });
        // `wrap` order: the access check runs first, then the CSRF check.
        let resource = resource.wrap(Condition::new(has_post, from_fn(check_csrf)));
        if access == Access::Public {
            cfg.service(resource);
        } else {
            cfg.service(resource.wrap(from_fn(move |req, next| require(access, req, next))));
        }
    }
}

/// Anything no route matched: the error-page middleware draws the French 404.
pub async fn not_found() -> HttpResponse {
    HttpResponse::NotFound().finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_area_asks_for_its_role() {
        for spec in ROUTES {
            let expected = if spec.path.starts_with("/profil") {
                Some(Access::Client)
            } else if spec
                .path
                .starts_with("/statistiques/rapports/desabonnement/")
            {
                // The stop link of a report mail works without login.
                Some(Access::Public)
            } else if spec.path.starts_with("/statistiques") {
                Some(Access::Statistics)
            } else if spec.path.starts_with("/admin") {
                Some(Access::Admin)
            } else {
                None
            };
            if let Some(expected) = expected {
                assert_eq!(spec.access, expected, "{}", spec.path);
            }
            let same_path = ROUTES.iter().filter(|s| s.path == spec.path);
            assert!(
                same_path.clone().all(|s| s.access == spec.access),
                "{}",
                spec.path
            );
            assert_eq!(
                same_path.filter(|s| s.verb == spec.verb).count(),
                1,
                "{}",
                spec.path
            );
        }
    }

    #[test]
    fn example_paths_fill_parameters() {
        let spec = ROUTES
            .iter()
            .find(|s| s.path == "/admin/messages/{inbox}/{id}/traite")
            .unwrap();
        assert_eq!(spec.example_path(), "/admin/messages/questions/1/traite");
    }
}
