//! README's "Your own spec: three ways", followed as written, each in a
//! fresh directory outside this workspace: the `toml`, `rust` and `sh`
//! blocks are read from README.md itself, so the test follows what a
//! reader sees. The checkout the README calls `agent-clients/` is this
//! one (a link to it; for the first way, a copy, since adding a vendor
//! changes it). Every crate is checked with the others' target directory
//! ([`super::cargo_in`]), offline, with the workspace's lock file so that
//! no new version is resolved.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{Scratch, cargo_in, root, stderr};

/// The spec the README's examples name, `petstore.yaml`: two tags, a
/// path parameter, a body, typed answers.
const PETSTORE: &str = r#"openapi: 3.0.3
info: {title: Petstore, version: '1'}
tags:
  - name: pets
  - name: store
paths:
  /pets/{petId}:
    get:
      operationId: getPet
      tags: [pets]
      parameters:
        - {name: petId, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: the pet
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
  /orders:
    post:
      operationId: placeOrder
      tags: [store]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Order'}
      responses:
        '201': {description: placed}
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string}
    Order:
      type: object
      required: [petId]
      properties:
        petId: {type: string}
        quantity: {type: integer, minimum: 1}
"#;

/// The fenced blocks of `lang` in the README's section that starts with
/// `heading`, up to the next `## ` heading, each dedented.
fn readme_blocks(heading: &str, lang: &str) -> Vec<String> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme
        .find(heading)
        .unwrap_or_else(|| panic!("README.md has no `{heading}`"));
    let section = &readme[start + heading.len()..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    let mut blocks = Vec::new();
    let mut lines = section.lines();
    while let Some(line) = lines.next() {
        let indent = line.len() - line.trim_start().len();
        if line.trim_start() != format!("```{lang}") {
            continue;
        }
        let mut block = String::new();
        for line in lines.by_ref() {
            if line.trim_start() == "```" {
                break;
            }
            block.push_str(line.get(indent..).unwrap_or("").trim_end());
            block.push('\n');
        }
        blocks.push(block);
    }
    assert!(!blocks.is_empty(), "no ```{lang} block under `{heading}`");
    blocks
}

const THREE_WAYS: &str = "## Your own spec: three ways";

/// A fresh directory holding `agent-clients`, a link to this checkout.
fn beside_a_checkout(scratch: &Scratch) -> PathBuf {
    let work = scratch.0.join("work");
    std::fs::create_dir_all(&work).unwrap();
    std::os::unix::fs::symlink(root().canonicalize().unwrap(), work.join("agent-clients")).unwrap();
    work
}

/// `cargo check` in `dir`, offline, with `args`; fails the test on an
/// error or any warning.
fn check_without_warnings(dir: &Path, args: &[&str]) {
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let output = cargo_in(dir)
        .args(["check", "--offline", "--message-format", "short"])
        .args(args)
        .output()
        .expect("cargo runs");
    let stderr = stderr(&output);
    assert!(output.status.success(), "{}: {stderr}", dir.display());
    assert!(
        !stderr.contains("warning"),
        "{}: warned:\n{stderr}",
        dir.display()
    );
}

#[test]
fn the_build_script_way_builds_as_written() {
    let scratch = Scratch::new("agent-clients-readme-build-rs");
    let work = beside_a_checkout(&scratch);
    let dir = work.join("my-client");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::create_dir_all(dir.join("examples")).unwrap();
    let toml = &readme_blocks(THREE_WAYS, "toml")[0];
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"my-client\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n{toml}"
        ),
    )
    .unwrap();
    let rust = &readme_blocks(THREE_WAYS, "rust,ignore")[0];
    let (build_rs, lib_rs) = rust
        .split_once("// src/lib.rs: ")
        .expect("the block says what src/lib.rs holds");
    std::fs::write(dir.join("build.rs"), build_rs).unwrap();
    std::fs::write(dir.join("src/lib.rs"), lib_rs).unwrap();
    std::fs::write(dir.join("petstore.yaml"), PETSTORE).unwrap();
    // The module is there and its operations are the client's methods.
    std::fs::write(
        dir.join("examples/call.rs"),
        "fn main() {\n    let client = my_client::Client::with_base_url(\"http://127.0.0.1:9\").unwrap();\n    \
         drop(client.get_pet(\"p1\"));\n}\n",
    )
    .unwrap();
    check_without_warnings(&dir, &["--all-targets"]);
}

