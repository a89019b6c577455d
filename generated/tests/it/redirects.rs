//! Redirects against real local servers: a change answered by `301`, `302`
//! or `303` is never reported as done; `307` and `308` keep method and body
//! on the same origin; another origin (a second server on another loopback
//! address) is refused by default, and when allowed it sees no credential
//! of any scheme. Each test would fail if reqwest's own redirect policy
//! came back: it follows a `302` to a `PATCH` as a `GET`, and follows a
//! redirect to another origin with an API-key header still on it.

use agent_clients::runtime::{ClientConfig, Error, RedirectPolicy, RedirectRefused, RetryPolicy};
use agent_clients::{ravan, selise_blocks};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::codegen_snapshots::snapshots::security_schemes;
use crate::codegen_snapshots::with_every_credential;

const KEY: &str = "rk_redirect_KEY";

/// A server on 127.0.0.2: another origin than the wiremock servers on
/// 127.0.0.1, whatever their ports.
async fn other_origin() -> MockServer {
    let listener = std::net::TcpListener::bind("127.0.0.2:0").expect("bind 127.0.0.2");
    let server = MockServer::builder().listener(listener).start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

/// Answers every request with `status` and a `Location` on `origin`, at
/// the request's own path (never its query, which may hold a key).
struct RedirectTo {
    status: u16,
    origin: String,
}

impl Respond for RedirectTo {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        ResponseTemplate::new(self.status)
            .insert_header("location", format!("{}{}", self.origin, request.url.path()))
    }
}

fn config(redirect: RedirectPolicy) -> ClientConfig {
    ClientConfig::default()
        .retry(RetryPolicy::disabled())
        .redirect(redirect)
}

fn ravan_client(base: &str, redirect: RedirectPolicy) -> ravan::Client {
    ravan::Client::with_config(base, KEY, config(redirect)).unwrap()
}

fn status_body() -> ravan::types::UpdateAgentStatusRequest {
    ravan::types::UpdateAgentStatusRequest {
        status: Some(ravan::types::AgentStatus::AgentStatusInactive),
    }
}

#[tokio::test]
async fn a_change_answered_by_301_302_or_303_fails_and_nothing_follows() {
    for status in [301, 302, 303] {
        let server = MockServer::start().await;
        Mock::given(method("PATCH"))
            .respond_with(
                ResponseTemplate::new(status).insert_header("location", "/api/v1/agents/a"),
            )
            .mount(&server)
            .await;
        // What a client that turned the PATCH into a GET would have read.
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"success": true}"#))
            .mount(&server)
            .await;
        let error = ravan_client(&server.uri(), RedirectPolicy::default())
            .update_agent_status("a", &status_body())
            .await
            .expect_err("a redirected change must not be reported as done");
        let Error::Redirect {
            response,
            location,
            refused,
        } = &error
        else {
            panic!("{status}: {error:?}");
        };
        assert_eq!(response.status(), status);
        assert_eq!(*refused, RedirectRefused::MethodChange);
        let expected = format!("{}/api/v1/agents/a", server.uri());
        assert_eq!(location.as_deref(), Some(expected.as_str()));
        assert!(error.to_string().contains(&expected), "{error}");
        let requests = server.received_requests().await.unwrap();
        assert_eq!(requests.len(), 1, "{status}: only the PATCH was sent");
        assert_eq!(requests[0].method, "PATCH");
    }
}

#[tokio::test]
async fn a_post_answered_by_303_fails_too() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(303).insert_header("location", "/agents/a1"))
        .mount(&server)
        .await;
    let client = selise_blocks::Client::with_config(
        &server.uri(),
        config(RedirectPolicy::default().allow_cross_origin(true)),
    )
    .unwrap();
    let body = selise_blocks::types::ChangeAgentStatusRequest {
        agent_id: "a1".into(),
        is_disabled: true,
        is_archived: false,
        project_key: "p".into(),
    };
    let error = client.change_agent_status(&body).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Redirect {
                refused: RedirectRefused::MethodChange,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn temporary_and_permanent_redirects_keep_method_body_and_key_on_the_same_origin() {
    for status in [307, 308] {
        let server = MockServer::start().await;
        Mock::given(path("/api/v1/agents/a/status/"))
            .respond_with(
                ResponseTemplate::new(status).insert_header("location", "/v2/agents/a/status"),
            )
            .mount(&server)
            .await;
        Mock::given(path("/v2/agents/a/status"))
            .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"success": true}"#))
            .mount(&server)
            .await;
        let response = ravan_client(&server.uri(), RedirectPolicy::default())
            .update_agent_status("a", &status_body())
            .await
            .unwrap_or_else(|error| panic!("{status}: {error}"));
        assert_eq!(response.success, Some(true));
        let requests = server.received_requests().await.unwrap();
        assert_eq!(requests.len(), 2);
        let (first, second) = (&requests[0], &requests[1]);
        assert_eq!(second.method, "PATCH", "{status}");
        assert_eq!(second.body, first.body, "{status}");
        assert_eq!(second.headers["content-type"], "application/json");
        assert_eq!(second.headers["x-api-key"], KEY);
    }
}

