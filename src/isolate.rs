//! Isolation: every input is read in a worker process, so that no file can take the batch down.
//!
//! `catch_unwind` contains panics, but not a stack overflow (a PDF whose Form XObject draws
//! itself), an allocation failure (a crafted `.xls` whose header makes a parser ask for 2 TB)
//! or a parser that never returns. Those end a process, so the parsing runs in another one:
//!
//! * the binary re-executes itself with [`WORKER_ARG`] as its first argument ([`serve`]); a
//!   worker reads one request per line on its standard input (a path) and answers on its
//!   standard output with one JSON line naming the format it is about to parse, then one with
//!   the [`Report`] or a one-line error;
//! * each batch thread owns one [`Worker`] and sends it file after file, so the cost of a
//!   process start (and of compiling the detection regexes) is paid once per thread, not once
//!   per file. A worker that grew past [`RETIRE_RSS`] while reading a file exits after
//!   answering and is replaced for the next file;
//! * the worker runs under rlimits set before `exec`: address space (`--max-memory`, default
//!   1 GiB), stack (8 MiB), no core files, and per file a CPU budget derived from `--timeout`;
//!   on Linux it is killed if the thread that started it ends;
//! * the parent waits at most `--timeout` seconds for a file (then kills the worker), and turns
//!   a worker's death into one line for that file: "the file could not be read (it made the PDF
//!   parser crash)", or the memory or time budget it exceeded. The worker's own stderr (Rust's
//!   "has overflowed its stack", "memory allocation of N bytes failed") is captured, used to
//!   name the cause, and never shown.
//!
//! Where a worker cannot be started (no executable path, not Unix, or
//! `CARERS_EXTRACT_IN_PROCESS=1`), files are read in the calling process as before
//! ([`crate::extract_path_within`]): panics and time-outs are contained, crashes are not.

