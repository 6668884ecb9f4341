//! Charts drawn on the server as SVG: no script, readable without
//! JavaScript, with a title and a description for screen readers, and the
//! figures also given as a table next to them. Presentation attributes
//! only (no `style`), so the site's Content-Security-Policy holds.

use maud::{html, Markup};

/// One bar (and its dot): a label on the x axis, two values; `None` is
/// drawn as a grey stub and read as « moins de N ».
pub struct Bar<'a> {
    pub label: &'a str,
    pub primary: Option<i64>,
    pub secondary: Option<i64>,
}

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 40.0;

/// A round number at or above `max`, for the y axis.
fn nice_ceiling(max: i64) -> i64 {
    if max <= 5 {
        return 5;
    }
    let magnitude = 10_i64.pow((max as f64).log10().floor() as u32);
    for step in [1, 2, 5, 10] {
        if step * magnitude >= max {
            return step * magnitude;
        }
    }
    10 * magnitude
}

/// Bars for `primary` (page views) and dots joined by a line for
/// `secondary` (visitors), on one y axis.
pub fn bar_chart(
    title: &str,
    description: &str,
    primary_name: &str,
    secondary_name: &str,
    bars: &[Bar],
) -> Markup {
    let max = bars
        .iter()
        .flat_map(|b| [b.primary, b.secondary])
        .flatten()
        .max()
        .unwrap_or(0);
    let top = nice_ceiling(max) as f64;
    let plot_width = WIDTH - LEFT - RIGHT;
    let plot_height = HEIGHT - TOP - BOTTOM;
    let slot = plot_width / bars.len().max(1) as f64;
    let y = |value: i64| TOP + plot_height - (value as f64 / top) * plot_height;
    // At most about 12 labels on the x axis, whatever the period.
    let every = bars.len().div_ceil(12).max(1);
    let line: Vec<String> = bars
        .iter()
        .enumerate()
        .filter_map(|(i, b)| {
            b.secondary
                .map(|v| format!("{:.1},{:.1}", LEFT + slot * (i as f64 + 0.5), y(v)))
        })
        .collect();
    let ticks = [0.0, 0.25, 0.5, 0.75, 1.0];
    html! {
        // It scrolls sideways on a narrow screen: focusable for the keyboard.
        figure.chart tabindex="0" role="region" aria-label=(title) {
            svg viewBox={ "0 0 " (WIDTH) " " (HEIGHT) } role="img" aria-labelledby="graphique-titre graphique-desc"
                xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet" {
                title #graphique-titre { (title) }
                desc #graphique-desc { (description) }
                @for tick in ticks {
                    @let value = (top * tick).round() as i64;
                    @let ty = y(value);
                    line x1=(LEFT) x2=(WIDTH - RIGHT) y1=(ty) y2=(ty) stroke="#d5dde3" stroke-width="1" {}
                    text x=(LEFT - 6.0) y=(ty + 4.0) text-anchor="end" font-size="11" fill="#4a5a68" { (value) }
                }
                @for (i, bar) in bars.iter().enumerate() {
                    @let x = LEFT + slot * i as f64 + slot * 0.15;
                    @let w = (slot * 0.7).max(1.0);
                    @match bar.primary {
                        Some(v) => { rect x=(format!("{x:.1}")) y=(format!("{:.1}", y(v))) width=(format!("{w:.1}")) height=(format!("{:.1}", (TOP + plot_height - y(v)).max(0.0))) fill="#0b3d5c" { title { (bar.label) " : " (v) " " (primary_name) } } }
                        None => { rect x=(format!("{x:.1}")) y=(format!("{:.1}", TOP + plot_height - 3.0)) width=(format!("{w:.1}")) height="3" fill="#b8c4cc" { title { (bar.label) " : trop peu de visites pour être affichées" } } }
                    }
                    @if i % every == 0 {
                        text x=(format!("{:.1}", LEFT + slot * (i as f64 + 0.5))) y=(HEIGHT - BOTTOM + 16.0) text-anchor="middle" font-size="11" fill="#4a5a68" { (bar.label) }
                    }
                }
                @if line.len() > 1 {
                    polyline points=(line.join(" ")) fill="none" stroke="#e07a1f" stroke-width="2" {}
                }
                line x1=(LEFT) x2=(WIDTH - RIGHT) y1=(TOP + plot_height) y2=(TOP + plot_height) stroke="#4a5a68" stroke-width="1" {}
                // The legend.
                rect x=(LEFT) y=(HEIGHT - 14.0) width="12" height="10" fill="#0b3d5c" {}
                text x=(LEFT + 16.0) y=(HEIGHT - 5.0) font-size="11" fill="#1d2b36" { (primary_name) }
                line x1=(LEFT + 120.0) x2=(LEFT + 134.0) y1=(HEIGHT - 9.0) y2=(HEIGHT - 9.0) stroke="#e07a1f" stroke-width="2" {}
                text x=(LEFT + 138.0) y=(HEIGHT - 5.0) font-size="11" fill="#1d2b36" { (secondary_name) }
            }
        }
    }
}

/// A horizontal bar for a share (0 to 1), inside a table cell.
pub fn share_bar(share: f64) -> Markup {
    let width = (share.clamp(0.0, 1.0) * 100.0).round();
    html! {
        svg.share-bar viewBox="0 0 100 8" width="100" height="8" aria-hidden="true" xmlns="http://www.w3.org/2000/svg" {
            rect width="100" height="8" fill="#e7f0f6" {}
            rect width=(width) height="8" fill="#0b3d5c" {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_y_axis_ends_on_a_round_number() {
        assert_eq!(nice_ceiling(0), 5);
        assert_eq!(nice_ceiling(7), 10);
        assert_eq!(nice_ceiling(130), 200);
        assert_eq!(nice_ceiling(4_999), 5_000);
        assert_eq!(nice_ceiling(5_001), 10_000);
    }

    #[test]
    fn a_chart_has_a_title_a_description_and_its_bars() {
        let bars = [
            Bar {
                label: "01/03",
                primary: Some(10),
                secondary: Some(4),
            },
            Bar {
                label: "02/03",
                primary: None,
                secondary: None,
            },
        ];
        let svg = bar_chart(
            "Pages vues",
            "Du 01/03 au 02/03",
            "pages vues",
            "visiteurs",
            &bars,
        )
        .into_string();
        assert!(
            svg.contains("<title id=\"graphique-titre\">Pages vues</title>"),
            "{svg}"
        );
        assert!(svg.contains("01/03 : 10 pages vues"));
        assert!(svg.contains("trop peu de visites"));
        assert!(!svg.contains("style="));
    }
}
