//! Event streams that drop mid-way (the streaming-responses fixture),
//! against a raw HTTP/1.1 server on 127.0.0.1 that plays one script per
//! connection: a stream of an operation safe to repeat resumes with
//! `Last-Event-ID` and yields each event once; others end with the error.

use std::time::Duration;

use agent_clients::runtime::{ClientConfig, RetryPolicy, StreamError};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::codegen_snapshots::snapshots::streaming_responses::Client;

/// One connection's answer: these chunks, then the body's end, or a drop
/// (the connection closed mid-body).
struct Script {
    chunks: &'static [&'static [u8]],
    finish: bool,
}

/// Serves each script on its own connection, in order, then stops
/// listening (a further connection is refused); returns each request's head.
async fn scripted_server(scripts: Vec<Script>) -> (String, tokio::task::JoinHandle<Vec<String>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        let mut requests = Vec::new();
        for script in scripts {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut request = Vec::new();
            let mut buffer = [0u8; 4096];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                let read = socket.read(&mut buffer).await.unwrap();
                request.extend_from_slice(&buffer[..read]);
            }
            requests.push(String::from_utf8_lossy(&request).into_owned());
            let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\
                        transfer-encoding: chunked\r\n\r\n";
            socket.write_all(head.as_bytes()).await.unwrap();
            for chunk in script.chunks {
                let size = format!("{:x}\r\n", chunk.len());
                socket.write_all(size.as_bytes()).await.unwrap();
                socket.write_all(chunk).await.unwrap();
                socket.write_all(b"\r\n").await.unwrap();
            }
            if script.finish {
                socket.write_all(b"0\r\n\r\n").await.unwrap();
            }
            socket.flush().await.unwrap();
            // Dropped here: without the last chunk, the body is cut off.
        }
        requests
    });
    (url, server)
}

fn client(url: &str) -> Client {
    let retry = RetryPolicy::default()
        .initial_backoff(Duration::from_millis(10))
        .jitter(false);
    Client::with_config(url, ClientConfig::default().retry(retry)).unwrap()
}

#[tokio::test]
async fn a_dropped_stream_resumes_from_the_last_event_id_and_yields_each_event_once() {
    let (url, server) = scripted_server(vec![
        Script {
            chunks: &[
                b"id: 1\ndata: a\n\n",
                b"id: 2\nretry: 20\ndata: b\n\n",
                b"data: cut",
            ],
            finish: false,
        },
        Script {
            chunks: &[b"id: 3\ndata: c\n\n"],
            finish: true,
        },
    ])
    .await;
    let response = client(&url).conversation_events("c1", None).await.unwrap();
    let mut events = response.into_inner();
    let mut seen = Vec::new();
    while let Some(event) = events.next_event().await {
        let event = event.unwrap();
        seen.push((event.id.unwrap_or_default(), event.data));
    }
    let seen: Vec<(&str, &str)> = seen.iter().map(|(i, d)| (i.as_str(), d.as_str())).collect();
    assert_eq!(seen, [("1", "a"), ("2", "b"), ("3", "c")]);
    let requests = server.await.unwrap();
    assert_eq!(requests.len(), 2);
    assert!(!requests[0].contains("last-event-id"), "{}", requests[0]);
    assert!(
        requests[1].starts_with("GET /conversations/c1/events HTTP/1.1"),
        "{}",
        requests[1]
    );
    assert!(
        requests[1].contains("last-event-id: 2\r\n"),
        "{}",
        requests[1]
    );
}

#[tokio::test]
async fn a_stream_not_safe_to_repeat_ends_with_the_drop() {
    let (url, server) = scripted_server(vec![Script {
        chunks: &[b"id: 1\ndata: Hel\n\n"],
        finish: false,
    }])
    .await;
    let response = client(&url).reply("c1").await.unwrap();
    let mut events = response.into_inner();
    assert_eq!(events.next_event().await.unwrap().unwrap().data, "Hel");
    let error = events.next_event().await.unwrap().unwrap_err();
    assert!(matches!(error, StreamError::Transport(_)), "{error:?}");
    assert_eq!(server.await.unwrap().len(), 1, "a POST is sent once");
}

#[tokio::test]
async fn resuming_is_bounded_by_the_retry_policy() {
    // Three attempts: the stream and two reconnections, none yielding an
    // event; the third drop ends the stream with its error.
    let dropped = || Script {
        chunks: &[b": nothing yet\n\n"],
        finish: false,
    };
    let (url, server) = scripted_server(vec![dropped(), dropped(), dropped()]).await;
    let response = client(&url).conversation_events("c1", None).await.unwrap();
    let mut events = response.into_inner();
    let error = events.next_event().await.unwrap().unwrap_err();
    assert!(matches!(error, StreamError::Transport(_)), "{error:?}");
    assert!(events.next_event().await.is_none());
    assert_eq!(server.await.unwrap().len(), 3);
}
