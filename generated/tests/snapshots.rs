//! The codegen snapshot files (`codegen/tests/snapshots/*.rs`) must not only
//! match the generator's output (the drift check) but also compile against
//! the runtime: this test target includes them all.

#[rustfmt::skip]
#[path = "../../codegen/tests/snapshots/mod.rs"]
#[allow(dead_code)]
mod snapshots;

#[test]
fn snapshot_clients_construct() {
    // The fixtures cover bearer auth, API-key-free specs and default
    // servers; constructing each proves the emitted constructors work.
    let bearer = snapshots::bearer_and_headers::Client::new("token").unwrap();
    assert_eq!(bearer.base_url(), "https://bearer.example/v1");
    let errors = snapshots::error_schemas::Client::with_base_url("http://127.0.0.1:9/").unwrap();
    assert_eq!(errors.base_url(), "http://127.0.0.1:9");
}
