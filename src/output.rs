//! Where the output goes (binary side): `-o FILE`, `-o -` (standard output), and the format
//! implied by the file's extension.
//!
//! `-o` is careful with what is already at the path: it refuses to write over one of the inputs
//! or over anything that is not a regular file (a device, a FIFO, a folder), follows a symlink
//! to its target (the link stays a link), and writes atomically (a temporary file beside the
//! target, renamed into place) with the mode the file would have had: an existing file keeps
//! its mode, a new one gets 0666 less the umask, like any file a shell redirection creates.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// Where to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sink {
    /// Standard output (no `-o`, or `-o -`).
    Stdout,
    /// A file: the path given, and the path actually written (a symlink's target).
    File {
        /// The path as given on the command line (for messages).
        given: PathBuf,
        /// Where the bytes go (symlinks followed).
        target: PathBuf,
    },
}

/// The format named by an output file's extension (`None` when the extension names none).
pub fn format_from_extension(path: &Path) -> Option<&'static str> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".sarif.json") {
        return Some("sarif");
    }
    let ext = name.rsplit_once('.')?.1.to_string();
    Some(match ext.as_str() {
        "txt" | "text" => "text",
        "json" => "json",
        "ndjson" | "jsonl" => "ndjson",
        "csv" => "csv",
        "md" | "markdown" => "markdown",
        "html" | "htm" => "html",
        "xlsx" => "xlsx",
        "sarif" => "sarif",
        "xml" => "junit",
        _ => return None,
    })
}

/// Resolve `-o PATH` against the inputs: refuse what must not be overwritten.
pub fn resolve(path: &Path, inputs: &[PathBuf]) -> Result<Sink> {
    if path.as_os_str() == "-" {
        return Ok(Sink::Stdout);
    }
    let shown = path.display();
    let target = follow_links(path)
        .with_context(|| format!("cannot write {shown}: cannot follow the symbolic link"))?;
    match std::fs::metadata(&target) {
        Ok(meta) => {
            let ft = meta.file_type();
            if ft.is_dir() {
                bail!("refusing to write {shown}: it is a folder (give a file name)");
            }
            if !ft.is_file() {
                bail!(
                    "refusing to write {shown}: it is not a regular file ({}); write to a file, or leave out -o to use standard output",
                    kind(&meta)
                );
            }
            for input in inputs {
                if same_file(&target, &meta, input) {
                    bail!(
                        "refusing to write {shown}: it is one of the inputs ({}); choose another output file",
                        input.display()
                    );
                }
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let dir = parent(&target);
            if !dir.is_dir() {
                bail!(
                    "cannot write {shown}: the folder {} does not exist",
                    dir.display()
                );
            }
        }
        Err(e) => return Err(e).with_context(|| format!("cannot write {shown}")),
    }
    Ok(Sink::File {
        given: path.to_path_buf(),
        target,
    })
}

/// Follow a chain of symbolic links (even a dangling one) to the path it names.
fn follow_links(path: &Path) -> std::io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let next = std::fs::read_link(&p)?;
                p = if next.is_absolute() {
                    next
                } else {
                    parent(&p).join(next)
                };
            }
            _ => return Ok(p),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

fn parent(p: &Path) -> PathBuf {
    p.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

#[cfg(unix)]
fn same_file(_target: &Path, meta: &std::fs::Metadata, input: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(input).is_ok_and(|m| m.dev() == meta.dev() && m.ino() == meta.ino())
}

#[cfg(not(unix))]
fn same_file(target: &Path, _meta: &std::fs::Metadata, input: &Path) -> bool {
    match (std::fs::canonicalize(target), std::fs::canonicalize(input)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

#[cfg(unix)]
fn kind(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let ft = meta.file_type();
    if ft.is_char_device() {
        "a character device"
    } else if ft.is_block_device() {
        "a block device"
    } else if ft.is_fifo() {
        "a named pipe"
    } else if ft.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn kind(_meta: &std::fs::Metadata) -> &'static str {
    "a special file"
}

/// Write `bytes` to the sink. Files are written atomically with the mode described above.
pub fn write(sink: &Sink, bytes: &[u8]) -> Result<()> {
    write_with(sink, |w| Ok(w.write_all(bytes)?))
}

/// Write to the sink what `render` writes, as it is produced (buffered): a large output is
/// never held whole in memory. Files are written atomically with the mode described above (any
/// error leaves the target untouched); on standard output a broken pipe (`| head`) is not an
/// error. I/O errors from `render` should come back as `std::io::Error`, so that a broken pipe
/// is recognised.
pub fn write_with(sink: &Sink, render: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    match sink {
        Sink::Stdout => {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            let written = render(&mut out).and_then(|_| out.flush().map_err(anyhow::Error::from));
            if let Err(e) = written {
                let broken_pipe = e
                    .downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe);
                if !broken_pipe {
                    return Err(e).context("cannot write to standard output");
                }
            }
            Ok(())
        }
        Sink::File { given, target } => write_atomically(given, target, render),
    }
}

/// Write to a temporary file beside `target`, then rename it into place: never half-written.
fn write_atomically(
    given: &Path,
    target: &Path,
    render: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    let dir = parent(target);
    let existing = std::fs::metadata(target).ok().map(|m| m.permissions());
    let mut builder = tempfile::Builder::new();
    builder.prefix(".carers-extract-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Created with 0666: the kernel applies the umask, as for any new file.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder
        .tempfile_in(&dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    {
        let mut w = std::io::BufWriter::with_capacity(1 << 16, tmp.as_file_mut());
        render(&mut w)
            .and_then(|_| w.flush().map_err(anyhow::Error::from))
            .with_context(|| format!("cannot write {}", given.display()))?;
    }
    if let Some(perm) = existing {
        std::fs::set_permissions(tmp.path(), perm)
            .with_context(|| format!("cannot keep the mode of {}", given.display()))?;
    }
    tmp.persist(target)
        .with_context(|| format!("cannot write {}", given.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_from_extensions() {
        for (name, f) in [
            ("r.html", Some("html")),
            ("R.HTM", Some("html")),
            ("a.sarif.json", Some("sarif")),
            ("a.json", Some("json")),
            ("x.jsonl", Some("ndjson")),
            ("plans.xlsx", Some("xlsx")),
            ("junit.xml", Some("junit")),
            ("notes", None),
            ("report.pdf", None),
        ] {
            assert_eq!(format_from_extension(Path::new(name)), f, "{name}");
        }
    }
}
