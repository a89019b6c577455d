//! Credentials never appear in any formatted public value, error or log
//! line; with the `tracing` feature, each attempt is a span carrying the
//! operation, method, path template, status, attempt number and latency.

#[cfg(feature = "tracing")]
use std::sync::{Arc, Mutex};

use agent_clients::runtime::{ClientConfig, ConfigError, RetryPolicy, Secret};
use agent_clients::{ayra, ravan, supervisor};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const API_KEY: &str = "rk_live_SECRET_0123456789";
const TOKEN: &str = "sk_live_SECRET_abcdefghij";

fn assert_no_secret(text: &str) {
    assert!(!text.contains("SECRET"), "a credential leaked into: {text}");
}

#[tokio::test]
async fn no_public_value_prints_a_credential() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(500).set_body_string("boom"))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_string(r#"{"error":{"type":"not_found","message":"m","code":"c"}}"#),
        )
        .mount(&server)
        .await;
    let config = ClientConfig::default().retry(RetryPolicy::disabled());

    let ravan = ravan::Client::with_config(&server.uri(), API_KEY, config.clone()).unwrap();
    let ayra = ayra::Client::with_config(&server.uri(), TOKEN, config.clone()).unwrap();
    let supervisor = supervisor::Client::with_config(&server.uri(), TOKEN, config.clone()).unwrap();
    let secret = Secret::new(API_KEY);

    let ravan_error = ravan
        .update_agent_status("a", &ravan::types::UpdateAgentStatusRequest::default())
        .await
        .unwrap_err();
    let ayra_error = ayra
        .update_agent("a", &ayra::types::UpdateAgentRequest::default())
        .await
        .unwrap_err();
    let bad_credential =
        ayra::Client::with_base_url(&server.uri(), format!("{TOKEN}\r\nx-injected: 1"))
            .unwrap_err();
    assert!(matches!(bad_credential, ConfigError::Credential { .. }));

    let printed = [
        format!("{ravan:?}"),
        format!("{ravan:#?}"),
        format!("{ayra:?}"),
        format!("{supervisor:#?}"),
        format!("{config:?}"),
        format!("{secret:?} {secret}"),
        format!("{ravan_error} {ravan_error:?} {ravan_error:#?}"),
        format!("{ayra_error} {ayra_error:?}"),
        format!("{bad_credential} {bad_credential:?}"),
        format!("{:?}", std::error::Error::source(&ravan_error)),
    ];
    for text in &printed {
        assert_no_secret(text);
    }
}

/// A `tracing` writer that keeps everything in memory.
#[cfg(feature = "tracing")]
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

#[cfg(feature = "tracing")]
impl Captured {
    /// Captures every event of this thread until the guard is dropped. The
    /// test runtime is single-threaded, so a thread-local default
    /// subscriber sees every span of the calls a test makes.
    fn start() -> (Captured, tracing::subscriber::DefaultGuard) {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        (captured, tracing::subscriber::set_default(subscriber))
    }

