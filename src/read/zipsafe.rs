//! Safe access to zip containers (DOCX, XLSX, ODS).
//!
//! A zip entry's declared size is never trusted. Every byte decompressed through a [`SafeZip`]
//! is counted against one budget for the whole archive (`Limits::max_decompressed_bytes`); the
//! count is enforced by a reader that stops (with an error) as soon as the budget is spent, so a
//! zip bomb fails fast with [`Error::Limit`] without allocating its expanded size. The number of
//! entries is capped too ([`MAX_ENTRIES`]).

use std::cell::Cell;
use std::io::{self, Cursor, Read};
use std::rc::Rc;

use zip::result::ZipError;
use zip::ZipArchive;

use crate::error::{Error, Result};

/// Most entries accepted in one archive. Real Office files have tens to a few thousand.
pub const MAX_ENTRIES: usize = 20_000;

/// Largest inflate ratio accepted for one entry once it has expanded past [`RATIO_GRACE`]
/// bytes. Office XML compresses 5-50 times; a deflate bomb reaches 1000. (Apache POI refuses
/// past 100 by default; this is more lenient.)
pub const MAX_RATIO: u64 = 250;

/// Bytes an entry may expand to before the ratio is checked.
pub const RATIO_GRACE: u64 = 16 * 1024 * 1024;

/// Marker put into the io::Error raised when the budget is spent, so callers that only see an
/// io/xml error can still tell it was the limit.
const LIMIT_MARKER: &str = "carers-extract: decompressed size limit reached";

/// A zip archive opened from bytes, with a shared decompression budget.
pub struct SafeZip<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
    format: &'static str,
    budget: Rc<Budget>,
}

/// The decompression budget shared by all entries of one archive.
#[derive(Debug)]
pub struct Budget {
    limit: u64,
    used: Cell<u64>,
    exceeded: Cell<bool>,
    /// The entry whose inflate ratio tripped the check, if that is what happened.
    ratio_entry: std::cell::RefCell<Option<String>>,
}

impl Budget {
    fn new(limit: u64) -> Budget {
        Budget {
            limit,
            used: Cell::new(0),
            exceeded: Cell::new(false),
            ratio_entry: std::cell::RefCell::new(None),
        }
    }

    /// A budget that never runs out (for parts already in memory).
    pub fn unlimited() -> Budget {
        Budget::new(u64::MAX)
    }

    /// True once a read hit the limit.
    pub fn exceeded(&self) -> bool {
        self.exceeded.get()
    }

    /// The error to report when the limit was hit.
    pub fn limit_error(&self, format: &str) -> Error {
        if let Some(name) = self.ratio_entry.borrow().as_ref() {
            return Error::Limit(format!(
                "{format} file refused: its part {name} expands more than {MAX_RATIO} times its \
                 compressed size (zip bomb?)"
            ));
        }
        Error::Limit(format!(
            "{format} file refused: it expands to more than {} bytes when unzipped (zip bomb?)",
            self.limit
        ))
    }
}

/// A reader over one zip entry that counts every decompressed byte against the budget.
pub struct Limited<R> {
    inner: R,
    budget: Rc<Budget>,
    name: String,
    compressed: u64,
    out: u64,
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let used = self.budget.used.get();
        let left = self.budget.limit.saturating_sub(used);
        if left == 0 {
            // One probe byte past the limit tells "exactly at the limit" from "over it".
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => {
                    self.budget.exceeded.set(true);
                    Err(io::Error::other(LIMIT_MARKER))
                }
            };
        }
        let max = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..max])?;
        self.budget.used.set(used + n as u64);
        self.out += n as u64;
        if self.out > RATIO_GRACE && self.out / MAX_RATIO > self.compressed {
            self.budget.exceeded.set(true);
            *self.budget.ratio_entry.borrow_mut() = Some(self.name.clone());
            return Err(io::Error::other(LIMIT_MARKER));
        }
        Ok(n)
    }
}

