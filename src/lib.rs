//! `carers-extract`: find the action plans in strategy documents and normalise them.
//!
//! The pipeline runs one way:
//!
//! ```text
//! bytes --read--> Document --detect--> Plan --normalise--> Action --gaps--> Report --write--> output
//! ```
//!
//! * [`read`] turns bytes of any supported format into a format-free [`document::Document`];
//! * [`detect`] finds action-plan tables and prose action lists in it and maps their columns;
//! * [`normalise`] cleans each row into an [`report::Action`] (parties, deadlines, cross-references);
//! * [`gaps`] applies the rules table and builds the [`report::Report`];
//! * [`write`] renders reports as text, JSON, NDJSON, CSV or Markdown.
//!
//! ```no_run
//! let opts = carers_extract::Options::default();
//! let report = carers_extract::extract_path(std::path::Path::new("strategy.txt"), &opts)?;
//! println!("{} actions", report.actions.len());
//! # Ok::<(), carers_extract::Error>(())
//! ```

pub mod baseline;
pub mod config;
pub mod detect;
pub mod document;
pub mod error;
pub mod explain;
pub mod gaps;
pub mod isolate;
pub mod limits;
pub mod normalise;
pub mod read;
pub mod report;
pub mod select;
pub mod write;

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

pub use document::{Block, BlockKind, Cell, Document, Format, Row, Source, Table};
pub use error::{Error, Result};
pub use report::{Action, Gap, Report, Severity};

/// Safety limits applied while reading one input.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Limits {
    /// Largest input file accepted, in bytes.
    pub max_input_bytes: u64,
    /// Largest total decompressed size of a zip container (docx/xlsx/ods), in bytes.
    pub max_decompressed_bytes: u64,
    /// Most pages read from a PDF.
    pub max_pages: u32,
    /// Time budget per file, in seconds (0: none). [`extract_path_within`] stops waiting for a
    /// file after it; readers that can run long may also check it themselves.
    pub timeout_secs: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 200 * 1024 * 1024,
            max_decompressed_bytes: 512 * 1024 * 1024,
            max_pages: 2000,
            timeout_secs: 60,
        }
    }
}

/// How a gap rule is configured: its severity, or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum RuleLevel {
    /// The rule does not run.
    Off,
    /// The rule runs with this severity.
    On(Severity),
}

/// Options for one extraction. (Serializable: the batch hands them to its worker processes,
/// see [`isolate`].)
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Options {
    /// Date against which `past-due` is judged; the rule is off without it.
    pub as_of: Option<NaiveDate>,
    /// Strategy period (start, end) for the `due-outside-period` rule.
    pub period: Option<(NaiveDate, NaiveDate)>,
    /// Safety limits.
    pub limits: Limits,
    /// Extra header synonyms per canonical field (`"lead"` -> `["Accountable manager"]`).
    pub header_synonyms: BTreeMap<String, Vec<String>>,
    /// Extra phrases that make a lead vague (compared case-insensitively with the whole lead).
    pub vague_leads: Vec<String>,
    /// Extra placeholder patterns (regular expressions, case-insensitive).
    pub placeholders: Vec<String>,
    /// Per-rule severity overrides (rule id -> level).
    pub rules: BTreeMap<String, RuleLevel>,
    /// Pages and sheets to read (default: all).
    pub selection: select::Selection,
}

/// Read a file from disk and extract its report. `-` reads standard input as text.
pub fn extract_path(path: &Path, opts: &Options) -> Result<Report> {
    let bytes = read_input(path, opts)?;
    extract_bytes(&path.to_string_lossy(), &bytes, opts)
}

/// Read a file and say what detection made of every table and list in it, beside the report
/// (`carers-extract explain`). `-` reads standard input as text.
pub fn explain_path(path: &Path, opts: &Options) -> Result<(Report, explain::Explanation)> {
    let bytes = read_input(path, opts)?;
    let (document, source) = read_document(&path.to_string_lossy(), &bytes, opts)?;
    let detection = detect::detect_explained(&document, opts);
    let explanation = explain::explain(&document, &detection, opts);
    Ok((report_of(&document, source, &detection, opts), explanation))
}

