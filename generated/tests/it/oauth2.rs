//! OAuth2 tokens the client fetches itself, against a local token endpoint
//! and API (wiremock on 127.0.0.1): the `oauth2-flows` fixture's client,
//! whose spec gives the token URLs relative to the API's server.

use std::time::Duration;

use agent_clients::runtime::{ClientConfig, Error, RetryPolicy, TokenError};
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::codegen_snapshots::snapshots::oauth2_flows::{Client, CreateCallError};

const SECRET: &str = "cs-7b1e-secret";

fn token(access: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": expires_in,
    }))
}

/// One token answer, used once, ahead of any other.
async fn token_once(server: &MockServer, at: &str, answer: ResponseTemplate, priority: u8) {
    Mock::given(method("POST"))
        .and(path(at))
        .respond_with(answer)
        .up_to_n_times(1)
        .with_priority(priority)
        .mount(server)
        .await;
}

/// The API: `201` to `Bearer {accepted}`, `401` to any other token.
async fn api_accepting(server: &MockServer, accepted: &str) {
    Mock::given(path("/calls"))
        .and(header(
            "authorization",
            format!("Bearer {accepted}").as_str(),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"id": "c1"})))
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(path("/calls"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(serde_json::json!({"message": "bad token"})),
        )
        .with_priority(5)
        .mount(server)
        .await;
}

async fn requests_to(server: &MockServer, at: &str) -> Vec<Request> {
    let requests = server.received_requests().await.unwrap();
    requests
        .into_iter()
        .filter(|request| request.url.path() == at)
        .collect()
}

fn client(server: &MockServer) -> Client {
    let config = ClientConfig::default().retry(RetryPolicy::disabled());
    Client::with_config(&server.uri(), config)
        .unwrap()
        .with_client_credentials("app-1", SECRET)
        .unwrap()
}

#[tokio::test]
async fn a_token_is_fetched_once_by_client_credentials_and_kept() {
    let server = MockServer::start().await;
    token_once(&server, "/oauth/token", token("tok-1", 3600), 1).await;
    api_accepting(&server, "tok-1").await;
    let client = client(&server);
    client.create_call().await.unwrap();
    client.create_call().await.unwrap();

    let fetches = requests_to(&server, "/oauth/token").await;
    assert_eq!(fetches.len(), 1, "the token is kept");
    let fetch = &fetches[0];
    let form = String::from_utf8(fetch.body.clone()).unwrap();
    assert!(form.contains("grant_type=client_credentials"), "{form}");
    // The scopes the spec's operations require, space-separated.
    assert!(form.contains("scope=calls%3Aread+calls%3Awrite"), "{form}");
    assert!(
        !form.contains(SECRET),
        "the secret goes in Basic, not the body"
    );
    // `app-1:cs-7b1e-secret`, form-encoded first, then base64.
    assert_eq!(
        fetch.headers["authorization"],
        "Basic YXBwLTE6Y3MtN2IxZS1zZWNyZXQ="
    );
    for call in requests_to(&server, "/calls").await {
        assert_eq!(call.headers["authorization"], "Bearer tok-1");
    }
}

#[tokio::test]
async fn concurrent_calls_with_an_expired_token_share_one_fetch() {
    let server = MockServer::start().await;
    token_once(&server, "/oauth/token", token("tok-1", 1), 1).await;
    token_once(&server, "/oauth/token", token("tok-2", 3600), 2).await;
    Mock::given(path("/calls"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"id": "c1"})))
        .mount(&server)
        .await;
    let client = client(&server);
    client.create_call().await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;

    let (first, second) = tokio::join!(client.create_call(), client.create_call());
    first.unwrap();
    second.unwrap();
    assert_eq!(
        requests_to(&server, "/oauth/token").await.len(),
        2,
        "one fetch at the start, one for both calls after it expired"
    );
    let tokens: Vec<String> = requests_to(&server, "/calls")
        .await
        .iter()
        .map(|call| call.headers["authorization"].to_str().unwrap().to_string())
        .collect();
    assert_eq!(tokens, ["Bearer tok-1", "Bearer tok-2", "Bearer tok-2"]);
}

#[tokio::test]
async fn a_401_renews_the_token_once_then_the_call_succeeds() {
    let server = MockServer::start().await;
    token_once(&server, "/oauth/token", token("revoked", 3600), 1).await;
    token_once(&server, "/oauth/token", token("tok-2", 3600), 2).await;
    api_accepting(&server, "tok-2").await;
    // A POST: the 401 refused it before it was carried out.
    let call = client(&server).create_call().await.unwrap();
    assert_eq!(call.id.as_deref(), Some("c1"));
    assert_eq!(requests_to(&server, "/oauth/token").await.len(), 2);
    assert_eq!(requests_to(&server, "/calls").await.len(), 2);
}

