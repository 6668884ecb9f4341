//! On a maintenance request's page: the reports that answer it, and for
//! staff, publishing one and saying the request is resolved.

use maud::{html, Markup};

use crate::auth::CsrfToken;
use crate::information_reports::links::LinkedReport;
use crate::information_reports::views::prestation_label;
use crate::views::forms::csrf_field;

fn list(reports: &[LinkedReport], base: &str) -> Markup {
    html! {
        ul.linked-reports {
            @for r in reports {
                li {
                    a href={ (base) (r.id) } { "Rapport d'intervention n° " (r.id) }
                    " — " (prestation_label(&r.kind)) " du " (r.performed_on().format("%d/%m/%Y"))
                }
            }
        }
    }
}

/// The client's view: the reports, if any.
pub fn for_client(reports: &[LinkedReport]) -> Markup {
    html! {
        @if !reports.is_empty() {
            h2 { "Rapports d'intervention" }
            (list(reports, "/profil/rapports/"))
        }
    }
}

/// The staff's view: the reports, a report to publish for the request, and
/// « La demande est résolue » while it is open and a report names it.
pub fn for_staff(request: i64, open: bool, reports: &[LinkedReport], token: &CsrfToken) -> Markup {
    html! {
        h2 { "Rapports d'intervention" }
        @if reports.is_empty() { p { "Aucun rapport ne répond encore à cette demande." } }
        @else { (list(reports, "/admin/rapports/")) }
        p.actions {
            a.button.secondary href={ "/admin/rapports/nouveau?demande=" (request) } { "Publier un rapport pour cette demande" }
        }
        @if open && !reports.is_empty() {
            form.form method="post" action={ "/admin/demandes/" (request) "/resolue" } {
                (csrf_field(token))
                button.button type="submit" { "La demande est résolue" }
            }
        }
    }
}
