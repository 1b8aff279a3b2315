//! The `carers-extract` command line. All logic lives in the library; this file parses
//! arguments, runs the pipeline per input, picks a writer and maps outcomes to exit codes:
//!
//! * 0: success (for `check`: no failing gap);
//! * 1: `check` found failing gaps (or more warnings than `--max-warnings`);
//! * 2: usage error, or an input could not be read (the other inputs are still processed).

mod batch;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use carers_extract::baseline::Baseline;
use carers_extract::config::{CheckPolicy, Config};
use carers_extract::report::Report;
use carers_extract::write::{self, InputError};
use carers_extract::Options;
use clap::{Args, Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "Examples:
  carers-extract strategy.pdf                      summary and gap list
  carers-extract --format json strategy.docx > plan.json
  carers-extract --format csv --bom -o plans.csv a.txt b.docx
  carers-extract --format ndjson *.pdf | jq -r 'select(.lead == null) | .action'
  carers-extract check --fail-on missing-lead,missing-due draft.docx
  carers-extract --as-of 2025-04-01 strategy.txt   also report past deadlines
  carers-extract --format html -o report.html strategies/        a folder, recursively
  carers-extract --format xlsx -o plans.xlsx 'strategies/**/*.pdf' --jobs 4
  carers-extract check --format github --baseline main.json draft.docx
  carers-extract check --format sarif -o gaps.sarif --max-warnings 20 drafts/

Exit codes: 0 ok; 1 check found failing gaps; 2 usage or input error.";

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
    Check(CheckArgs),
}

#[derive(Args, Debug)]
struct RunArgs {
    /// Input files (.pdf, .docx, .doc, .odt, .rtf, .xlsx, .xls, .ods, .csv, .tsv, .html,
    /// .txt, .md), folders (read
    /// recursively) or globs; `-` reads text from stdin.
    #[arg(required = true)]
    files: Vec<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,
    /// Write the output to FILE (atomically: a temporary file renamed into place).
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Judge deadlines against this date (YYYY-MM-DD): enables the past-due rule.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    as_of: Option<chrono::NaiveDate>,
    /// CSV: start with a UTF-8 byte-order mark so Excel opens it correctly.
    #[arg(long)]
    bom: bool,
    /// CSV: do not escape cells that begin with = + - @ (spreadsheet formula injection).
    #[arg(long)]
    no_escape_formulas: bool,
    /// Print nothing on stderr except errors (no progress bar, no notes).
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Read settings from this carers-extract.toml (default: the first one found in the
    /// current directory or its parents).
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,
    /// Ignore any carers-extract.toml.
    #[arg(long, conflicts_with = "config")]
    no_config: bool,
    /// Files processed in parallel (default: all cores).
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
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
    /// Report only gaps that are new since this previous JSON report (matched by action text
    /// and rule, not row number).
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    /// A readable summary and gap list.
    Text,
    /// One JSON report per input (an array for several inputs).
    Json,
    /// One JSON object per action per line.
    Ndjson,
    /// One row per action.
    Csv,
    /// A Markdown summary, action table and gap list.
    Markdown,
    /// A self-contained HTML report (charts, filterable action table).
    Html,
    /// An Excel workbook: Actions, Gaps, Summary, Sources (needs -o, or a redirected stdout).
    Xlsx,
    /// SARIF 2.1.0, one result per gap (code scanning).
    Sarif,
    /// GitHub Actions workflow commands (annotations on pull requests).
    Github,
    /// JUnit XML: one test case per action.
    Junit,
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("'{s}' is not a date in the form YYYY-MM-DD"))
}

