//! The two databases every scenario runs on, and the one per-backend
//! runner, [`on_both_backends!`](crate::on_both_backends): one test per
//! scenario and backend, `scenario::sqlite` and `scenario::postgres`.

use crate::common::skips::{self, Need};

/// Which database a test runs on.
#[derive(Debug, Clone)]
pub enum Backend {
    Sqlite,
    /// The URL of a PostgreSQL server where the test may create databases.
    Postgres(String),
}

impl Backend {
    /// `sqlite` or `postgres`, as in the tests' names.
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }
}

/// The PostgreSQL server to test on (`WM_TEST_POSTGRES_URL`), or `None`
/// after saying that this test is skipped (a failure when the run requires
/// PostgreSQL: see [`skips`]).
pub fn postgres_or_skip() -> Option<Backend> {
    match std::env::var("WM_TEST_POSTGRES_URL") {
        Ok(url) if !url.trim().is_empty() => Some(Backend::Postgres(url)),
        _ => {
            skips::skip(Need::Postgres, "WM_TEST_POSTGRES_URL not set");
            None
        }
    }
}

/// Generates, for each named `async fn scenario(backend: Backend)`, a
/// module with one test per backend: `scenario::sqlite` and
/// `scenario::postgres`. An optional leading attribute replaces
/// `#[tokio::test]` (the browser tests want a multi-threaded runtime).
#[macro_export]
macro_rules! on_both_backends {
    (#[$test:meta] $($scenario:ident),* $(,)?) => {
        $(
            mod $scenario {
                #[$test]
                async fn sqlite() {
                    super::$scenario($crate::common::backends::Backend::Sqlite).await
                }

                #[$test]
                async fn postgres() {
                    if let Some(backend) = $crate::common::backends::postgres_or_skip() {
                        super::$scenario(backend).await
                    }
                }
            }
        )*
    };
    ($($scenario:ident),* $(,)?) => {
        $crate::on_both_backends!(#[tokio::test] $($scenario),*);
    };
}

/// `postgres://u@h:1/postgres?x=y` with its database replaced by `name`.
pub fn postgres_url_of(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_end = base
        .find("://")
        .map(|i| i + 3)
        .and_then(|start| base[start..].find('/').map(|i| start + i))
        .unwrap_or(base.len());
    let mut out = format!("{}/{name}", &base[..authority_end]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

#[test]
fn database_names_are_replaced_in_postgres_urls() {
    assert_eq!(
        postgres_url_of("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
        "postgres://postgres@127.0.0.1:5432/t1"
    );
    assert_eq!(
        postgres_url_of("postgres://u:p@h/db?sslmode=disable", "t2"),
        "postgres://u:p@h/t2?sslmode=disable"
    );
    assert_eq!(postgres_url_of("postgres://h", "t3"), "postgres://h/t3");
}
