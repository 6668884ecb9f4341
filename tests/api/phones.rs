//! Phones: the privacy policy's table of contents, tables that turn into
//! labelled cards (each cell names its column, and stays a table for screen
//! readers) and a chart drawn for the width of a phone.

use wemaintain::auth::Role;

use crate::helpers::{create_account, spawn_app, Backend, Browser, TestApp, PASSWORD};
use crate::on_both_backends;

on_both_backends!(
    the_policy_has_a_table_of_contents_leading_to_its_sections,
    every_table_cell_names_its_column,
    the_chart_fits_a_phone_with_readable_labels,
);

async fn logged_in(app: &TestApp, role: Role, email: &str) -> Browser {
    create_account(app, role, email).await;
    let browser = app.browser();
    browser.login_ok(email, PASSWORD).await;
    browser
}

/// The values of `attribute="…"` in `markup`, in order.
fn values<'a>(markup: &'a str, attribute: &str) -> Vec<&'a str> {
    let needle = format!("{attribute}=\"");
    markup
        .split(needle.as_str())
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

async fn the_policy_has_a_table_of_contents_leading_to_its_sections(backend: Backend) {
    let app = spawn_app(backend).await;
    let (status, page) = app
        .browser()
        .get_page("/politique-de-confidentialite")
        .await;
    assert!(status.is_success(), "{status}");
    let label = page
        .find("aria-label=\"Sommaire\"")
        .expect("a « Sommaire » navigation");
    let start = page[..label].rfind('<').unwrap();
    assert!(
        page[start..].starts_with("<nav "),
        "{}",
        &page[start..label]
    );
    let toc = &page[start..start + page[start..].find("</nav>").unwrap()];
    let anchors: Vec<&str> = values(toc, "href")
        .into_iter()
        .map(|href| href.strip_prefix('#').expect("a link inside the page"))
        .collect();
    assert!(anchors.len() >= 6, "too few sections: {toc}");
    let headings: Vec<&str> = page
        .split("<h2 id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert_eq!(
        anchors, headings,
        "the table of contents lists every section, in order"
    );
    // Each id exists once on the page.
    for id in &anchors {
        assert_eq!(page.matches(&format!("id=\"{id}\"")).count(), 1, "{id}");
    }
    // The policy's wording is unchanged around it.
    assert!(page.contains("Politique de confidentialité et de protection des Données"));
}

/// Every `<td>` of `page` carries its column's label, and every row and
/// cell its role for screen readers (the stylesheet changes their display).
fn assert_labelled_cells(path: &str, page: &str) {
    let cells = page.matches("<td").count();
    assert!(cells > 0, "{path}: no table cell");
    for cell in page.split("<td").skip(1) {
        let tag = &cell[..cell.find('>').unwrap()];
        assert!(
            tag.contains("data-label=\"") && tag.contains("role=\"cell\""),
            "{path}: a cell without its column's label: <td{tag}>"
        );
    }
    for row in page.split("<tr").skip(1) {
        let tag = &row[..row.find('>').unwrap()];
        assert!(tag.contains("role=\"row\""), "{path}: <tr{tag}>");
    }
    let labels = values(page, "data-label");
    assert!(labels.iter().all(|l| !l.is_empty()), "{path}: {labels:?}");
}

async fn every_table_cell_names_its_column(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, policy) = app
        .browser()
        .get_page("/politique-de-confidentialite")
        .await;
    assert_labelled_cells("/politique-de-confidentialite", &policy);

    let staff = logged_in(&app, Role::Admin, "equipe@wemaintain.com").await;
    for path in ["/admin/comptes", "/admin/registre", "/admin/journal"] {
        let (status, page) = staff.get_page(path).await;
        assert!(status.is_success(), "{path}: {status}");
        assert_labelled_cells(path, &page);
    }
    let (_, accounts) = staff.get_page("/admin/comptes").await;
    assert!(
        accounts.contains("<td role=\"cell\" data-label=\"E-mail\">equipe@wemaintain.com</td>"),
        "{accounts}"
    );
}

/// The `<svg …>` opening tags of the chart.
fn chart_svgs(page: &str) -> Vec<&str> {
    let start = page.find("<figure class=\"chart\"").expect("a chart");
    let figure = &page[start..start + page[start..].find("</figure>").unwrap()];
    figure
        .split("<svg")
        .skip(1)
        .map(|svg| &svg[..svg.find('>').unwrap()])
        .collect()
}

async fn the_chart_fits_a_phone_with_readable_labels(backend: Backend) {
    let app = spawn_app(backend).await;
    let marketing = logged_in(&app, Role::Marketing, "marketing@wemaintain.com").await;
    let (status, page) = marketing.get_page("/statistiques").await;
    assert!(status.is_success(), "{status}");
    let svgs = chart_svgs(&page);
    assert_eq!(svgs.len(), 2, "a wide and a narrow drawing: {svgs:?}");
    for svg in &svgs {
        assert!(svg.contains("viewBox=\"0 0 "), "{svg}");
        // Sized by the stylesheet (width 100 %, height auto), not fixed.
        assert!(!svg.contains(" width="), "{svg}");
    }
    let narrow = svgs
        .iter()
        .find(|svg| svg.contains("chart-narrow"))
        .expect("a drawing for phones");
    let view_box: Vec<f64> = values(narrow, "viewBox")[0]
        .split(' ')
        .map(|n| n.parse().unwrap())
        .collect();
    // A 390-px phone gives the chart at least 350 px (margins of 20 px at most).
    let scale = 350.0 / view_box[2];
    let start = page.find("chart-narrow").unwrap();
    let drawing = &page[start..start + page[start..].find("</svg>").unwrap()];
    let sizes: Vec<f64> = values(drawing, "font-size")
        .into_iter()
        .map(|s| s.parse().unwrap())
        .collect();
    assert!(!sizes.is_empty(), "{drawing}");
    for size in sizes {
        assert!(
            size * scale >= 12.0,
            "a {size}-unit label is {} px on a phone",
            size * scale
        );
    }
    // The phone's drawing has its own ids: unique ids on the page.
    assert_eq!(page.matches("id=\"graphique-titre\"").count(), 1);
    assert_eq!(page.matches("id=\"graphique-titre-etroit\"").count(), 1);
}