use std::io::{BufRead, BufReader, Read, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::limits::one_line;
use crate::report::Report;
use crate::write::InputError;
use crate::Options;

/// First command-line argument that makes the binary a worker (see [`serve`]).
pub const WORKER_ARG: &str = "__carers-extract-worker";

/// Environment variable: when set (to anything but `0`), files are read in the main process,
/// without workers (for debugging, and to measure what isolation costs).
pub const IN_PROCESS_ENV: &str = "CARERS_EXTRACT_IN_PROCESS";

/// Default memory budget per file: the address space of the worker process, 1 GiB.
pub const DEFAULT_MEMORY: u64 = 1 << 30;

/// A worker whose resident memory is above this after a file exits (after answering), so one
/// large input does not keep its memory for the rest of a batch.
pub const RETIRE_RSS: u64 = 256 << 20;

/// Stack of the worker's main thread, where files are parsed.
const WORKER_STACK: u64 = 8 << 20;

/// Seconds the parent waits beyond `--timeout` before it kills a worker (the readers check the
/// budget themselves and give a better message when they can).
const GRACE_SECS: u64 = 2;

/// How much of a worker's stderr is kept to explain its death.
const STDERR_TAIL: usize = 8 * 1024;

/// Set once per worker, on its first line.
#[derive(Serialize, Deserialize)]
struct Hello {
    options: Options,
}

/// One file to read.
#[derive(Serialize, Deserialize)]
struct Request {
    /// Where the bytes are (for standard input: a temporary copy).
    path: PathBuf,
    /// The name to report and to guess the format from (`-` for standard input).
    name: String,
}

/// A worker's answer.
// One reply per file crosses the pipe as JSON; boxing the report would save nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Serialize, Deserialize)]
enum Reply {
    /// The input's format, sent before its parser starts (names the parser in a crash message).
    Format(String),
    /// The file is done.
    Done {
        /// The report, or a one-line error.
        result: Result<Report, String>,
        /// The worker exits after this answer.
        retire: bool,
    },
    /// The file is done and its report, a large one, is in this temporary file (JSON), which
    /// the parent reads and removes: the worker frees its copy before the parent builds one.
    Spilled {
        /// The report's file.
        path: PathBuf,
        /// The worker exits after this answer.
        retire: bool,
    },
}

/// Reports with more actions than this go through a temporary file ([`Reply::Spilled`]).
const SPILL_ACTIONS: usize = 20_000;

/// How files are read: in worker processes of `exe`, or in this process.
#[derive(Debug, Clone)]
pub struct Isolation {
    /// The executable to start as a worker (`None`: read in this process).
    pub exe: Option<PathBuf>,
    /// Address-space budget of each worker in bytes (0: none).
    pub memory: u64,
}

impl Isolation {
    /// Workers of the running executable with a memory budget of `memory` bytes (0: none);
    /// in-process where [`IN_PROCESS_ENV`] is set or workers are not supported.
    pub fn for_current_exe(memory: u64) -> Isolation {
        let off = std::env::var_os(IN_PROCESS_ENV).is_some_and(|v| v != "0");
        let exe = if off || !cfg!(unix) {
            None
        } else {
            std::env::current_exe().ok()
        };
        Isolation { exe, memory }
    }

    /// Read every file in this process (no isolation).
    pub fn in_process() -> Isolation {
        Isolation {
            exe: None,
            memory: 0,
        }
    }

    /// A worker for one thread. The process starts with the first file. On Linux a worker
    /// is killed when the thread that started it ends, so keep a `Worker` on one thread.
    pub fn worker(&self, opts: &Options) -> Worker {
        Worker {
            exe: self.exe.clone(),
            memory: self.memory,
            opts: opts.clone(),
            hello: serde_json::to_string(&Hello {
                options: opts.clone(),
            })
            .ok(),
            proc: None,
        }
    }
}

/// Reads files one at a time in a worker process, replacing the process when it dies.
pub struct Worker {
    exe: Option<PathBuf>,
    memory: u64,
    opts: Options,
    hello: Option<String>,
    proc: Option<Proc>,
}

/// A running worker process.
struct Proc {
    child: Child,
    stdin: ChildStdin,
    replies: Receiver<Option<Reply>>,
    stderr: Arc<Mutex<Vec<u8>>>,
    stderr_thread: Option<JoinHandle<()>>,
}

impl Worker {
    /// Read one file (`-`: standard input) into its report. Every failure, a crash of the
    /// parser included, is an [`InputError`] with a one-line message.
    pub fn extract(&mut self, path: &Path) -> Result<Report, InputError> {
        let name = path.to_string_lossy().to_string();
        let fail = |error: String| InputError {
            path: name.clone(),
            error,
        };
        if self.exe.is_none() || self.hello.is_none() {
            return crate::extract_path_within(path, &self.opts)
                .map_err(|e| fail(one_line(&e.to_string())));
        }
        // Standard input is copied to a temporary file that the worker reads.
        let mut _stdin_copy = None;
        let file = if name == "-" {
            // Within the time budget: standard input may never end.
            let limit = self.opts.limits.max_input_bytes;
            let copied = crate::limits::within_budget(self.opts.limits.timeout_secs, move || {
                stdin_to_temp(limit).map_err(|e| crate::Error::Io {
                    path: "standard input".into(),
                    source: e,
                })
            });
            match copied {
                Ok(t) => {
                    let p = t.path().to_path_buf();
                    _stdin_copy = Some(t);
                    p
                }
                Err(e) => return Err(fail(one_line(&e.to_string()))),
            }
        } else {
            path.to_path_buf()
        };
        let request = serde_json::to_string(&Request {
            path: file,
            name: name.clone(),
        })
        .map_err(|e| fail(format!("internal error: {e}")))?;
        // A worker that ended since its last file is replaced (once).
        let mut sent = false;
        for _ in 0..2 {
            if self.proc.is_none() {
                match self.spawn() {
                    Ok(p) => self.proc = Some(p),
                    Err(e) => return Err(fail(format!("cannot start a worker process: {e}"))),
                }
            }
            if let Some(p) = self.proc.as_mut() {
                if writeln!(p.stdin, "{request}")
                    .and_then(|_| p.stdin.flush())
                    .is_ok()
                {
                    sent = true;
                    break;
                }
            }
            self.kill();
        }
        if !sent {
            return Err(fail("cannot start a worker process".into()));
        }
        let secs = self.opts.limits.timeout_secs;
        let deadline = (secs > 0)
            .then(|| Instant::now().checked_add(Duration::from_secs(secs + GRACE_SECS)))
            .flatten();
        let mut format: Option<String> = None;
        loop {
            let Some(p) = self.proc.as_mut() else {
                return Err(fail("internal error: no worker".into()));
            };
            let msg = match deadline {
                Some(d) => p
                    .replies
                    .recv_timeout(d.saturating_duration_since(Instant::now())),
                None => p.replies.recv().map_err(|_| RecvTimeoutError::Disconnected),
            };
            match msg {
                Ok(Some(Reply::Format(f))) => format = Some(f),
                Ok(Some(Reply::Done { result, retire })) => {
                    if retire {
                        self.kill();
                    }
                    return result.map_err(fail);
                }
                Ok(Some(Reply::Spilled { path, retire })) => {
                    if retire {
                        self.kill();
                    }
                    let report = std::fs::File::open(&path)
                        .map_err(|e| e.to_string())
                        .and_then(|f| {
                            serde_json::from_reader(std::io::BufReader::new(f))
                                .map_err(|e| e.to_string())
                        });
                    let _ = std::fs::remove_file(&path);
                    return report.map_err(|e| fail(format!("internal error: report lost: {e}")));
                }
                Ok(None) | Err(RecvTimeoutError::Disconnected) => {
                    let why = self.death(format.as_deref());
                    return Err(fail(why));
                }
                Err(RecvTimeoutError::Timeout) => {
                    self.kill();
                    return Err(fail(time_budget(secs)));
                }
            }
        }
    }

    fn spawn(&self) -> std::io::Result<Proc> {
        let (Some(exe), Some(hello)) = (&self.exe, &self.hello) else {
            return Err(std::io::Error::other("no worker executable"));
        };
        let debug = std::env::var_os("CARERS_EXTRACT_DEBUG").is_some();
        let mut cmd = Command::new(exe);
        cmd.arg(WORKER_ARG)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(if debug {
                Stdio::inherit()
            } else {
                Stdio::piped()
            })
            // Fewer malloc arenas: less address space reserved per thread under RLIMIT_AS.
            .env("MALLOC_ARENA_MAX", "2")
            .env_remove(IN_PROCESS_ENV);
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            let memory = self.memory;
            // SAFETY: the closure runs in the child between fork and exec and only makes
            // async-signal-safe system calls (setrlimit, getrlimit, prctl).
            unsafe {
                cmd.pre_exec(move || {
                    worker_rlimits(memory);
                    Ok(())
                });
            }
        }
        let mut child = cmd.spawn()?;
        let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(std::io::Error::other("worker pipes missing"));
        };
        let (tx, replies) = mpsc::channel();
        std::thread::Builder::new()
            .name("carers-extract-worker-out".into())
            .spawn(move || {
                let de = serde_json::Deserializer::from_reader(BufReader::new(stdout));
                for msg in de.into_iter::<Reply>() {
                    match msg {
                        Ok(m) => {
                            if tx.send(Some(m)).is_err() {
                                return;
                            }
                        }
                        Err(_) => break,
                    }
                }
                let _ = tx.send(None);
            })?;
        let tail = Arc::new(Mutex::new(Vec::new()));
        let stderr_thread = match child.stderr.take() {
            Some(mut err) => {
                let tail = Arc::clone(&tail);
                Some(
                    std::thread::Builder::new()
                        .name("carers-extract-worker-err".into())
                        .spawn(move || {
                            let mut buf = [0u8; 4096];
                            while let Ok(n) = err.read(&mut buf) {
                                if n == 0 {
                                    break;
                                }
                                if let Ok(mut t) = tail.lock() {
                                    t.extend_from_slice(&buf[..n]);
                                    if t.len() > STDERR_TAIL {
                                        let cut = t.len() - STDERR_TAIL;
                                        t.drain(..cut);
                                    }
                                }
                            }
                        })?,
                )
            }
            None => None,
        };
        writeln!(stdin, "{hello}")?;
        Ok(Proc {
            child,
            stdin,
            replies,
            stderr: tail,
            stderr_thread,
        })
    }

    /// Stop the worker process, if any (it is replaced for the next file).
    fn kill(&mut self) {
        if let Some(mut p) = self.proc.take() {
            let _ = p.child.kill();
            let _ = p.child.wait();
        }
    }

    /// The worker died while reading a file: reap it and say why, in one line.
    fn death(&mut self, format: Option<&str>) -> String {
        let Some(mut p) = self.proc.take() else {
            return "internal error: no worker".into();
        };
        let status = p.child.wait().ok();
        if let Some(t) = p.stderr_thread.take() {
            let _ = t.join();
        }
        let stderr = p
            .stderr
            .lock()
            .map(|t| String::from_utf8_lossy(&t).to_string())
            .unwrap_or_default();
        explain_death(
            status,
            &stderr,
            format,
            self.memory,
            self.opts.limits.timeout_secs,
        )
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The one-line reason for a worker's death, from its exit status and what it printed.
fn explain_death(
    status: Option<ExitStatus>,
    stderr: &str,
    format: Option<&str>,
    memory: u64,
    timeout: u64,
) -> String {
    let parser = match format {
        Some(f) => format!("the {} parser", parser_name(f)),
        None => "the reader".to_string(),
    };
    let signal = status.and_then(signal_of);
    if stderr.contains("memory allocation of") || stderr.contains("capacity overflow") {
        return if memory > 0 {
            format!(
                "the file could not be read ({parser} needed more than the {} memory budget; \
                 if the file is genuine, raise it with --max-memory SIZE)",
                human_size(memory)
            )
        } else {
            format!("the file could not be read ({parser} ran out of memory)")
        };
    }
    if stderr.contains("overflowed its stack") {
        return format!(
            "the file could not be read (it made {parser} crash: its structures are nested too deeply)"
        );
    }
    #[cfg(unix)]
    if signal == Some(libc::SIGXCPU) {
        return time_budget(timeout);
    }
    #[cfg(unix)]
    if signal == Some(libc::SIGKILL) {
        // Not sent by us (we reap our own kills): the kernel's out-of-memory killer.
        return format!(
            "the file could not be read ({parser} was killed, most likely for using too much memory)"
        );
    }
    let _ = timeout;
    match (signal, status) {
        (Some(s), _) => format!(
            "the file could not be read (it made {parser} crash: {})",
            signal_name(s)
        ),
        (None, Some(st)) => format!(
            "the file could not be read (the worker reading it with {parser} stopped with exit code {})",
            st.code().unwrap_or(-1)
        ),
        (None, None) => format!("the file could not be read (the worker reading it with {parser} stopped)"),
    }
}

fn time_budget(secs: u64) -> String {
    format!(
        "gave up after the {secs}-second time budget (raise it with --timeout SECS, 0 for none)"
    )
}

/// "PDF", "XLS", "Word"... for a [`crate::Format`] name.
fn parser_name(format: &str) -> String {
    match format {
        "docx" => "Word".into(),
        "markdown" => "Markdown".into(),
        "text" => "text".into(),
        other => other.to_ascii_uppercase(),
    }
}

/// `1 GiB`, `512 MiB`, `4096 bytes`.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [(u64, &str); 4] = [
        (1 << 40, "TiB"),
        (1 << 30, "GiB"),
        (1 << 20, "MiB"),
        (1 << 10, "KiB"),
    ];
    for (size, unit) in UNITS {
        if bytes >= size {
            let v = bytes as f64 / size as f64;
            return if (v - v.round()).abs() < 0.05 {
                format!("{} {unit}", v.round())
            } else {
                format!("{v:.1} {unit}")
            };
        }
    }
    format!("{bytes} bytes")
}

