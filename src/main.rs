//! The `carers-extract` command line. All logic lives in the library; this file parses
//! arguments, runs the pipeline per input, picks a writer and maps outcomes to exit codes:
//!
//! * 0: success (for `check`: no failing gap);
//! * 1: `check` found failing gaps (or more warnings than `--max-warnings`);
//! * 2: usage error, or an input could not be read (the other inputs are still processed).
//!
//! Every message on stderr starts with `carers-extract: ` and then `error: `, `warning: ` or
//! `note: `.

mod batch;
mod commands;
mod output;

use std::io::{IsTerminal, Write};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use carers_extract::baseline::Baseline;
use carers_extract::config::{CheckPolicy, Config};
use carers_extract::isolate::{self, Isolation};
use carers_extract::report::Report;
use carers_extract::select::{PageSet, Selection};
use carers_extract::write::{self, InputError};
use carers_extract::Options;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::output::Sink;

const EXAMPLES: &str = "Examples:
  carers-extract strategy.pdf                      summary and gap list
  carers-extract --format json strategy.docx > plan.json
  carers-extract -o plans.csv --bom a.txt b.docx   format from the extension
  carers-extract --format ndjson *.pdf | jq -r 'select(.record == \"action\" and .lead == null) | .action'
  carers-extract check --fail-on missing-lead,missing-due draft.docx
  carers-extract --as-of today strategy.txt        also report past deadlines
  carers-extract --pages 5-23 strategy.pdf         read part of a document
  carers-extract -o report.html strategies/        a folder, recursively
  carers-extract -o plans.xlsx 'strategies/**/*.pdf' --jobs 4
  carers-extract explain strategy.docx             which table became what, and why
  carers-extract rules                             the gap rules

Exit codes: 0 ok; 1 check found failing gaps; 2 usage or input error.";

const CHECK_EXAMPLES: &str = "Examples:
  carers-extract check draft.docx                          fail on any error-severity gap
  carers-extract check --fail-on missing-lead,placeholder draft.docx
  carers-extract check --max-warnings 20 drafts/
  carers-extract check --format github drafts/             annotations (+ job summary in Actions)
  carers-extract check --format sarif -o gaps.sarif drafts/
  carers-extract check --format junit -o junit.xml drafts/
  carers-extract --format json -o baseline.json draft.docx && \\
    carers-extract check --baseline baseline.json draft.docx  only gaps new since the baseline

A document in which no action plan is found fails the check (rule no-action-plan), whatever
--fail-on says; turn the rule off in carers-extract.toml if that is intended.
Exit codes: 0 no failing gap; 1 failing gaps (or too many warnings); 2 usage or input error.";

#[derive(Parser, Debug)]
#[command(name = "carers-extract", version, about = "Find the action plans in strategy documents, normalise every action and report the gaps.", after_help = EXAMPLES, args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    run: RunArgs,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check drafts in CI: exit 1 when a failing gap is found.
    #[command(after_help = CHECK_EXAMPLES)]
    Check(CheckArgs),
    /// Show, for every table and list of a document, whether it was taken as an action plan and
    /// why; for every column its header, field, confidence, reason and the config line that
    /// would change it.
    Explain(ExplainArgs),
    /// List the gap rules, or explain one (`rules missing-lead`).
    Rules(commands::RulesArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff); e.g. `carers-extract man > carers-extract.1`.
    Man,
}

#[derive(Args, Debug)]
struct RunArgs {
    /// Input files (.pdf, .docx, .doc, .odt, .rtf, .xlsx, .xls, .ods, .csv, .tsv, .html,
    /// .txt, .md), folders (read
    /// recursively) or globs; `-` reads text from stdin.
    #[arg(required = true)]
    files: Vec<String>,
    /// Output format (default: from the -o file's extension, else text).
    #[arg(long, short = 'f', value_enum)]
    format: Option<OutputFormat>,
    /// Write the output to FILE (atomically); `-` is standard output. Refuses to overwrite an
    /// input or anything that is not a regular file; a symlink's target is written.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    common: CommonArgs,
    /// CSV: start with a UTF-8 byte-order mark so Excel opens it correctly.
    #[arg(long)]
    bom: bool,
    /// CSV: do not escape cells that begin with = + - @ (spreadsheet formula injection).
    #[arg(long)]
    no_escape_formulas: bool,
    /// Print nothing on stderr except errors (no progress bar, no notes).
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Colour severities in the text output: auto (a terminal, and NO_COLOR unset), always,
    /// never.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    color: ColorWhen,
    /// Files processed in parallel (default: all cores).
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
}

