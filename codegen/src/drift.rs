//! The drift checker's comparison: is a committed file what the generator
//! would write, and if not, how does it differ.
//!
//! Committed files may come back from a checkout with CRLF line endings or
//! as arbitrary bytes (a bad merge, a binary by mistake); none of that may
//! panic, and line endings alone are not drift.

/// A committed file's bytes as text, with `\r\n` read as `\n`. Invalid
/// UTF-8 is replaced, so such a file compares as different, never equal.
pub fn normalise(committed: &[u8]) -> String {
    String::from_utf8_lossy(committed).replace("\r\n", "\n")
}

/// True when `committed` holds exactly `generated` (line endings aside, on
/// both sides: a checkout may turn either into CRLF).
pub fn is_current(committed: &[u8], generated: &str) -> bool {
    // Invalid UTF-8 can never equal generated text, which is valid UTF-8.
    std::str::from_utf8(committed).is_ok()
        && normalise(committed) == generated.replace("\r\n", "\n")
}

/// A unified diff from the committed text to the generated one.
pub fn unified_diff(name: &str, committed: &str, generated: &str) -> String {
    similar::TextDiff::from_lines(committed, generated)
        .unified_diff()
        .context_radius(3)
        .header(
            &format!("{name} (committed)"),
            &format!("{name} (generated)"),
        )
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_is_not_drift_and_bad_utf8_is() {
        assert!(is_current(b"a\r\nb\n", "a\nb\n"));
        assert!(!is_current(b"a\nb", "a\nb\n"));
        assert!(!is_current(b"a\xff\n", "a\u{fffd}\n"));
        let diff = unified_diff("x.rs", "a\nb\n", "a\nc\n");
        assert!(diff.contains("-b\n+c\n"), "{diff}");
    }
}