#[cfg(unix)]
fn signal_of(status: ExitStatus) -> Option<i32> {
    use std::os::unix::process::ExitStatusExt;
    status.signal()
}

#[cfg(not(unix))]
fn signal_of(_: ExitStatus) -> Option<i32> {
    None
}

fn signal_name(sig: i32) -> String {
    #[cfg(unix)]
    {
        let name = match sig {
            libc::SIGSEGV => "SIGSEGV",
            libc::SIGABRT => "SIGABRT",
            libc::SIGBUS => "SIGBUS",
            libc::SIGILL => "SIGILL",
            libc::SIGFPE => "SIGFPE",
            libc::SIGTERM => "SIGTERM",
            libc::SIGTRAP => "SIGTRAP",
            _ => "",
        };
        if !name.is_empty() {
            return format!("signal {sig}, {name}");
        }
    }
    format!("signal {sig}")
}

fn stdin_to_temp(limit: u64) -> std::io::Result<tempfile::NamedTempFile> {
    let bytes = crate::limits::read_at_most(std::io::stdin().lock(), limit)?;
    let mut t = tempfile::NamedTempFile::new()?;
    t.write_all(&bytes)?;
    t.flush()?;
    Ok(t)
}

/// Limits of a worker, set in the child between `fork` and `exec`.
#[cfg(unix)]
fn worker_rlimits(memory: u64) {
    // SAFETY: plain system calls on stack values.
    unsafe {
        let set = |res, soft: u64| {
            let mut cur = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            if libc::getrlimit(res, &mut cur) != 0 {
                return;
            }
            let soft = soft as libc::rlim_t;
            let hard = cur.rlim_max;
            let new = libc::rlimit {
                rlim_cur: if hard != libc::RLIM_INFINITY && soft > hard {
                    hard
                } else {
                    soft
                },
                rlim_max: hard,
            };
            libc::setrlimit(res, &new);
        };
        if memory > 0 {
            set(libc::RLIMIT_AS, memory);
        }
        set(libc::RLIMIT_STACK, WORKER_STACK);
        set(libc::RLIMIT_CORE, 0);
        #[cfg(target_os = "linux")]
        libc::prctl(
            libc::PR_SET_PDEATHSIG,
            libc::SIGKILL as libc::c_ulong,
            0,
            0,
            0,
        );
    }
}

