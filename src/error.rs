//! Typed errors of the library. The binary adds context and maps them to exit codes.

use thiserror::Error;

/// Everything that can go wrong while extracting one input.
#[derive(Debug, Error)]
pub enum Error {
    /// The file could not be read from disk.
    #[error("cannot read {path}: {source}")]
    Io {
        /// Path as given.
        path: String,
        /// Underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The input is empty.
    #[error("the file is empty")]
    Empty,
    /// The format is not one the tool reads.
    #[error("unsupported file type: {0}")]
    Unsupported(String),
    /// The file claims a format but its bytes are damaged or of another kind.
    #[error("{format} file is damaged or not what its name says: {detail}")]
    Corrupt {
        /// Format name.
        format: &'static str,
        /// What was wrong.
        detail: String,
    },
    /// The file is password-protected.
    #[error("the file is encrypted with a password: {0}")]
    Encrypted(String),
    /// A PDF has no text layer.
    #[error("the PDF has no text layer (scanned images?): run OCR on it first, e.g. `ocrmypdf in.pdf out.pdf`")]
    NoText,
    /// A safety limit was exceeded.
    #[error("{0}")]
    Limit(String),
    /// A third-party parser panicked; contained and reported.
    #[error("the {format} parser failed on this file (internal panic: {detail})")]
    ParserPanic {
        /// Format name.
        format: &'static str,
        /// Panic message.
        detail: String,
    },
}

/// Result alias for the library.
pub type Result<T> = std::result::Result<T, Error>;