#[tokio::test]
async fn a_second_401_fails_typed_without_another_fetch() {
    let server = MockServer::start().await;
    token_once(&server, "/oauth/token", token("tok-1", 3600), 1).await;
    token_once(&server, "/oauth/token", token("tok-2", 3600), 2).await;
    api_accepting(&server, "never").await;
    let error = client(&server).create_call().await.unwrap_err();
    let Some(CreateCallError::Unauthorized(problem)) = error.api_error() else {
        panic!("{error:?}");
    };
    assert_eq!(problem.message.as_deref(), Some("bad token"));
    assert_eq!(requests_to(&server, "/oauth/token").await.len(), 2);
    assert_eq!(requests_to(&server, "/calls").await.len(), 2);
}

#[tokio::test]
async fn a_refused_token_request_is_a_typed_error_and_sends_nothing_to_the_api() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "error": "invalid_client",
            "error_description": "unknown client",
        })))
        .mount(&server)
        .await;
    api_accepting(&server, "tok-1").await;
    let client = client(&server);
    let error = client.create_call().await.unwrap_err();
    let Error::Token(TokenError::Refused {
        status,
        error: code,
        description,
    }) = &error
    else {
        panic!("{error:?}");
    };
    assert_eq!(status.as_u16(), 401);
    assert_eq!(code, "invalid_client");
    assert_eq!(description.as_deref(), Some("unknown client"));
    assert!(requests_to(&server, "/calls").await.is_empty());
    // Neither the error nor the client shows the secret.
    for shown in [
        format!("{error}"),
        format!("{error:?}"),
        format!("{client:?}"),
    ] {
        assert!(!shown.contains(SECRET), "{shown}");
    }
}

#[tokio::test]
async fn a_token_response_that_is_not_one_is_malformed_not_a_panic() {
    let server = MockServer::start().await;
    for (answer, expect) in [
        (
            ResponseTemplate::new(200).set_body_string("<html>login</html>"),
            "malformed",
        ),
        (
            ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "access_token": "t", "token_type": "mac"
            })),
            "`mac` token",
        ),
        (ResponseTemplate::new(302), "302"),
    ] {
        server.reset().await;
        Mock::given(path("/oauth/token"))
            .respond_with(answer)
            .mount(&server)
            .await;
        let error = client(&server).create_call().await.unwrap_err();
        assert!(matches!(error, Error::Token(_)), "{error:?}");
        assert!(error.to_string().contains(expect), "{error}");
    }
}

#[tokio::test]
async fn a_refresh_token_buys_tokens_and_is_replaced_by_the_one_returned() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/refresh"))
        .and(body_string_contains("refresh_token=rt-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": "tok-1", "token_type": "bearer", "expires_in": "1",
            "refresh_token": "rt-2",
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth/refresh"))
        .and(body_string_contains("refresh_token=rt-2"))
        .respond_with(token("tok-2", 3600))
        .mount(&server)
        .await;
    Mock::given(path("/calls"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"id": "c1"})))
        .mount(&server)
        .await;
    let client = Client::with_base_url(&server.uri())
        .unwrap()
        .with_refresh_token("app-1", "rt-1")
        .unwrap();
    client.create_call().await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    client.create_call().await.unwrap();

    let fetches = requests_to(&server, "/oauth/refresh").await;
    assert_eq!(fetches.len(), 2);
    let first = String::from_utf8(fetches[0].body.clone()).unwrap();
    assert!(
        first.contains("grant_type=refresh_token") && first.contains("client_id=app-1"),
        "{first}"
    );
    assert!(
        fetches[0].headers.get("authorization").is_none(),
        "a public client"
    );
    let tokens: Vec<String> = requests_to(&server, "/calls")
        .await
        .iter()
        .map(|call| call.headers["authorization"].to_str().unwrap().to_string())
        .collect();
    assert_eq!(tokens, ["Bearer tok-1", "Bearer tok-2"]);
}

#[tokio::test]
async fn a_static_token_still_works_and_a_missing_one_is_named() {
    let server = MockServer::start().await;
    api_accepting(&server, "static-1").await;
    let bare = Client::with_base_url(&server.uri()).unwrap();
    let error = bare.create_call().await.unwrap_err();
    assert!(error.to_string().contains("bearer token"), "{error}");
    let client = bare.with_bearer_token("static-1").unwrap();
    client.create_call().await.unwrap();
}

#[test]
fn a_token_url_that_would_send_the_secret_in_the_clear_is_refused() {
    use agent_clients::runtime::OAuth2;
    let flow = OAuth2::client_credentials("http://auth.example/token", "app-1", SECRET);
    let error = Client::with_base_url("https://api.example")
        .unwrap()
        .with_bearer_token_from(flow)
        .unwrap_err();
    assert!(error.to_string().contains("https"), "{error}");
    assert!(!error.to_string().contains(SECRET));
}