/// Allow this process `secs` more seconds of CPU per thread the readers may use (a backstop:
/// the parent's wall-clock budget normally ends a slow file first).
#[cfg(unix)]
fn cpu_budget(secs: u64) {
    if secs == 0 {
        return;
    }
    // SAFETY: plain system calls on stack values.
    unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_SELF, &mut usage) != 0 {
            return;
        }
        let used = (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec).max(0) as u64;
        let mut cur = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_CPU, &mut cur) != 0 {
            return;
        }
        let want = used
            .saturating_add(secs.saturating_mul(4))
            .saturating_add(10) as libc::rlim_t;
        let soft = if cur.rlim_max != libc::RLIM_INFINITY && want > cur.rlim_max {
            cur.rlim_max
        } else {
            want
        };
        libc::setrlimit(
            libc::RLIMIT_CPU,
            &libc::rlimit {
                rlim_cur: soft,
                rlim_max: cur.rlim_max,
            },
        );
    }
}

#[cfg(not(unix))]
fn cpu_budget(_: u64) {}

/// Above this resident size a worker returns freed memory to the system after each file.
const TRIM_RSS: u64 = 64 << 20;

/// Return freed heap pages to the system (glibc keeps them otherwise).
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Resident memory of this process in bytes (0 where unknown).
fn resident_bytes() -> u64 {
    #[cfg(target_os = "linux")]
    {
        if let Ok(s) = std::fs::read_to_string("/proc/self/statm") {
            if let Some(pages) = s
                .split_whitespace()
                .nth(1)
                .and_then(|p| p.parse::<u64>().ok())
            {
                // SAFETY: sysconf has no preconditions.
                let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
                return pages.saturating_mul(page.max(4096) as u64);
            }
        }
    }
    0
}