/// Options shared by every command that reads documents.
#[derive(Args, Debug)]
struct CommonArgs {
    /// Judge deadlines against this date (YYYY-MM-DD, or `today`): enables the past-due rule.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    as_of: Option<chrono::NaiveDate>,
    /// Read only these pages (PDF, paged text): 3, 5-23, 1,4-6, 10-.
    #[arg(long, value_name = "PAGES", value_parser = PageSet::parse)]
    pages: Option<PageSet>,
    /// Read only this sheet of a workbook (repeat for several).
    #[arg(long, value_name = "NAME")]
    sheet: Vec<String>,
    /// Read settings from this carers-extract.toml (default: the first one found in the
    /// current directory or its parents).
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,
    /// Ignore any carers-extract.toml.
    #[arg(long, conflicts_with = "config")]
    no_config: bool,
    /// Largest input file read (bytes, or with k/M/G: 200M).
    #[arg(long, value_name = "SIZE", value_parser = carers_extract::limits::parse_size, default_value = "200M")]
    max_input_size: u64,
    /// Largest total decompressed size of a .docx/.odt/.xlsx/.ods (zip bombs stop here).
    #[arg(long, value_name = "SIZE", value_parser = carers_extract::limits::parse_size, default_value = "512M")]
    max_decompressed_size: u64,
    /// Most pages read from a PDF (a longer PDF is an error).
    #[arg(long, value_name = "N", default_value_t = 2000)]
    max_pages: u32,
    /// Time budget per file in seconds (0: none); a file that takes longer is reported as an
    /// error and the batch carries on.
    #[arg(long, value_name = "SECS", default_value_t = 60)]
    timeout: u64,
    /// Memory budget for reading one file (bytes, or with k/M/G: 2G; 0: none). Each file is
    /// read in a worker process limited to this much address space; a file that needs more is
    /// reported as an error and the batch carries on.
    #[arg(long, value_name = "SIZE", value_parser = carers_extract::limits::parse_size, default_value = "1G")]
    max_memory: u64,
}

#[derive(Args, Debug)]
struct CheckArgs {
    #[command(flatten)]
    run: RunArgs,
    /// Rules (comma-separated ids) whose gaps fail the check; default: every gap of a severity
    /// listed in the config's `fail_on` (default: error).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    fail_on: Vec<String>,
    /// Fail when there are more than N warnings.
    #[arg(long, value_name = "N")]
    max_warnings: Option<usize>,
    /// Report only gaps that are new since this previous JSON report (`--format json`; matched
    /// by action text and rule, not row number).
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
}

#[derive(Args, Debug)]
struct ExplainArgs {
    /// Input files (as for the main command).
    #[arg(required = true)]
    files: Vec<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = commands::ExplainFormat::Text)]
    format: commands::ExplainFormat,
    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum ColorWhen {
    /// Colour when standard output is a terminal and NO_COLOR is not set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    /// A readable summary and gap list.
    Text,
    /// One JSON report (an object when the command line names one file; an array of reports
    /// and {path, error} entries for a folder, a glob or several inputs).
    Json,
    /// One JSON record per line: a `document` record per input, an `action` record per action,
    /// an `error` record per failed input.
    Ndjson,
    /// One row per action (plus rows for documents and plans with findings but no actions).
    Csv,
    /// A Markdown summary, action table and gap list.
    Markdown,
    /// A self-contained HTML report (charts, filterable action table).
    Html,
    /// An Excel workbook: Actions, Gaps, Summary, Sources (needs -o, or a redirected stdout).
    Xlsx,
    /// SARIF 2.1.0, one result per gap (code scanning).
    Sarif,
    /// GitHub Actions workflow commands (annotations), and a job summary when
    /// $GITHUB_STEP_SUMMARY is set.
    Github,
    /// JUnit XML: one test case per action.
    Junit,
}

