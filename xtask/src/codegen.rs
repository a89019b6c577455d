//! `cargo xtask codegen`: specs in, committed Rust out, or a drift report.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use codegen::ir::features::Feature;

mod manifest;

/// `cargo xtask codegen` arguments.
#[derive(Debug, Default, PartialEq, Eq, clap::Args)]
pub struct Options {
    /// Write nothing; fail if any generated file is stale, missing or
    /// orphaned.
    #[arg(long)]
    pub check: bool,
    /// List every warning (parts of a spec read leniently or ignored);
    /// with --check, also print a unified diff of each stale file.
    #[arg(short, long)]
    pub verbose: bool,
    /// Make warnings errors for every vendor spec, as
    /// `x-agent-clients-strict: true` in its overlay does for one (the
    /// fixtures, sloppy on purpose, are not affected).
    #[arg(long)]
    pub strict: bool,
    /// Only these vendors: the spec's file stem in specs/ (`box` for
    /// specs/box.yaml) or its module name (`box_`).
    #[arg(value_name = "VENDOR")]
    pub vendors: Vec<String>,
}

/// Generates one spec, read strictly if `strict` (or its overlay says so);
/// its warnings, located, are added to `warnings`. The source, and the
/// features the client is split into (empty when it is not).
fn generate(
    root: &Path,
    path: &Path,
    strict: bool,
    warnings: &mut Vec<String>,
) -> Result<(String, Vec<Feature>), String> {
    let display = relative(root, path);
    let document = codegen::load::load_as(path, &display).map_err(|error| error.to_string())?;
    let options = codegen::Options {
        strict,
        ..codegen::Options::default()
    };
    let generated =
        codegen::generate_with(&document, &options).map_err(|error| error.to_string())?;
    warnings.extend(generated.warnings.iter().map(|warning| {
        format!(
            "{}#{}: {}",
            display.display(),
            warning.pointer,
            warning.message
        )
    }));
    Ok((generated.source, generated.features))
}

/// The features the client of the spec at `path` is split into (empty
/// when it is not), from the IR alone: for the vendors a run does not
/// generate.
fn split_features(root: &Path, path: &Path) -> Result<Vec<Feature>, String> {
    let display = relative(root, path);
    let document = codegen::load::load_as(path, &display).map_err(|error| error.to_string())?;
    let api = codegen::ir::model::build(&document).map_err(|error| error.to_string())?;
    let space = codegen::ir::TypeSpace::new(&api);
    Ok(
        codegen::ir::features::split(&api, &space, document.features)
            .map_or_else(Vec::new, |split| split.features),
    )
}

/// The end of the summary line: how many warnings, and with `verbose`
/// each of them on a line of its own.
fn warnings_line(warnings: &[String], verbose: bool) -> String {
    match (warnings.len(), verbose) {
        (0, _) => String::new(),
        (count, false) => format!(
            "; {count} warning{} (-v lists them)",
            if count == 1 { "" } else { "s" }
        ),
        (count, true) => format!(
            "; {count} warning{}:\n  {}",
            if count == 1 { "" } else { "s" },
            warnings.join("\n  ")
        ),
    }
}

/// One file the generator owns, with the content it must have.
struct Target {
    path: PathBuf,
    contents: String,
}

/// A spec and the module generated from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    /// `specs/selise-blocks.yaml`
    pub path: PathBuf,
    /// `selise_blocks`: the module and cargo feature name
    /// (`codegen::names::module_name` of the file stem).
    pub module: String,
    /// `selise-blocks`: the file name without its extension.
    pub stem: String,
}

impl Spec {
    /// Whether `name`, as given on the command line, names this vendor: its
    /// file stem (`box` for specs/box.yaml), its module name (`box_`), or
    /// the module name spelled with hyphens (`selise-blocks`).
    pub fn is_named(&self, name: &str) -> bool {
        name == self.stem || name == self.module || name.replace('-', "_") == self.module
    }
}

/// The vendors a command line may name, for an error message: each spec's
/// file stem, and its module name where that differs, sorted.
pub fn known_vendors(specs: &[Spec]) -> String {
    let mut known: Vec<String> = specs
        .iter()
        .map(|spec| {
            if spec.stem == spec.module {
                spec.stem.clone()
            } else {
                format!("{} (module {})", spec.stem, spec.module)
            }
        })
        .collect();
    known.sort();
    known.join(", ")
}