/// The worker's main loop (the binary calls it when its first argument is [`WORKER_ARG`]):
/// options on the first line of standard input, then one request per line until end of input.
/// Returns the process exit code.
pub fn serve() -> u8 {
    let stdin = std::io::stdin();
    let mut input = BufReader::new(stdin.lock());
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut line = String::new();
    if !matches!(input.read_line(&mut line), Ok(n) if n > 0) {
        return 2;
    }
    let Ok(hello) = serde_json::from_str::<Hello>(&line) else {
        return 2;
    };
    let opts = hello.options;
    loop {
        line.clear();
        match input.read_line(&mut line) {
            Ok(0) | Err(_) => return 0,
            Ok(_) => {}
        }
        let Ok(req) = serde_json::from_str::<Request>(&line) else {
            return 2;
        };
        cpu_budget(opts.limits.timeout_secs);
        let result = read_one(&req, &opts, &mut out);
        // A large report goes through a file, so that it is freed here before the parent
        // reads it (the two copies never coexist).
        let (reply, spilled) = match result {
            Ok(report) if report.actions.len() > SPILL_ACTIONS => match spill(&report) {
                Ok(path) => (None, Some(path)),
                Err(_) => (Some(Ok(report)), None),
            },
            other => (Some(other), None),
        };
        // The document is gone (and a spilled report too): give the freed memory back now.
        if resident_bytes() > TRIM_RSS {
            release_free_memory();
        }
        let retire = resident_bytes() > RETIRE_RSS;
        let msg = match (reply, spilled) {
            (_, Some(path)) => Reply::Spilled { path, retire },
            (Some(result), None) => Reply::Done { result, retire },
            (None, None) => Reply::Done {
                result: Err("internal error: no result".into()),
                retire,
            },
        };
        if send(&mut out, &msg).is_err() || retire {
            return 0;
        }
    }
}

