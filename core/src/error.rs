//! Errors that map one to one onto Node's error `code`s.

use std::fmt;

/// An error as Node reports it: a stable `code` (e.g. `ERR_OUT_OF_RANGE`,
/// `Z_DATA_ERROR`), the message Node prints, and for zlib-style errors the
/// numeric `errno`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeError {
    /// Node's `err.code`.
    pub code: &'static str,
    /// Node's `err.message`, word for word.
    pub message: String,
    /// Node's `err.errno`, where Node sets one.
    pub errno: Option<i32>,
}

impl NodeError {
    /// An error with a code and a message and no errno.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            errno: None,
        }
    }

    /// An error with an errno as well (zlib's errors carry one).
    pub fn with_errno(code: &'static str, message: impl Into<String>, errno: i32) -> Self {
        Self {
            code,
            message: message.into(),
            errno: Some(errno),
        }
    }
}

impl fmt::Display for NodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [{}]", self.message, self.code)
    }
}

impl std::error::Error for NodeError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_carries_code_and_message() {
        let e = NodeError::with_errno("Z_DATA_ERROR", "incorrect header check", -3);
        assert_eq!(e.to_string(), "incorrect header check [Z_DATA_ERROR]");
        assert_eq!(e.errno, Some(-3));
    }
}
