//! Waiting on an event instead of sleeping for a guessed time: poll a
//! condition every [`POLL`] until it holds, and fail with what was awaited
//! when [`WAIT`] passes.

use std::future::Future;
use std::time::{Duration, Instant};

/// How often a waiting test looks again.
pub const POLL: Duration = Duration::from_millis(20);
/// How long an event a test waits for may take (background tasks: mails,
/// the visitor-log writer, the purge schedule).
pub const WAIT: Duration = Duration::from_secs(10);

/// Polls `probe` until it returns `Some`, for at most `limit`; `Err` with
/// `what` when it never does.
pub async fn until_within<T, F, Fut>(what: &str, limit: Duration, mut probe: F) -> Result<T, String>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + limit;
    loop {
        if let Some(found) = probe().await {
            return Ok(found);
        }
        if Instant::now() > deadline {
            return Err(format!("{what}: not within {} s", limit.as_secs_f32()));
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Polls `probe` until it returns `Some` (at most [`WAIT`]); panics with
/// `what` when it never does.
pub async fn until<T, F, Fut>(what: &str, probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    match until_within(what, WAIT, probe).await {
        Ok(found) => found,
        Err(error) => panic!("{error}"),
    }
}

/// Polls `condition` until it holds (at most [`WAIT`]); panics with `what`
/// when it never does.
pub async fn until_true<F, Fut>(what: &str, mut condition: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    until(what, || {
        let holds = condition();
        async move { holds.await.then_some(()) }
    })
    .await
}

/// As [`until_within`], for code outside an async runtime (a child
/// process's exit).
pub fn blocking_until<T>(
    what: &str,
    limit: Duration,
    mut probe: impl FnMut() -> Option<T>,
) -> Result<T, String> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(found) = probe() {
            return Ok(found);
        }
        if Instant::now() > deadline {
            return Err(format!("{what}: not within {} s", limit.as_secs_f32()));
        }
        std::thread::sleep(POLL);
    }
}
