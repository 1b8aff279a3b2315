//! Reader stub: replaced by the full reader (see the issue tracker).

use crate::document::Document;
use crate::error::{Error, Result};
use crate::Options;

/// Read the bytes into a document.
pub fn read(_bytes: &[u8], _format: crate::document::Format, _opts: &Options) -> Result<Document> {
    Err(Error::Unsupported(
        "this build cannot read sheet files yet".into(),
    ))
}
