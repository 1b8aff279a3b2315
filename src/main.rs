//! The `carers-extract` command line. All logic lives in the library; this file parses
//! arguments, runs the pipeline per input, picks a writer and maps outcomes to exit codes:
//!
//! * 0: success (for `check`: no failing gap);
//! * 1: `check` found failing gaps;
//! * 2: usage error, or an input could not be read (the other inputs are still processed).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use carers_extract::report::Report;
use carers_extract::write::{self, InputError};
use carers_extract::{Options, Severity};
use clap::{Args, Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "Examples:
  carers-extract strategy.pdf                      summary and gap list
  carers-extract --format json strategy.docx > plan.json
  carers-extract --format csv --bom -o plans.csv a.txt b.docx
  carers-extract --format ndjson *.pdf | jq -r 'select(.lead == null) | .action'
  carers-extract check --fail-on missing-lead,missing-due draft.docx
  carers-extract --as-of 2025-04-01 strategy.txt   also report past deadlines

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
    /// Input files (.pdf, .docx, .xlsx, .xls, .ods, .html, .txt, .md); `-` reads text from stdin.
    #[arg(required = true)]
    files: Vec<PathBuf>,
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
    /// Print nothing on stderr except errors.
    #[arg(long, short = 'q')]
    quiet: bool,
}

#[derive(Args, Debug)]
struct CheckArgs {
    #[command(flatten)]
    run: RunArgs,
    /// Rules (comma-separated ids) whose gaps fail the check; default: every gap of severity error.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    fail_on: Vec<String>,
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
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("'{s}' is not a date in the form YYYY-MM-DD"))
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Some(Command::Check(args)) => run(&args.run, Some(&args.fail_on)),
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

/// Run the pipeline on every input and write the output; returns the exit code.
fn run(args: &RunArgs, fail_on: Option<&Vec<String>>) -> Result<u8> {
    if let Some(rules) = fail_on {
        for r in rules {
            if carers_extract::gaps::rule(r).is_none() {
                bail!("unknown rule '{r}' in --fail-on (rules: {})", rule_ids());
            }
        }
    }
    let opts = Options {
        as_of: args.as_of,
        ..Options::default()
    };
    let mut reports = Vec::new();
    let mut errors = Vec::new();
    for path in &args.files {
        match carers_extract::extract_path(path, &opts) {
            Ok(r) => reports.push(r),
            Err(e) => {
                let name = path.display().to_string();
                eprintln!("carers-extract: {name}: {e}");
                errors.push(InputError {
                    path: name,
                    error: e.to_string(),
                });
            }
        }
    }
    if reports.is_empty() {
        return Ok(2);
    }
    let bytes = render(args, &reports, &errors)?;
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
    if !errors.is_empty() {
        return Ok(2);
    }
    if let Some(rules) = fail_on {
        let failing = reports
            .iter()
            .flat_map(|r| &r.gaps)
            .filter(|g| {
                if rules.is_empty() {
                    g.severity == Severity::Error
                } else {
                    rules.contains(&g.rule)
                }
            })
            .count();
        if !args.quiet {
            eprintln!("carers-extract: {failing} failing gap(s)");
        }
        return Ok(if failing > 0 { 1 } else { 0 });
    }
    Ok(0)
}

fn rule_ids() -> String {
    carers_extract::gaps::RULES
        .iter()
        .map(|r| r.id)
        .collect::<Vec<_>>()
        .join(", ")
}

fn render(args: &RunArgs, reports: &[Report], errors: &[InputError]) -> Result<Vec<u8>> {
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
