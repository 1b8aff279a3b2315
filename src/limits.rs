//! Resource limits: parsing sizes from flags, and the per-file time budget.
//!
//! The size and page limits live in [`crate::Limits`] and are checked by [`crate::extract_path`]
//! and the readers. The time budget cannot be checked by code that is stuck in a third-party
//! parser, so [`within_budget`] runs the work on its own thread and stops waiting when the budget
//! is spent: the caller gets a one-line error for that file and moves on; the stuck thread is
//! left behind (it cannot be killed safely) and ends with the process.

use std::sync::mpsc;
use std::time::Duration;

use crate::error::{Error, Result};

/// Parse a size such as `200M`, `1.5G`, `512k`, `4096` (bytes; k/M/G/T are powers of 1024,
/// an optional trailing `B`/`iB` is accepted).
pub fn parse_size(s: &str) -> std::result::Result<u64, String> {
    let t = s.trim();
    let lower = t.to_ascii_lowercase();
    let body = lower
        .strip_suffix("ib")
        .or_else(|| lower.strip_suffix('b'))
        .unwrap_or(&lower);
    let (num, mult) = match body.chars().last() {
        Some('k') => (&body[..body.len() - 1], 1u64 << 10),
        Some('m') => (&body[..body.len() - 1], 1 << 20),
        Some('g') => (&body[..body.len() - 1], 1 << 30),
        Some('t') => (&body[..body.len() - 1], 1 << 40),
        _ => (body, 1),
    };
    let bad = || format!("'{s}' is not a size (examples: 4096, 512k, 200M, 2G)");
    let n: f64 = num.trim().parse().map_err(|_| bad())?;
    if !n.is_finite() || n < 0.0 {
        return Err(bad());
    }
    let v = n * mult as f64;
    if v >= u64::MAX as f64 {
        return Err(format!("'{s}' is too large"));
    }
    Ok(v as u64)
}

/// Read everything from `r`, but no more than `limit + 1` bytes (one more than the limit, so the
/// caller can tell that the input was over it).
pub fn read_at_most(r: impl std::io::Read, limit: u64) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    std::io::Read::read_to_end(&mut r.take(limit.saturating_add(1)), &mut buf)?;
    Ok(buf)
}

/// Run `work` on a new thread and wait at most `secs` seconds for it (0: wait as long as it
/// takes, on the calling thread). A panic in `work` becomes [`Error::ParserPanic`]-like
/// [`Error::Limit`] text; running out of time gives an error that names the budget and the flag.
pub fn within_budget<T, F>(secs: u64, work: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T> + Send + 'static,
{
    if secs == 0 {
        return contain(work);
    }
    let (tx, rx) = mpsc::sync_channel(1);
    let spawned = std::thread::Builder::new()
        .name("carers-extract-file".into())
        .spawn(move || {
            let _ = tx.send(contain(work));
        });
    if let Err(e) = spawned {
        return Err(Error::Limit(format!("cannot start a worker thread: {e}")));
    }
    match rx.recv_timeout(Duration::from_secs(secs)) {
        Ok(r) => r,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(Error::Limit(format!(
            "gave up after the {secs}-second time budget (raise it with --timeout SECS, 0 for none)"
        ))),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(Error::Limit(
            "internal error: the worker thread ended without a result".into(),
        )),
    }
}

/// Run `work`, turning a panic into an error for this input.
fn contain<T>(work: impl FnOnce() -> Result<T>) -> Result<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)) {
        Ok(r) => r,
        Err(p) => {
            let msg = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(Error::Limit(format!(
                "internal error (panic): {}",
                one_line(&msg)
            )))
        }
    }
}

/// Collapse a message to one line (errors are reported one per line).
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("4096").unwrap(), 4096);
        assert_eq!(parse_size("512k").unwrap(), 512 * 1024);
        assert_eq!(parse_size("200M").unwrap(), 200 << 20);
        assert_eq!(parse_size("2GiB").unwrap(), 2 << 30);
        assert_eq!(parse_size("1.5g").unwrap(), 3 << 29);
        assert_eq!(parse_size("10MB").unwrap(), 10 << 20);
        assert!(parse_size("lots").is_err());
        assert!(parse_size("-1").is_err());
        assert!(parse_size("").is_err());
    }

    #[test]
    fn budget_and_panics() {
        assert_eq!(within_budget(5, || Ok(7)).unwrap(), 7);
        assert_eq!(within_budget(0, || Ok(7)).unwrap(), 7);
        let e = within_budget(1, || -> Result<()> {
            std::thread::sleep(Duration::from_secs(30));
            Ok(())
        })
        .unwrap_err();
        assert!(e.to_string().contains("1-second time budget"), "{e}");
        let e = within_budget(5, || -> Result<()> { panic!("boom\nsecond line") }).unwrap_err();
        assert_eq!(e.to_string(), "internal error (panic): boom second line");
    }
}
