//! Diagnostics: every failure names the spec file and, where it has one, the
//! JSON pointer of the node that caused it.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem found in a spec, located by a JSON pointer (RFC 6901).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// JSON pointer into the document, `""` for the document itself.
    pub pointer: String,
    /// What is wrong, as a full sentence.
    pub message: String,
}

/// Why a spec could not be turned into Rust source.
#[derive(Debug)]
pub struct Error {
    /// The spec file (or overlay file) the problems were found in.
    pub file: PathBuf,
    /// At least one problem; validation reports all it finds, not just the
    /// first.
    pub problems: Vec<Problem>,
}

impl Error {
    pub(crate) fn new(file: &Path, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            file: file.to_path_buf(),
            problems: vec![Problem {
                pointer: pointer.into(),
                message: message.into(),
            }],
        }
    }

    pub(crate) fn many(file: &Path, problems: Vec<Problem>) -> Self {
        debug_assert!(!problems.is_empty());
        Error {
            file: file.to_path_buf(),
            problems,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, problem) in self.problems.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            write!(f, "{}", self.file.display())?;
            if !problem.pointer.is_empty() {
                write!(f, "#{}", problem.pointer)?;
            }
            write!(f, ": {}", problem.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// The reference token a JSON pointer segment stands for (RFC 6901).
pub fn unescape_pointer_token(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// Escapes one reference token for use inside a JSON pointer (RFC 6901).
pub fn escape_pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Builds a JSON pointer from its unescaped tokens.
pub fn pointer<'a>(tokens: impl IntoIterator<Item = &'a str>) -> String {
    tokens
        .into_iter()
        .map(|token| format!("/{}", escape_pointer_token(token)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_escapes_slashes_and_tildes() {
        assert_eq!(
            pointer(["paths", "/api/v1/{id}", "x~y"]),
            "/paths/~1api~1v1~1{id}/x~0y"
        );
    }

    #[test]
    fn display_names_file_pointer_and_reason() {
        let error = Error::new(Path::new("specs/a.yaml"), "/paths", "is missing");
        assert_eq!(error.to_string(), "specs/a.yaml#/paths: is missing");
    }
}
