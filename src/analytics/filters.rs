//! The filters of `/statistiques`: clicking a row of any table keeps only
//! the visits that match it. Filters combine (all must match), live in the
//! URL (one parameter per kind, so that a filtered view can be bookmarked
//! and sent to a colleague) and apply to the CSV downloads.
//!
//! A filter selects whole visits: « Navigateur : Firefox » keeps the visits
//! made with Firefox, « Page d'entrée : / » the visits that began on the
//! home page, « Page : /contact » the visits that viewed the contact page
//! (with all their page views, not only those of the contact page: the
//! pages table then shows where these visits went), « Objectif » the
//! visits that reached it.

use std::collections::BTreeMap;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};

use super::dimension::Dimension;

/// What a filter can be on: every table of the dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FilterKey {
    Page,
    Entry,
    Exit,
    Campaign,
    Goal,
    Browser,
    BrowserVersion,
    Os,
    OsVersion,
    Device,
    Manufacturer,
}

impl FilterKey {
    pub const ALL: [FilterKey; 11] = [
        FilterKey::Page,
        FilterKey::Entry,
        FilterKey::Exit,
        FilterKey::Campaign,
        FilterKey::Goal,
        FilterKey::Browser,
        FilterKey::BrowserVersion,
        FilterKey::Os,
        FilterKey::OsVersion,
        FilterKey::Device,
        FilterKey::Manufacturer,
    ];

    /// Its parameter in the URL.
    pub fn param(self) -> &'static str {
        match self {
            FilterKey::Page => "chemin",
            FilterKey::Entry => "entree",
            FilterKey::Exit => "sortie",
            FilterKey::Campaign => "campagne",
            FilterKey::Goal => "objectif",
            FilterKey::Browser => "navigateur",
            FilterKey::BrowserVersion => "version_navigateur",
            FilterKey::Os => "systeme",
            FilterKey::OsVersion => "version_systeme",
            FilterKey::Device => "appareil",
            FilterKey::Manufacturer => "fabricant",
        }
    }

    /// Its name on the filter's label.
    pub fn label(self) -> &'static str {
        match self {
            FilterKey::Page => "Page",
            FilterKey::Entry => "Page d'entrée",
            FilterKey::Exit => "Page de sortie",
            FilterKey::Campaign => "Campagne",
            FilterKey::Goal => "Objectif",
            FilterKey::Browser => "Navigateur",
            FilterKey::BrowserVersion => "Version du navigateur",
            FilterKey::Os => "Système",
            FilterKey::OsVersion => "Version du système",
            FilterKey::Device => "Appareil",
            FilterKey::Manufacturer => "Fabricant",
        }
    }

    /// The filter a row of a table adds when clicked.
    pub fn of_dimension(dimension: Dimension) -> Option<FilterKey> {
        Some(match dimension {
            Dimension::Page => FilterKey::Page,
            Dimension::Entry => FilterKey::Entry,
            Dimension::Exit => FilterKey::Exit,
            Dimension::Campaign => FilterKey::Campaign,
            Dimension::Goal => FilterKey::Goal,
            Dimension::Browser => FilterKey::Browser,
            Dimension::BrowserVersion => FilterKey::BrowserVersion,
            Dimension::Os => FilterKey::Os,
            Dimension::OsVersion => FilterKey::OsVersion,
            Dimension::Device => FilterKey::Device,
            Dimension::Manufacturer => FilterKey::Manufacturer,
            _ => return None,
        })
    }

    fn of_param(param: &str) -> Option<FilterKey> {
        FilterKey::ALL.into_iter().find(|key| key.param() == param)
    }
}

/// The longest value a filter keeps: logged URLs are shorter than this.
const MAX_VALUE_LEN: usize = 1024;

/// The filters of a view, at most one value per kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters(BTreeMap<FilterKey, String>);

impl Filters {
    /// The filters a query string asks for. Unknown parameters are not
    /// filters (the period's, the table's); an empty or overlong value is
    /// ignored, a repeated kind keeps its last value.
    pub fn from_query(query: &str) -> Filters {
        let mut filters = BTreeMap::new();
        for (param, value) in form_urlencoded::parse(query.as_bytes()) {
            let Some(key) = FilterKey::of_param(&param) else {
                continue;
            };
            let value = value.trim();
            if value.is_empty() || value.len() > MAX_VALUE_LEN {
                continue;
            }
            filters.insert(key, value.to_owned());
        }
        Filters(filters)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, key: FilterKey) -> Option<&str> {
        self.0.get(&key).map(String::as_str)
    }

    pub fn iter(&self) -> impl Iterator<Item = (FilterKey, &str)> {
        self.0.iter().map(|(key, value)| (*key, value.as_str()))
    }

    /// These filters and one more (replacing one of the same kind).
    pub fn with(&self, key: FilterKey, value: &str) -> Filters {
        let mut filters = self.0.clone();
        filters.insert(key, value.to_owned());
        Filters(filters)
    }

    /// These filters but one.
    pub fn without(&self, key: FilterKey) -> Filters {
        let mut filters = self.0.clone();
        filters.remove(&key);
        Filters(filters)
    }

    /// The filters as query parameters, each preceded by `&` (empty when
    /// there is none), to append to a link's period.
    pub fn query(&self) -> String {
        let mut out = String::new();
        for (key, value) in &self.0 {
            out.push('&');
            out.push_str(key.param());
            out.push('=');
            out.extend(form_urlencoded::byte_serialize(value.as_bytes()));
        }
        out
    }
}

/// The filters of a request, read from its query string: never an error,
/// since a filter nobody can match simply shows an empty view.
impl FromRequest for Filters {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(Filters::from_query(request.query_string())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_round_trip_through_the_url() {
        let filters =
            Filters::from_query("periode=7j&navigateur=Firefox&chemin=%2Fcontact%3Fa%3D1&page=2");
        assert_eq!(filters.get(FilterKey::Browser), Some("Firefox"));
        assert_eq!(filters.get(FilterKey::Page), Some("/contact?a=1"));
        assert_eq!(filters.iter().count(), 2);
        assert_eq!(Filters::from_query(&filters.query()[1..]), filters);
        assert_eq!(
            filters.query(),
            "&chemin=%2Fcontact%3Fa%3D1&navigateur=Firefox"
        );
    }

    #[test]
    fn filters_are_added_replaced_and_removed() {
        let filters = Filters::default()
            .with(FilterKey::Device, "smartphone")
            .with(FilterKey::Device, "tablet")
            .with(FilterKey::Os, "Android");
        assert_eq!(filters.get(FilterKey::Device), Some("tablet"));
        let fewer = filters.without(FilterKey::Device);
        assert_eq!(fewer.query(), "&systeme=Android");
        assert!(fewer.without(FilterKey::Os).is_empty());
    }

    #[test]
    fn empty_and_overlong_values_are_not_filters() {
        let long = "a".repeat(MAX_VALUE_LEN + 1);
        let filters = Filters::from_query(&format!("chemin=&navigateur=%20&fabricant={long}"));
        assert!(filters.is_empty());
    }
}
