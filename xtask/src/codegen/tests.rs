//! The drift check: the committed files are current, and against a scratch
//! copy of the workspace every kind of drift is caught and named, and writes
//! are all-or-nothing.

use std::fs;
use std::path::{Path, PathBuf};

use crate::codegen::{Options, discover_specs, run};

/// Copies what `cargo xtask codegen` reads and writes into a temp dir.
fn scratch_workspace() -> (tempfile::TempDir, PathBuf) {
    let source = crate::workspace_root();
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path().to_path_buf();
    for dir in [
        "specs",
        "codegen/tests/fixtures",
        "codegen/tests/snapshots",
        "generated/src/vendors",
    ] {
        fs::create_dir_all(root.join(dir)).unwrap();
        for entry in fs::read_dir(source.join(dir)).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                fs::copy(entry.path(), root.join(dir).join(entry.file_name())).unwrap();
            }
        }
    }
    fs::copy(
        source.join("generated/Cargo.toml"),
        root.join("generated/Cargo.toml"),
    )
    .unwrap();
    (temp, root)
}

fn check(root: &Path) -> Result<(), String> {
    run(
        root,
        &Options {
            check: true,
            verbose: false,
            strict: false,
            vendors: Vec::new(),
        },
    )
}

fn write(root: &Path) -> Result<(), String> {
    run(root, &Options::default())
}

fn ravan_module(root: &Path) -> PathBuf {
    root.join("generated/src/vendors/ravan.rs")
}

#[test]
fn a_clean_copy_passes() {
    let (_temp, root) = scratch_workspace();
    check(&root).unwrap();
}

#[test]
fn an_edited_byte_is_stale_and_the_diff_is_shown_with_verbose() {
    let (_temp, root) = scratch_workspace();
    let path = ravan_module(&root);
    let mut text = fs::read_to_string(&path).unwrap();
    text = text.replacen("pub struct Client", "pub struct Klient", 1);
    fs::write(&path, &text).unwrap();

    let error = check(&root).unwrap_err();
    assert!(
        error.contains("generated/src/vendors/ravan.rs is stale"),
        "{error}"
    );
    assert!(error.contains("run `cargo xtask codegen`"), "{error}");

    let verbose = run(
        &root,
        &Options {
            check: true,
            verbose: true,
            strict: false,
            vendors: Vec::new(),
        },
    )
    .unwrap_err();
    assert!(verbose.contains("-pub struct Klient"), "{verbose}");
    assert!(verbose.contains("+pub struct Client"), "{verbose}");
    // --check wrote nothing.
    assert_eq!(fs::read_to_string(&path).unwrap(), text);

    write(&root).unwrap();
    check(&root).unwrap();
}

#[test]
fn a_deleted_file_is_missing() {
    let (_temp, root) = scratch_workspace();
    fs::remove_file(ravan_module(&root)).unwrap();
    let error = check(&root).unwrap_err();
    assert!(
        error.contains("generated/src/vendors/ravan.rs is missing"),
        "{error}"
    );
    write(&root).unwrap();
    check(&root).unwrap();
}

#[test]
fn an_orphan_is_reported_and_then_removed() {
    let (_temp, root) = scratch_workspace();
    let orphan = root.join("generated/src/vendors/ghost.rs");
    fs::write(&orphan, "// no spec makes me\n").unwrap();
    let error = check(&root).unwrap_err();
    assert!(
        error.contains("generated/src/vendors/ghost.rs is orphaned"),
        "{error}"
    );
    write(&root).unwrap();
    assert!(!orphan.exists());
    check(&root).unwrap();
}

#[test]
fn a_spec_change_makes_the_module_stale() {
    let (_temp, root) = scratch_workspace();
    let spec = root.join("specs/ravan.yaml");
    let text = fs::read_to_string(&spec)
        .unwrap()
        .replace("description: Agent ID", "description: The agent's ID");
    fs::write(&spec, text).unwrap();
    let error = check(&root).unwrap_err();
    assert!(
        error.contains("generated/src/vendors/ravan.rs is stale"),
        "{error}"
    );
}

