//! Charts drawn on the server as SVG: no script, readable without
//! JavaScript, with a title and a description for screen readers, and the
//! figures also given as a table next to them. Presentation attributes
//! only (no `style`), so the site's Content-Security-Policy holds.

use maud::{html, Markup};

/// One bar (and its dot): a label on the x axis, two values; `None` is
/// drawn as a grey stub and read as « moins de N », unless the bar is
/// `future` (a moment still to come): then nothing is drawn, not a zero.
pub struct Bar<'a> {
    pub label: &'a str,
    pub primary: Option<i64>,
    pub secondary: Option<i64>,
    pub future: bool,
}

/// The size a chart is drawn at, in viewBox units: the page scales it to
/// the width of the screen (`width: 100%; height: auto` in the stylesheet).
struct Drawing {
    /// The class that says when the stylesheet shows it.
    class: &'static str,
    /// Suffix of the title's and description's ids (unique on the page).
    ids: &'static str,
    width: f64,
    height: f64,
    left: f64,
    font: f64,
    /// At most this many labels on the x axis.
    labels: usize,
}

/// For wide screens (shown from 40rem): 720 units over 600 to 1 040 px.
const WIDE: Drawing = Drawing {
    class: "chart-wide",
    ids: "",
    width: 720.0,
    height: 260.0,
    left: 56.0,
    font: 13.0,
    labels: 12,
};

/// For phones: 340 units over the 350 px a 390-px phone gives the chart,
/// so that 12.5-unit labels read at about 12.9 px; fewer labels.
const NARROW: Drawing = Drawing {
    class: "chart-narrow",
    ids: "-etroit",
    width: 340.0,
    height: 240.0,
    left: 44.0,
    font: 12.5,
    labels: 5,
};

const RIGHT: f64 = 12.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 44.0;

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

/// What both drawings of a chart show.
struct Chart<'a> {
    title: &'a str,
    description: &'a str,
    primary_name: &'a str,
    secondary_name: &'a str,
    bars: &'a [Bar<'a>],
    /// The top of the y axis.
    top: f64,
}

/// Bars for `primary` (page views) and dots joined by a line for
/// `secondary` (visitors; an empty name: no line), on one y axis; drawn twice, for wide screens
/// and for phones, the stylesheet showing one (the other is
/// `display: none`, hidden from screen readers too).
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
    let chart = Chart {
        title,
        description,
        primary_name,
        secondary_name,
        bars,
        top: nice_ceiling(max) as f64,
    };
    html! {
        figure.chart {
            (draw(&chart, &WIDE))
            (draw(&chart, &NARROW))
        }
    }
}

fn draw(c: &Chart, d: &Drawing) -> Markup {
    let plot_width = d.width - d.left - RIGHT;
    let plot_height = d.height - TOP - BOTTOM;
    let base = TOP + plot_height;
    let slot = plot_width / c.bars.len().max(1) as f64;
    let y = |value: i64| base - (value as f64 / c.top) * plot_height;
    let centre = |i: usize| d.left + slot * (i as f64 + 0.5);
    let every = c.bars.len().div_ceil(d.labels).max(1);
    let line: Vec<String> = c
        .bars
        .iter()
        .enumerate()
        .filter_map(|(i, b)| b.secondary.map(|v| format!("{:.1},{:.1}", centre(i), y(v))))
        .collect();
    let (title_id, desc_id) = (
        format!("graphique-titre{}", d.ids),
        format!("graphique-desc{}", d.ids),
    );
    let font = d.font;
    html! {
        svg class=(d.class) viewBox={ "0 0 " (d.width) " " (d.height) } role="img" aria-labelledby={ (title_id) " " (desc_id) }
            xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet" {
            title id=(title_id) { (c.title) }
            desc id=(desc_id) { (c.description) }
            @for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
                @let value = (c.top * tick).round() as i64;
                @let ty = y(value);
                line x1=(d.left) x2=(d.width - RIGHT) y1=(ty) y2=(ty) stroke="#d5dde3" stroke-width="1" {}
                text x=(d.left - 6.0) y=(ty + font / 3.0) text-anchor="end" font-size=(font) fill="#4a5a68" { (value) }
            }
            @for (i, bar) in c.bars.iter().enumerate() {
                @let x = d.left + slot * i as f64 + slot * 0.15;
                @let w = (slot * 0.7).max(1.0);
                @match bar.primary {
                    _ if bar.future => { rect x=(format!("{x:.1}")) y=(format!("{:.1}", base - 1.0)) width=(format!("{w:.1}")) height="1" fill="none" { title { (bar.label) " : à venir" } } }
                    Some(v) => { rect x=(format!("{x:.1}")) y=(format!("{:.1}", y(v))) width=(format!("{w:.1}")) height=(format!("{:.1}", (base - y(v)).max(0.0))) fill="#0b3d5c" { title { (bar.label) " : " (v) " " (c.primary_name) } } }
                    None => { rect x=(format!("{x:.1}")) y=(format!("{:.1}", base - 3.0)) width=(format!("{w:.1}")) height="3" fill="#b8c4cc" { title { (bar.label) " : trop peu de visites pour être affichées" } } }
                }
                @if i % every == 0 {
                    text x=(format!("{:.1}", centre(i))) y=(base + font + 4.0) text-anchor="middle" font-size=(font) fill="#4a5a68" { (bar.label) }
                }
            }
            @if line.len() > 1 {
                polyline points=(line.join(" ")) fill="none" stroke="#e07a1f" stroke-width="2" {}
            }
            line x1=(d.left) x2=(d.width - RIGHT) y1=(base) y2=(base) stroke="#4a5a68" stroke-width="1" {}
            (legend(c, d))
        }
    }
}

/// The legend, under the x axis: a bar and a line, each with its name.
fn legend(c: &Chart, d: &Drawing) -> Markup {
    let (font, baseline) = (d.font, d.height - 5.0);
    let second = d.left + 10.0 * font;
    html! {
        rect x=(d.left) y=(baseline - font + 2.0) width="12" height=(font - 2.0) fill="#0b3d5c" {}
        text x=(d.left + 16.0) y=(baseline) font-size=(font) fill="#1d2b36" { (c.primary_name) }
        @if !c.secondary_name.is_empty() {
            line x1=(second) x2=(second + 14.0) y1=(baseline - font / 3.0) y2=(baseline - font / 3.0) stroke="#e07a1f" stroke-width="2" {}
            text x=(second + 18.0) y=(baseline) font-size=(font) fill="#1d2b36" { (c.secondary_name) }
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
                future: false,
            },
            Bar {
                label: "02/03",
                primary: None,
                secondary: None,
                future: false,
            },
            Bar {
                label: "03/03",
                primary: None,
                secondary: None,
                future: true,
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
        assert!(
            svg.contains("03/03 : à venir"),
            "a moment to come is no zero"
        );
        assert!(!svg.contains("style="));
        assert_eq!(
            svg.matches("<svg").count(),
            2,
            "a wide and a narrow drawing"
        );
        assert!(svg.contains("<title id=\"graphique-titre-etroit\">Pages vues</title>"));
    }
}