/// The vendor specs in `specs/`: every `.yaml`, `.yml` or `.json` file that
/// is not an overlay, in name order.
pub fn discover_specs(dir: &Path) -> Result<Vec<Spec>, String> {
    let entries =
        fs::read_dir(dir).map_err(|error| format!("cannot list {}: {error}", dir.display()))?;
    let mut specs = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|error| format!("cannot list {}: {error}", dir.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_spec = [".yaml", ".yml", ".json"]
            .iter()
            .any(|ext| name.ends_with(ext))
            && !codegen::load::overlay::is_overlay_file(&name)
            && !name.starts_with('.');
        if !is_spec {
            continue;
        }
        let stem = name.rsplit_once('.').map(|(stem, _)| stem).unwrap_or(&name);
        // Any file name will do: `codegen::names::module_name` makes it a
        // module and feature name (`box` is `box_`, `2fa` is `spec_2fa`).
        let module = codegen::names::module_name(stem);
        specs.push(Spec {
            path: entry.path(),
            module,
            stem: stem.to_string(),
        });
    }
    specs.sort_by(|a, b| a.module.cmp(&b.module));
    for pair in specs.windows(2) {
        if pair[0].module == pair[1].module {
            return Err(format!(
                "{} and {} would both generate the module `{}`",
                pair[0].path.display(),
                pair[1].path.display(),
                pair[0].module
            ));
        }
    }
    Ok(specs)
}

pub fn run(root: &Path, options: &Options) -> Result<(), String> {
    let started = std::time::Instant::now();
    let specs = discover_specs(&root.join("specs"))?;
    // The generated-shapes fixture is written from its table first: the
    // snapshots below are generated from the fixtures on disk.
    let shapes_state = if options.vendors.is_empty() {
        ensure_file_contents(&root.join(shapes::PATH), &shapes::spec(), options)?
    } else {
        FileState::Current
    };
    let fixtures = discover_specs(&root.join("codegen/tests/fixtures"))?;
    for vendor in &options.vendors {
        if !specs.iter().any(|spec| spec.is_named(vendor)) {
            return Err(format!(
                "no spec for vendor `{vendor}`; known vendors: {}",
                known_vendors(&specs)
            ));
        }
    }
    let selected = |spec: &Spec| {
        options.vendors.is_empty() || options.vendors.iter().any(|v| spec.is_named(v))
    };

    // Generate everything in memory first: if any spec fails, nothing is
    // written, so a broken spec never costs a good generated file.
    let mut targets = Vec::new();
    let mut failures = Vec::new();
    let mut warnings = Vec::new();
    let vendors_dir = root.join("generated/src/vendors");
    // Each vendor's split (empty when not split), for generated/Cargo.toml.
    let mut splits: BTreeMap<&str, Vec<Feature>> = BTreeMap::new();
    for spec in &specs {
        if selected(spec) {
            match generate(root, &spec.path, options.strict, &mut warnings) {
                Ok((contents, features)) => {
                    targets.push(Target {
                        path: vendors_dir.join(format!("{}.rs", spec.module)),
                        contents,
                    });
                    splits.insert(&spec.module, features);
                }
                Err(error) => failures.push(error.to_string()),
            }
        } else {
            match split_features(root, &spec.path) {
                Ok(features) => {
                    splits.insert(&spec.module, features);
                }
                Err(error) => failures.push(format!(
                    "{error}
(needed for the features of `{}` in generated/Cargo.toml)",
                    spec.module
                )),
            }
        }
    }
    let snapshots_dir = root.join("codegen/tests/snapshots");
    if options.vendors.is_empty() {
        targets.push(Target {
            path: vendors_dir.join("mod.rs"),
            contents: module_index(&specs, true),
        });
        for fixture in &fixtures {
            match generate(root, &fixture.path, false, &mut warnings) {
                Ok((contents, _)) => targets.push(Target {
                    path: snapshots_dir.join(format!("{}.rs", fixture.module)),
                    contents,
                }),
                Err(error) => failures.push(error.to_string()),
            }
        }
        targets.push(Target {
            path: snapshots_dir.join("mod.rs"),
            contents: module_index(&fixtures, false),
        });
    }
    if !failures.is_empty() {
        return Err(format!("{}\nno file was written", failures.join("\n")));
    }

    // generated/Cargo.toml declares the features of split vendors: its
    // marked block, and each split vendor's own line.
    let manifest_path = root.join("generated/Cargo.toml");
    let manifest_text = fs::read_to_string(&manifest_path)
        .map_err(|error| format!("cannot read {}: {error}", manifest_path.display()))?;
    let vendors: Vec<manifest::Vendor> = specs
        .iter()
        .map(|spec| manifest::Vendor {
            module: &spec.module,
            features: &splits[spec.module.as_str()],
        })
        .collect();
    let manifest_contents = manifest::update(&manifest_text, &vendors)?;

    let mut stale = Vec::new();
    let mut written = 0;
    match shapes_state {
        FileState::Current => {}
        FileState::Written => written += 1,
        FileState::Stale(problem) => stale.push(problem),
    }
    for target in &targets {
        match ensure_file_contents(&target.path, &target.contents, options)? {
            FileState::Current => {}
            FileState::Written => written += 1,
            FileState::Stale(problem) => stale.push(problem),
        }
    }
    if manifest_contents != manifest_text {
        match ensure_file_contents(&manifest_path, &manifest_contents, options)? {
            FileState::Current | FileState::Written => {}
            FileState::Stale(problem) => stale.push(problem.replacen(
                " is stale",
                &format!(
                    " is stale: it must declare the per-tag features of each split vendor module{}",
                    if options.verbose {
                        ""
                    } else {
                        " (-v shows the lines)"
                    }
                ),
                1,
            )),
        }
    }
    // Orphans: generated files whose spec is gone.
    if options.vendors.is_empty() {
        let owned: BTreeMap<&Path, ()> = targets.iter().map(|t| (t.path.as_path(), ())).collect();
        for dir in [&vendors_dir, &snapshots_dir] {
            for orphan in orphans(dir, &owned)? {
                if options.check {
                    stale.push(format!(
                        "{} is orphaned: no spec generates it",
                        orphan.display()
                    ));
                } else {
                    fs::remove_file(&orphan)
                        .map_err(|error| format!("cannot remove {}: {error}", orphan.display()))?;
                    eprintln!("removed orphan {}", relative(root, &orphan).display());
                }
            }
        }
    }
    check_features(root, &specs, &splits)?;

    if stale.is_empty() {
        // One line, so a run that changed nothing still says it ran.
        let elapsed = started.elapsed().as_secs_f64();
        // The targets and the generated-shapes fixture.
        let total = targets.len() + 1;
        let warned = warnings_line(&warnings, options.verbose);
        if options.check {
            eprintln!("codegen --check: {total} files current ({elapsed:.2} s){warned}");
        } else {
            eprintln!(
                "codegen: {written} of {total} files written, {} unchanged ({elapsed:.2} s){warned}",
                total - written
            );
        }
        Ok(())
    } else {
        Err(format!(
            "generated code is out of date:\n{}\nrun `cargo xtask codegen` to update it",
            stale
                .iter()
                .map(|line| format!("  {}", line.replace(&format!("{}/", root.display()), "")))
                .collect::<Vec<_>>()
                .join("\n")
        ))
    }
}

