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

/// Largest configuration file read, such as a PEM bundle of trust anchors.
const MAX_CONFIG_FILE_BYTES: usize = 16 << 20;

/// Reads a configuration file such as a PEM bundle, failing on files over 16 MiB.
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, Failure> {
    let mut buffer = Vec::new();
    let max = u64::try_from(MAX_CONFIG_FILE_BYTES).unwrap_or(u64::MAX) + 1;
    fs::File::open(path)
        .and_then(|file| file.take(max).read_to_end(&mut buffer))
        .map_err(|e| Failure::usage(format!("read {}: {e}", path.display())))?;

    if buffer.len() > MAX_CONFIG_FILE_BYTES {
        let name = path.display();
        return Err(Failure::usage(format!(
            "{name} is larger than the limit of {MAX_CONFIG_FILE_BYTES} bytes"
        )));
    }
    Ok(buffer)
}

fn display_name(path: Option<&Path>) -> String {
    match path {
        Some(path) if path.as_os_str() != "-" => path.display().to_string(),
        _ => "standard input".to_owned(),
    }
}

/// Writes `bytes` to `path`, or to stdout without a path or for `-`.
pub(crate) fn write_output(path: Option<&Path>, bytes: &[u8]) -> Result<(), Failure> {
    match path.filter(|p| p.as_os_str() != "-") {
        Some(path) => write_file(path, bytes, FileMode::Public),
        None => {
            let mut stdout = io::stdout().lock();
            stdout
                .write_all(bytes)
                .and_then(|()| stdout.flush())
                .map_err(|e| Failure::usage(format!("write standard output: {e}")))
        }
    }
}

/// The read access of a file this tool creates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FileMode {
    /// Readable by all, as the umask allows: documents and certificates.
    Public,
    /// Readable by the owner only: private keys.
    Private,
}

/// Writes a file so that it is either the old one or the whole new one.
///
/// A regular file (or a new one) is replaced through a temporary file in the same
/// directory and a rename, keeping an existing file's permissions. A symbolic link is
/// followed to its target. Anything else, such as a device or a FIFO, is written in
/// place, because renaming over it would replace the special file itself.
pub(crate) fn write_file(path: &Path, bytes: &[u8], mode: FileMode) -> Result<(), Failure> {
    let failure = |error: io::Error| Failure::usage(format!("write {}: {error}", path.display()));

    let target = match fs::canonicalize(path) {
        Ok(resolved) => resolved,
        Err(error) if error.kind() == io::ErrorKind::NotFound => path.to_path_buf(),
        Err(error) => return Err(failure(error)),
    };
    match fs::metadata(&target) {
        Ok(metadata) if !metadata.is_file() => write_in_place(&target, bytes).map_err(failure),
        Ok(metadata) => {
            replace_file(&target, bytes, mode, Some(metadata.permissions())).map_err(failure)
        }
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            replace_file(&target, bytes, mode, None).map_err(failure)
        }
        Err(error) => Err(failure(error)),
    }
}

fn write_in_place(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = fs::OpenOptions::new().write(true).open(path)?;
    file.write_all(bytes)?;
    file.flush()
}

fn replace_file(
    path: &Path,
    bytes: &[u8],
    mode: FileMode,
    permissions: Option<fs::Permissions>,
) -> io::Result<()> {
    let temporary = temporary_path(path);
    let result = write_new_file(&temporary, bytes, mode, permissions)
        .and_then(|()| fs::rename(&temporary, path));
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result
}

/// Creates `path`, which must not exist yet, so that a link planted at the temporary
/// name is never followed.
fn write_new_file(
    path: &Path,
    bytes: &[u8],
    mode: FileMode,
    permissions: Option<fs::Permissions>,
) -> io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if mode == FileMode::Private {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    if let Some(permissions) = permissions {
        file.set_permissions(permissions)?;
    }
    Ok(())
}

fn temporary_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.subsec_nanos());
    name.push(format!(".tmp-{}-{nanos}", std::process::id()));
    path.with_file_name(name)
}
