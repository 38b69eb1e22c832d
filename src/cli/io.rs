//! Bounded input and all-or-nothing output.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use super::Failure;

/// Reads a file, or stdin for `-` or no path, failing once more than `limit` bytes arrive
/// so that a huge input is never read into memory whole.
pub(crate) fn read_input(path: Option<&Path>, limit: usize) -> Result<Vec<u8>, Failure> {
    let name = display_name(path);
    let mut buffer = Vec::new();
    let max = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);

    let result = match path.filter(|p| p.as_os_str() != "-") {
        Some(path) => fs::File::open(path).and_then(|file| file.take(max).read_to_end(&mut buffer)),
        None => io::stdin().lock().take(max).read_to_end(&mut buffer),
    };
    result.map_err(|e| Failure::usage(format!("read {name}: {e}")))?;

    if buffer.len() > limit {
        return Err(Failure::rejected(format!(
            "{name} is larger than the limit of {limit} bytes"
        )));
    }
    Ok(buffer)
}

/// Reads a small configuration file such as a PEM bundle.
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, Failure> {
    fs::read(path).map_err(|e| Failure::usage(format!("read {}: {e}", path.display())))
}

fn display_name(path: Option<&Path>) -> String {
    match path {
        Some(path) if path.as_os_str() != "-" => path.display().to_string(),
        _ => "standard input".to_owned(),
    }
}

/// Writes `bytes` to `path` through a temporary file in the same directory and a rename,
/// so the file is either the old one or the whole new one; without a path, to stdout.
pub(crate) fn write_output(path: Option<&Path>, bytes: &[u8]) -> Result<(), Failure> {
    match path.filter(|p| p.as_os_str() != "-") {
        Some(path) => write_atomically(path, bytes),
        None => {
            let mut stdout = io::stdout().lock();
            stdout
                .write_all(bytes)
                .and_then(|()| stdout.flush())
                .map_err(|e| Failure::usage(format!("write standard output: {e}")))
        }
    }
}

pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let temporary = temporary_path(path);
    let result = fs::write(&temporary, bytes).and_then(|()| fs::rename(&temporary, path));
    if let Err(error) = result {
        let _ = fs::remove_file(&temporary);
        return Err(Failure::usage(format!("write {}: {error}", path.display())));
    }
    Ok(())
}

fn temporary_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".tmp-{}", std::process::id()));
    path.with_file_name(name)
}