/// Write a report to a new temporary file that outlives this process (the parent removes it).
fn spill(report: &Report) -> std::io::Result<PathBuf> {
    let tmp = tempfile::Builder::new()
        .prefix("carers-extract-report-")
        .suffix(".json")
        .tempfile()?;
    {
        let mut w = std::io::BufWriter::new(tmp.as_file());
        serde_json::to_writer(&mut w, report)?;
        w.flush()?;
    }
    tmp.into_temp_path()
        .keep()
        .map_err(|e| std::io::Error::other(e.to_string()))
}

fn send(out: &mut impl Write, reply: &Reply) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, reply)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// Fault injection for tests of the isolation itself: `CARERS_EXTRACT_FAULT` holds
/// comma-separated faults; with `stack:NAME` the worker overflows its stack, with `alloc:NAME`
/// it asks for 4 TB, while reading an input whose name contains NAME. (The inputs that once
/// overflowed a parser's stack or made it ask for terabytes are read or refused safely now,
/// and the isolation must still be shown to hold when a parser dies.)
fn injected_fault(name: &str) {
    let Some(v) = std::env::var_os("CARERS_EXTRACT_FAULT") else {
        return;
    };
    let v = v.to_string_lossy();
    for fault in v.split(',') {
        let hit = |n: &str| !n.is_empty() && name.contains(n);
        if fault.strip_prefix("stack:").is_some_and(hit) {
            std::hint::black_box(overflow(0));
        }
        if fault.strip_prefix("alloc:").is_some_and(hit) {
            let v: Vec<u8> = Vec::with_capacity(std::hint::black_box(1usize << 42));
            std::hint::black_box(v);
        }
    }
}