#[test]
fn the_cli_way_builds_as_written() {
    let scratch = Scratch::new("agent-clients-readme-cli");
    let work = beside_a_checkout(&scratch);
    std::fs::write(work.join("petstore.yaml"), PETSTORE).unwrap();
    let sh = &readme_blocks(THREE_WAYS, "sh")[0];
    let mut ran = 0;
    for line in sh.lines() {
        let command = line.split('#').next().unwrap().trim();
        let words: Vec<&str> = command.split_whitespace().collect();
        match words.as_slice() {
            [] => {}
            // The binary cargo built for this test is what it installs.
            ["cargo", "install", "--path", path, ..] => {
                assert_eq!(*path, "agent-clients/cli", "{line}");
            }
            ["agent-clients-codegen", args @ ..] => {
                let output = Command::new(env!("CARGO_BIN_EXE_agent-clients-codegen"))
                    .args(args)
                    .current_dir(&work)
                    .output()
                    .unwrap();
                assert!(output.status.success(), "`{command}`: {}", stderr(&output));
                ran += 1;
            }
            _ => panic!("a command this test does not know: `{line}`"),
        }
    }
    assert_eq!(ran, 2, "writing, then --check");
    let dir = work.join("petstore-client");
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("agent-clients-runtime = { path = \"../agent-clients/runtime\""),
        "{manifest}"
    );
    std::fs::create_dir_all(dir.join("examples")).unwrap();
    std::fs::write(
        dir.join("examples/call.rs"),
        "fn main() {\n    let client = petstore::Client::with_base_url(\"http://127.0.0.1:9\").unwrap();\n    \
         drop(client.get_pet(\"p1\"));\n}\n",
    )
    .unwrap();
    check_without_warnings(&dir, &["--all-targets"]);
}

/// A spec of `operations` GET operations over the tags `Pets`, `Stores`
/// and `Health`, in turn.
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

/// Copies this checkout's files (tracked, and new ones git does not
/// ignore) to `to`: a fresh clone of the working tree.
fn copy_checkout(to: &Path) {
    let listed = Command::new("git")
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .current_dir(root())
        .output()
        .expect("git runs");
    assert!(listed.status.success(), "{}", stderr(&listed));
    for file in String::from_utf8(listed.stdout).unwrap().split('\0') {
        let from = root().join(file);
        if file.is_empty() || !from.is_file() {
            continue;
        }
        let target = to.join(file);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&from, &target).unwrap();
    }
}

/// README's "Adding a vendor", steps 1 to 3, for a spec of 102 operations
/// in three tags, which is split into per-tag features: then
/// `--features NAME` compiles every operation, with no warning.
#[test]
fn the_workspace_way_builds_a_split_vendor_with_its_feature() {
    let scratch = Scratch::new("agent-clients-readme-workspace");
    let checkout = scratch.0.join("agent-clients");
    copy_checkout(&checkout);
    // 1. specs/NAME.yaml
    std::fs::write(checkout.join("specs/big.yaml"), big_spec(102)).unwrap();
    // 2. `NAME = []` under [features], and in `default`.
    let manifest_path = checkout.join("generated/Cargo.toml");
    let manifest = std::fs::read_to_string(&manifest_path).unwrap();
    let manifest = manifest
        .replacen("[features]\n", "[features]\nbig = []\n", 1)
        .replacen("default = [", "default = [\"big\", ", 1);
    std::fs::write(&manifest_path, manifest).unwrap();
    // 3. cargo xtask codegen
    let xtask = |args: &[&str]| {
        let output = cargo_in(&checkout)
            .args(["xtask", "codegen"])
            .args(args)
            .output()
            .expect("cargo runs");
        assert!(output.status.success(), "{}", stderr(&output));
    };
    xtask(&[]);
    xtask(&["--check"]);

    let module = std::fs::read_to_string(checkout.join("generated/src/vendors/big.rs")).unwrap();
    for method in ["get_pets0", "get_stores1", "get_health2"] {
        assert!(
            module.contains(&format!("pub async fn {method}(")),
            "{method} is not in the module"
        );
    }
    // One operation of each tag: each tag's operations are behind its
    // feature, so this compiles only when `big` turns on every tag.
    std::fs::write(
        checkout.join("generated/examples/big_calls.rs"),
        "fn main() {\n    let client = agent_clients::big::Client::with_base_url(\"http://127.0.0.1:9\").unwrap();\n    \
         drop(client.get_pets0());\n    drop(client.get_stores1());\n    drop(client.get_health2());\n}\n",
    )
    .unwrap();
    let output = cargo_in(&checkout)
        .args(["check", "--offline", "--message-format", "short"])
        .args(["--package", "agent-clients", "--no-default-features"])
        .args(["--features", "big", "--example", "big_calls"])
        .output()
        .expect("cargo runs");
    let stderr = stderr(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("warning"), "warned:\n{stderr}");
}