    fn log(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

#[cfg(feature = "tracing")]
impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(feature = "tracing")]
#[tokio::test]
async fn each_attempt_is_a_span_without_secrets() {
    use std::time::Duration;

    let (captured, _guard) = Captured::start();

    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .with_priority(2)
        .mount(&server)
        .await;
    let retry = RetryPolicy::default()
        .max_attempts(2)
        .initial_backoff(Duration::from_millis(1));
    let client =
        ravan::Client::with_config(&server.uri(), API_KEY, ClientConfig::default().retry(retry))
            .unwrap();
    client
        .update_agent_status(
            "agent-secret-path",
            &ravan::types::UpdateAgentStatusRequest::default(),
        )
        .await
        .unwrap();

    let log = captured.log();
    let lines: Vec<&str> = log
        .lines()
        .filter(|line| line.contains("attempt finished"))
        .collect();
    assert_eq!(lines.len(), 2, "{log}");
    for (line, (attempt, status)) in lines.iter().zip([(1, 503), (2, 200)]) {
        assert!(line.contains("agent_clients.request"), "{line}");
        assert!(
            line.contains("operation_id=\"UpdateAgentStatus\""),
            "{line}"
        );
        assert!(line.contains("http.method=PATCH"), "{line}");
        assert!(
            line.contains("http.route=\"/api/v1/agents/{id}/status/\""),
            "{line}"
        );
        assert!(line.contains(&format!("attempt={attempt}")), "{line}");
        assert!(line.contains(&format!("http.status={status}")), "{line}");
        assert!(line.contains("latency_ms="), "{line}");
    }
    assert_no_secret(&log);
    // Path parameters can be personal data; only the template is logged.
    assert!(!log.contains("agent-secret-path"), "{log}");
}

/// Each redirect hop is an event inside its attempt's span: the hop number,
/// status, method and target origin, never the path or a credential.
#[cfg(feature = "tracing")]
#[tokio::test]
async fn each_redirect_hop_is_visible_in_the_attempt_span() {
    use wiremock::matchers::path;

    let (captured, _guard) = Captured::start();

    let server = MockServer::start().await;
    Mock::given(path("/api/v1/agents/agent-secret-path/status/"))
        .respond_with(ResponseTemplate::new(307).insert_header("location", "/hop/one"))
        .mount(&server)
        .await;
    Mock::given(path("/hop/one"))
        .respond_with(ResponseTemplate::new(308).insert_header("location", "/hop/two"))
        .mount(&server)
        .await;
    Mock::given(path("/hop/two"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    let config = ClientConfig::default().retry(RetryPolicy::disabled());
    let client = ravan::Client::with_config(&server.uri(), API_KEY, config).unwrap();
    client
        .update_agent_status(
            "agent-secret-path",
            &ravan::types::UpdateAgentStatusRequest::default(),
        )
        .await
        .unwrap();

    let log = captured.log();
    let hops: Vec<&str> = log
        .lines()
        .filter(|line| line.contains("redirect followed"))
        .collect();
    assert_eq!(hops.len(), 2, "{log}");
    let origin = server.uri();
    for (line, (hop, status)) in hops.iter().zip([(1, 307), (2, 308)]) {
        assert!(line.contains("agent_clients.request"), "{line}");
        assert!(line.contains("attempt=1"), "{line}");
        assert!(line.contains(&format!("hop={hop}")), "{line}");
        assert!(line.contains(&format!("http.status={status}")), "{line}");
        assert!(line.contains("http.method=PATCH"), "{line}");
        assert!(line.contains(&format!("to={origin}")), "{line}");
    }
    assert_no_secret(&log);
    assert!(!log.contains("agent-secret-path"), "{log}");
    assert!(!log.contains("/hop/"), "{log}");
}

/// An OAuth2 client's secret, its tokens and its refresh token appear in
/// no trace, across a token fetch, a `401` and a renewal.
#[cfg(feature = "tracing")]
#[tokio::test]
async fn oauth2_secrets_and_tokens_stay_out_of_traces() {
    use crate::codegen_snapshots::snapshots::oauth2_flows::Client;
    use wiremock::matchers::{header, path};

    let (captured, _guard) = Captured::start();
    let server = MockServer::start().await;
    for (access, priority) in [("at-first-SECRET", 1), ("at-second-SECRET", 2)] {
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "access_token": access, "token_type": "Bearer", "expires_in": 3600,
                "refresh_token": "rt-SECRET",
            })))
            .up_to_n_times(1)
            .with_priority(priority)
            .mount(&server)
            .await;
    }
    Mock::given(path("/calls"))
        .and(header("authorization", "Bearer at-second-SECRET"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({})))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/calls"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({})))
        .with_priority(5)
        .mount(&server)
        .await;
    let client = Client::with_base_url(&server.uri())
        .unwrap()
        .with_client_credentials("app", "cs-SECRET")
        .unwrap();
    client.create_call().await.unwrap();
    let log = captured.log();
    assert!(log.contains("attempt finished"), "{log}");
    assert!(!log.contains("SECRET"), "{log}");
    assert!(!format!("{client:?}").contains("SECRET"));
}
