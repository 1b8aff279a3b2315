//! Readers: bytes of one format -> [`Document`].
//!
//! [`sniff`] decides the format from the bytes (magic numbers, zip contents) and falls back to
//! the file name; [`read`] dispatches to the reader and contains any panic a third-party parser
//! raises, so one bad file is an error for that file, never a crash.

pub mod cfbcheck;
pub mod docx;
pub mod html;
pub mod pdf;
pub mod sheet;
pub mod text;
pub mod zipsafe;

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::document::{Document, Format};
use crate::error::{Error, Result};
use crate::Options;

/// Decide the format of `bytes`. The content wins over the name: a `.docx` that is really a
/// PDF is read as a PDF... unless the name says otherwise and the content cannot be trusted;
/// see the tests for the exact policy.
pub fn sniff(name: &str, bytes: &[u8]) -> Result<Format> {
    if bytes.is_empty() {
        return Err(Error::Empty);
    }
    let ext = std::path::Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if bytes.starts_with(b"%PDF-") || (bytes.len() > 1024 && find(&bytes[..1024], b"%PDF-")) {
        return Ok(Format::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return sniff_zip(bytes, &ext);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        // OLE compound file: legacy .xls is readable; .doc and encrypted OOXML are not.
        return match ext.as_str() {
            "xls" => Ok(Format::Xls),
            "doc" => Err(Error::Unsupported(
                "legacy Word .doc file: open it in Word or LibreOffice and save it as .docx".into(),
            )),
            _ if find(bytes, &utf16le("EncryptedPackage")) => Err(Error::Encrypted(
                "password-protected Office file: remove the password (File > Info > Protect) and save again".into(),
            )),
            _ => Ok(Format::Xls),
        };
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || ext == "html"
        || ext == "htm"
    {
        return Ok(Format::Html);
    }
    match ext.as_str() {
        "md" | "markdown" if !looks_binary(bytes) => Ok(Format::Markdown),
        "" | "txt" | "text" | "tsv" | "csv" | "md" | "markdown" => {
            if looks_binary(bytes) {
                Err(Error::Unsupported(
                    "binary data, not text: give a PDF, DOCX, XLSX/XLS/ODS, HTML or text file"
                        .into(),
                ))
            } else {
                Ok(Format::Text)
            }
        }
        "docx" | "xlsx" | "xlsm" | "ods" | "pdf" | "xls" => Err(Error::Corrupt {
            format: static_ext(&ext),
            detail: "its bytes are not of that format (renamed, truncated or damaged file)".into(),
        }),
        other => {
            if looks_binary(bytes) {
                Err(Error::Unsupported(format!(
                    "unknown file type '.{other}': give a PDF, DOCX, XLSX/XLS/ODS, HTML or text file"
                )))
            } else {
                Ok(Format::Text)
            }
        }
    }
}

fn static_ext(ext: &str) -> &'static str {
    match ext {
        "docx" => "DOCX",
        "xlsx" | "xlsm" => "XLSX",
        "ods" => "ODS",
        "pdf" => "PDF",
        "xls" => "XLS",
        _ => "input",
    }
}

fn sniff_zip(bytes: &[u8], ext: &str) -> Result<Format> {
    // Look at the local-file names in the first part of the archive; avoids a full zip parse.
    let window = &bytes[..bytes.len().min(64 * 1024)];
    if find(window, b"word/") {
        return Ok(Format::Docx);
    }
    if find(window, b"xl/") {
        return Ok(Format::Xlsx);
    }
    if find(window, b"application/vnd.oasis.opendocument.spreadsheet") {
        return Ok(Format::Ods);
    }
    match ext {
        "docx" => Ok(Format::Docx),
        "xlsx" | "xlsm" => Ok(Format::Xlsx),
        "ods" => Ok(Format::Ods),
        _ => Err(Error::Unsupported(
            "zip archive that is not a Word (.docx) or spreadsheet (.xlsx/.ods) file".into(),
        )),
    }
}

fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

fn find(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// True when the bytes are not text in any encoding the text reader accepts.
fn looks_binary(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return false; // UTF-16 with BOM
    }
    if text::utf16_without_bom(bytes).is_some() {
        return false; // UTF-16 without BOM: NULs in every other byte
    }
    let sample = &bytes[..bytes.len().min(8192)];
    let controls = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    controls * 20 > sample.len().max(1) // more than 5% control bytes
}

/// Read `bytes` of `format` into a document, containing any panic of the underlying parser.
pub fn read(format: Format, bytes: &[u8], opts: &Options) -> Result<Document> {
    let result = catch_unwind(AssertUnwindSafe(|| match format {
        Format::Text | Format::Markdown => text::read(bytes),
        Format::Docx => docx::read(bytes, opts),
        Format::Xlsx | Format::Xls | Format::Ods => sheet::read(bytes, format, opts),
        Format::Html => html::read(bytes, opts),
        Format::Pdf => pdf::read(bytes, opts),
    }));
    match result {
        Ok(r) => r,
        Err(panic) => {
            let detail = if let Some(s) = panic.downcast_ref::<&str>() {
                s.to_string()
            } else if let Some(s) = panic.downcast_ref::<String>() {
                s.clone()
            } else {
                "unknown".to_string()
            };
            Err(Error::ParserPanic {
                format: format.name(),
                detail,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content_not_name() {
        assert_eq!(sniff("x.docx", b"%PDF-1.7\n...").unwrap(), Format::Pdf);
        assert_eq!(sniff("x.txt", b"hello\tworld\n").unwrap(), Format::Text);
        assert_eq!(sniff("x.md", b"| a | b |\n").unwrap(), Format::Markdown);
        assert!(matches!(sniff("x.txt", b""), Err(Error::Empty)));
        assert!(matches!(
            sniff("x.bin", &[0u8, 1, 2, 3, 4, 5, 0, 0, 9]),
            Err(Error::Unsupported(_))
        ));
        assert!(matches!(
            sniff("x.docx", b"just text"),
            Err(Error::Corrupt { .. })
        ));
        assert!(matches!(
            sniff("x.zip", b"PK\x03\x04 foo/bar"),
            Err(Error::Unsupported(_))
        ));
    }
}