impl OutputFormat {
    /// Formats that CI uploads or people open: written even when every input failed, so the
    /// upload step finds a valid file that lists the failures.
    fn always_written(self) -> bool {
        matches!(
            self,
            OutputFormat::Sarif
                | OutputFormat::Html
                | OutputFormat::Junit
                | OutputFormat::Xlsx
                | OutputFormat::Github
        )
    }
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    if s.trim().eq_ignore_ascii_case("today") {
        return Ok(today());
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("'{s}' is not a date in the form YYYY-MM-DD (or `today`)"))
}

/// Print an error in the one style used everywhere, without the control characters and
/// terminal escape sequences that a file name or a document's text may carry.
pub fn error_line(msg: &str) {
    eprintln!(
        "carers-extract: error: {}",
        write::escape::strip_controls(msg)
    );
}

fn main() -> ExitCode {
    // Panics inside a reader are contained and reported as one line for that file; the default
    // hook would print a multi-line message first. CARERS_EXTRACT_DEBUG=1 keeps it.
    if std::env::var_os("CARERS_EXTRACT_DEBUG").is_none() {
        std::panic::set_hook(Box::new(|_| {}));
    }
    // A worker process reading files for a batch (see `isolate`).
    if std::env::args_os()
        .nth(1)
        .is_some_and(|a| a == isolate::WORKER_ARG)
    {
        return ExitCode::from(isolate::serve());
    }
    let stdout_closed = stdout_was_closed();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            if !e.use_stderr() {
                let _ = e.print();
                return ExitCode::from(0);
            }
            // clap's own "error: ..." gets the same prefix as every other message.
            let text = e.render().to_string();
            let text = text.strip_prefix("error: ").unwrap_or(&text);
            eprint!("carers-extract: error: {text}");
            return ExitCode::from(2);
        }
    };
    let result = match cli.command {
        Some(Command::Check(args)) => run(&args.run, Some(&args), stdout_closed),
        Some(Command::Explain(args)) => explain(&args, stdout_closed),
        Some(Command::Rules(args)) => commands::rules(&args),
        Some(Command::Completions { shell }) => {
            commands::completions::<Cli>(shell);
            Ok(0)
        }
        Some(Command::Man) => commands::man::<Cli>(),
        None => run(&cli.run, None, stdout_closed),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            error_line(&carers_extract::limits::one_line(&format!("{e:#}")));
            ExitCode::from(2)
        }
    }
}

/// Settings from carers-extract.toml and the flags, flags winning.
fn settings(args: &CommonArgs, check: Option<&CheckArgs>) -> Result<(Options, CheckPolicy)> {
    let mut opts = Options::default();
    let mut policy = CheckPolicy::default();
    let path = if args.no_config {
        None
    } else if let Some(p) = &args.config {
        Some(p.clone())
    } else {
        std::env::current_dir()
            .ok()
            .and_then(|d| Config::discover(&d))
    };
    if let Some(p) = path {
        let config = Config::load(&p)?;
        config.apply(&mut opts, today());
        policy = config.policy();
    }
    if let Some(d) = args.as_of {
        opts.as_of = Some(d);
    }
    opts.selection = Selection {
        pages: args.pages.clone(),
        sheets: args.sheet.clone(),
    };
    opts.limits = carers_extract::Limits {
        max_input_bytes: args.max_input_size,
        max_decompressed_bytes: args.max_decompressed_size,
        max_pages: args.max_pages,
        timeout_secs: args.timeout,
    };
    if let Some(c) = check {
        for r in &c.fail_on {
            if carers_extract::gaps::rule(r).is_none() {
                bail!(
                    "unknown rule '{r}' in --fail-on (rules: {}; see `carers-extract rules`)",
                    rule_ids()
                );
            }
        }
        policy.fail_rules.extend(c.fail_on.iter().cloned());
        if c.max_warnings.is_some() {
            policy.max_warnings = c.max_warnings;
        }
    }
    Ok((opts, policy))
}