impl<'f, R: Read> Limited<zip::read::ZipFile<'f, R>> {
    fn new(file: zip::read::ZipFile<'f, R>, budget: Rc<Budget>) -> Self {
        Limited {
            name: file.name().to_string(),
            compressed: file.compressed_size(),
            inner: file,
            budget,
            out: 0,
        }
    }
}

/// The budgeted reader over one entry of an archive held in memory.
pub type EntryReader<'z, 'a> = Limited<zip::read::ZipFile<'z, Cursor<&'a [u8]>>>;

/// True when an io error (possibly wrapped by a parser) was raised by the budget.
pub fn is_limit_error(e: &io::Error) -> bool {
    e.to_string().contains(LIMIT_MARKER)
}

impl<'a> SafeZip<'a> {
    /// Open `bytes` as a zip archive of the given format (used in messages: "DOCX", "XLSX").
    pub fn open(bytes: &'a [u8], format: &'static str, limit: u64) -> Result<SafeZip<'a>> {
        let archive = ZipArchive::new(Cursor::new(bytes)).map_err(|e| zip_error(format, e))?;
        if archive.len() > MAX_ENTRIES {
            return Err(Error::Limit(format!(
                "{format} file has {} zip entries, over the limit of {MAX_ENTRIES} (zip bomb?); refused",
                archive.len()
            )));
        }
        Ok(SafeZip {
            archive,
            format,
            budget: Rc::new(Budget::new(limit)),
        })
    }

    /// The shared budget.
    pub fn budget(&self) -> Rc<Budget> {
        Rc::clone(&self.budget)
    }

    /// The format name used in messages.
    pub fn format(&self) -> &'static str {
        self.format
    }

    /// True when the archive has an entry of this name.
    pub fn has(&self, name: &str) -> bool {
        self.archive.index_for_name(name).is_some()
    }

    /// A budgeted streaming reader over one entry, or `None` when there is no such entry.
    pub fn entry(&mut self, name: &str) -> Result<Option<EntryReader<'_, 'a>>> {
        let budget = Rc::clone(&self.budget);
        let format = self.format;
        match self.archive.by_name(name) {
            Ok(file) => Ok(Some(Limited::new(file, budget))),
            Err(ZipError::FileNotFound) => Ok(None),
            Err(e) => Err(zip_error(format, e)),
        }
    }

    /// Read a whole (small) entry into memory, within the budget.
    pub fn read_entry(&mut self, name: &str) -> Result<Option<Vec<u8>>> {
        let format = self.format;
        let budget = self.budget();
        let Some(mut r) = self.entry(name)? else {
            return Ok(None);
        };
        let mut out = Vec::new();
        match r.read_to_end(&mut out) {
            Ok(_) => Ok(Some(out)),
            Err(e) => Err(io_error(format, &budget, &e)),
        }
    }

    /// Decompress every entry into nothing, counting bytes: proves the archive stays within the
    /// budget before handing it to a parser that does its own decompression (calamine).
    pub fn check_all(&mut self) -> Result<()> {
        self.check_all_with(|_, _| Ok(()))
    }

    /// Like [`SafeZip::check_all`], but hands each entry's budgeted reader to `look` first
    /// (which may read some or all of it, e.g. to parse it); the rest is drained and counted.
    pub fn check_all_with<F>(&mut self, mut look: F) -> Result<()>
    where
        F: FnMut(&str, &mut dyn Read) -> Result<()>,
    {
        let format = self.format;
        let budget = self.budget();
        let mut buf = vec![0u8; 64 * 1024];
        for i in 0..self.archive.len() {
            let file = self.archive.by_index(i).map_err(|e| zip_error(format, e))?;
            let name = file.name().to_string();
            let mut r = Limited::new(file, Rc::clone(&budget));
            look(&name, &mut r)?;
            loop {
                match r.read(&mut buf) {
                    Ok(0) => break,
                    Ok(_) => {}
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(io_error(format, &budget, &e)),
                }
            }
        }
        Ok(())
    }
}

