//! The URL as the visitor log keeps it: the path, plus only the query
//! parameters of the allow-list. Query strings carry personal data (e-mail
//! addresses in links, tokens, search terms), so everything else is dropped
//! before the event is even queued.

/// Longest URL kept; longer ones are cut (on a character boundary).
pub const MAX_LOGGED_URL_LEN: usize = 512;

#[derive(Debug, Clone, Default)]
pub struct QueryAllowlist(Vec<String>);

impl QueryAllowlist {
    pub fn new(names: Vec<String>) -> Self {
        Self(names)
    }

    fn allows(&self, name: &str) -> bool {
        self.0.iter().any(|allowed| allowed == name)
    }

    /// `path` and `query` as received → the URL to store.
    pub fn logged_url(&self, path: &str, query: &str) -> String {
        let mut url = String::with_capacity(path.len().min(MAX_LOGGED_URL_LEN) + 16);
        url.push_str(path);
        let mut first = true;
        for pair in query.split('&') {
            let name = pair.split_once('=').map_or(pair, |(name, _)| name);
            if name.is_empty() || !self.allows(name) {
                continue;
            }
            url.push(if first { '?' } else { '&' });
            url.push_str(pair);
            first = false;
        }
        truncate(url, MAX_LOGGED_URL_LEN)
    }
}

fn truncate(mut text: String, max: usize) -> String {
    if text.len() > max {
        let mut end = max;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    text
}

/// "source / medium / campaign" from a logged URL's `utm_*` parameters.
pub fn campaign_of(url: &str) -> Option<String> {
    let (_, query) = url.split_once('?')?;
    let mut parts: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .filter(|(key, value)| key.starts_with("utm_") && !value.trim().is_empty())
        .map(|(key, value)| (key.into_owned(), value.trim().to_owned()))
        .collect();
    if parts.is_empty() {
        return None;
    }
    let order = |key: &str| match key {
        "utm_source" => 0,
        "utm_medium" => 1,
        "utm_campaign" => 2,
        _ => 3,
    };
    parts.sort_by_key(|(key, _)| order(key));
    Some(
        parts
            .into_iter()
            .map(|(_, value)| value)
            .collect::<Vec<_>>()
            .join(" / "),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowlist() -> QueryAllowlist {
        QueryAllowlist::new(vec![
            "utm_source".into(),
            "utm_medium".into(),
            "utm_campaign".into(),
        ])
    }

    #[test]
    fn only_allowed_parameters_are_kept() {
        let a = allowlist();
        assert_eq!(a.logged_url("/services", ""), "/services");
        assert_eq!(
            a.logged_url(
                "/",
                "email=jean%40example.com&utm_source=news&token=abc&utm_campaign=hiver"
            ),
            "/?utm_source=news&utm_campaign=hiver"
        );
        assert_eq!(a.logged_url("/", "email=jean@example.com"), "/");
        // Parameter names are compared exactly, not by prefix.
        assert_eq!(a.logged_url("/", "utm_source_email=x&UTM_SOURCE=y"), "/");
    }

    #[test]
    fn long_urls_are_capped() {
        let a = allowlist();
        let path = format!("/{}", "é".repeat(1000));
        let url = a.logged_url(&path, "");
        assert!(url.len() <= MAX_LOGGED_URL_LEN);
        assert!(url.starts_with("/é"));
    }

    #[test]
    fn campaigns_read_only_utm_values() {
        assert_eq!(
            campaign_of("/?utm_campaign=hiver&utm_source=newsletter&utm_medium=email").as_deref(),
            Some("newsletter / email / hiver")
        );
        assert_eq!(campaign_of("/services"), None);
        assert_eq!(campaign_of("/?utm_source="), None);
    }
}
