//! Readers: bytes of one format -> [`Document`].
//!
//! [`sniff`] decides the format from the bytes (magic numbers, zip contents) and falls back to
//! the file name; [`read`] dispatches to the reader and contains any panic a third-party parser
//! raises, so one bad file is an error for that file, never a crash.

pub mod cfbcheck;
pub mod csv;
pub mod doc;
pub mod docx;
pub mod grid;
pub mod html;
pub mod odf;
pub mod odt;
pub mod pdf;
pub mod rtf;
pub mod sheet;
pub mod text;
pub mod zipsafe;

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::document::{Document, Format};
use crate::error::{Error, Result};
use crate::Options;

/// Decide the format of `bytes`. The content wins over the name: a `.docx` that is really a
/// PDF is read as a PDF, a `.doc` that is really RTF as RTF, a `.doc` renamed `.docx` as a
/// `.doc`; the name decides only between text formats (`.csv`/`.tsv` are delimited tables,
/// `.md` Markdown) and when the content cannot be trusted; see the tests for the exact policy.
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
    if bytes.starts_with(&CFB_MAGIC) {
        return sniff_cfb(bytes, &ext);
    }
    if is_rtf(bytes) {
        return Ok(Format::Rtf);
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
        "csv" | "tsv" | "tab" if !looks_binary(bytes) => Ok(Format::Csv),
        "" | "txt" | "text" | "tsv" | "csv" | "tab" | "md" | "markdown" => {
            if looks_binary(bytes) {
                Err(Error::Unsupported(format!(
                    "binary data, not text: give {KNOWN}"
                )))
            } else {
                Ok(Format::Text)
            }
        }
        "docx" | "xlsx" | "xlsm" | "ods" | "pdf" | "xls" | "odt" | "rtf" | "doc" => {
            Err(Error::Corrupt {
                format: static_ext(&ext),
                detail: "its bytes are not of that format (renamed, truncated or damaged file)"
                    .into(),
            })
        }
        other => {
            if looks_binary(bytes) {
                Err(Error::Unsupported(format!(
                    "unknown file type '.{other}': give {KNOWN}"
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
        "odt" => "ODT",
        "rtf" => "RTF",
        "doc" => "DOC",
        _ => "input",
    }
}

fn sniff_zip(bytes: &[u8], ext: &str) -> Result<Format> {
    // Look at the local-file names in the first part of the archive; avoids a full zip parse.
    let window = &bytes[..bytes.len().min(64 * 1024)];
    // OpenDocument: the first entry is an uncompressed `mimetype` naming the kind.
    if let Some(kind) = odf_mimetype(bytes) {
        if kind.starts_with(b"application/vnd.oasis.opendocument.text") {
            return Ok(Format::Odt);
        }
        if kind.starts_with(b"application/vnd.oasis.opendocument.spreadsheet") {
            return Ok(Format::Ods);
        }
        return Err(Error::Unsupported(format!(
            "OpenDocument file of kind '{}': give a text document (.odt) or a spreadsheet (.ods)",
            String::from_utf8_lossy(kind)
        )));
    }
    if find(window, b"word/") {
        return Ok(Format::Docx);
    }
    if find(window, b"xl/") {
        return Ok(Format::Xlsx);
    }
    if find(window, b"application/vnd.oasis.opendocument.spreadsheet") {
        return Ok(Format::Ods);
    }
    if find(window, b"application/vnd.oasis.opendocument.text") {
        return Ok(Format::Odt);
    }
    match ext {
        "docx" => Ok(Format::Docx),
        "xlsx" | "xlsm" => Ok(Format::Xlsx),
        "ods" => Ok(Format::Ods),
        "odt" => Ok(Format::Odt),
        _ => Err(Error::Unsupported(
            "zip archive that is not a Word (.docx), OpenDocument (.odt/.ods) or Excel (.xlsx) file: \
             unzip it and give the document inside"
                .into(),
        )),
    }
}

/// The formats the tool reads, for error messages.
const KNOWN: &str =
    "a PDF, Word (.docx/.doc), OpenDocument (.odt/.ods), RTF, Excel (.xlsx/.xls), CSV, HTML or text file";

/// Magic number of an OLE compound file (legacy Office).
const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The content of an OpenDocument `mimetype` entry stored first and uncompressed, as the
/// specification requires.
fn odf_mimetype(bytes: &[u8]) -> Option<&[u8]> {
    let name_len = u16::from_le_bytes([*bytes.get(26)?, *bytes.get(27)?]) as usize;
    let extra_len = u16::from_le_bytes([*bytes.get(28)?, *bytes.get(29)?]) as usize;
    if bytes.get(30..30 + name_len)? != b"mimetype" {
        return None;
    }
    let method = u16::from_le_bytes([*bytes.get(8)?, *bytes.get(9)?]);
    let size = u32::from_le_bytes(bytes.get(18..22)?.try_into().ok()?) as usize;
    if method != 0 || size == 0 || size > 200 {
        return None;
    }
    let start = 30 + name_len + extra_len;
    bytes.get(start..start + size)
}

/// True for Rich Text Format: `{\rtf` at the start (after an optional BOM and white space).
fn is_rtf(bytes: &[u8]) -> bool {
    let b = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    b[start..].starts_with(b"{\\rtf")
}

/// Tell OLE compound files apart by the streams at their root: `WordDocument` is a Word
/// 97-2003 document, `Workbook`/`Book` an Excel workbook, `EncryptedPackage` an encrypted
/// OOXML file, `PowerPoint Document` a presentation. The name decides only when the directory
/// cannot be read (then the reader reports the damage).
fn sniff_cfb(bytes: &[u8], ext: &str) -> Result<Format> {
    let roots = cfb_root_streams(bytes);
    let has = |n: &str| {
        roots
            .as_ref()
            .is_some_and(|r| r.iter().any(|s| s.eq_ignore_ascii_case(n)))
    };
    if has("EncryptedPackage") || (roots.is_none() && find(bytes, &utf16le("EncryptedPackage"))) {
        return Err(Error::Encrypted(
            "password-protected Office file: remove the password (File > Info > Protect) and save again".into(),
        ));
    }
    if has("WordDocument") {
        return Ok(Format::Doc);
    }
    if has("Workbook") || has("Book") {
        return Ok(Format::Xls);
    }
    if has("PowerPoint Document") {
        return Err(Error::Unsupported(
            "PowerPoint .ppt presentation: save it as PDF (File > Save As > PDF) and give the PDF"
                .into(),
        ));
    }
    if roots.is_some() {
        return Err(Error::Unsupported(format!(
            "OLE compound file that is neither a Word .doc nor an Excel .xls (it has {}): give {KNOWN}",
            roots
                .unwrap_or_default()
                .iter()
                .take(4)
                .map(|s| format!("'{s}'"))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    // The directory could not be read: let the reader the name (or the bytes) point to say what
    // is wrong.
    match ext {
        "doc" | "dot" => Ok(Format::Doc),
        "xls" => Ok(Format::Xls),
        _ if find(bytes, &utf16le("WordDocument")) => Ok(Format::Doc),
        _ => Ok(Format::Xls),
    }
}

/// Names of the streams and storages at the root of a compound file, or `None` when its
/// directory cannot be read.
fn cfb_root_streams(bytes: &[u8]) -> Option<Vec<String>> {
    cfbcheck::check(bytes).ok()?;
    let cf = cfb::CompoundFile::open(std::io::Cursor::new(bytes)).ok()?;
    let names = cf
        .read_root_storage()
        .map(|e| e.name().to_string())
        .collect();
    Some(names)
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
        Format::Odt => odt::read(bytes, opts),
        Format::Rtf => rtf::read(bytes, opts),
        Format::Csv => csv::read(bytes, opts),
        Format::Doc => doc::read(bytes, opts),
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

    fn cfb_with(streams: &[&str]) -> Vec<u8> {
        let mut cf = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
        for s in streams {
            if let Some((dir, _)) = s.rsplit_once('/').filter(|(d, _)| !d.is_empty()) {
                cf.create_storage_all(dir).unwrap();
            }
            cf.create_stream(s).unwrap();
        }
        cf.into_inner().into_inner()
    }

    fn zip_with(first: &str, content: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        w.start_file(first, o).unwrap();
        w.write_all(content).unwrap();
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn new_formats_by_content() {
        assert_eq!(sniff("a.doc", b"{\\rtf1\\ansi hi}").unwrap(), Format::Rtf);
        assert_eq!(
            sniff("a.txt", b"\xEF\xBB\xBF \r\n{\\rtf1 hi}").unwrap(),
            Format::Rtf
        );
        assert_eq!(sniff("a.csv", b"a,b\n1,2\n").unwrap(), Format::Csv);
        assert_eq!(sniff("a.TSV", b"a\tb\n").unwrap(), Format::Csv);
        assert!(matches!(
            sniff("a.csv", &[0u8, 1, 2, 3, 4, 5, 0, 0, 9]),
            Err(Error::Unsupported(_))
        ));
        let odt = zip_with("mimetype", b"application/vnd.oasis.opendocument.text");
        assert_eq!(sniff("a.zip", &odt).unwrap(), Format::Odt);
        let ott = zip_with(
            "mimetype",
            b"application/vnd.oasis.opendocument.text-template",
        );
        assert_eq!(sniff("a.ott", &ott).unwrap(), Format::Odt);
        let ods = zip_with(
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        );
        assert_eq!(sniff("a.odt", &ods).unwrap(), Format::Ods);
        let odp = zip_with(
            "mimetype",
            b"application/vnd.oasis.opendocument.presentation",
        );
        let e = sniff("a.odp", &odp).unwrap_err();
        assert!(e.to_string().contains("presentation"), "{e}");
        assert!(matches!(
            sniff("a.odt", b"{not rtf"),
            Err(Error::Corrupt { format: "ODT", .. })
        ));
    }

    #[test]
    fn compound_files_by_their_root_streams() {
        let doc = cfb_with(&["/WordDocument", "/1Table", "/ObjectPool/_1/Workbook"]);
        for name in ["a.doc", "a.docx", "a.xls", "a"] {
            assert_eq!(sniff(name, &doc).unwrap(), Format::Doc, "{name}");
        }
        let xls = cfb_with(&["/Workbook"]);
        assert_eq!(sniff("a.doc", &xls).unwrap(), Format::Xls);
        assert_eq!(sniff("a.xls", &cfb_with(&["/Book"])).unwrap(), Format::Xls);
        let enc = cfb_with(&["/EncryptionInfo", "/EncryptedPackage"]);
        assert!(matches!(sniff("a.docx", &enc), Err(Error::Encrypted(_))));
        let ppt = cfb_with(&["/PowerPoint Document"]);
        let e = sniff("a.ppt", &ppt).unwrap_err();
        assert!(e.to_string().contains("PowerPoint"), "{e}");
        let other = cfb_with(&["/Contents"]);
        let e = sniff("a.bin", &other).unwrap_err();
        assert!(e.to_string().contains("'Contents'"), "{e}");
        // a damaged directory: the name decides, the reader reports the damage
        let mut cut = doc.clone();
        cut.truncate(600);
        assert_eq!(sniff("a.doc", &cut).unwrap(), Format::Doc);
        assert_eq!(sniff("a.xls", &cut).unwrap(), Format::Xls);
    }
}