/// The bytes of an input file (`-`: standard input), refusing directories and anything over
/// `opts.limits.max_input_bytes`.
pub fn read_input(path: &Path, opts: &Options) -> Result<Vec<u8>> {
    let name = path.to_string_lossy().to_string();
    let limit = opts.limits.max_input_bytes;
    let io = |e| Error::Io {
        path: name.clone(),
        source: e,
    };
    if name == "-" {
        return limits::read_at_most(std::io::stdin().lock(), limit).map_err(io);
    }
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        return Err(Error::Unsupported(format!(
            "{name} is a directory (give files, or see --help for batch use)"
        )));
    }
    if meta.len() > limit {
        return Err(Error::Limit(format!(
            "file is {} bytes, over the {}-byte limit (raise it with --max-input-size)",
            meta.len(),
            limit
        )));
    }
    // The size on disk can lie (/dev/zero, a FIFO, a file still growing): read no more
    // than the limit allows.
    limits::read_at_most(std::fs::File::open(path).map_err(io)?, limit).map_err(io)
}

/// [`extract_path`] within the time budget `opts.limits.timeout_secs` (0: none): the work runs
/// on its own thread and a file that takes longer is an error for that file
/// ([`limits::within_budget`]). Panics are contained either way.
pub fn extract_path_within(path: &Path, opts: &Options) -> Result<Report> {
    let (p, o) = (path.to_path_buf(), opts.clone());
    limits::within_budget(opts.limits.timeout_secs, move || extract_path(&p, &o))
}

/// Extract a report from bytes already in memory. `name` is used to guess the format when the
/// bytes do not say it, and is reported as the source path.
pub fn extract_bytes(name: &str, bytes: &[u8], opts: &Options) -> Result<Report> {
    let (document, source) = read_document(name, bytes, opts)?;
    Ok(analyse_owned(document, source, opts))
}

/// The reading half of [`extract_bytes`]: the document (with the page / sheet selection
/// applied) and the description of its source.
pub(crate) fn read_document(
    name: &str,
    bytes: &[u8],
    opts: &Options,
) -> Result<(Document, report::SourceInfo)> {
    if bytes.len() as u64 > opts.limits.max_input_bytes {
        return Err(Error::Limit(format!(
            "input is over the {}-byte limit (raise it with --max-input-size)",
            opts.limits.max_input_bytes
        )));
    }
    let format = read::sniff(name, bytes)?;
    let mut document = read::read(format, bytes, opts)?;
    if !opts.selection.is_all() {
        select::apply(&mut document, &opts.selection)?;
    }
    let source = report::SourceInfo {
        path: name.to_string(),
        format: format.name().to_string(),
        sha256: sha256_hex(bytes),
        pages: document.pages,
    };
    Ok((document, source))
}

/// Run detection, normalisation and the gap rules on a document already read.
pub fn analyse(document: &Document, source: report::SourceInfo, opts: &Options) -> Report {
    let detection = detect::detect_explained(document, opts);
    report_of(document, source, &detection, opts)
}

/// Normalisation and the gap rules on what detection found.
fn report_of(
    document: &Document,
    source: report::SourceInfo,
    detection: &detect::explain::Detection,
    opts: &Options,
) -> Report {
    let context = normalise::Context::from_document(document);
    let (infos, actions) = normalise::normalise_plans(&detection.plans, &context);
    gaps::build_report(
        source,
        document.title.clone(),
        infos,
        actions,
        || explain::no_plan_reason(document, detection),
        opts,
    )
}

/// [`analyse`], dropping the document once detection has taken what it needs from it (the
/// plans hold their own texts): less memory held while actions and gaps are built.
pub(crate) fn analyse_owned(
    document: Document,
    source: report::SourceInfo,
    opts: &Options,
) -> Report {
    let detection = detect::detect_explained(&document, opts);
    let context = normalise::Context::from_document(&document);
    let title = document.title.clone();
    // The reason for a `no-action-plan` finding needs the document: one short sentence, taken
    // before the document goes (whether any action comes out is known only after normalising).
    let why_nothing = explain::no_plan_reason(&document, &detection);
    drop(document);
    let (infos, actions) = normalise::normalise_plans(&detection.plans, &context);
    gaps::build_report(source, title, infos, actions, || why_nothing, opts)
}

fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
