//! Writing generated files: whole or not at all, and only when they change.
//!
//! The stages never write; the build-script API ([`crate::build_rs`]) and
//! the CLI do, through here.

use std::io;
use std::path::Path;

/// Writes `contents` to `path` unless it already holds them, through a
/// temporary file beside it and a rename, so a reader (or a failure
/// halfway) never sees half a file and an unchanged file keeps its
/// modification time (cargo rebuilds nothing for it). Returns whether the
/// file was written.
pub fn write_if_changed(path: &Path, contents: &str) -> io::Result<bool> {
    if std::fs::read(path).is_ok_and(|old| old == contents.as_bytes()) {
        return Ok(false);
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map_or_else(Default::default, |n| n.to_string_lossy());
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = std::fs::write(&temp, contents).and_then(|()| std::fs::rename(&temp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written.map(|()| true)
}

#[cfg(test)]
mod tests {
    #[test]
    fn writes_whole_files_and_leaves_unchanged_ones_alone() {
        let dir = tempfile_dir();
        let path = dir.join("nested/module.rs");
        assert!(super::write_if_changed(&path, "a").unwrap());
        assert!(!super::write_if_changed(&path, "a").unwrap());
        assert!(super::write_if_changed(&path, "b").unwrap());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "b");
        let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
        std::fs::remove_dir_all(dir).unwrap();
    }

    /// A directory of this test's own under the system's temporary one.
    fn tempfile_dir() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("codegen-write-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }
}