/// Map an io error met while reading an entry: the budget's own error becomes [`Error::Limit`].
pub fn io_error(format: &'static str, budget: &Budget, e: &io::Error) -> Error {
    if budget.exceeded() || is_limit_error(e) {
        budget.limit_error(format)
    } else {
        Error::Corrupt {
            format,
            detail: format!("cannot decompress part of the zip container: {e}"),
        }
    }
}

/// Map a zip error to a clear one-line error.
pub fn zip_error(format: &'static str, e: ZipError) -> Error {
    match e {
        ZipError::UnsupportedArchive(m) if m == ZipError::PASSWORD_REQUIRED => Error::Encrypted(
            "the zip container is password-protected: remove the password and save again".into(),
        ),
        ZipError::UnsupportedArchive(m) => Error::Corrupt {
            format,
            detail: format!("unsupported zip feature ({m})"),
        },
        ZipError::InvalidArchive(m) => Error::Corrupt {
            format,
            detail: format!("not a valid zip container, perhaps truncated ({m})"),
        },
        ZipError::Io(e) => Error::Corrupt {
            format,
            detail: format!("cannot read the zip container, perhaps truncated ({e})"),
        },
        other => Error::Corrupt {
            format,
            detail: format!("damaged zip container ({other})"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(entries: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let o = zip::write::SimpleFileOptions::default().compression_method(method);
        for (name, data) in entries {
            w.start_file(*name, o).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn reads_within_budget() {
        let z = zip_of(
            &[("a.xml", b"hello"), ("b.xml", b"world")],
            zip::CompressionMethod::Deflated,
        );
        let mut s = SafeZip::open(&z, "DOCX", 100).unwrap();
        assert_eq!(s.read_entry("a.xml").unwrap().unwrap(), b"hello");
        assert!(s.read_entry("c.xml").unwrap().is_none());
        s.check_all().unwrap();
    }

    #[test]
    fn exact_limit_is_fine_one_over_is_not() {
        let z = zip_of(&[("a.xml", b"0123456789")], zip::CompressionMethod::Stored);
        let mut s = SafeZip::open(&z, "DOCX", 10).unwrap();
        assert!(s.read_entry("a.xml").is_ok());
        let mut s = SafeZip::open(&z, "DOCX", 9).unwrap();
        assert!(matches!(s.read_entry("a.xml"), Err(Error::Limit(_))));
    }

    #[test]
    fn bomb_is_refused() {
        let zeros = vec![0u8; 4 << 20];
        let z = zip_of(
            &[("word/document.xml", &zeros)],
            zip::CompressionMethod::Deflated,
        );
        assert!(z.len() < 100_000);
        let mut s = SafeZip::open(&z, "DOCX", 1 << 20).unwrap();
        let e = s.check_all().unwrap_err();
        assert!(matches!(e, Error::Limit(_)), "{e}");
        assert!(e.to_string().contains("zip bomb"));
    }

    #[test]
    fn bomb_is_refused_by_ratio_under_default_limit() {
        let zeros = vec![b' '; 40 << 20];
        let z = zip_of(
            &[("word/document.xml", &zeros)],
            zip::CompressionMethod::Deflated,
        );
        let mut s = SafeZip::open(&z, "DOCX", 512 << 20).unwrap();
        let e = s.check_all().unwrap_err();
        assert!(
            e.to_string()
                .contains("word/document.xml expands more than"),
            "{e}"
        );
    }

    #[test]
    fn garbage_and_truncated_are_corrupt() {
        assert!(matches!(
            SafeZip::open(b"PK\x03\x04 nonsense", "DOCX", 10),
            Err(Error::Corrupt { .. })
        ));
        let z = zip_of(&[("a.xml", b"hello")], zip::CompressionMethod::Deflated);
        let cut = &z[..z.len() / 2];
        assert!(matches!(
            SafeZip::open(cut, "XLSX", 10),
            Err(Error::Corrupt { .. })
        ));
    }
}
