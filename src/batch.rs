//! Batch runs (binary side): expand folders (recursively) and globs into input files, extract
//! them in parallel on `--jobs` threads, each with its own worker process
//! ([`carers_extract::isolate`]), and hand the results back in path order as soon as each is
//! ready (so NDJSON streams while later files are still being read).
//! One bad file never stops a batch, even one that crashes its parser: it comes back as an
//! [`InputError`].

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

use carers_extract::isolate::Isolation;
use carers_extract::write::escape::strip_controls;
use carers_extract::write::InputError;
use carers_extract::{Options, Report};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// File extensions read when walking a folder or expanding a glob.
pub const KNOWN_EXTENSIONS: &[&str] = &[
    "txt", "text", "md", "markdown", "docx", "xlsx", "xlsm", "xls", "ods", "html", "htm", "pdf",
    "odt", "rtf", "doc", "csv", "tsv",
];

/// The inputs of a run.
#[derive(Debug, Default)]
pub struct Inputs {
    /// Files to read, sorted by path, without duplicates (`-` for standard input).
    pub files: Vec<PathBuf>,
    /// Files skipped because their type is unknown (a note, not an error).
    pub skipped: Vec<PathBuf>,
    /// Arguments that named nothing readable.
    pub failures: Vec<InputError>,
}

fn known(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| KNOWN_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

fn walk(dir: &Path, inputs: &mut Inputs) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            inputs.failures.push(InputError {
                path: dir.display().to_string(),
                error: format!("cannot read folder: {e}"),
            });
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        let Ok(ft) = entry.file_type() else { continue };
        if ft.is_dir() {
            if !hidden {
                walk(&path, inputs);
            }
        } else if path.is_file() {
            if hidden {
                continue;
            }
            if known(&path) {
                inputs.files.push(path);
            } else {
                inputs.skipped.push(path);
            }
        }
    }
}

/// Expand command-line inputs: files as given, folders recursively, globs (`*`, `?`, `[`).
pub fn collect(args: &[String]) -> Inputs {
    let mut inputs = Inputs::default();
    for arg in args {
        let path = PathBuf::from(arg);
        if arg == "-" {
            inputs.files.push(path);
        } else if path.is_dir() {
            walk(&path, &mut inputs);
        } else if path.exists() {
            // A file named explicitly is always tried: the reader says if it cannot read it.
            inputs.files.push(path);
        } else if arg.contains(['*', '?', '[']) {
            match glob::glob(arg) {
                Ok(paths) => {
                    let mut any = false;
                    for p in paths.flatten() {
                        any = true;
                        if p.is_dir() {
                            walk(&p, &mut inputs);
                        } else if known(&p) {
                            inputs.files.push(p);
                        } else {
                            inputs.skipped.push(p);
                        }
                    }
                    if !any {
                        inputs.failures.push(InputError {
                            path: arg.clone(),
                            error: "no files match this pattern".into(),
                        });
                    }
                }
                Err(e) => inputs.failures.push(InputError {
                    path: arg.clone(),
                    error: format!("bad pattern: {e}"),
                }),
            }
        } else {
            inputs.failures.push(InputError {
                path: arg.clone(),
                error: "no such file or folder".into(),
            });
        }
    }
    inputs.files.sort();
    inputs.files.dedup();
    inputs.skipped.sort();
    inputs.skipped.dedup();
    inputs
}

/// Whether to draw a progress bar: stderr is a terminal, not quiet, and more than one file.
pub fn want_progress(files: usize, quiet: bool) -> bool {
    !quiet && files > 1 && std::io::stderr().is_terminal()
}

/// Extract every file on `jobs` threads (0: all cores), each thread sending its files to its
/// own worker process ([`Isolation`]). `each` is called on the calling thread once per file, in
/// the order of `files`, as soon as that file and all before it are done; when it returns
/// `ControlFlow::Break` (the output is gone), no further file is started.
pub fn run<F>(
    files: &[PathBuf],
    opts: &Options,
    jobs: usize,
    progress: bool,
    isolation: &Isolation,
    mut each: F,
) where
    F: FnMut(&Path, Result<Report, InputError>) -> ControlFlow<()>,
{
    let bar = if progress {
        let b =
            ProgressBar::with_draw_target(Some(files.len() as u64), ProgressDrawTarget::stderr());
        b.set_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} files ({per_sec}, eta {eta}) {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    } else {
        ProgressBar::hidden()
    };
    let jobs = if jobs == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        jobs
    }
    .clamp(1, files.len().max(1));
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let (tx, rx) = mpsc::channel::<(usize, Result<Report, InputError>)>();
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            let tx = tx.clone();
            let (next, stop) = (&next, &stop);
            scope.spawn(move || {
                // The worker process lives as long as this thread (see `Isolation::worker`).
                let mut worker = isolation.worker(opts);
                while !stop.load(Ordering::Relaxed) {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= files.len() || tx.send((i, worker.extract(&files[i]))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut pending: BTreeMap<usize, Result<Report, InputError>> = BTreeMap::new();
        let mut next_out = 0usize;
        'results: for (i, res) in rx {
            bar.inc(1);
            pending.insert(i, res);
            while let Some(res) = pending.remove(&next_out) {
                if let Err(f) = &res {
                    bar.suspend(|| {
                        eprintln!(
                            "carers-extract: error: {}: {}",
                            strip_controls(&f.path),
                            strip_controls(&f.error)
                        )
                    });
                }
                let flow = each(&files[next_out], res);
                next_out += 1;
                if flow.is_break() {
                    stop.store(true, Ordering::Relaxed);
                    break 'results;
                }
            }
        }
    });
    bar.finish_and_clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_globs_and_missing() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path();
        std::fs::create_dir_all(p.join("sub/deeper")).unwrap();
        std::fs::create_dir_all(p.join(".git")).unwrap();
        for f in [
            "b.txt",
            "a.TXT",
            "sub/c.docx",
            "sub/deeper/d.pdf",
            "sub/notes.bin",
            ".git/x.txt",
        ] {
            std::fs::write(p.join(f), "x").unwrap();
        }
        let arg = |s: &str| p.join(s).display().to_string();
        let inputs = collect(&[arg(""), arg("*.txt"), arg("nope.txt"), arg("*.zzz")]);
        let names: Vec<String> = inputs
            .files
            .iter()
            .map(|f| f.strip_prefix(p).unwrap().display().to_string())
            .collect();
        assert_eq!(names, ["a.TXT", "b.txt", "sub/c.docx", "sub/deeper/d.pdf"]);
        assert_eq!(inputs.skipped.len(), 1);
        assert_eq!(inputs.failures.len(), 2);
    }

    #[test]
    fn results_come_back_in_order() {
        let d = tempfile::tempdir().unwrap();
        let mut files = Vec::new();
        for i in 0..20 {
            let f = d.path().join(format!("f{i:02}.txt"));
            std::fs::write(
                &f,
                if i % 7 == 3 {
                    String::new()
                } else {
                    format!("Action plan {i}\n")
                },
            )
            .unwrap();
            files.push(f);
        }
        files.push(d.path().join("missing.txt"));
        let mut seen = Vec::new();
        run(
            &files,
            &Options::default(),
            3,
            false,
            &Isolation::in_process(),
            |p, r| {
                seen.push((p.to_path_buf(), r.is_ok()));
                ControlFlow::Continue(())
            },
        );
        assert_eq!(seen.iter().map(|s| s.0.clone()).collect::<Vec<_>>(), files);
        assert!(!seen.last().unwrap().1, "missing file is a failure");
    }
}
