//! Plain-text reader (stub, being written).
use crate::document::Document;
use crate::error::Result;

/// Read text bytes into a document.
pub fn read(_bytes: &[u8]) -> Result<Document> {
    Ok(Document { title: None, pages: None, blocks: Vec::new() })
}
