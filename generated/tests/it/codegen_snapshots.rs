//! The codegen snapshot files (`codegen/tests/snapshots/*.rs`) must not only
//! match the generator's output (the drift check) but also compile against
//! the runtime: this test target includes them all.

#[rustfmt::skip]
#[path = "../../../codegen/tests/snapshots/mod.rs"]
#[allow(dead_code)]
// `features_per_tag` gates items behind its tags' features, which this
// crate does not declare: here they compile as off, the always-compiled
// part alone. `cli/tests/it` builds it with each feature on.
#[allow(unexpected_cfgs)]
pub(crate) mod snapshots;

#[test]
fn snapshot_clients_construct() {
    // The fixtures cover bearer auth, API-key-free specs and default
    // servers; constructing each proves the emitted constructors work.
    let bearer = snapshots::bearer_and_headers::Client::new("token").unwrap();
    assert_eq!(bearer.base_url(), "https://bearer.example/v1");
    let errors = snapshots::error_schemas::Client::with_base_url("http://127.0.0.1:9/").unwrap();
    assert_eq!(errors.base_url(), "http://127.0.0.1:9");
}

/// Operations that document no 2xx response return the body as received,
/// with its status and headers; documented errors stay typed.
#[tokio::test]
async fn operations_without_a_documented_success_return_raw_bytes() {
    use agent_clients::runtime::Error;
    use snapshots::raw_responses::{Client, LegacyStatusError};
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    let audio = vec![0u8, 159, 146, 150, 255];
    Mock::given(method("GET"))
        .and(path("/files/take%201.wav"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "audio/wav")
                .set_body_bytes(audio.clone()),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/legacy"))
        .respond_with(ResponseTemplate::new(404).set_body_json(serde_json::json!({"code": "gone"})))
        .mount(&server)
        .await;
    let client = Client::with_base_url(&server.uri()).unwrap();

    let file = client.download_file("take 1.wav").await.unwrap();
    assert_eq!(file.status(), 200);
    assert_eq!(file.headers()["content-type"], "audio/wav");
    assert_eq!(&file.into_inner()[..], &audio[..]);

    // A documented error status is still a typed error...
    let error = client.legacy_status().await.unwrap_err();
    let Error::Api { body, .. } = &error else {
        panic!("{error:?}");
    };
    let LegacyStatusError::NotFound(problem) = body.as_ref() else {
        panic!("{body:?}");
    };
    assert_eq!(problem.code, "gone");
    // ...an undocumented 5xx is an error, never a success...
    Mock::given(method("GET"))
        .and(path("/files/broken"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let error = client.download_file("broken").await.unwrap_err();
    assert!(matches!(error, Error::UnexpectedStatus(_)), "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    // ...and where `default` is documented, other errors are `Default`.
    server.reset().await;
    Mock::given(method("GET"))
        .and(path("/legacy"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let error = client.legacy_status().await.unwrap_err();
    let Error::Api { body, .. } = &error else {
        panic!("{error:?}");
    };
    assert!(
        matches!(body.as_ref(), LegacyStatusError::Default),
        "{body:?}"
    );
    // The success of `legacyStatus` is raw as well: no body was promised.
    server.reset().await;
    Mock::given(method("GET"))
        .and(path("/legacy"))
        .respond_with(ResponseTemplate::new(200).set_body_string("fine"))
        .mount(&server)
        .await;
    let ok = client.legacy_status().await.unwrap();
    assert_eq!(&ok.into_inner()[..], b"fine");
}

/// A success whose body is not JSON is its bytes, an error whose body is
/// not JSON is a variant without a typed body (the text stays in the
/// response), and the Accept header lists the documented media types.
#[tokio::test]
async fn non_json_bodies_are_bytes_and_accept_lists_the_documented_types() {
    use agent_clients::runtime::Error;
    use snapshots::raw_responses::{Client, SynthesizeError};
    use wiremock::matchers::{headers, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    let mp3 = vec![0xffu8, 0xfb, 0x90, 0x44, 0x00];
    Mock::given(method("GET"))
        .and(path("/speech/nova"))
        // wiremock splits a comma-separated header into its values.
        .and(headers(
            "accept",
            vec!["audio/mpeg", "audio/wav", "text/plain"],
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "audio/mpeg")
                .set_body_bytes(mp3.clone()),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/speech/mute"))
        .respond_with(ResponseTemplate::new(422).set_body_string("no voice named mute"))
        .mount(&server)
        .await;
    let client = Client::with_base_url(&server.uri()).unwrap();

    let speech = client.synthesize("nova").await.unwrap();
    assert_eq!(speech.headers()["content-type"], "audio/mpeg");
    assert_eq!(&speech.into_inner()[..], &mp3[..]);

    let error = client.synthesize("mute").await.unwrap_err();
    let Error::Api { body, response } = &error else {
        panic!("{error:?}");
    };
    assert!(
        matches!(body.as_ref(), SynthesizeError::UnprocessableEntity),
        "{body:?}"
    );
    assert_eq!(response.body_text(), "no voice named mute");
}

/// Parameters of any schema are laid out as OpenAPI's `style` and `explode`
/// define, on the wire: checked against the exact URL and header a server
/// receives.
#[tokio::test]
async fn typed_parameters_follow_their_style_on_the_wire() {
    use snapshots::parameter_styles::{Client, types};
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = Client::with_base_url(&server.uri()).unwrap();
    let filter = types::ListItemsFilter {
        min_size: Some(3),
        owner: Some("ana b".into()),
    };
    client
        .list_items(
            &types::ListItemsIds(vec![3, 4, 5]),
            Some(&types::ListItemsXTrace(vec!["a".into(), "b".into()])),
            Some(&types::ListItemsColors(vec![
                types::ListItemsColorsItem::Red,
                types::ListItemsColorsItem::Green,
            ])),
            Some(&filter),
            Some(&types::SortMode::IdAscending),
            Some(&types::ListItemsTags(vec!["x".into(), "y z".into()])),
        )
        .await
        .unwrap();
    // Nothing optional given: only the path.
    client
        .list_items(&types::ListItemsIds(vec![7]), None, None, None, None, None)
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    let full = &requests[0];
    // label style, not exploded: `.3,4,5`.
    assert_eq!(full.url.path(), "/items/.3,4,5");
    // Query parameters in the method's order: pipeDelimited, deepObject
    // (object keys in the order the type serializes them), the enum, and an
    // exploded form array.
    assert_eq!(
        full.url.query(),
        Some(
            "colors=red%7Cgreen&filter%5Bmin_size%5D=3&filter%5Bowner%5D=ana+b\
             &sort_by=id_ascending&tags=x&tags=y+z"
        )
    );
    // simple style: `a,b`.
    assert_eq!(full.headers["x-trace"], "a,b");
    let bare = &requests[1];
    assert_eq!(bare.url.path(), "/items/.7");
    assert_eq!(bare.url.query(), None);
    assert!(!bare.headers.contains_key("x-trace"));
}

/// Responses of the shapes the engine alone gets wrong read as the spec
/// says: two properties that meet in snake case stay apart, a nullable enum
/// newtype and a defaulted enum keep unknown values, and a missing nullable
/// field with a default reads as absent.
#[tokio::test]
async fn engine_corrections_read_real_responses() {
    use agent_clients::runtime::{Nullable, Open};
    use snapshots::engine_corrections::{Client, types};
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/org"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"orgName": "Acme", "org_name": "acme-legacy", "model": "gpt-5", "reaction": "-1"}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let client = Client::with_base_url(&server.uri()).unwrap();
    let org = client.get_org().await.unwrap().into_inner();
    assert_eq!(org.org_name_2.as_deref(), Some("Acme"));
    assert_eq!(org.org_name.as_deref(), Some("acme-legacy"));
    // A nullable enum component: absent, `null` or a value, open in a
    // response.
    assert_eq!(org.model, Nullable::Value(Open::Unknown("gpt-5".into())));
    // A spec default is documented, not filled in: absent means the
    // server's default, and a partial update must be able to leave it out.
    assert_eq!(org.transfer_mode, None);
    assert_eq!(org.retention_days, Nullable::Absent);
    assert_eq!(org.reaction, Some(Open::Known(types::OrgReaction::Minus1)));
    assert_eq!(types::OrgReaction::Plus1.to_string(), "+1");
    let defaults = types::Org::default();
    assert_eq!(defaults.retention_days, Nullable::Absent);
    assert_eq!(defaults.transfer_mode, None);
    // Both names go back out under their own wire names.
    let json = serde_json::to_value(&org).unwrap();
    assert_eq!(json["orgName"], "Acme");
    assert_eq!(json["org_name"], "acme-legacy");
    assert_eq!(json["model"], "gpt-5");

    // Both variants of the tagged union read, each with its own tag.
    for (body, is_text) in [
        (r#"{"type": "text", "value": "hi"}"#, true),
        (r#"{"type": "empty"}"#, false),
    ] {
        server.reset().await;
        Mock::given(method("GET"))
            .and(path("/node"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
            .mount(&server)
            .await;
        let node = client.get_node().await.unwrap().into_inner();
        let json = serde_json::to_value(&node).unwrap();
        assert_eq!(
            json,
            serde_json::from_str::<serde_json::Value>(body).unwrap()
        );
        assert_eq!(
            matches!(node, types::Node::TextNode(_)),
            is_text,
            "{node:?}"
        );
    }
}

/// Success statuses with different bodies come back as the operation's
/// success enum, each status as its own variant; a `2XX` range takes the
/// statuses no exact one claims.
#[tokio::test]
async fn success_statuses_with_different_bodies_are_an_enum() {
    use snapshots::success_responses::{Client, GetReportSuccess, MarkNotificationsReadSuccess};
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    let client = Client::with_base_url(&server.uri()).unwrap();
    let report = |status: u16, body: &str, content_type: &str| {
        Mock::given(method("GET"))
            .and(path("/report"))
            .respond_with(
                ResponseTemplate::new(status).set_body_raw(body.to_string(), content_type),
            )
            .up_to_n_times(1)
    };

    report(200, r#"{"rows": 3}"#, "application/json")
        .mount(&server)
        .await;
    match client.get_report().await.unwrap().into_inner() {
        GetReportSuccess::Ok(report) => assert_eq!(report.rows, 3),
        other => panic!("200 read as {other:?}"),
    }
    report(202, "", "application/json").mount(&server).await;
    assert!(matches!(
        client.get_report().await.unwrap().into_inner(),
        GetReportSuccess::Accepted
    ));
    report(203, "a,b\n1,2\n", "text/csv").mount(&server).await;
    let response = client.get_report().await.unwrap();
    assert_eq!(response.status(), 203);
    match response.into_inner() {
        GetReportSuccess::Status2xx(text) => assert_eq!(text, "a,b\n1,2\n"),
        other => panic!("203 read as {other:?}"),
    }

    Mock::given(method("PUT"))
        .and(path("/notifications"))
        .respond_with(ResponseTemplate::new(205))
        .mount(&server)
        .await;
    assert!(matches!(
        client.mark_notifications_read().await.unwrap().into_inner(),
        MarkNotificationsReadSuccess::ResetContent
    ));

    // One body under two statuses, inline twice, is one type.
    Mock::given(method("POST"))
        .and(path("/things"))
        .respond_with(
            ResponseTemplate::new(201).set_body_raw(r#"{"id": "t1"}"#, "application/json"),
        )
        .mount(&server)
        .await;
    let thing: snapshots::success_responses::types::CreateThingResponse =
        client.create_thing().await.unwrap().into_inner();
    assert_eq!(thing.id, "t1");

    // A lone `2XX` is the whole range.
    Mock::given(method("POST"))
        .and(path("/jobs"))
        .respond_with(ResponseTemplate::new(207).set_body_raw(r#"{"rows": 9}"#, "application/json"))
        .mount(&server)
        .await;
    assert_eq!(client.start_job().await.unwrap().rows, 9);
}

/// A spec with the contradictions `repair.rs` resolves still round-trips
/// its documented values: the nullable `oneOf`, the array whose items hold
/// the enum, the inline type named apart from its component twin, an enum
/// with `maxLength` (nothing to check), and a spec default with a `null`.
#[tokio::test]
async fn repaired_specs_round_trip_their_documented_values() {
    use agent_clients::runtime::{Nullable, Open};
    use snapshots::spec_repairs::{Client, types};
    use wiremock::matchers::{body_json, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let sent = serde_json::json!({
        "on": "call.ended",
        "groupBy": ["assistantId", "status"],
        "status": {"code": 3},
        "either": {"state": "ok"},
        "result": 2.5,
    });
    // The spec's default for `label` is documented, not sent: left out,
    // the server assumes it.
    let expected = sent.clone();
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/hooks"))
        .and(body_json(&expected))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"on": "call.transferred", "result": null, "label": {"text": null}}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let client = Client::with_base_url(&server.uri()).unwrap();
    let hook: types::Hook = serde_json::from_value(sent.clone()).unwrap();
    assert_eq!(hook.status, Some(types::HookStatus2 { code: Some(3) }));
    let stored = client.put_hook(&hook).await.unwrap().into_inner();
    assert_eq!(stored.on, Open::Unknown("call.transferred".into()));
    // `null` is one of its `oneOf` members: kept apart from absent.
    assert_eq!(stored.result, Nullable::Null);
    let label = stored.label.expect("the server sent a label");
    assert_eq!(label.text, Nullable::Null);
    assert_eq!(label.lang, None);
    assert_eq!(hook.label, None);
}

/// The security-schemes client holding every credential the fixture
/// defines beside its constructor's header key: a query key, a cookie,
/// basic credentials, an OpenID Connect bearer token and a `Token` scheme.
pub(crate) fn with_every_credential(
    client: snapshots::security_schemes::Client,
) -> snapshots::security_schemes::Client {
    client
        .with_key("q-key")
        .unwrap()
        .with_session_id("s1")
        .unwrap()
        .with_basic_credentials("ada:pw")
        .unwrap()
        .with_oidc("oidc-token")
        .unwrap()
        .with_token_credentials("tk-9")
        .unwrap()
}

/// Each security scheme goes out where OpenAPI puts it, an operation sends
/// the first of its alternatives the client holds, and one it cannot
/// satisfy is refused before anything is sent, naming what is missing.
#[tokio::test]
async fn credentials_go_where_each_scheme_puts_them() {
    use snapshots::security_schemes::Client;
    use wiremock::matchers::any;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = Client::with_base_url(&server.uri(), "hdr-key").unwrap();
    // Only the constructor's credential so far.
    client.get_default().await.unwrap();
    client.get_public().await.unwrap();
    client.get_optional().await.unwrap();
    let error = client.get_query(Some(2)).await.unwrap_err();
    assert!(
        error
            .to_string()
            .contains("needs the `key` query parameter"),
        "{error}"
    );
    let error = client.get_combined().await.unwrap_err();
    assert!(
        error
            .to_string()
            .contains("basic credentials and the `session_id` cookie"),
        "{error}"
    );

    let client = with_every_credential(client);
    client.get_query(Some(2)).await.unwrap();
    client.get_combined().await.unwrap();
    client.get_oauth().await.unwrap();
    client.get_token().await.unwrap();
    client.get_optional().await.unwrap();
    // Debug lists what is held, never a value.
    let debug = format!("{client:?}");
    assert!(debug.contains("the `key` query parameter"), "{debug}");
    for secret in ["hdr-key", "q-key", "s1", "ada:pw", "oidc-token", "tk-9"] {
        assert!(!debug.contains(secret), "{debug}");
    }

    let requests = server.received_requests().await.unwrap();
    let seen: Vec<(String, Option<String>, Vec<String>)> = requests
        .iter()
        .map(|r| {
            let auth: Vec<String> = ["x-api-key", "authorization", "cookie"]
                .into_iter()
                .filter_map(|name| {
                    r.headers
                        .get(name)
                        .map(|v| format!("{name}: {}", v.to_str().unwrap()))
                })
                .collect();
            (
                r.url.path().to_string(),
                r.url.query().map(String::from),
                auth,
            )
        })
        .collect();
    let expected: Vec<(&str, Option<&str>, Vec<&str>)> = vec![
        ("/default", None, vec!["x-api-key: hdr-key"]),
        ("/public", None, vec![]),
        ("/optional", None, vec![]),
        ("/query", Some("page=2&key=q-key"), vec![]),
        (
            "/combined",
            None,
            vec!["authorization: Basic YWRhOnB3", "cookie: session_id=s1"],
        ),
        ("/oauth", None, vec!["authorization: Bearer oidc-token"]),
        ("/token", None, vec!["authorization: Token tk-9"]),
        ("/optional", Some("key=q-key"), vec![]),
    ];
    let expected: Vec<(String, Option<String>, Vec<String>)> = expected
        .into_iter()
        .map(|(path, query, auth)| {
            (
                path.to_string(),
                query.map(String::from),
                auth.into_iter().map(String::from).collect(),
            )
        })
        .collect();
    assert_eq!(seen, expected);
}

/// A `multipart/form-data` body goes out as RFC 7578 lays it out, one part
/// per property in the order the generated code lists them: text as text,
/// an array one part per item, an object as JSON, files with their name and
/// the content type the caller or the spec's `encoding` gives.
#[tokio::test]
async fn multipart_bodies_are_sent_part_by_part() {
    use agent_clients::runtime::FilePart;
    use snapshots::request_bodies::{Client, types};
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/voices"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = Client::with_base_url(&server.uri()).unwrap();
    let body = types::CloneVoiceRequest {
        labels: Some(vec!["calm".into(), "en-GB".into()]),
        name: "Ada \"the voice\"".into(),
        preview: Some(FilePart::new(&b"ID3"[..])),
        samples: vec![
            FilePart::new(vec![0u8, 1, 255])
                .file_name("one.wav")
                .content_type("audio/wav"),
            FilePart::new(&b"two"[..]),
        ],
        settings: Some(types::CloneVoiceRequestSettings {
            stability: Some(0.5),
        }),
    };
    client.clone_voice(&body).await.unwrap();

    let requests = server.received_requests().await.unwrap();
    let request = &requests[0];
    assert_eq!(
        request.headers["content-type"],
        "multipart/form-data; boundary=agent-clients-boundary-0"
    );
    let mut expected = Vec::new();
    for (head, content) in [
        ("name=\"labels\"", &b"calm"[..]),
        ("name=\"labels\"", b"en-GB"),
        ("name=\"name\"", b"Ada \"the voice\""),
        (
            "name=\"preview\"; filename=\"preview\"\r\nContent-Type: audio/mpeg",
            b"ID3",
        ),
        (
            "name=\"samples\"; filename=\"one.wav\"\r\nContent-Type: audio/wav",
            &[0, 1, 255],
        ),
        (
            "name=\"samples\"; filename=\"samples\"\r\nContent-Type: application/octet-stream",
            b"two",
        ),
        (
            "name=\"settings\"\r\nContent-Type: application/json",
            br#"{"stability":0.5}"#,
        ),
    ] {
        expected.extend_from_slice(
            format!("--agent-clients-boundary-0\r\nContent-Disposition: form-data; {head}\r\n\r\n")
                .as_bytes(),
        );
        expected.extend_from_slice(content);
        expected.extend_from_slice(b"\r\n");
    }
    expected.extend_from_slice(b"--agent-clients-boundary-0--\r\n");
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        String::from_utf8_lossy(&expected)
    );
    assert_eq!(request.body, expected);
}

/// Cookie parameters share one `Cookie` header, their values encoded where
/// a cookie cannot carry them; `content` (JSON) parameters go out as their
/// JSON text in the query and in a header.
#[tokio::test]
async fn cookie_and_content_parameters_on_the_wire() {
    use snapshots::parameter_styles::{Client, types};
    use wiremock::matchers::any;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = Client::with_base_url(&server.uri()).unwrap();
    let filter = types::GetSessionFilter {
        owner: Some("ada".into()),
        tags: Some(vec!["a b".into()]),
    };
    let prefs = types::GetSessionPrefs(vec!["dark".into(), "compact".into()]);
    client
        .get_session(
            &types::GetSessionXMeta(vec![1, 2]),
            Some(&filter),
            Some(&prefs),
            "s 1;x=%",
        )
        .await
        .unwrap();
    client
        .get_session(&types::GetSessionXMeta(vec![]), None, None, "s2")
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    let header = |n: usize, name: &str| requests[n].headers[name].to_str().unwrap().to_string();
    assert_eq!(
        header(0, "cookie"),
        "prefs=dark,compact; session_id=s%201%3Bx=%25"
    );
    assert_eq!(header(0, "x-meta"), "[1,2]");
    let query: Vec<(String, String)> = requests[0].url.query_pairs().into_owned().collect();
    assert_eq!(
        query,
        [(
            "filter".to_string(),
            r#"{"owner":"ada","tags":["a b"]}"#.to_string()
        )]
    );
    assert_eq!(header(1, "cookie"), "session_id=s2");
    assert_eq!(header(1, "x-meta"), "[]");
    assert_eq!(requests[1].url.query(), None);
}

/// Request bodies that are not JSON go out with their documented content
/// type and exactly the bytes the caller gave: a form, bytes (required and
/// optional) and text; JSON is chosen where it is one of several offered.
#[tokio::test]
async fn non_json_request_bodies_are_sent_as_documented() {
    use snapshots::request_bodies::{Client, types};
    use wiremock::matchers::any;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = Client::with_base_url(&server.uri()).unwrap();
    let form = types::ExchangeTokenBody {
        device_code: "a b&c".into(),
        grant_type: "urn:ietf:params:oauth:grant-type:device_code".into(),
        scope: None,
    };
    client.exchange_token(&form).await.unwrap();
    client
        .upload_file("take.wav", vec![0u8, 255, 1])
        .await
        .unwrap();
    client.append_chunk(None).await.unwrap();
    client.put_note("ünïcode note").await.unwrap();
    let settings = types::PutSettingsBody { volume: Some(7) };
    client.put_settings(&settings).await.unwrap();
    // The caller picks another media type the spec offers.
    client.put_settings_text("volume=7").await.unwrap();

    let requests = server.received_requests().await.unwrap();
    let sent: Vec<(String, Option<String>, Vec<u8>)> = requests
        .iter()
        .map(|r| {
            let content_type = r
                .headers
                .get("content-type")
                .map(|v| v.to_str().unwrap().to_string());
            (r.url.path().to_string(), content_type, r.body.clone())
        })
        .collect();
    let form_type = Some("application/x-www-form-urlencoded".to_string());
    let expected_form =
        b"device_code=a+b%26c&grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code";
    assert_eq!(
        sent[0],
        ("/token".into(), form_type, expected_form.to_vec())
    );
    assert_eq!(
        sent[1],
        (
            "/files/take.wav".into(),
            Some("application/octet-stream".into()),
            vec![0, 255, 1]
        )
    );
    // An optional body not given: nothing is sent, not even a content type.
    assert_eq!(sent[2], ("/chunks".into(), None, vec![]));
    assert_eq!(
        sent[3],
        (
            "/notes".into(),
            Some("text/plain".into()),
            "ünïcode note".as_bytes().to_vec()
        )
    );
    assert_eq!(
        sent[4],
        (
            "/settings".into(),
            Some("application/json".into()),
            br#"{"volume":7}"#.to_vec()
        )
    );
    assert_eq!(
        sent[5],
        (
            "/settings".into(),
            Some("text/plain".into()),
            b"volume=7".to_vec()
        )
    );
}

/// A raw HTTP/1.1 server on 127.0.0.1 that answers one request with a
/// chunked body, sending each chunk only when the test says so: a client
/// that buffered the body whole would wait forever for the first one.
async fn chunked_server(
    content_type: &'static str,
) -> (
    String,
    tokio::sync::mpsc::UnboundedSender<Option<Vec<u8>>>,
    tokio::task::JoinHandle<String>,
) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (send, mut chunks) = tokio::sync::mpsc::unbounded_channel::<Option<Vec<u8>>>();
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = Vec::new();
        let mut buffer = [0u8; 4096];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            let read = socket.read(&mut buffer).await.unwrap();
            request.extend_from_slice(&buffer[..read]);
        }
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\ntransfer-encoding: chunked\r\n\r\n"
        );
        socket.write_all(head.as_bytes()).await.unwrap();
        // `None` ends the body.
        while let Some(Some(chunk)) = chunks.recv().await {
            socket
                .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                .await
                .unwrap();
            socket.write_all(&chunk).await.unwrap();
            socket.write_all(b"\r\n").await.unwrap();
            socket.flush().await.unwrap();
        }
        socket.write_all(b"0\r\n\r\n").await.unwrap();
        String::from_utf8_lossy(&request).into_owned()
    });
    (url, send, server)
}

/// The `_stream` sibling hands over each chunk as it arrives; the plain
/// method reads the body whole. Both send the same request.
#[tokio::test]
async fn binary_bodies_stream_chunk_by_chunk() {
    use snapshots::streaming_responses::{Client, types};

    let (url, chunks, server) = chunked_server("audio/mpeg").await;
    let client = Client::with_base_url(&url).unwrap();
    let body: types::SpeakBody = serde_json::from_value(serde_json::json!({"text": "hi"})).unwrap();
    let response = client.speak_stream_2(&body).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "audio/mpeg");
    let mut stream = response.into_inner();
    // Each chunk is sent only after the previous one was received.
    for chunk in [&b"ID3\x04"[..], &[0xff, 0xfb, 0x90], b"\x00\x01"] {
        chunks.send(Some(chunk.to_vec())).unwrap();
        let received = stream.next_chunk().await.unwrap().unwrap();
        assert_eq!(&received[..], chunk);
    }
    chunks.send(None).unwrap();
    assert!(stream.next_chunk().await.is_none());
    let request = server.await.unwrap();
    assert!(request.starts_with("POST /speak HTTP/1.1"), "{request}");
    assert!(request.contains("accept: audio/mpeg"), "{request}");
    assert!(request.ends_with(r#"{"text":"hi"}"#), "{request}");

    // The buffered method gathers the same chunks.
    let (url, chunks, _server) = chunked_server("audio/mpeg").await;
    let client = Client::with_base_url(&url).unwrap();
    chunks.send(Some(b"ab".to_vec())).unwrap();
    chunks.send(Some(b"cd".to_vec())).unwrap();
    chunks.send(None).unwrap();
    let response = client.speak(&body).await.unwrap();
    assert_eq!(&response.raw().body()[..], b"abcd");
    assert_eq!(&response.into_inner()[..], b"abcd");
}

/// Statuses that are not streamed are read and typed as usual, and reading
/// a stream whole keeps to the client's size limit.
#[tokio::test]
async fn streaming_methods_type_their_errors_and_collect_within_the_limit() {
    use agent_clients::runtime::{ClientConfig, Error};
    use snapshots::streaming_responses::{Client, RecordingError, SpeakError};
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/speak"))
        .respond_with(ResponseTemplate::new(422).set_body_json(serde_json::json!({"code": "long"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/recordings/big"))
        .respond_with(
            ResponseTemplate::new(206)
                .insert_header("content-type", "application/zip")
                .set_body_bytes(vec![7u8; 64]),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/recordings/gone"))
        .respond_with(ResponseTemplate::new(404).set_body_string("no"))
        .mount(&server)
        .await;
    let config = ClientConfig::default().max_response_bytes(16);
    let client = Client::with_config(&server.uri(), config).unwrap();

    let body = serde_json::from_value(serde_json::json!({"text": "x"})).unwrap();
    let error = client.speak_stream_2(&body).await.unwrap_err();
    let Error::Api { body, .. } = &error else {
        panic!("{error:?}");
    };
    let SpeakError::UnprocessableEntity(problem) = body.as_ref();
    assert_eq!(problem.code, "long");

    // A `2XX` range streams; its body is not bounded until collected.
    let stream = client.recording_stream("big").await.unwrap();
    assert_eq!(stream.status(), 206);
    let error = stream.collect::<RecordingError>().await.unwrap_err();
    let Error::ResponseTooLarge { response, limit } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(*limit, 16);
    assert_eq!(&response.body()[..], &[7u8; 16][..]);
    let error = client.recording("big").await.unwrap_err();
    assert!(matches!(error, Error::ResponseTooLarge { .. }), "{error:?}");

    let error = client.recording_stream("gone").await.unwrap_err();
    let Error::Api { body, response } = &error else {
        panic!("{error:?}");
    };
    assert!(
        matches!(body.as_ref(), RecordingError::NotFound),
        "{body:?}"
    );
    assert_eq!(response.body_text(), "no");
}

/// `text/event-stream` arrives event by event, parsed as the WHATWG format
/// says, however the bytes are split into chunks.
#[tokio::test]
async fn event_streams_arrive_event_by_event() {
    use agent_clients::runtime::Event;
    use snapshots::streaming_responses::Client;

    let (url, chunks, server) = chunked_server("text/event-stream").await;
    let client = Client::with_base_url(&url).unwrap();
    let response = client.conversation_events("c 1", Some("5")).await.unwrap();
    assert_eq!(response.status(), 200);
    let mut events = response.into_inner();

    chunks
        .send(Some(b": keep-alive\n\nid: 1\ndata: {\"turn\":".to_vec()))
        .unwrap();
    // The first event is split mid-line; it arrives once its blank line does.
    chunks.send(Some(b"1}\n\n".to_vec())).unwrap();
    let first = events.next_event().await.unwrap().unwrap();
    assert_eq!(first.event, "message");
    assert_eq!(first.data, r#"{"turn":1}"#);
    assert_eq!(first.id.as_deref(), Some("1"));
    let turn: serde_json::Value = first.json().unwrap();
    assert_eq!(turn["turn"], 1);

    // CRLF line ends, a named event, two data lines, a retry; the id
    // carries over.
    chunks
        .send(Some(
            b"event: transcript\r\ndata: hello\r\ndata: world\r\nretry: 2500\r\n\r\n".to_vec(),
        ))
        .unwrap();
    let second: Event = events.next_event().await.unwrap().unwrap();
    assert_eq!(second.event, "transcript");
    assert_eq!(second.data, "hello\nworld");
    assert_eq!(second.id.as_deref(), Some("1"));
    assert_eq!(second.retry, Some(std::time::Duration::from_millis(2500)));

    // An unfinished last block is not an event.
    chunks.send(Some(b"data: cut off".to_vec())).unwrap();
    chunks.send(None).unwrap();
    assert!(events.next_event().await.is_none());
    let request = server.await.unwrap();
    assert!(
        request.starts_with("GET /conversations/c%201/events?since=5 HTTP/1.1"),
        "{request}"
    );
    assert!(request.contains("accept: text/event-stream"), "{request}");
}

/// A `text/*` success is a string; the bytes stay in the raw response.
#[tokio::test]
async fn text_bodies_are_strings() {
    use snapshots::streaming_responses::Client;
    use wiremock::matchers::{headers, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/conversations/7/transcript"))
        .and(headers("accept", vec!["text/markdown", "text/plain"]))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "text/plain; charset=utf-8")
                .set_body_string("Agent: héllo\nCaller: hi"),
        )
        .mount(&server)
        .await;
    let client = Client::with_base_url(&server.uri()).unwrap();
    let transcript = client.transcript("7").await.unwrap();
    assert_eq!(transcript.raw().body().len(), 24);
    assert_eq!(transcript.into_inner(), "Agent: héllo\nCaller: hi");
}

/// Component names that convert to one Rust name (`Voice` and `voice`) are
/// two types: each goes out and comes back with its own fields, and each
/// keeps its own constraints.
#[tokio::test]
async fn components_whose_names_collide_are_distinct_types() {
    use agent_clients::runtime::Error;
    use snapshots::type_names::{Client, types};
    use wiremock::matchers::{body_json, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/voices"))
        .and(body_json(
            serde_json::json!({"name": "Nova", "settings": {"speed": 1.5}}),
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"id": "v1", "settings": {"stability": 0.25}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/calls"))
        .and(body_json(
            serde_json::json!({"to": "+15550100", "settings": {"record": true}}),
        ))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::with_base_url(&server.uri()).unwrap();

    let request = types::Voice2 {
        name: "Nova".into(),
        settings: Some(types::VoiceSettings2 {
            speed: Some(1.5),
            ..Default::default()
        }),
    };
    let created: types::Voice = client.create_voice(&request).await.unwrap().into_inner();
    assert_eq!(created.id, "v1");
    assert_eq!(created.settings.stability, Some(0.25));

    let call = types::CreateCallBody2 {
        to: "+15550100".into(),
        settings: Some(types::CreateCallBody { record: Some(true) }),
    };
    client.create_call(&call).await.unwrap();

    // The request type's `maxLength` (and the nested `minimum`) are its own.
    let too_long = types::Voice2 {
        name: "a name longer than twenty".into(),
        settings: Some(types::VoiceSettings2 {
            speed: Some(0.1),
            ..Default::default()
        }),
    };
    let error = client.create_voice(&too_long).await.unwrap_err();
    let Error::InvalidRequest(invalid) = error else {
        panic!("{error:?}");
    };
    assert_eq!(invalid.field, "body.name");

    // An f32 at its exclusive bound, and an integer one past a bound of
    // 2^53 (equal to it when both are rounded to f64): both refused.
    for (settings, field, rule) in [
        (
            types::VoiceSettings2 {
                gain: Some(2.0),
                ..Default::default()
            },
            "body.settings.gain",
            "exclusiveMaximum 2",
        ),
        (
            types::VoiceSettings2 {
                samples: Some(9_007_199_254_740_993),
                ..Default::default()
            },
            "body.settings.samples",
            "maximum 9007199254740992",
        ),
    ] {
        let request = types::Voice2 {
            name: "Nova".into(),
            settings: Some(settings),
        };
        let error = client.create_voice(&request).await.unwrap_err();
        let Error::InvalidRequest(invalid) = error else {
            panic!("{error:?}");
        };
        assert_eq!(
            (invalid.field.as_str(), invalid.rule.as_str()),
            (field, rule)
        );
    }
}

/// Schemas named `Option`, `String`, `Validate` and `Open` are types of
/// those names in the `types` module, where the std and runtime items of the
/// same names keep their absolute paths (the module compiling at all is half
/// the test): the body goes out whole, an unlisted response value is kept,
/// and the request's checks still run.
#[tokio::test]
async fn schemas_named_like_std_and_runtime_items_keep_their_own_types() {
    use agent_clients::runtime::{Error, Open};
    use snapshots::type_names::{Client, types};
    use wiremock::matchers::{body_json, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/labels"))
        .and(body_json(serde_json::json!({
            "label": "news", "tags": ["world", "sport"], "check": {"strict": true}
        })))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"label": "news", "state": "dimmed"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::with_base_url(&server.uri()).unwrap();

    let label = types::Option {
        label: "news".into(),
        tags: Some(vec![
            types::String("world".into()),
            types::String("sport".into()),
        ]),
        check: Some(types::Validate { strict: Some(true) }),
    };
    let stored: types::Open = client.create_label(&label).await.unwrap().into_inner();
    assert_eq!(stored.state, Some(Open::Unknown("dimmed".into())));

    let too_long = types::Option {
        label: "headlines".into(),
        ..label.clone()
    };
    let bad_tag = types::Option {
        tags: Some(vec![types::String("World".into())]),
        ..label
    };
    for (request, field) in [(too_long, "body.label"), (bad_tag, "body.tags[0]")] {
        let error = client.create_label(&request).await.unwrap_err();
        let Error::InvalidRequest(invalid) = error else {
            panic!("{error:?}");
        };
        assert_eq!(invalid.field, field);
    }
}

/// `Content-Type` and `Accept` header parameters are not arguments (OpenAPI
/// says they shall be ignored): the request carries the body's media type
/// and the documented response type, and the other parameters as usual.
#[tokio::test]
async fn content_type_and_accept_parameters_are_set_by_the_client() {
    use snapshots::bearer_and_headers::{Client, types};
    use wiremock::matchers::{header, method, path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    let agent = "9f1c2d3e-4b5a-4c6d-8e7f-001122334455";
    Mock::given(method("PATCH"))
        .and(path(format!("/agents/{agent}")))
        .and(query_param("dryRun", "true"))
        .and(header("content-type", "application/json"))
        .and(header("accept", "application/json"))
        .and(header("x-workspace-id", agent))
        .and(header("authorization", "Bearer token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": agent})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::with_base_url(&server.uri(), "token").unwrap();
    let id: uuid::Uuid = agent.parse().unwrap();
    let body = types::PatchAgentBody {
        name: Some("Nova".into()),
    };
    let updated = client
        .patch_agent(&id, &id, Some(true), &body)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(updated.id, id);
}

/// A request without a body carries the `Content-Type` a required header
/// parameter pins (`enum: [application/json]`), and it is no argument.
#[tokio::test]
async fn a_pinned_content_type_goes_with_a_bodiless_request() {
    use snapshots::bearer_and_headers::Client;
    use wiremock::matchers::{header, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    let agent = "9f1c2d3e-4b5a-4c6d-8e7f-001122334455";
    Mock::given(method("GET"))
        .and(path(format!("/agents/{agent}")))
        .and(header("content-type", "application/json"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::with_base_url(&server.uri(), "token").unwrap();
    let id: uuid::Uuid = agent.parse().unwrap();
    client.get_agent(&id).await.unwrap();
}

/// A paginated operation's `_stream` yields every item, fetching each page
/// only when the items before it are used up, with the other arguments on
/// every page and the cursor the last page named.
#[tokio::test]
async fn pages_are_fetched_one_at_a_time_following_the_cursor() {
    use snapshots::pagination::Client;
    use wiremock::matchers::{method, path, query_param, query_param_is_missing};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    let page = |ids: &[&str], next: Option<&str>| {
        let items: Vec<_> = ids.iter().map(|id| serde_json::json!({"id": id})).collect();
        ResponseTemplate::new(200)
            .set_body_json(serde_json::json!({"items": items, "next_page": next}))
    };
    for (cursor, ids, next) in [
        (None, &["a", "b"][..], Some("p2")),
        (Some("p2"), &["c"][..], Some("p3")),
        (Some("p3"), &["d"][..], None),
    ] {
        let mock = Mock::given(method("GET"))
            .and(path("/widgets"))
            .and(query_param("color", "red"));
        let mock = match cursor {
            None => mock.and(query_param_is_missing("page_token")),
            Some(cursor) => mock.and(query_param("page_token", cursor)),
        };
        mock.respond_with(page(ids, next))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = Client::with_base_url(&server.uri()).unwrap();
    let mut widgets = client.list_widgets_stream(Some("red"), None);

    let first = widgets.next_item().await.unwrap().unwrap();
    assert_eq!(first.id, "a");
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        1,
        "one page so far"
    );
    let mut ids = vec![first.id];
    while let Some(widget) = widgets.next_item().await {
        ids.push(widget.unwrap().id);
    }
    assert_eq!(ids, ["a", "b", "c", "d"]);
    server.verify().await;
}

/// The list ends at an empty page, whatever cursor it names, and when a
/// server answers a cursor with that same cursor (it would loop forever).
#[tokio::test]
async fn pages_end_at_an_empty_page_and_at_a_looping_cursor() {
    use snapshots::pagination::Client;
    use wiremock::matchers::{method, path, query_param, query_param_is_missing};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    async fn names(server: &MockServer) -> Vec<String> {
        let client = Client::with_base_url(&server.uri()).unwrap();
        let mut gadgets = client.list_gadgets_stream();
        let mut names = Vec::new();
        while let Some(name) = gadgets.next_item().await {
            names.push(name.unwrap());
        }
        names
    }
    let page = |data: &[&str], next: &str| {
        ResponseTemplate::new(200)
            .set_body_json(serde_json::json!({"data": data, "next_cursor": next}))
    };
    let first = || {
        Mock::given(method("GET"))
            .and(path("/gadgets"))
            .and(query_param_is_missing("starting_after"))
    };
    let after = |cursor: &str| {
        Mock::given(method("GET"))
            .and(path("/gadgets"))
            .and(query_param("starting_after", cursor))
    };

    let empty_last = MockServer::start().await;
    first()
        .respond_with(page(&["x"], "c2"))
        .expect(1)
        .mount(&empty_last)
        .await;
    after("c2")
        .respond_with(page(&[], "c3"))
        .expect(1)
        .mount(&empty_last)
        .await;
    after("c3")
        .respond_with(page(&["never"], "c4"))
        .expect(0)
        .mount(&empty_last)
        .await;
    assert_eq!(names(&empty_last).await, ["x"]);
    empty_last.verify().await;

    let looping = MockServer::start().await;
    first()
        .respond_with(page(&["x"], "c1"))
        .expect(1)
        .mount(&looping)
        .await;
    after("c1")
        .respond_with(page(&["y"], "c1"))
        .expect(1)
        .mount(&looping)
        .await;
    assert_eq!(names(&looping).await, ["x", "y"]);
    looping.verify().await;
}

/// An offset list: each page after the first skips the items received so
/// far (here pages of 2, 2 and 1, then an empty one that ends it), with
/// the other arguments on every page.
#[tokio::test]
async fn offset_pages_skip_the_items_received() {
    use snapshots::pagination::Client;
    use wiremock::matchers::{method, path, query_param, query_param_is_missing};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    for (skip, data) in [
        (None, &["a", "b"][..]),
        (Some("2"), &["c", "d"][..]),
        (Some("4"), &["e"][..]),
        (Some("5"), &[][..]),
    ] {
        let mock = Mock::given(method("GET"))
            .and(path("/entries"))
            .and(query_param("limit", "2"));
        let mock = match skip {
            None => mock.and(query_param_is_missing("skip")),
            Some(skip) => mock.and(query_param("skip", skip)),
        };
        mock.respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"data": data})),
        )
        .expect(1)
        .mount(&server)
        .await;
    }
    let client = Client::with_base_url(&server.uri()).unwrap();
    let mut entries = client.list_entries_stream(Some(2));
    let mut names = Vec::new();
    while let Some(name) = entries.next_item().await {
        names.push(name.unwrap());
    }
    assert_eq!(names, ["a", "b", "c", "d", "e"]);
    server.verify().await;
}

/// Page numbers count up from the first page (the parameter's minimum,
/// here 0, sent as the parameter left out), one page at a time, until an
/// empty page; Speakeasy's form counts from 1 where the spec says nothing.
#[tokio::test]
async fn numbered_pages_count_up_from_the_first() {
    use snapshots::pagination::Client;
    use wiremock::matchers::{method, path, query_param, query_param_is_missing};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    let things = |things: &[&str]| {
        ResponseTemplate::new(200).set_body_json(serde_json::json!({"things": things}))
    };
    for (route, first, later) in [("/offsets", "1", "2"), ("/records", "2", "3")] {
        Mock::given(method("GET"))
            .and(path(route))
            .and(query_param_is_missing("page"))
            .respond_with(things(&["p0"]))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(route))
            .and(query_param("page", first))
            .respond_with(things(&["p1", "p1b"]))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(route))
            .and(query_param("page", later))
            .respond_with(things(&[]))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = Client::with_base_url(&server.uri()).unwrap();
    let mut offsets = client.list_offsets_stream();
    let mut seen = Vec::new();
    while let Some(thing) = offsets.next_item().await {
        seen.push(thing.unwrap());
    }
    let mut records = client.list_records_stream(None);
    while let Some(thing) = records.next_item().await {
        seen.push(thing.unwrap());
    }
    assert_eq!(seen, ["p0", "p1", "p1b", "p0", "p1", "p1b"]);
    server.verify().await;
}

/// Each page is an ordinary call: a page the server is too busy for is
/// retried after its `Retry-After`, and the list goes on.
#[tokio::test]
async fn each_page_is_retried_like_any_call() {
    use snapshots::pagination::Client;
    use wiremock::matchers::{method, path, query_param, query_param_is_missing};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/gadgets"))
        .and(query_param_is_missing("starting_after"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"data": ["x"], "next_cursor": "c2"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/gadgets"))
        .and(query_param("starting_after", "c2"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/gadgets"))
        .and(query_param("starting_after", "c2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"data": ["y"]})))
        .mount(&server)
        .await;
    let client = Client::with_base_url(&server.uri()).unwrap();
    let mut gadgets = client.list_gadgets_stream();
    let mut names = Vec::new();
    while let Some(name) = gadgets.next_item().await {
        names.push(name.unwrap());
    }
    assert_eq!(names, ["x", "y"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

/// Pages named by the `Link` header: each next page is the same request
/// (headers included) sent to the link, absolute or relative; a link to
/// another origin is refused before anything is sent there.
#[tokio::test]
async fn link_headers_name_the_next_page_on_the_same_origin_only() {
    use agent_clients::runtime::Error;
    use snapshots::pagination::Client;
    use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    let uri = server.uri();
    let logs = || {
        Mock::given(method("GET"))
            .and(path("/logs"))
            .and(header("x-api-version", "v1"))
    };
    logs()
        .and(query_param("per_page", "2"))
        .and(query_param_is_missing("page"))
        .respond_with(ResponseTemplate::new(200).set_body_json(["a", "b"]).insert_header(
            "link",
            format!(r#"<{uri}/logs?page=2&per_page=2>; rel="next", <{uri}/logs?page=3>; rel="last""#),
        ))
        .expect(1)
        .mount(&server)
        .await;
    logs()
        .and(query_param("page", "2"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(["c"])
                .insert_header("link", r#"</logs?page=3&per_page=2>; rel="next""#),
        )
        .expect(1)
        .mount(&server)
        .await;
    logs()
        .and(query_param("page", "3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(["d"]))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::with_base_url(&server.uri()).unwrap();
    let mut lines = Vec::new();
    let mut logs_stream = client.list_logs_stream("v1", Some(2));
    while let Some(line) = logs_stream.next_item().await {
        lines.push(line.unwrap());
    }
    assert_eq!(lines, ["a", "b", "c", "d"]);
    server.verify().await;

    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/logs"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(["x"])
                .insert_header("link", r#"<http://other.example/logs?page=2>; rel="next""#),
        )
        .expect(1)
        .mount(&elsewhere)
        .await;
    let client = Client::with_base_url(&elsewhere.uri()).unwrap();
    let mut logs_stream = client.list_logs_stream("v1", None);
    assert_eq!(logs_stream.next_item().await.unwrap().unwrap(), "x");
    let error = logs_stream.next_item().await.unwrap().unwrap_err();
    let Error::InvalidRequest(invalid) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(invalid.field, "Link");
    assert!(
        invalid.message.contains("http://other.example"),
        "{}",
        invalid.message
    );
    assert!(logs_stream.next_item().await.is_none());
    elsewhere.verify().await;
}

/// Speakeasy's and Fern's cursor extensions page the same way as ours.
#[tokio::test]
async fn speakeasy_and_fern_cursors_are_followed() {
    use snapshots::pagination::Client;
    use wiremock::matchers::{method, path, query_param, query_param_is_missing};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    for route in ["/things", "/stuff"] {
        Mock::given(method("GET"))
            .and(path(route))
            .and(query_param_is_missing("after"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(serde_json::json!({"things": ["a"], "next": "n1"})),
            )
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(route))
            .and(query_param("after", "n1"))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(serde_json::json!({"things": ["b"]})),
            )
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = Client::with_base_url(&server.uri()).unwrap();
    let (mut speakeasy, mut fern) = (client.list_things_stream(), client.list_stuff_stream());
    let (mut from_speakeasy, mut from_fern) = (Vec::new(), Vec::new());
    while let Some(name) = speakeasy.next_item().await {
        from_speakeasy.push(name.unwrap());
    }
    while let Some(name) = fern.next_item().await {
        from_fern.push(name.unwrap());
    }
    assert_eq!(from_speakeasy, ["a", "b"]);
    assert_eq!(from_fern, ["a", "b"]);
    server.verify().await;
}

/// A response, request body or parameter declared once under `components`
/// with its schema inline is one type, shared by every operation that
/// refers to it: an error from either operation is the same `NotFound`, and
/// one `Rename` value and one `SortOrder` serve both operations.
#[tokio::test]
async fn a_component_written_once_is_one_type_for_every_operation() {
    use agent_clients::runtime::Error;
    use snapshots::shared_components::types::{NotFound, NotFoundStatus, Rename, SortOrder};
    use snapshots::shared_components::{Client, ListAgentsError, ListCallsError};
    use wiremock::matchers::{body_json, method, path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    for route in ["/calls", "/agents"] {
        Mock::given(method("GET"))
            .and(path(route))
            .and(query_param("order", "desc"))
            .respond_with(
                ResponseTemplate::new(404)
                    .set_body_json(serde_json::json!({"status": "error", "message": route})),
            )
            .expect(1)
            .mount(&server)
            .await;
    }
    for route in ["/calls/c1", "/agents/a1"] {
        Mock::given(method("PATCH"))
            .and(path(route))
            .and(body_json(serde_json::json!({"name": "front desk"})))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = Client::with_base_url(&server.uri()).unwrap();
    // The one type both operations' errors hold.
    fn message(found: &NotFound) -> &str {
        assert_eq!(found.status, NotFoundStatus::Error);
        found.message.as_deref().unwrap_or_default()
    }
    let order = SortOrder::Desc;
    let Error::Api { body, .. } = client.list_calls(Some(&order)).await.unwrap_err() else {
        panic!("not a typed error");
    };
    let ListCallsError::NotFound(found) = *body else {
        panic!("{body:?}");
    };
    assert_eq!(message(&found), "/calls");
    let Error::Api { body, .. } = client.list_agents(Some(&order)).await.unwrap_err() else {
        panic!("not a typed error");
    };
    let ListAgentsError::NotFound(found) = *body;
    assert_eq!(message(&found), "/agents");
    let rename = Rename {
        name: "front desk".into(),
    };
    client.rename_call("c1", &rename).await.unwrap();
    client.rename_agent("a1", &rename).await.unwrap();
    server.verify().await;
}