#[allow(unconditional_recursion)]
#[inline(never)]
fn overflow(depth: u64) -> u64 {
    let frame = std::hint::black_box([depth; 64]);
    overflow(depth + 1).wrapping_add(frame[(depth % 64) as usize])
}

fn read_one(req: &Request, opts: &Options, out: &mut impl Write) -> Result<Report, String> {
    let work = || -> crate::Result<Report> {
        let bytes = crate::read_input(&req.path, opts)?;
        let format = crate::read::sniff(&req.name, &bytes)?;
        let _ = send(out, &Reply::Format(format.name().to_string()));
        injected_fault(&req.name);
        let (document, source) = crate::read_document(&req.name, &bytes, opts)?;
        drop(bytes);
        Ok(crate::analyse_owned(document, source, opts))
    };
    match catch_unwind(AssertUnwindSafe(work)) {
        Ok(Ok(r)) => Ok(r),
        Ok(Err(e)) => Err(one_line(&e.to_string())),
        Err(p) => {
            let msg = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(format!("internal error (panic): {}", one_line(&msg)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_well() {
        assert_eq!(human_size(1 << 30), "1 GiB");
        assert_eq!(human_size(1536 << 20), "1.5 GiB");
        assert_eq!(human_size(512 << 20), "512 MiB");
        assert_eq!(human_size(100), "100 bytes");
    }

    #[cfg(unix)]
    #[test]
    fn deaths_are_one_line_and_name_the_cause() {
        use std::os::unix::process::ExitStatusExt;
        let abrt = Some(ExitStatus::from_raw(libc::SIGABRT));
        let segv = Some(ExitStatus::from_raw(libc::SIGSEGV));
        let m = explain_death(
            abrt,
            "memory allocation of 2199023255552 bytes failed\n",
            Some("xls"),
            1 << 30,
            60,
        );
        assert!(
            m.contains("XLS parser needed more than the 1 GiB memory budget"),
            "{m}"
        );
        assert!(m.contains("--max-memory"), "{m}");
        let m = explain_death(
            segv,
            "\nthread 'main' has overflowed its stack\nfatal runtime error: stack overflow\n",
            Some("pdf"),
            1 << 30,
            60,
        );
        assert_eq!(
            m,
            "the file could not be read (it made the PDF parser crash: its structures are nested too deeply)"
        );
        let m = explain_death(segv, "", None, 0, 60);
        assert_eq!(
            m,
            "the file could not be read (it made the reader crash: signal 11, SIGSEGV)"
        );
        let m = explain_death(
            Some(ExitStatus::from_raw(libc::SIGXCPU)),
            "",
            Some("pdf"),
            0,
            7,
        );
        assert!(m.contains("7-second time budget"), "{m}");
        for m in [
            explain_death(
                Some(ExitStatus::from_raw(3 << 8)),
                "x\ny",
                Some("docx"),
                0,
                1,
            ),
            explain_death(None, "", None, 0, 1),
        ] {
            assert!(!m.contains('\n'), "{m}");
        }
    }

    #[test]
    fn in_process_fallback_reads_files() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("plan.txt");
        std::fs::write(
            &f,
            "Action plan\n\nAction\tLead\tBy when\nTrain staff\tCouncil\tMarch 2026\n",
        )
        .unwrap();
        let mut w = Isolation::in_process().worker(&Options::default());
        let r = w.extract(&f).unwrap();
        assert_eq!(r.actions.len(), 1);
        let e = w.extract(&d.path().join("missing.txt")).unwrap_err();
        assert!(e.error.contains("cannot read"), "{}", e.error);
    }
}