#[test]
fn crlf_line_endings_are_not_drift() {
    let (_temp, root) = scratch_workspace();
    let path = ravan_module(&root);
    let crlf = fs::read_to_string(&path).unwrap().replace('\n', "\r\n");
    fs::write(&path, crlf).unwrap();
    check(&root).unwrap();
}

#[test]
fn running_twice_changes_nothing() {
    let (_temp, root) = scratch_workspace();
    write(&root).unwrap();
    let first = fs::read(ravan_module(&root)).unwrap();
    let modified = fs::metadata(ravan_module(&root))
        .unwrap()
        .modified()
        .unwrap();
    write(&root).unwrap();
    assert_eq!(fs::read(ravan_module(&root)).unwrap(), first);
    // Unchanged files are not even rewritten.
    assert_eq!(
        fs::metadata(ravan_module(&root))
            .unwrap()
            .modified()
            .unwrap(),
        modified
    );
}

#[test]
fn a_broken_spec_writes_nothing_at_all() {
    let (_temp, root) = scratch_workspace();
    // Make the good module stale, then break a fixture: the run must fail
    // and leave even the stale-but-fixable file alone.
    let path = ravan_module(&root);
    fs::write(&path, "stale\n").unwrap();
    fs::write(
        root.join("codegen/tests/fixtures/enum-aliases.yaml"),
        "openapi: 3.0.3\ninfo: [\n",
    )
    .unwrap();
    let error = write(&root).unwrap_err();
    assert!(
        error.contains("codegen/tests/fixtures/enum-aliases.yaml: not valid YAML"),
        "{error}"
    );
    assert!(error.contains("no file was written"), "{error}");
    assert_eq!(fs::read_to_string(&path).unwrap(), "stale\n");
    let leftovers: Vec<_> = fs::read_dir(root.join("generated/src/vendors"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_vendor_filter_regenerates_only_that_vendor() {
    let (_temp, root) = scratch_workspace();
    let error = run(
        &root,
        &Options {
            check: false,
            verbose: false,
            strict: false,
            vendors: vec!["nope".into()],
        },
    )
    .unwrap_err();
    // The known vendors are whatever `specs/` holds (adding a vendor must
    // not break this test), listed in order.
    let known = error
        .split_once("no spec for vendor `nope`; known vendors: ")
        .map(|(_, list)| list.lines().next().unwrap_or_default().to_string())
        .unwrap_or_else(|| panic!("{error}"));
    let known: Vec<&str> = known.split(", ").collect();
    assert!(
        known.contains(&"ravan") && known.contains(&"ayra"),
        "{error}"
    );
    assert!(known.is_sorted(), "{error}");
    fs::remove_file(ravan_module(&root)).unwrap();
    run(
        &root,
        &Options {
            check: false,
            verbose: false,
            strict: false,
            vendors: vec!["ravan".into()],
        },
    )
    .unwrap();
    check(&root).unwrap();
}

#[test]
fn a_vendor_without_its_feature_is_reported() {
    let (_temp, root) = scratch_workspace();
    let manifest = root.join("generated/Cargo.toml");
    let text = fs::read_to_string(&manifest)
        .unwrap()
        .replace("ravan = []", "");
    fs::write(&manifest, text).unwrap();
    let error = check(&root).unwrap_err();
    assert!(
        error.contains("add `ravan = []` under [features] in generated/Cargo.toml"),
        "{error}"
    );
}

#[test]
fn a_vendor_feature_without_the_crates_its_types_use_is_reported() {
    // Supervisor's spec has `date-time` and `uuid` formats.
    let (_temp, root) = scratch_workspace();
    let manifest = root.join("generated/Cargo.toml");
    let text = fs::read_to_string(&manifest).unwrap().replace(
        "supervisor = [\"chrono\", \"uuid\"]",
        "supervisor = [\"chrono\"]",
    );
    fs::write(&manifest, text).unwrap();
    let error = check(&root).unwrap_err();
    assert!(
        error.contains("the `supervisor` module uses `uuid` (a `uuid` format): its feature in generated/Cargo.toml must be `supervisor = [\"chrono\", \"uuid\"]`"),
        "{error}"
    );
    assert!(!error.contains("uses `chrono`"), "{error}");
}

/// Plain `cargo test` fails when committed generated code drifts from
/// the specs.
#[test]
fn generated_code_is_up_to_date() {
    let root = crate::workspace_root();
    let options = Options {
        check: true,
        verbose: true,
        strict: false,
        vendors: Vec::new(),
    };
    if let Err(message) = run(&root, &options) {
        panic!("{message}");
    }
}

#[test]
fn args_parse() {
    use clap::Parser;
    let parsed = crate::Cli::try_parse_from(["xtask", "codegen", "--check", "-v", "ravan"]);
    let Ok(crate::Cli::Codegen(options)) = parsed else {
        panic!("{parsed:?}");
    };
    assert_eq!(
        options,
        Options {
            check: true,
            verbose: true,
            strict: false,
            vendors: vec!["ravan".into()]
        }
    );
    assert!(crate::Cli::try_parse_from(["xtask", "codegen", "--frobnicate"]).is_err());
}

#[test]
fn any_spec_file_name_gives_a_module() {
    let dir = std::env::temp_dir().join(format!("xtask-stems-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    for name in [
        "box.yaml",
        "2fa.json",
        "api.v2-beta.yml",
        "box.overlay.yaml",
    ] {
        fs::write(dir.join(name), "openapi: 3.0.3\n").unwrap();
    }
    let modules: Vec<String> = discover_specs(&dir)
        .unwrap()
        .into_iter()
        .map(|spec| spec.module)
        .collect();
    assert_eq!(modules, ["api_v2_beta", "box_", "spec_2fa"]);
    fs::write(dir.join("api_v2_beta.yaml"), "openapi: 3.0.3\n").unwrap();
    let error = discover_specs(&dir).unwrap_err();
    assert!(
        error.contains("would both generate the module `api_v2_beta`"),
        "{error}"
    );
    fs::remove_dir_all(&dir).unwrap();
}

/// `cargo xtask codegen box` for specs/box.yaml, whose module is `box_`
/// (a keyword): the file stem names the vendor, and so does the module.
#[test]
fn a_vendor_is_named_by_its_spec_file_stem_or_its_module() {
    let (_temp, root) = scratch_workspace();
    fs::copy(root.join("specs/ravan.yaml"), root.join("specs/box.yaml")).unwrap();
    let manifest = root.join("generated/Cargo.toml");
    let text = fs::read_to_string(&manifest)
        .unwrap()
        .replacen("ravan = []", "ravan = []\nbox_ = []", 1)
        .replacen("default = [\"ravan\"", "default = [\"box_\", \"ravan\"", 1);
    fs::write(&manifest, text).unwrap();
    let only = |vendor: &str, check: bool| {
        run(
            &root,
            &Options {
                check,
                verbose: false,
                strict: false,
                vendors: vec![vendor.into()],
            },
        )
    };
    let module = root.join("generated/src/vendors/box_.rs");
    assert!(!module.exists());
    only("box", false).unwrap();
    assert!(module.exists());
    only("box", true).unwrap();
    only("box_", true).unwrap();
    fs::write(&module, "stale\n").unwrap();
    let error = only("box_", true).unwrap_err();
    assert!(error.contains("box_.rs is stale"), "{error}");
    let error = only("boxes", true).unwrap_err();
    assert!(
        error.contains("no spec for vendor `boxes`; known vendors: ")
            && error.contains("box (module box_)"),
        "{error}"
    );
}

/// A spec of `operations` GET operations spread over the tags `Pets`,
/// `Stores` and `Health`, each with a typed answer of its tag's own.
fn big_spec(operations: usize) -> String {
    let tags = ["Pets", "Stores", "Health"];
    let mut spec = String::from(
        "openapi: 3.0.3\ninfo: {title: Big, version: '1'}\ntags:\n  - name: Pets\n  - name: Stores\n  - name: Health\npaths:\n",
    );
    for i in 0..operations {
        let tag = tags[i % tags.len()];
        spec.push_str(&format!(
            "  /{lower}/{i}:\n    get:\n      operationId: get{tag}{i}\n      tags: [{tag}]\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/{tag}'}}\n",
            lower = tag.to_lowercase()
        ));
    }
    spec.push_str("components:\n  schemas:\n");
    for tag in tags {
        spec.push_str(&format!(
            "    {tag}:\n      type: object\n      properties:\n        name: {{type: string}}\n"
        ));
    }
    spec
}

/// The names `[features]` of `manifest` declares, and its optional
/// dependencies (implicit features).
fn declared_features(manifest: &str) -> Vec<String> {
    let mut table = "";
    let mut names = Vec::new();
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            table = line;
        } else if let Some((key, value)) = line.split_once(" = ")
            && !key.starts_with('#')
            && (table == "[features]"
                || (table == "[dependencies]" && value.contains("optional = true")))
        {
            names.push(key.to_string());
        }
    }
    names
}

/// Added the README's way (the spec, `NAME = []` in `[features]` and in
/// `default`, `cargo xtask codegen`), a vendor of 100 operations or more is
/// split per tag: the run declares every feature the module's `cfg`s name,
/// the vendor's feature turns them all on, and `--check` fails while they
/// are missing.
#[test]
fn a_split_vendor_gets_its_per_tag_features_in_the_manifest() {
    let (_temp, root) = scratch_workspace();
    fs::write(root.join("specs/big.yaml"), big_spec(102)).unwrap();
    let manifest_path = root.join("generated/Cargo.toml");
    let original = fs::read_to_string(&manifest_path).unwrap();
    let recipe = original
        .replacen("ravan = []", "ravan = []\nbig = []", 1)
        .replacen("default = [\"ravan\"", "default = [\"big\", \"ravan\"", 1);
    assert_ne!(recipe, original);
    fs::write(&manifest_path, &recipe).unwrap();

    let error = check(&root).unwrap_err();
    assert!(error.contains("big.rs is missing"), "{error}");
    assert!(
        error.contains(
            "generated/Cargo.toml is stale: it must declare the per-tag features of each split vendor module"
        ),
        "{error}"
    );
    assert_eq!(fs::read_to_string(&manifest_path).unwrap(), recipe);

    write(&root).unwrap();
    check(&root).unwrap();
    let manifest = fs::read_to_string(&manifest_path).unwrap();
    assert!(manifest.contains("\nbig = [\"big-tags\"]\n"), "{manifest}");
    assert!(
        manifest.contains("\nbig-tags = [\"pets\", \"stores\", \"health\"]\n"),
        "{manifest}"
    );
    assert!(
        manifest.contains("\npets = []  # big: tag `Pets`, 34 operations\n"),
        "{manifest}"
    );
    // Only the block and the vendor's line were added; the rest is the
    // hand-written manifest, byte for byte.
    let block_start = manifest.find(super::manifest::BEGIN).unwrap();
    let block_end = manifest.find(super::manifest::END).unwrap() + super::manifest::END.len() + 1;
    let without_block = format!("{}{}", &manifest[..block_start], &manifest[block_end..]);
    assert_eq!(
        without_block
            .replacen("big = [\"big-tags\"]", "big = []", 1)
            .replacen("\n\n\n", "\n\n", 1),
        recipe
    );

    // Every feature a `cfg` of the module names is declared.
    let module = fs::read_to_string(root.join("generated/src/vendors/big.rs")).unwrap();
    let declared = declared_features(&manifest);
    let mut named: Vec<&str> = module
        .split("feature = \"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(name, _)| name))
        .collect();
    named.sort();
    named.dedup();
    assert_eq!(named, ["health", "mock", "pets", "stores"]);
    for name in named {
        assert!(declared.iter().any(|d| d == name), "`{name}` undeclared");
    }

    // A feature line taken out is drift, and a run puts it back.
    let broken = manifest.replacen("\nstores = []", "\n", 1);
    fs::write(&manifest_path, &broken).unwrap();
    let error = check(&root).unwrap_err();
    assert!(error.contains("generated/Cargo.toml is stale"), "{error}");
    write(&root).unwrap();
    assert_eq!(fs::read_to_string(&manifest_path).unwrap(), manifest);

    // Under 100 operations, no split: the block goes, the line is as the
    // recipe wrote it.
    fs::write(root.join("specs/big.yaml"), big_spec(99)).unwrap();
    write(&root).unwrap();
    assert_eq!(fs::read_to_string(&manifest_path).unwrap(), recipe);
}
