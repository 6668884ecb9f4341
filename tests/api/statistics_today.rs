//! Issue 19, section 7: today's figures are counted as the day goes (each
//! look reads only the rows written since the one before), and stay exact
//! when rows arrive after it, late, or still settling. Every figure is
//! counted here by hand from the rows inserted.

use chrono::{DateTime, Duration, TimeZone, Utc};
use chrono_tz::Europe::Paris;

use crate::helpers::{spawn_app, Backend, Browser, TestApp};
use crate::on_both_backends;
use crate::statistics_tables::{csv, insert, marketing, view};

on_both_backends!(today_is_counted_as_the_day_goes);

fn paris(hour: u32, minute: u32, second: u32) -> DateTime<Utc> {
    Paris
        .with_ymd_and_hms(2026, 3, 18, hour, minute, second)
        .unwrap()
        .with_timezone(&Utc)
}

/// Today's page views, visitors and visits, from the headline CSV. Every
/// view is Firefox on Windows: filtered on either or both, today is
/// counted as it goes for each filter too, and gives the same figures.
async fn today(app: &TestApp, browser: &Browser, at: DateTime<Utc>) -> [String; 3] {
    app.clock.set(at);
    let unfiltered = figures(browser, "").await;
    for filters in ["&navigateur=Firefox", "&navigateur=Firefox&systeme=Windows"] {
        assert_eq!(figures(browser, filters).await, unfiltered, "{filters}");
    }
    let none = figures(browser, "&navigateur=Chrome").await;
    assert_eq!(none, ["0", "0", "0"].map(str::to_owned));
    unfiltered
}

async fn figures(browser: &Browser, filters: &str) -> [String; 3] {
    let path = format!("/statistiques/export?tableau=chiffres&periode=aujourdhui{filters}");
    let records = csv(browser, &path).await;
    let figure = |name: &str| {
        records
            .iter()
            .find(|r| r[0] == name)
            .unwrap_or_else(|| panic!("no {name} in {records:?}"))[1]
            .clone()
    };
    [figure("Pages vues"), figure("Visiteurs"), figure("Visites")]
}

async fn today_is_counted_as_the_day_goes(backend: Backend) {
    let app = spawn_app(backend).await;
    app.settled().await;
    // Logged in at 14:00: the session lasts through the test's ten minutes.
    app.clock.set(paris(14, 0, 0));
    let browser = marketing(&app).await;
    let expect = |figures: [&str; 3]| figures.map(str::to_owned);

    // 09:00, visitors 0 to 5, one page each: 6 views, 6 visitors, 6 visits.
    let nine: Vec<_> = (0..6).map(|who| view(paris(9, 0, 0), who, "/")).collect();
    insert(&app, &nine).await;
    assert_eq!(
        today(&app, &browser, paris(14, 0, 0)).await,
        expect(["6", "6", "6"])
    );

    // 13:00, the same six again, four hours later: six more visits.
    let one: Vec<_> = (0..6)
        .map(|who| view(paris(13, 0, 0), who, "/services"))
        .collect();
    insert(&app, &one).await;
    assert_eq!(
        today(&app, &browser, paris(14, 0, 0)).await,
        expect(["12", "6", "12"])
    );

    // A row written late, dated 10:00, before what was counted: the day is
    // counted again and the figures stay exact (visitor 6 is new).
    insert(&app, &[view(paris(10, 0, 0), 6, "/contact")]).await;
    assert_eq!(
        today(&app, &browser, paris(14, 0, 0)).await,
        expect(["13", "7", "13"])
    );

    // 13:59:45, 15 seconds before now, not settled yet: counted all the same
    // (visitor 7, new).
    insert(&app, &[view(paris(13, 59, 45), 7, "/")]).await;
    assert_eq!(
        today(&app, &browser, paris(14, 0, 0)).await,
        expect(["14", "8", "14"])
    );

    // Ten minutes later it has settled into the count: nothing changes.
    assert_eq!(
        today(&app, &browser, paris(14, 10, 0)).await,
        expect(["14", "8", "14"])
    );

    // 14:05, visitor 7 again, six minutes after their first view: the same
    // visit, across the settled instant (one more view, no more visit).
    insert(&app, &[view(paris(14, 5, 0), 7, "/contact")]).await;
    assert_eq!(
        today(&app, &browser, paris(14, 10, 0)).await,
        expect(["15", "8", "14"])
    );

    // Asked at an earlier time than already counted (a clock put back):
    // counted again up to then, the 14:05 view not yet.
    assert_eq!(
        today(&app, &browser, paris(14, 0, 0) + Duration::seconds(1)).await,
        expect(["14", "8", "14"])
    );
    app.stop().await;
}