/// Set before `main` when standard output was closed by the caller (`>&-`).
static STDOUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Runs from `.init_array`, before the Rust runtime reopens closed standard descriptors on
/// /dev/null (after which writes to a closed standard output would silently succeed).
#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array"]
static CHECK_STDOUT_OPEN: extern "C" fn() = {
    extern "C" fn check() {
        // SAFETY: fcntl(F_GETFD) on descriptor 1 only reads the descriptor's flags.
        if unsafe { libc::fcntl(1, libc::F_GETFD) } == -1 {
            STDOUT_CLOSED.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }
    check
};

/// Whether the caller closed standard output (`>&-`): writing to it is then an error, never a
/// silent success. Known on Linux (checked before the runtime starts), assumed open elsewhere.
fn stdout_was_closed() -> bool {
    STDOUT_CLOSED.load(std::sync::atomic::Ordering::Relaxed)
}

/// The output format: `--format`, else the `-o` file's extension, else text.
fn output_format(args: &RunArgs) -> Result<OutputFormat> {
    if let Some(f) = args.format {
        return Ok(f);
    }
    let Some(path) = args.output.as_deref().filter(|p| p.as_os_str() != "-") else {
        return Ok(OutputFormat::Text);
    };
    if path.extension().is_none() {
        return Ok(OutputFormat::Text);
    }
    match output::format_from_extension(path) {
        Some(name) => Ok(OutputFormat::from_str(name, true)
            .map_err(|e| anyhow::anyhow!(e))
            .context("internal: unknown format name")?),
        None => bail!(
            "cannot tell the output format from the name {}: give --format (text, json, ndjson, csv, markdown, html, xlsx, sarif, github, junit)",
            path.display()
        ),
    }
}

/// Whether the command line names exactly one file (not a folder, glob or several): then
/// `--format json` prints one report object, otherwise always an array.
fn names_one_file(files: &[String]) -> bool {
    match files {
        [one] => {
            let p = std::path::Path::new(one);
            one == "-" || (p.exists() && !p.is_dir())
        }
        _ => false,
    }
}

/// Run the pipeline on every input and write the output; returns the exit code.
fn run(args: &RunArgs, check: Option<&CheckArgs>, stdout_closed: bool) -> Result<u8> {
    let (opts, policy) = settings(&args.common, check)?;
    let format = output_format(args)?;
    let baseline = match check.and_then(|c| c.baseline.as_ref()) {
        Some(p) => Some(Baseline::load(p)?),
        None => None,
    };
    let inputs = batch::collect(&args.files);
    let sink = match &args.output {
        Some(p) => output::resolve(p, &inputs.files)?,
        None => Sink::Stdout,
    };
    if format == OutputFormat::Xlsx && sink == Sink::Stdout && std::io::stdout().is_terminal() {
        bail!("--format xlsx writes a binary workbook: give -o FILE.xlsx (or redirect standard output)");
    }
    if !args.quiet {
        for p in &inputs.skipped {
            eprintln!(
                "carers-extract: note: skipped {} (not a type the tool reads)",
                write::escape::strip_controls(&p.display().to_string())
            );
        }
    }
    let mut errors: Vec<InputError> = Vec::new();
    for f in inputs.failures {
        error_line(&format!("{}: {}", f.path, f.error));
        errors.push(f);
    }
    let single = inputs.files.len() == 1;
    let jobs = args.jobs.unwrap_or(0);
    let progress = batch::want_progress(inputs.files.len(), args.quiet);
    // NDJSON to standard output streams as results complete (in path order).
    let stream = format == OutputFormat::Ndjson && sink == Sink::Stdout;
    if stdout_closed && sink == Sink::Stdout {
        bail!("standard output is closed: give -o FILE, or do not close it (>&-)");
    }
    let isolation = Isolation::for_current_exe(args.common.max_memory);
    // A write error on streamed output stops the batch: a broken pipe (`| head`) quietly,
    // anything else (a full disk) as an error.
    let mut write_error: Option<std::io::Error> = None;
    let emit = |s: serde_json::Result<String>| -> std::io::Result<()> {
        let s = s.map_err(std::io::Error::other)?;
        let mut out = std::io::stdout().lock();
        out.write_all(s.as_bytes()).and_then(|_| out.flush())
    };
    if stream {
        // Inputs that named nothing readable come first, as error records.
        for f in &errors {
            if let Err(e) = emit(write::ndjson_error(f)) {
                write_error = Some(e);
                break;
            }
        }
    }
    let mut reports = Vec::new();
    if write_error.is_none() {
        batch::run(
            &inputs.files,
            &opts,
            jobs,
            progress,
            &isolation,
            |_, res| {
                match res {
                    Ok(mut r) => {
                        if let Some(b) = &baseline {
                            b.filter(&mut r, single);
                        }
                        if r.actions.is_empty() && !args.quiet {
                            // Never a silent zero, whatever the output format.
                            let path = write::escape::strip_controls(&r.source.path);
                            eprintln!(
                                "carers-extract: warning: {path}: no action plan found (`carers-extract explain {path}` says why)"
                            );
                        }
                        if stream {
                            if let Err(e) = emit(write::ndjson(&r)) {
                                write_error = Some(e);
                                return ControlFlow::Break(());
                            }
                        }
                        reports.push(r);
                    }
                    Err(f) => {
                        if stream {
                            if let Err(e) = emit(write::ndjson_error(&f)) {
                                write_error = Some(e);
                                errors.push(f);
                                return ControlFlow::Break(());
                            }
                        }
                        errors.push(f)
                    }
                }
                ControlFlow::Continue(())
            },
        );
    }
    if let Some(e) = write_error {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return Ok(if errors.is_empty() { 0 } else { 2 });
        }
        return Err(e).context("cannot write to standard output");
    }
    if reports.is_empty() && errors.is_empty() {
        bail!("no input files found");
    }
    let several = reports.len() + errors.len() > 1;
    // Nothing read: write nothing, except the formats CI uploads (a valid file listing the
    // failures, so that the upload step does not fail on a missing file).
    if reports.is_empty() && !format.always_written() {
        return Ok(2);
    }
    if !stream {
        // Every output but JSON (which escapes them) drops control characters and terminal
        // escape sequences that a document may carry.
        if !matches!(format, OutputFormat::Json | OutputFormat::Ndjson) {
            reports.iter_mut().for_each(write::escape::clean_report);
            write::escape::clean_errors(&mut errors);
        }
        let style = text_style(args, &sink);
        output::write_with(&sink, |w| {
            render_to(args, format, style, &reports, &errors, &policy, w)
        })?;
        if format == OutputFormat::Github {
            step_summary(&reports, &errors)?;
        }
    }
    if several && !args.quiet {
        eprintln!(
            "carers-extract: note: {} file(s) read, {} failed",
            reports.len(),
            errors.len()
        );
    }
    if reports.is_empty() || !errors.is_empty() {
        return Ok(2);
    }
    if check.is_some() {
        let outcome = policy.evaluate(&reports);
        if !args.quiet {
            let mut msg = format!(
                "carers-extract: note: {} failing gap(s), {} warning(s)",
                outcome.failing, outcome.warnings
            );
            if outcome.too_many_warnings {
                msg.push_str(&format!(
                    " (more than --max-warnings {})",
                    policy.max_warnings.unwrap_or(0)
                ));
            }
            let hidden: usize = reports
                .iter()
                .filter_map(|r| r.summary.known_gaps_hidden)
                .sum();
            if baseline.is_some() {
                msg.push_str(&format!("; {hidden} known gap(s) hidden by the baseline"));
            }
            eprintln!("{msg}");
        }
        return Ok(if outcome.failed() { 1 } else { 0 });
    }
    Ok(0)
}