fn main() -> ExitCode {
    // Panics inside a reader are contained and reported as one line for that file; the default
    // hook would print a multi-line message first. CARERS_EXTRACT_DEBUG=1 keeps it.
    if std::env::var_os("CARERS_EXTRACT_DEBUG").is_none() {
        std::panic::set_hook(Box::new(|_| {}));
    }
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Some(Command::Check(args)) => run(&args.run, Some(&args)),
        None => run(&cli.run, None),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("carers-extract: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Settings from carers-extract.toml and the flags, flags winning.
fn settings(args: &RunArgs, check: Option<&CheckArgs>) -> Result<(Options, CheckPolicy)> {
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
    opts.limits = carers_extract::Limits {
        max_input_bytes: args.max_input_size,
        max_decompressed_bytes: args.max_decompressed_size,
        max_pages: args.max_pages,
        timeout_secs: args.timeout,
    };
    if let Some(c) = check {
        for r in &c.fail_on {
            if carers_extract::gaps::rule(r).is_none() {
                bail!("unknown rule '{r}' in --fail-on (rules: {})", rule_ids());
            }
        }
        policy.fail_rules.extend(c.fail_on.iter().cloned());
        if c.max_warnings.is_some() {
            policy.max_warnings = c.max_warnings;
        }
    }
    Ok((opts, policy))
}

/// Run the pipeline on every input and write the output; returns the exit code.
fn run(args: &RunArgs, check: Option<&CheckArgs>) -> Result<u8> {
    let (opts, policy) = settings(args, check)?;
    let baseline = match check.and_then(|c| c.baseline.as_ref()) {
        Some(p) => Some(Baseline::load(p)?),
        None => None,
    };
    if args.format == OutputFormat::Xlsx && args.output.is_none() && std::io::stdout().is_terminal()
    {
        bail!("--format xlsx writes a binary workbook: give -o FILE.xlsx (or redirect standard output)");
    }
    let inputs = batch::collect(&args.files);
    if !args.quiet {
        for p in &inputs.skipped {
            eprintln!(
                "carers-extract: note: skipped {} (not a type the tool reads)",
                p.display()
            );
        }
    }
    let mut errors: Vec<InputError> = Vec::new();
    for f in inputs.failures {
        eprintln!("carers-extract: {}: {}", f.path, f.error);
        errors.push(f);
    }
    let single = inputs.files.len() == 1;
    let jobs = args.jobs.unwrap_or(0);
    let progress = batch::want_progress(inputs.files.len(), args.quiet);
    // NDJSON to standard output streams as results complete (in path order).
    let stream = args.format == OutputFormat::Ndjson && args.output.is_none();
    let mut stdout_broken = false;
    let mut reports = Vec::new();
    batch::run(&inputs.files, &opts, jobs, progress, |_, res| match res {
        Ok(mut r) => {
            if let Some(b) = &baseline {
                b.filter(&mut r, single);
            }
            if stream && !stdout_broken {
                if let Ok(s) = write::ndjson(&r) {
                    let mut out = std::io::stdout().lock();
                    if out
                        .write_all(s.as_bytes())
                        .and_then(|_| out.flush())
                        .is_err()
                    {
                        stdout_broken = true;
                    }
                }
            }
            reports.push(r);
        }
        Err(f) => errors.push(f),
    });
    if reports.is_empty() && errors.is_empty() {
        bail!("no input files found");
    }
    let several = reports.len() + errors.len() > 1;
    // Nothing read: write nothing (no empty or half-useful output file).
    if reports.is_empty() {
        return Ok(2);
    }
    if !stream {
        let bytes = render(args, &reports, &errors, &policy)?;
        match &args.output {
            Some(path) => write_atomically(path, &bytes)?,
            None => {
                let mut out = std::io::stdout().lock();
                if let Err(e) = out.write_all(&bytes).and_then(|_| out.flush()) {
                    if e.kind() != std::io::ErrorKind::BrokenPipe {
                        return Err(e).context("cannot write to standard output");
                    }
                }
            }
        }
    }
    if several && !args.quiet {
        eprintln!(
            "carers-extract: {} file(s) read, {} failed",
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
                "carers-extract: {} failing gap(s), {} warning(s)",
                outcome.failing, outcome.warnings
            );
            if outcome.too_many_warnings {
                msg.push_str(&format!(
                    " (more than --max-warnings {})",
                    policy.max_warnings.unwrap_or(0)
                ));
            }
            eprintln!("{msg}");
        }
        return Ok(if outcome.failed() { 1 } else { 0 });
    }
    Ok(0)
}

/// Today's date (UTC), for `as_of = "today"`.
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

fn render(
    args: &RunArgs,
    reports: &[Report],
    errors: &[InputError],
    policy: &CheckPolicy,
) -> Result<Vec<u8>> {
    Ok(match args.format {
        OutputFormat::Json => {
            let mut s = write::json(reports, errors)?;
            s.push('\n');
            s.into_bytes()
        }
        OutputFormat::Ndjson => {
            let mut s = String::new();
            for r in reports {
                s.push_str(&write::ndjson(r)?);
            }
            s.into_bytes()
        }
        OutputFormat::Csv => write::csv::render(
            reports,
            write::csv::CsvOptions {
                bom: args.bom,
                escape_formulas: !args.no_escape_formulas,
                header: true,
            },
        )?,
        OutputFormat::Text => reports
            .iter()
            .map(write::text::render)
            .collect::<Vec<_>>()
            .join("\n")
            .into_bytes(),
        OutputFormat::Markdown => reports
            .iter()
            .map(write::markdown::render)
            .collect::<Vec<_>>()
            .join("\n")
            .into_bytes(),
        OutputFormat::Html => write::html::html(reports, errors).into_bytes(),
        OutputFormat::Xlsx => {
            write::xlsx::xlsx(reports, errors).context("cannot build the workbook")?
        }
        OutputFormat::Sarif => {
            let mut s = write::sarif::sarif(reports, errors);
            s.push('\n');
            s.into_bytes()
        }
        OutputFormat::Github => write::github::github(reports, errors).into_bytes(),
        OutputFormat::Junit => write::junit::junit(reports, errors, policy).into_bytes(),
    })
}

/// Write to a temporary file beside `path`, then rename it into place: never half-written.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    tmp.write_all(bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
