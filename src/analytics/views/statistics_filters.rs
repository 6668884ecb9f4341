//! The filters on `/statistiques`: the labels of the active ones, each
//! removable, and the rows of the tables as links that add one.

use maud::{html, Markup};

use crate::analytics::dimension::Dimension;
use crate::analytics::filters::{FilterKey, Filters};
use crate::analytics::reports::{OTHERS, OTHER_VERSIONS};
use crate::analytics::views::figures::device_name;

/// A filter's value as people read it (device types are stored as keys).
pub fn shown_value(key: FilterKey, value: &str) -> String {
    match key {
        FilterKey::Device => device_name(value).to_owned(),
        _ => value.to_owned(),
    }
}

/// The page's URL for a period (its query, without `?`) and filters.
pub fn dashboard_url(period_query: &str, filters: &Filters) -> String {
    format!("/statistiques?{period_query}{}", filters.query())
}

/// The active filters as labels, each with a link that removes it, and one
/// that removes them all. Nothing when there is none.
pub fn filter_bar(
    period_query: &str,
    filters: &Filters,
    shown: impl Fn(FilterKey, &str) -> String,
) -> Markup {
    if filters.is_empty() {
        return html! {};
    }
    html! {
        section.active-filters aria-labelledby="filtres-titre" {
            h2 #filtres-titre { "Filtres appliqués" }
            p.data-note { "Seules les visites qui correspondent à tous ces filtres sont comptées, dans toute la page et dans les fichiers CSV." }
            ul.filter-labels {
                @for (key, value) in filters.iter() {
                    @let text = format!("{} : {}", key.label(), shown(key, value));
                    li {
                        span.filter-label { (text) }
                        " "
                        a.filter-remove href=(dashboard_url(period_query, &filters.without(key)))
                          aria-label={ "Retirer le filtre " (text) } { "✕" }
                    }
                }
            }
            p { a href=(dashboard_url(period_query, &Filters::default())) { "Retirer tous les filtres" } }
        }
    }
}

/// What the tables of a view need to make their rows filter links.
pub struct FilterLinks<'a> {
    /// The period's parameters (without `?`).
    pub period_query: String,
    /// « du 01/03/2026 au 30/03/2026 », for the tables' captions.
    pub period_in_french: String,
    pub filters: &'a Filters,
}

impl FilterLinks<'_> {
    /// A row of the table of `dimension` as a link adding its value.
    pub fn cell(&self, dimension: Dimension, value: &str, label: &str) -> Markup {
        match FilterKey::of_dimension(dimension) {
            Some(key) => filter_link(&self.period_query, self.filters, key, value, label),
            None => html! { (label) },
        }
    }

    /// The period's and the filters' parameters, for the links that keep
    /// both (CSV, full tables).
    pub fn view_query(&self) -> String {
        format!("{}{}", self.period_query, self.filters.query())
    }
}

/// A table's value as a link that adds it as a filter; « Autres » (many
/// values merged) and the value already filtered on stay text.
pub fn filter_link(
    period_query: &str,
    filters: &Filters,
    key: FilterKey,
    value: &str,
    label: &str,
) -> Markup {
    if value == OTHERS || value == OTHER_VERSIONS || filters.get(key) == Some(value) {
        return html! { (label) };
    }
    html! {
        a.filter-add href=(dashboard_url(period_query, &filters.with(key, value)))
          title={ "Filtrer sur " (label) } { (label) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_link_to_the_view_with_one_more_filter() {
        let filters = Filters::default().with(FilterKey::Device, "smartphone");
        let link = filter_link(
            "periode=7j",
            &filters,
            FilterKey::Browser,
            "Firefox",
            "Firefox",
        );
        assert!(link.0.contains(
            "href=\"/statistiques?periode=7j&amp;navigateur=Firefox&amp;appareil=smartphone\""
        ));
        let same = filter_link(
            "periode=7j",
            &filters,
            FilterKey::Device,
            "smartphone",
            "Smartphone",
        );
        assert_eq!(same.0, "Smartphone");
        let others = filter_link("periode=7j", &filters, FilterKey::Browser, OTHERS, OTHERS);
        assert_eq!(others.0, OTHERS);
    }

    #[test]
    fn each_label_removes_its_own_filter() {
        let filters = Filters::default()
            .with(FilterKey::Device, "smartphone")
            .with(FilterKey::Browser, "Firefox");
        let bar = filter_bar("periode=30j", &filters, |_, v| v.to_owned()).0;
        assert!(bar.contains("Navigateur : Firefox"));
        assert!(bar.contains("href=\"/statistiques?periode=30j&amp;appareil=smartphone\""));
        assert!(bar.contains("href=\"/statistiques?periode=30j&amp;navigateur=Firefox\""));
        assert!(bar.contains("href=\"/statistiques?periode=30j\""));
        assert!(
            filter_bar("periode=30j", &Filters::default(), |_, v| v.to_owned())
                .0
                .is_empty()
        );
    }
}
