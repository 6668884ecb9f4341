//! A body sent a byte at a time holds a connection open for as long as the
//! sender likes: the whole body has a deadline, after which the request is
//! answered 408 and nothing is written.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{spawn_app_with, Backend};
use crate::on_both_backends;

on_both_backends!(a_body_trickled_in_gets_408_before_it_ends);

async fn a_body_trickled_in_gets_408_before_it_ends(backend: Backend) {
    let app = spawn_app_with(backend, |settings| {
        settings.body_timeout = Duration::from_secs(3);
    })
    .await;
    let address = app.address.trim_start_matches("http://").to_owned();
    let stream = TcpStream::connect(&address).await.expect("connect");
    let (mut reader, mut writer) = stream.into_split();
    writer
        .write_all(
            format!(
                "POST /contact HTTP/1.1\r\nHost: {address}\r\n\
                 Content-Type: application/x-www-form-urlencoded\r\n\
                 Content-Length: 100\r\n\r\n"
            )
            .as_bytes(),
        )
        .await
        .expect("send the head");
    let started = Instant::now();
    // One byte every 2 s: the 100 bytes would take 200 s.
    let trickle = tokio::spawn(async move {
        for _ in 0..100 {
            if writer.write_all(b"a").await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
    });

    // Meanwhile the site answers everyone else.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let health = app.get("/healthz").await;
    assert_eq!(health.status(), 200);

    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(9), async {
        let mut buffer = [0u8; 4096];
        loop {
            match reader.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    answer.extend_from_slice(&buffer[..n]);
                    if String::from_utf8_lossy(&answer).contains("</html>") {
                        break;
                    }
                }
            }
        }
    })
    .await;
    trickle.abort();
    assert!(
        read.is_ok(),
        "no answer {:?} after the head",
        started.elapsed()
    );
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.starts_with("HTTP/1.1 408"),
        "after {:?}: {answer}",
        started.elapsed()
    );
    assert!(
        answer.contains("Envoi trop lent"),
        "a French page: {answer}"
    );
    assert!(started.elapsed() < Duration::from_secs(8));
    assert_eq!(app.count("contact_messages").await, 0);
}