/// `mod.rs` listing the generated modules; vendor modules sit behind their
/// cargo feature.
fn module_index(specs: &[Spec], feature_gated: bool) -> String {
    let mut out = String::from(
        "// @generated by `cargo xtask codegen`. DO NOT EDIT.\n// One module per file in the directory that holds the specs.\n\n",
    );
    for spec in specs {
        if feature_gated {
            out.push_str(&format!("#[cfg(feature = \"{}\")]\n", spec.module));
        }
        out.push_str(&format!("pub mod {};\n", spec.module));
    }
    out
}

fn orphans(dir: &Path, owned: &BTreeMap<&Path, ()>) -> Result<Vec<PathBuf>, String> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|error| format!("cannot list {}: {error}", dir.display()))?;
        let path = entry.path();
        if path.extension().is_some_and(|ext| ext == "rs") && !owned.contains_key(path.as_path()) {
            found.push(path);
        }
    }
    found.sort();
    Ok(found)
}

/// An optional feature of `agent-clients` that a vendor module may need.
struct OptionalFeature {
    name: &'static str,
    /// What in the module's source says it is used (the generated code
    /// names these crates and the runtime's items by short paths).
    marker: &'static str,
    /// Why, for the message.
    why: &'static str,
}

const OPTIONAL_FEATURES: [OptionalFeature; 3] = [
    OptionalFeature {
        name: "chrono",
        marker: "chrono::",
        why: "a `date-time` format",
    },
    OptionalFeature {
        name: "uuid",
        marker: "uuid::",
        why: "a `uuid` format",
    },
    OptionalFeature {
        name: "sse",
        marker: "EventStream",
        why: "a `text/event-stream` response",
    },
];

