//! The spec's servers as typed choices (the `server-choices` fixture): the first
//! is the default, variables with listed values are enums, and a chosen
//! server's variables reach the URL requests go to.

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::codegen_snapshots::snapshots::server_choices::Client;
use crate::codegen_snapshots::snapshots::server_choices::servers::{Region, Scheme, Server, Stage};

#[test]
fn the_first_server_is_the_default_and_variables_fill_the_url() {
    assert_eq!(Server::default(), Server::Production);
    assert_eq!(
        Client::new().unwrap().base_url(),
        "https://api.example.com/v1"
    );
    assert_eq!(Server::European.url(), "https://api.eu.example.com/v1");
    let tenant = Server::Tenant {
        scheme: Scheme::Https,
        tenant: "acme".into(),
        region: Region::EuWest,
        port: "8443".into(),
        unused: String::new(),
    };
    assert_eq!(tenant.url(), "https://acme.eu-west.example.com:8443/v1");
    let client = Client::for_server(&tenant).unwrap();
    assert_eq!(
        client.base_url(),
        "https://acme.eu-west.example.com:8443/v1"
    );
    // A default the spec left out of its values is offered too.
    assert_eq!(
        Server::Sandbox { stage: Stage::Beta }.url(),
        "https://beta.sandbox.example.com"
    );
}

#[tokio::test]
async fn a_server_variable_reaches_the_url_requests_go_to() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/ping"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let address = server.address();
    let self_hosted = Server::SelfHosted {
        host: address.ip().to_string(),
        port: address.port().to_string(),
    };
    let client = Client::for_server(&self_hosted).unwrap();
    client.ping().await.unwrap();
}

#[test]
fn a_variable_value_that_breaks_the_url_is_refused_when_the_client_is_built() {
    let broken = Server::SelfHosted {
        host: "bad host".into(),
        port: "80".into(),
    };
    let error = Client::for_server(&broken).unwrap_err();
    assert!(error.to_string().contains("bad host"), "{error}");
}
