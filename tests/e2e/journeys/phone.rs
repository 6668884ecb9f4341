//! On a phone (a 390 × 844 window), no page scrolls sideways: the public
//! pages, a client's Profile and its sub-pages (with a building, a lift, a
//! request and a report in them), every staff page (`phone_staff.rs`) and
//! the statistics. Every page that does is reported with its widths and the
//! elements that stick out. The header stays short on every space.

use std::sync::Arc;

use anyhow::{bail, ensure, Result};
use serde::Deserialize;

use crate::browser::Browser;
use crate::flows::{self, ADMIN, CLIENT, MARKETING};
use crate::harness::Journey;
use crate::journeys::phone_staff;

const PHONE: (u32, u32) = (390, 844);
const BUILDING: &str = "Résidence du Parc, bâtiment A";

/// What a page measures on the phone.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Widths {
    path: String,
    inner_width: f64,
    client_width: f64,
    scroll_width: f64,
    /// The elements whose right edge is past the window and that no
    /// scrolling or clipping box holds: the widest first, then the
    /// innermost ones (those with no such child).
    culprits: Vec<Culprit>,
}

#[derive(Debug, Deserialize)]
struct Culprit {
    element: String,
    left: f64,
    right: f64,
    width: f64,
    text: String,
}

const MEASURE: &str = r#"
    const vw = window.innerWidth;
    const root = document.documentElement;
    const out = {
        path: location.pathname + location.search,
        innerWidth: vw,
        clientWidth: root.clientWidth,
        scrollWidth: root.scrollWidth,
        culprits: [],
    };
    if (root.scrollWidth <= Math.min(vw, root.clientWidth)) return out;
    const limit = Math.min(vw, root.clientWidth);
    const held = (el) => {
        for (let a = el.parentElement; a && a !== document.body && a !== root; a = a.parentElement) {
            if (getComputedStyle(a).overflowX !== 'visible') return true;
        }
        return false;
    };
    const name = (el) => {
        let s = el.tagName.toLowerCase();
        if (el.id) s += '#' + el.id;
        for (const c of el.classList) s += '.' + c;
        return s;
    };
    const selector = (el) => {
        const parts = [];
        for (let e = el; e && e !== document.body; e = e.parentElement) parts.unshift(name(e));
        return parts.join(' > ');
    };
    const over = [];
    for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.right > limit + 0.5 && !held(el)) over.push({ el, r });
    }
    const describe = ({ el, r }) => ({
        element: selector(el),
        left: Math.round(r.left),
        right: Math.round(r.right),
        width: Math.round(r.width),
        text: (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 80),
    });
    const widest = [...over].sort((a, b) => b.r.width - a.r.width).slice(0, 1);
    const innermost = over
        .filter(({ el }) => !over.some((o) => o.el !== el && el.contains(o.el)))
        .slice(0, 3);
    for (const o of [...widest, ...innermost.filter((o) => !widest.includes(o))]) {
        out.culprits.push(describe(o));
    }
    return out;
"#;

/// The most the header (brand, on-call line, person, menu) may take of an
/// 844-px-high phone screen: under a quarter, to leave the page in sight
/// (with room for fonts that wrap the staff menu on one more row).
/// (Before the phone rules of the stylesheet: client 298, staff 335,
/// marketing 223 px; after: 118, 174 and 90.)
const MAX_HEADER: f64 = 200.0;

/// Opens `path` and measures it; a page wider than the window is added to
/// `failures`.
async fn check(b: &Browser, path: &str, failures: &mut Vec<String>) -> Result<()> {
    b.open(path).await?;
    b.find("footer.site-footer").await?;
    let reached = b.path().await?;
    ensure!(
        reached == path,
        "opening {path} on the phone led to {reached} instead"
    );
    check_here(b, failures).await
}

/// Whether the page scrolls sideways: wider than the window (or than the
/// layout viewport, should the browser have zoomed out to fit it).
fn too_wide(w: &Widths) -> bool {
    w.scroll_width > w.inner_width.min(w.client_width)
}

/// Measures the page the browser is on.
async fn check_here(b: &Browser, failures: &mut Vec<String>) -> Result<()> {
    let w: Widths = b.js(MEASURE).await?;
    if too_wide(&w) {
        let mut report = format!(
            "{}: scrollWidth {} > innerWidth {} (clientWidth {})",
            w.path, w.scroll_width, w.inner_width, w.client_width
        );
        for (i, c) in w.culprits.iter().enumerate() {
            report.push_str(&format!(
                "\n    {} {} (left {}, right {}, width {}) «{}»",
                if i == 0 { "widest:" } else { "inner: " },
                c.element,
                c.left,
                c.right,
                c.width,
                c.text
            ));
        }
        failures.push(report);
    }
    Ok(())
}

