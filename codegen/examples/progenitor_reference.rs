//! Whether progenitor 0.15 generates the spec at the path given, as a user
//! of it would run it: read the file, parse it as OpenAPI, generate, print
//! with prettyplease. Prints one JSON line, `{"generates": bool, "why":
//! "..."}`, and exits 0 either way; a crash (a stack overflow, which no
//! `catch_unwind` catches) is the caller's to read from the exit status.
//!
//! `cargo xtask corpus` runs it once per spec for CORPUS.md's progenitor
//! column. progenitor is a dev-dependency: neither the generator nor xtask
//! builds it.

use std::path::Path;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: progenitor_reference SPEC");
        std::process::exit(2);
    };
    let outcome = generate(Path::new(&path));
    let line = serde_json::json!({
        "generates": outcome.is_ok(),
        "why": outcome.err(),
    });
    println!("{line}");
}

/// progenitor's output for the spec, or why there is none (its first line).
fn generate(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|error| error.to_string())?;
    let spec: openapiv3::OpenAPI = if path.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(&text).map_err(|error| format!("not read as OpenAPI: {error}"))?
    } else {
        serde_yaml_ng::from_str(&text).map_err(|error| format!("not read as OpenAPI: {error}"))?
    };
    let message = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let hook_message = message.clone();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let text = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("?");
        *hook_message.lock().unwrap() = format!("panicked: {text}");
    }));
    let result = std::panic::catch_unwind(|| {
        let mut generator =
            progenitor_impl::Generator::new(&progenitor_impl::GenerationSettings::default());
        let tokens = generator
            .generate_tokens(&spec)
            .map_err(|error| error.to_string())?;
        let file = syn::parse2::<syn::File>(tokens).map_err(|error| error.to_string())?;
        prettyplease::unparse(&file);
        Ok(())
    });
    match result {
        Ok(outcome) => outcome,
        Err(_) => Err(message.lock().unwrap().clone()),
    }
}