/// `$GITHUB_STEP_SUMMARY`: append a Markdown job summary when GitHub Actions sets the variable.
fn step_summary(reports: &[Report], errors: &[InputError]) -> Result<()> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let text = write::github::step_summary(reports, errors);
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .with_context(|| {
            format!(
                "cannot write the job summary to $GITHUB_STEP_SUMMARY ({})",
                PathBuf::from(&path).display()
            )
        })?;
    f.write_all(text.as_bytes())
        .context("cannot write the job summary to $GITHUB_STEP_SUMMARY")?;
    Ok(())
}

/// Colour and width of the text output.
fn text_style(args: &RunArgs, sink: &Sink) -> write::text::Style {
    let tty = *sink == Sink::Stdout && std::io::stdout().is_terminal();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
    let color = match args.color {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => tty && !no_color && !dumb,
    };
    // $COLUMNS wins (as for other tools); else the terminal's width; else no wrapping.
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&w| w > 0 && *sink == Sink::Stdout)
        .or_else(|| {
            tty.then(|| terminal_size::terminal_size().map(|(w, _)| w.0 as usize))
                .flatten()
        });
    write::text::Style { color, width }
}

/// Today's date (UTC), for `as_of = "today"` and `--as-of today`.
fn today() -> chrono::NaiveDate {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap() + chrono::Days::new(secs / 86_400)
}

