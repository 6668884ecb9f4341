//! Marketing logs in and reads a month of (synthetic) audience on
//! `/statistiques`: the chart and the tables are there, with figures.

use std::sync::Arc;

use anyhow::{ensure, Context, Result};
use serde::Deserialize;

use crate::common::text::plain;
use crate::flows::{self, MARKETING};
use crate::harness::Journey;

/// A breakdown table as the page shows it.
#[derive(Debug, Deserialize)]
struct Breakdown {
    title: String,
    rows: Vec<Vec<String>>,
}

/// « 1 234 » (French spaces) as a number; 0 when there is no digit.
fn number(text: &str) -> u64 {
    text.chars()
        .take_while(|c| !matches!(c, ',' | '%'))
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or(0)
}

pub async fn statistics(j: Arc<Journey>) -> Result<()> {
    let b = j.browser("marketing").await?;
    flows::log_in(&b, MARKETING, "/statistiques").await?;
    b.wait_for_text("h1", "Statistiques de fréquentation")
        .await?;
    b.follow("30 derniers jours").await?;
    b.wait_for_path("/statistiques?periode=30j").await?;
    b.wait_for_text("p.lead", "30 derniers jours").await?;

    // The headline figures.
    let views = b.text("ul.figures li.card p.figure").await?;
    ensure!(number(&views) > 0, "the page views figure is {views:?}");

    // The chart: an SVG with its title and bars.
    b.find("svg[role=img]").await?;
    let (title, bars): (String, u32) = b
        .js(r#"
            const svg = document.querySelector('svg[role=img]');
            const title = svg.querySelector(':scope > title');
            return [title ? title.textContent : '', svg.querySelectorAll('rect > title').length];
        "#)
        .await?;
    ensure!(
        title.contains("Pages vues par jour"),
        "the chart's title is {title:?}"
    );
    ensure!(bars >= 28, "the chart of 30 days has {bars} bars");

    // The tables, each with rows and page views.
    let tables: Vec<Breakdown> = b
        .js(r#"
            return [...document.querySelectorAll('section.breakdown')].map(s => ({
                title: s.querySelector('h2').textContent.trim(),
                rows: [...s.querySelectorAll('tbody tr')].map(tr =>
                    [...tr.cells].map(td => td.textContent.trim())),
            }));
        "#)
        .await?;
    for expected in [
        "Pages les plus vues",
        "Navigateurs",
        "Systèmes d'exploitation",
        "Types d'appareils",
    ] {
        let table = tables
            .iter()
            .find(|t| plain(&t.title) == expected)
            .with_context(|| {
                let titles: Vec<&str> = tables.iter().map(|t| t.title.as_str()).collect();
                format!("no table {expected:?} on the page (tables: {titles:?})")
            })?;
        ensure!(!table.rows.is_empty(), "the table {expected:?} is empty");
        let total: u64 = table
            .rows
            .iter()
            .map(|row| row.get(1).map(|cell| number(cell)).unwrap_or(0))
            .sum();
        ensure!(
            total > 0,
            "the table {expected:?} shows no page views: {:?}",
            table.rows
        );
        let visitors: u64 = table
            .rows
            .iter()
            .map(|row| row.get(3).map(|cell| number(cell)).unwrap_or(0))
            .sum();
        ensure!(
            visitors > 0,
            "the table {expected:?} shows no visitors: {:?}",
            table.rows
        );
    }
    // The home page is among the pages seen.
    let pages = tables.iter().find(|t| t.title == "Pages les plus vues");
    ensure!(
        pages.is_some_and(|t| t.rows.iter().any(|row| row[0] == "/")),
        "the home page is not among the pages most seen"
    );
    Ok(())
}

#[test]
fn french_figures_are_read() {
    assert_eq!(number("1\u{202f}234"), 1234);
    assert_eq!(number("12 345"), 12345);
    assert_eq!(number("3,5 %"), 3);
    assert_eq!(number("moins de 5"), 5);
    assert_eq!(number("—"), 0);
}
