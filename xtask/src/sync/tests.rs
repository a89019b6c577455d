//! sync-specs against a local server standing in for the vendor's docs:
//! the same spec, a changed one, a truncated one, an error status, and a
//! page that is not a spec.

use std::fs;
use std::path::{Path, PathBuf};

use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::sync::{Options, run};
use codegen::load::fenced_yaml;

struct Scratch {
    _temp: tempfile::TempDir,
    root: PathBuf,
    runtime: tokio::runtime::Runtime,
    server: MockServer,
}

/// A copy of specs/ whose Ravan overlay points at a local server.
fn scratch() -> Scratch {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = runtime.block_on(MockServer::start());
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path().to_path_buf();
    fs::create_dir_all(root.join("specs")).unwrap();
    for entry in fs::read_dir(crate::workspace_root().join("specs")).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), root.join("specs").join(entry.file_name())).unwrap();
    }
    let overlay = root.join("specs/ravan.overlay.yaml");
    let text = fs::read_to_string(&overlay).unwrap();
    let start = text.find("  url: ").unwrap();
    let end = start + text[start..].find('\n').unwrap();
    let local = format!("  url: {}/ravan/update-agent-status.md", server.uri());
    fs::write(
        &overlay,
        format!("{}{local}{}", &text[..start], &text[end..]),
    )
    .unwrap();
    Scratch {
        _temp: temp,
        root,
        runtime,
        server,
    }
}

impl Scratch {
    fn serve(&self, response: ResponseTemplate) {
        self.runtime.block_on(
            Mock::given(path("/ravan/update-agent-status.md"))
                .respond_with(response)
                .mount(&self.server),
        );
    }

    fn spec(&self) -> String {
        fs::read_to_string(self.root.join("specs/ravan.yaml")).unwrap()
    }

    fn sync(&self, check: bool) -> Result<(), String> {
        run(
            &self.root,
            &Options {
                check,
                vendors: vec!["ravan".into()],
            },
        )
    }
}

fn page(yaml: &str) -> String {
    format!(
        "# Update Agent Status\n\nProse.\n\n## OpenAPI\n\n````yaml PATCH /api/v1/agents/{{id}}/status/\n{yaml}\n````\n"
    )
}

fn local_ravan() -> String {
    fs::read_to_string(crate::workspace_root().join("specs/ravan.yaml")).unwrap()
}

#[test]
fn an_unchanged_upstream_is_up_to_date() {
    let scratch = scratch();
    scratch.serve(ResponseTemplate::new(200).set_body_string(page(&local_ravan())));
    scratch.sync(true).unwrap();
    scratch.sync(false).unwrap();
    assert_eq!(scratch.spec(), local_ravan());
}

#[test]
fn a_changed_upstream_is_reported_by_check_and_taken_by_sync() {
    let scratch = scratch();
    let changed = local_ravan().replace(
        "        - AGENT_STATUS_INACTIVE\n",
        "        - AGENT_STATUS_INACTIVE\n        - AGENT_STATUS_ARCHIVED\n",
    );
    assert_ne!(changed, local_ravan());
    scratch.serve(ResponseTemplate::new(200).set_body_string(page(&changed)));
    let error = scratch.sync(true).unwrap_err();
    assert!(
        error.contains("upstream drift in specs/ravan.yaml"),
        "{error}"
    );
    assert_eq!(scratch.spec(), local_ravan(), "--check writes nothing");
    scratch.sync(false).unwrap();
    assert_eq!(scratch.spec().trim_end(), changed.trim_end());
    scratch.sync(true).unwrap();
}

#[test]
fn a_truncated_page_never_overwrites() {
    let scratch = scratch();
    let full = page(&local_ravan());
    let cut = &full[..full.len() / 2];
    scratch.serve(ResponseTemplate::new(200).set_body_string(cut));
    let error = scratch.sync(false).unwrap_err();
    assert!(error.contains("no complete ```yaml block"), "{error}");
    assert_eq!(scratch.spec(), local_ravan());
}

#[test]
fn a_truncated_spec_inside_a_complete_page_never_overwrites() {
    let scratch = scratch();
    let yaml = local_ravan();
    // Cut at a line boundary, so it still parses as YAML but is no longer a
    // usable spec (its $refs dangle).
    let cut: String = yaml.lines().take(60).collect::<Vec<_>>().join("\n");
    scratch.serve(ResponseTemplate::new(200).set_body_string(page(&cut)));
    let error = scratch.sync(false).unwrap_err();
    assert!(
        error.contains("is not usable, nothing was written"),
        "{error}"
    );
    // The diagnostic locates the problem (here: the overlay's target is
    // missing from the cut spec).
    assert!(error.contains(".yaml#/"), "{error}");
    assert_eq!(scratch.spec(), local_ravan());
}

#[test]
fn an_error_status_never_overwrites() {
    let scratch = scratch();
    scratch.serve(ResponseTemplate::new(503).set_body_string("maintenance"));
    let error = scratch.sync(false).unwrap_err();
    assert!(error.contains("answered 503"), "{error}");
    assert_eq!(scratch.spec(), local_ravan());
}

#[test]
fn a_page_that_is_not_a_spec_never_overwrites() {
    let scratch = scratch();
    scratch.serve(
        ResponseTemplate::new(200).set_body_string("````yaml\n<html>not a spec</html>\n````\n"),
    );
    let error = scratch.sync(false).unwrap_err();
    assert!(error.contains("nothing was written"), "{error}");
    assert_eq!(scratch.spec(), local_ravan());
}

#[test]
fn a_vendor_without_upstream_is_an_error_when_named() {
    let scratch = scratch();
    let error = run(
        &scratch.root,
        &Options {
            check: true,
            vendors: vec!["ayra".into()],
        },
    )
    .unwrap_err();
    assert!(error.contains("declares no upstream"), "{error}");
}

#[test]
fn fences_are_found() {
    assert_eq!(
        fenced_yaml("x\n```yaml\na: 1\n```\n").as_deref(),
        Some("a: 1\n")
    );
    assert_eq!(
        fenced_yaml("````yaml GET /\na: 1\n```\nb: 2\n````\n").as_deref(),
        Some("a: 1\n```\nb: 2\n")
    );
    assert_eq!(fenced_yaml("```yaml\na: 1\n"), None);
    assert_eq!(fenced_yaml("no fence"), None);
    let _ = Path::new("");
}