pub async fn no_horizontal_scroll(j: Arc<Journey>) -> Result<()> {
    let phone = j.phone("phone", PHONE).await?;
    let mut failures = Vec::new();

    phone.open("/").await?;
    let width: f64 = phone.js("return window.innerWidth").await?;
    ensure!(
        (380.0..=400.0).contains(&width),
        "the phone window is {width} px wide, not about {}",
        PHONE.0
    );

    // The measure sees a page that is too wide from the start.
    phone
        .goto(
            "data:text/html;charset=utf-8,<meta name=viewport content='width=device-width, initial-scale=1'>\
             <main><p>Sonde</p><div id=e2e-sonde style='width:900px;height:1px'></div></main>",
        )
        .await?;
    let probe: Widths = phone.js(MEASURE).await?;
    ensure!(
        too_wide(&probe)
            && probe
                .culprits
                .iter()
                .any(|c| c.element.ends_with("div#e2e-sonde")),
        "the measure does not see a 900-px element on a phone: {probe:?}"
    );
    phone.open("/").await?;

    // The public pages: home, the services pages it links to, the forms.
    check_here(&phone, &mut failures).await?;
    let mut public: Vec<String> = phone
        .js(r#"
            return [...new Set([...document.querySelectorAll('main a[href]')]
                .filter(a => a.origin === location.origin && a.pathname.startsWith('/services'))
                .map(a => a.pathname))];
        "#)
        .await?;
    ensure!(
        !public.is_empty(),
        "the home page links to no services page"
    );
    public.extend(
        [
            "/politique-de-confidentialite",
            "/confidentialite/opposition",
            "/confidentialite/demande",
            "/connexion",
            "/mot-de-passe-oublie",
            "/inscription",
            "/contact",
            "/techniciens",
        ]
        .map(String::from),
    );
    for path in &public {
        check(&phone, path, &mut failures).await?;
    }

    // A visitor writes to WeMaintain and asks for a copy of their data.
    phone_staff::visitor_writes(&j, &phone).await?;

    // A client signs up on the phone; staff validate on a desktop.
    phone.open("/inscription").await?;
    flows::ask_for_an_account(&phone, &CLIENT).await?;
    check_here(&phone, &mut failures).await?;
    flows::confirm_address(&phone, &j.server, &CLIENT).await?;
    check_here(&phone, &mut failures).await?;
    let admin = j.browser("admin").await?;
    flows::log_in(&admin, ADMIN, "/admin").await?;
    flows::validate_sign_up(&admin, CLIENT.email).await?;

    // The client fills the Profile on the phone; staff publish a report.
    flows::log_in(&phone, CLIENT.email, "/profil").await?;
    let building = flows::add_building(&phone, BUILDING).await?;
    flows::add_device(&phone, "Hall d'entrée, du sous-sol au 9e étage").await?;
    let request = flows::file_request(
        &phone,
        BUILDING,
        "Bruit de frottement à la montée entre le 2e et le 5e étage.",
    )
    .await?;
    admin.open("/admin/rapports/nouveau").await?;
    admin.choose_containing("#appareil", BUILDING).await?;
    admin.choose("#prestation", "maintenance").await?;
    admin
        .fill(
            "#travaux",
            "Visite d'entretien : graissage des guides, réglage des portes.",
        )
        .await?;
    admin.choose("#etat", "en_service").await?;
    admin
        .click("form[action='/admin/rapports'] button[type=submit]")
        .await?;
    admin.wait_for_path("/admin/rapports?fait=publie").await?;
    phone.open("/profil/rapports").await?;
    let report: String = phone
        .find("table a[href^='/profil/rapports/']")
        .await?
        .attr("href")
        .await?
        .unwrap_or_default();

    let device_form = format!("{building}/appareils/nouveau");
    let edit_building = format!("{building}/modifier");
    for path in [
        "/profil",
        "/profil/batiments",
        building.as_str(),
        "/profil/batiments/nouveau",
        edit_building.as_str(),
        device_form.as_str(),
        "/profil/demandes",
        "/profil/demandes/nouvelle",
        request.as_str(),
        "/profil/rapports",
        report.as_str(),
        "/profil/propositions",
        "/profil/propositions/nouvelle",
        "/profil/contrat",
        "/profil/donnees",
        "/profil/donnees/modifier",
        "/compte/mot-de-passe",
    ] {
        check(&phone, path, &mut failures).await?;
    }

    phone.open("/profil").await?;
    let client_header = phone_staff::header_height(&phone).await?;

    // Staff, on the phone: every page of the administration.
    flows::log_out(&phone).await?;
    for path in phone_staff::staff_pages(&phone, &request, &report).await? {
        check(&phone, &path, &mut failures).await?;
    }
    phone.open("/admin").await?;
    let staff_header = phone_staff::header_height(&phone).await?;

    // Marketing, on the phone too.
    flows::log_out(&phone).await?;
    flows::log_in(&phone, MARKETING, "/statistiques").await?;
    check_here(&phone, &mut failures).await?;
    check(&phone, "/statistiques?periode=12m", &mut failures).await?;
    let marketing_header = phone_staff::header_height(&phone).await?;
    eprintln!(
        "header at {} px: client {client_header} px, staff {staff_header} px, marketing {marketing_header} px",
        PHONE.0
    );
    for (space, height) in [
        ("client", client_header),
        ("staff", staff_header),
        ("marketing", marketing_header),
    ] {
        if height > MAX_HEADER {
            failures.push(format!(
                "the {space} header is {height} px tall on the phone (at most {MAX_HEADER})"
            ));
        }
    }

    if !failures.is_empty() {
        bail!(
            "{} problem(s) on a {}-px-wide phone (pages scrolling sideways, headers too tall):\n  {}",
            failures.len(),
            PHONE.0,
            failures.join("\n  ")
        );
    }
    Ok(())
}
