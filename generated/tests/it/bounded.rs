//! Bounded resources: a response nested 10,000 levels deep, or of 100 MB
//! (announced or streamed), fails with a clear error that keeps the status,
//! in bounded memory and without a stack overflow.

use agent_clients::ravan::{Client, types};
use agent_clients::runtime::{ClientConfig, Error, RetryPolicy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn body() -> types::UpdateAgentStatusRequest {
    types::UpdateAgentStatusRequest::default()
}

fn client(base: &str) -> Client {
    Client::with_config(
        base,
        "key",
        ClientConfig::default().retry(RetryPolicy::disabled()),
    )
    .unwrap()
}

#[tokio::test]
async fn a_response_nested_10000_levels_is_a_decode_error() {
    let server = MockServer::start().await;
    // Inside `ivr_options`, a free-form object, so decoding really descends.
    let deep = format!(
        "{{\"data\":{{\"ivr_options\":{{\"x\":{}{}}}}}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_string(deep.clone()))
        .mount(&server)
        .await;
    let error = client(&server.uri())
        .update_agent_status("a", &body())
        .await
        .unwrap_err();
    let Error::Decode { response, source } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(response.status(), 200);
    assert_eq!(response.body().len(), deep.len());
    assert!(source.to_string().contains("recursion limit"), "{source}");
    // Looking for a request id in such a body is safe too.
    assert_eq!(error.request_id(), None);
}

/// A server that answers every request with `head` and then streams zeros
/// in 64 KiB chunks until the client hangs up.
async fn streaming_server(head: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut request = [0u8; 8192];
                let _ = socket.read(&mut request).await;
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunked = head.contains("chunked");
                let zeros = vec![b'0'; 64 * 1024];
                // At most 200 MiB, whatever happens: the test must end.
                for _ in 0..3200 {
                    let written = if chunked {
                        let mut frame = format!("{:x}\r\n", zeros.len()).into_bytes();
                        frame.extend_from_slice(&zeros);
                        frame.extend_from_slice(b"\r\n");
                        socket.write_all(&frame).await
                    } else {
                        socket.write_all(&zeros).await
                    };
                    if written.is_err() {
                        return;
                    }
                }
            });
        }
    });
    format!("http://{address}")
}

#[tokio::test]
async fn an_announced_100_mb_response_is_refused_before_reading_it() {
    let base = streaming_server(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 104857600\r\n\r\n",
    )
    .await;
    let error = client(&base)
        .update_agent_status("a", &body())
        .await
        .unwrap_err();
    let Error::ResponseTooLarge { response, limit } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(response.status(), 200);
    assert_eq!(*limit, 16 * 1024 * 1024);
    assert!(response.body().is_empty(), "nothing of it was read");
    assert!(error.to_string().contains("max_response_bytes"), "{error}");
}

#[tokio::test]
async fn a_streamed_response_stops_at_the_limit() {
    let base = streaming_server(
        "HTTP/1.1 500 Internal Server Error\r\ntransfer-encoding: chunked\r\n\r\n",
    )
    .await;
    let config = ClientConfig::default()
        .retry(RetryPolicy::disabled())
        .max_response_bytes(1024 * 1024);
    let client = Client::with_config(&base, "key", config).unwrap();
    let error = client.update_agent_status("a", &body()).await.unwrap_err();
    let Error::ResponseTooLarge { response, limit } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(response.status(), 500);
    assert_eq!(*limit, 1024 * 1024);
    assert_eq!(
        response.body().len(),
        1024 * 1024,
        "read up to the limit, not beyond"
    );
}

#[tokio::test]
async fn a_body_in_several_chunks_is_reassembled() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = [0u8; 8192];
        let _ = socket.read(&mut request).await;
        let parts = [
            r#"{"success":"#,
            r#"true,"message":"in "#,
            r#"three chunks"}"#,
        ];
        let mut response = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n".to_vec();
        socket.write_all(&response).await.unwrap();
        for part in parts {
            response = format!("{:x}\r\n{part}\r\n", part.len()).into_bytes();
            socket.write_all(&response).await.unwrap();
            socket.flush().await.unwrap();
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        socket.write_all(b"0\r\n\r\n").await.unwrap();
    });
    let response = client(&format!("http://{address}"))
        .update_agent_status("a", &body())
        .await
        .unwrap();
    assert_eq!(response.message.as_deref(), Some("in three chunks"));
    assert_eq!(response.success, Some(true));
}
