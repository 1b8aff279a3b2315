//! stub
use crate::document::Document;
use crate::error::{Error, Result};
use crate::Options;

/// stub
pub fn read(_bytes: &[u8], _opts: &Options) -> Result<Document> {
    Err(Error::Unsupported("not yet".into()))
}