#[tokio::test]
async fn a_retrieval_follows_a_same_origin_302() {
    let server = MockServer::start().await;
    Mock::given(path("/public"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/moved/public"))
        .mount(&server)
        .await;
    Mock::given(path("/moved/public"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = security_schemes::Client::with_config(
        &server.uri(),
        "hdr-key",
        config(RedirectPolicy::default()),
    )
    .unwrap();
    let response = client.get_public().await.unwrap();
    assert_eq!(response.raw().status(), 204);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn another_origin_is_not_followed_by_default() {
    let other = other_origin().await;
    let server = MockServer::start().await;
    for status in [307, 308] {
        server.reset().await;
        Mock::given(any())
            .respond_with(RedirectTo {
                status,
                origin: other.uri(),
            })
            .mount(&server)
            .await;
        let error = ravan_client(&server.uri(), RedirectPolicy::default())
            .update_agent_status("a", &status_body())
            .await
            .unwrap_err();
        let Error::Redirect {
            refused, location, ..
        } = &error
        else {
            panic!("{error:?}");
        };
        assert_eq!(*refused, RedirectRefused::CrossOrigin);
        assert!(
            location
                .as_deref()
                .is_some_and(|l| l.starts_with("http://127.0.0.2:")),
            "{location:?}"
        );
    }
    let reached = other.received_requests().await.unwrap();
    assert!(reached.is_empty(), "the other origin was sent {reached:?}");
}

/// Even with cross-origin redirects allowed, and even where reqwest's own
/// policy would strip nothing (an API key in a custom header, in the
/// query, or in a cookie), no credential reaches the other origin.
#[tokio::test]
async fn allowed_cross_origin_redirects_carry_no_credential_of_any_scheme() {
    let other = other_origin().await;
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(RedirectTo {
            status: 302,
            origin: other.uri(),
        })
        .mount(&server)
        .await;
    let client = with_every_credential(
        security_schemes::Client::with_config(
            &server.uri(),
            "hdr-key",
            config(RedirectPolicy::default().allow_cross_origin(true)),
        )
        .unwrap(),
    );
    // A header key, a query key, a cookie and basic, a bearer token, and
    // another `Authorization` scheme: each followed to the other origin.
    client.get_default().await.unwrap();
    client.get_query(Some(2)).await.unwrap();
    client.get_combined().await.unwrap();
    client.get_oauth().await.unwrap();
    client.get_token().await.unwrap();

    let first = server.received_requests().await.unwrap();
    let redirected = other.received_requests().await.unwrap();
    assert_eq!((first.len(), redirected.len()), (5, 5));
    // Each credential was sent where it belongs...
    let sent: String = first.iter().map(|r| format!("{r:?}")).collect();
    for secret in ["hdr-key", "q-key", "s1", "oidc-token", "tk-9"] {
        assert!(sent.contains(secret), "{secret} was never sent: {sent}");
    }
    // ...and none of them, in any form, went to the other origin.
    for request in &redirected {
        let text = format!("{request:?}");
        for secret in ["hdr-key", "q-key", "s1", "YWRhOnB3", "oidc-token", "tk-9"] {
            assert!(!text.contains(secret), "{secret} leaked: {text}");
        }
        for header in ["x-api-key", "authorization", "cookie"] {
            assert!(!request.headers.contains_key(header), "{header}: {text}");
        }
        assert!(request.url.query().is_none(), "{text}");
    }
}

#[tokio::test]
async fn redirects_are_limited() {
    let server = MockServer::start().await;
    for hops in [0, 2, 5] {
        server.reset().await;
        Mock::given(path("/public"))
            .respond_with(ResponseTemplate::new(302).insert_header("location", "/public"))
            .mount(&server)
            .await;
        let policy = RedirectPolicy::default().max_redirects(hops);
        let client =
            security_schemes::Client::with_config(&server.uri(), "k", config(policy)).unwrap();
        let error = client.get_public().await.unwrap_err();
        assert!(
            matches!(
                error,
                Error::Redirect {
                    refused: RedirectRefused::TooMany,
                    ..
                }
            ),
            "{error:?}"
        );
        let sent = server.received_requests().await.unwrap().len();
        assert_eq!(sent, hops as usize + 1, "{hops} hops");
    }
}

/// A customised HTTP client cannot bring reqwest's redirect handling back:
/// the runtime turns it off after the customisation runs.
#[tokio::test]
async fn a_customised_http_client_still_follows_no_redirect_itself() {
    let other = other_origin().await;
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(RedirectTo {
            status: 307,
            origin: other.uri(),
        })
        .mount(&server)
        .await;
    let config = config(RedirectPolicy::default())
        .customize_http(|builder| builder.redirect(reqwest::redirect::Policy::limited(10)));
    let client = ravan::Client::with_config(&server.uri(), KEY, config).unwrap();
    let error = client
        .update_agent_status("a", &status_body())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Redirect { .. }), "{error:?}");
    assert!(other.received_requests().await.unwrap().is_empty());
}
