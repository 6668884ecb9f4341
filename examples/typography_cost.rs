//! What French typography (`views::typography::page`, run by the layout on
//! every page) costs the two biggest pages: `/politique-de-confidentialite`
//! and `/statistiques` for 30 days over synthetic traffic.
//!
//! Each page is rendered N times through its real view (which includes the
//! typography pass), then the pass alone is run N times on the rendered
//! HTML; the figure is the pass's share of the render (which includes
//! it). Each time is the best of 10 batches. Views only: no HTTP,
//! no database time in the figure (the statistics are read once).
//!
//!     cargo run --example typography_cost [N]
//!
//! Output, one line per page:
//!
//!     /politique-de-confidentialite: 61 KiB, render 1.20 ms, typography 0.30 ms (25 % of the render)

use std::time::{Duration, Instant};

use chrono::Utc;
use wemaintain::analytics::period::PeriodAsked;
use wemaintain::analytics::reports::{self, Granularity, Metric, Period};
use wemaintain::analytics::rollup::paris_day;
use wemaintain::analytics::views::statistics::{statistics_page, StatisticsPage};
use wemaintain::analytics::views::statistics_period::Choice;
use wemaintain::auth::{Role, Viewer};
use wemaintain::config::Settings;
use wemaintain::privacy::views::{privacy_policy, SessionLifetimes};
use wemaintain::privacy::Register;
use wemaintain::views::typography;

/// The time of one call: the best of 10 batches of `n / 10` calls (the
/// machine is shared; the best batch is the least disturbed).
fn per_call(n: u32, mut f: impl FnMut() -> usize) -> (Duration, usize) {
    let batch = (n / 10).max(1);
    let mut best = Duration::MAX;
    let mut size = 0;
    for _ in 0..10 {
        let start = Instant::now();
        for _ in 0..batch {
            size = f();
        }
        best = best.min(start.elapsed() / batch);
    }
    (best, size)
}

fn report_line(path: &str, n: u32, render: impl Fn() -> String) {
    let html = render();
    let (rendered, size) = per_call(n, || render().len());
    let (pass, _) = per_call(n, || typography::page(&html).len());
    let (rendered_again, _) = per_call(n, || render().len());
    let rendered = rendered.min(rendered_again);
    println!(
        "{path}: {} KiB, render {:.2} ms, typography {:.2} ms ({:.0} % of the render)",
        size / 1024,
        rendered.as_secs_f64() * 1e3,
        pass.as_secs_f64() * 1e3,
        100.0 * pass.as_secs_f64() / rendered.as_secs_f64()
    );
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200);
    let register = Register::default();
    let sessions = SessionLifetimes {
        idle: Duration::from_secs(2 * 3600),
        absolute: Duration::from_secs(12 * 3600),
    };
    report_line("/politique-de-confidentialite", n, || {
        privacy_policy(&register, &sessions).into_string()
    });

    let dir = tempfile::tempdir()?;
    let settings = Settings::defaults(dir.path().join("data"));
    std::fs::create_dir_all(dir.path().join("data"))?;
    let db = wemaintain::startup::migrate(&settings).await?;
    let now = Utc::now();
    wemaintain::demo::seed_demo(&db, &register, 50_000, 40, now, 7).await?;
    let today = paris_day(now);
    let period = Period::parse(PeriodAsked::default(), today, today)?;
    let granularity = Granularity::automatic(&period);
    let goals = std::sync::Arc::new(wemaintain::analytics::goals::Goals::default());
    let audience = reports::Audience {
        db: &db,
        register: &register,
        goals: &goals,
        min_group: 5,
        days: &wemaintain::analytics::today::RunningDays::default(),
    };
    let filters = wemaintain::analytics::filters::Filters::default();
    let report = reports::report(&audience, &period, granularity, &filters, now).await?;
    let viewer = Viewer {
        id: 1,
        email: "marketing@wemaintain.com".into(),
        first_name: "Camille".into(),
        last_name: "Martin".into(),
        role: Role::Marketing,
        company_id: None,
    };
    let page = StatisticsPage {
        report: &report,
        visitors_now: 3,
        live_pages: &[],
        min_group: 5,
        period_error: None,
        mail_reports: maud::html! {},
        choice: Choice {
            granularity: None,
            metric: Metric::Pages,
            today,
            filters: filters.clone(),
        },
    };
    report_line("/statistiques", n, || {
        statistics_page(&viewer, &page).into_string()
    });
    Ok(())
}