/// Every vendor needs its cargo feature in `generated/Cargo.toml`, on by
/// default; the check says the exact line to add.
fn check_features(
    root: &Path,
    specs: &[Spec],
    splits: &BTreeMap<&str, Vec<Feature>>,
) -> Result<(), String> {
    let manifest_path = root.join("generated/Cargo.toml");
    let manifest = fs::read_to_string(&manifest_path)
        .map_err(|error| format!("cannot read {}: {error}", manifest_path.display()))?;
    let default_line = manifest
        .lines()
        .find(|line| line.trim_start().starts_with("default ="))
        .unwrap_or("");
    let mut missing = Vec::new();
    for spec in specs {
        // The optional parts of the runtime the module uses (`date-time`
        // and `uuid` formats, event streams) must come with its feature.
        let source = fs::read_to_string(
            root.join("generated/src/vendors")
                .join(format!("{}.rs", spec.module)),
        )
        .unwrap_or_default();
        let needs: Vec<&OptionalFeature> = OPTIONAL_FEATURES
            .iter()
            .filter(|feature| source.contains(feature.marker))
            .collect();
        let feature_line = manifest.lines().find(|line| {
            line.trim_start()
                .starts_with(&format!("{} = [", spec.module))
        });
        let split = splits
            .get(spec.module.as_str())
            .is_some_and(|features| !features.is_empty());
        let wanted = needs
            .iter()
            .map(|feature| format!("\"{}\"", feature.name))
            .chain(split.then(|| format!("\"{}\"", manifest::tags_feature(&spec.module))))
            .collect::<Vec<_>>()
            .join(", ");
        match feature_line {
            None => missing.push(format!(
                "add `{} = [{wanted}]` under [features] in generated/Cargo.toml",
                spec.module
            )),
            Some(line) => {
                for feature in &needs {
                    if !line.contains(&format!("\"{}\"", feature.name)) {
                        missing.push(format!(
                            "the `{}` module uses `{}` ({}): its feature in generated/Cargo.toml must be `{} = [{wanted}]`",
                            spec.module, feature.name, feature.why, spec.module
                        ));
                    }
                }
            }
        }
        if !default_line.contains(&format!("\"{}\"", spec.module)) {
            missing.push(format!(
                "add \"{}\" to the `default` feature list in generated/Cargo.toml",
                spec.module
            ));
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(missing.join("\n"))
    }
}

/// Makes `path` hold `contents`: with `--check`, returns a description of
/// the difference instead; otherwise writes atomically (a temporary file in
/// the same directory, then a rename), so an interrupted run never leaves a
/// half-written file. Line endings of the existing file are normalised first,
/// so a CRLF checkout is not "stale".
/// What [`ensure_file_contents`] found or did.
enum FileState {
    Current,
    Written,
    /// With `--check`: stale or missing, and how.
    Stale(String),
}

fn ensure_file_contents(
    path: &Path,
    contents: &str,
    options: &Options,
) -> Result<FileState, String> {
    let existing = match fs::read(path) {
        Ok(bytes) => Some(bytes),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
        Err(error) => return Err(format!("cannot read {}: {error}", path.display())),
    };
    if existing
        .as_deref()
        .is_some_and(|bytes| codegen::drift::is_current(bytes, contents))
    {
        return Ok(FileState::Current);
    }
    if options.check {
        let problem = match &existing {
            None => format!("{} is missing", path.display()),
            Some(old) => {
                let mut message = format!("{} is stale", path.display());
                if options.verbose {
                    message.push('\n');
                    let name = path.display().to_string();
                    message.push_str(&codegen::drift::unified_diff(
                        &name,
                        &codegen::drift::normalise(old),
                        contents,
                    ));
                }
                message
            }
        };
        return Ok(FileState::Stale(problem));
    }
    write_atomically(path, contents)?;
    eprintln!("updated {}", path.display());
    Ok(FileState::Written)
}

/// Writes `contents` to `path` whole (a temporary file and a rename), as
/// the generator's own writes are.
pub fn write_atomically(path: &Path, contents: &str) -> Result<(), String> {
    codegen::write::write_if_changed(path, contents)
        .map(|_| ())
        .map_err(|error| format!("cannot write {}: {error}", path.display()))
}

/// `path` relative to the workspace root, for stable names in generated
/// headers and messages.
fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map(PathBuf::from)
        .unwrap_or_else(|_| path.to_path_buf())
}

mod shapes;

// Tests: the drift check against a scratch copy of the workspace.
#[cfg(test)]
mod tests;
