//! `specs/ravan.yaml` must be the vendor's published YAML, unedited: this
//! parses both the spec file and the YAML block inside the vendor's doc and
//! proves they are the same document.
//!
//! The vendor docs live in `../shared/vendor-docs/` beside the project root
//! (third-party text, not committed here); without them the test says so and
//! skips.

use std::path::PathBuf;

use crate::common;

fn workspace_root() -> PathBuf {
    common::manifest_dir().parent().unwrap().to_path_buf()
}

fn vendor_doc(file: &str) -> Option<String> {
    let path = workspace_root().join("../shared/vendor-docs").join(file);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(_) => {
            eprintln!(
                "NOTICE: {} is absent; skipping the comparison with the vendor's published text",
                path.display()
            );
            None
        }
    }
}

#[test]
fn ravan_spec_is_the_vendors_document_verbatim() {
    let Some(doc) = vendor_doc("000_9e06e4880ff7fa04.txt") else {
        return;
    };
    // The same extraction `cargo xtask sync-specs` applies to the page.
    let published = codegen::load::fenced_yaml(&doc).expect("the doc has a complete ```yaml block");
    let ours = std::fs::read_to_string(workspace_root().join("specs/ravan.yaml")).unwrap();

    let published_value: serde_json::Value =
        serde_yaml_ng::from_str(&published).expect("the vendor's YAML parses");
    let our_value: serde_json::Value =
        serde_yaml_ng::from_str(&ours).expect("specs/ravan.yaml parses");
    assert_eq!(
        our_value, published_value,
        "specs/ravan.yaml differs from the vendor's published YAML; put corrections in specs/ravan.overlay.yaml"
    );
    // Beyond the same document: the same text, but for trailing blank lines.
    assert_eq!(ours.trim_end(), published.trim_end());
}