fn rule_ids() -> String {
    carers_extract::gaps::RULES
        .iter()
        .map(|r| r.id)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Write the output to `w` as it is produced where the format allows (JSON, NDJSON, text,
/// Markdown): a large report is never held twice in memory. I/O errors come back as
/// `std::io::Error` (a broken pipe is recognised by the caller).
fn render_to(
    args: &RunArgs,
    format: OutputFormat,
    style: write::text::Style,
    reports: &[Report],
    errors: &[InputError],
    policy: &CheckPolicy,
    w: &mut dyn Write,
) -> Result<()> {
    match format {
        OutputFormat::Json => {
            write::json_to(w, reports, errors, !names_one_file(&args.files))
                .map_err(std::io::Error::from)?;
            w.write_all(b"\n")?;
        }
        OutputFormat::Ndjson => {
            for e in errors {
                w.write_all(write::ndjson_error(e)?.as_bytes())?;
            }
            for r in reports {
                w.write_all(write::ndjson(r)?.as_bytes())?;
            }
        }
        OutputFormat::Text | OutputFormat::Markdown => {
            for (i, r) in reports.iter().enumerate() {
                if i > 0 {
                    w.write_all(b"\n")?;
                }
                let page = match format {
                    OutputFormat::Text => write::text::render_styled(r, style),
                    _ => write::markdown::render(r),
                };
                w.write_all(page.as_bytes())?;
            }
        }
        OutputFormat::Csv => w.write_all(&write::csv::render_all(
            reports,
            errors,
            write::csv::CsvOptions {
                bom: args.bom,
                escape_formulas: !args.no_escape_formulas,
                header: true,
            },
        )?)?,
        OutputFormat::Html => w.write_all(write::html::html(reports, errors).as_bytes())?,
        OutputFormat::Xlsx => {
            w.write_all(&write::xlsx::xlsx(reports, errors).context("cannot build the workbook")?)?
        }
        OutputFormat::Sarif => {
            write::sarif::sarif_to(w, reports, errors).map_err(std::io::Error::from)?;
            w.write_all(b"\n")?;
        }
        OutputFormat::Github => w.write_all(write::github::github(reports, errors).as_bytes())?,
        OutputFormat::Junit => {
            w.write_all(write::junit::junit(reports, errors, policy).as_bytes())?
        }
    }
    Ok(())
}

/// `carers-extract explain FILE...`.
fn explain(args: &ExplainArgs, stdout_closed: bool) -> Result<u8> {
    let (opts, _) = settings(&args.common, None)?;
    if stdout_closed {
        bail!("standard output is closed: do not close it (>&-)");
    }
    let inputs = batch::collect(&args.files);
    let mut code = 0u8;
    for f in &inputs.failures {
        error_line(&format!("{}: {}", f.path, f.error));
        code = 2;
    }
    let mut out = String::new();
    let mut items = Vec::new();
    for path in &inputs.files {
        let (p, o) = (path.clone(), opts.clone());
        let res = carers_extract::limits::within_budget(opts.limits.timeout_secs, move || {
            carers_extract::explain_path(&p, &o)
        });
        match res {
            Ok((report, explanation)) => match args.format {
                commands::ExplainFormat::Text => {
                    if !out.is_empty() {
                        out.push('\n');
                    }
                    out.push_str(&commands::explain_text(&report, &explanation));
                }
                commands::ExplainFormat::Json => {
                    items.push(commands::explain_json(&report, &explanation));
                }
            },
            Err(e) => {
                error_line(&format!(
                    "{}: {}",
                    path.display(),
                    carers_extract::limits::one_line(&e.to_string())
                ));
                code = 2;
            }
        }
    }
    if args.format == commands::ExplainFormat::Json {
        let v = if names_one_file(&args.files) && items.len() == 1 {
            items.remove(0)
        } else {
            serde_json::Value::Array(items)
        };
        out = serde_json::to_string_pretty(&v)? + "\n";
    } else {
        // Headers and cell text come from the document: no control character reaches the
        // terminal (JSON escapes them).
        out = write::escape::strip_controls(&out).into_owned();
    }
    output::write(&Sink::Stdout, out.as_bytes())?;
    Ok(code)
}
