//! Writing a fixed record back, safely: through the file's own permission, to the
//! target of a symbolic link (the link stays a link), keeping hard links, modes and
//! (best effort) owners, and through a temporary file that is created exclusively
//! under an unpredictable name, so a planted file or link at that name is never
//! followed or overwritten.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Why a fix was not written.
#[derive(Debug)]
pub enum WriteError {
    /// The file is read-only (no write permission in its mode, or the system refuses
    /// to open it for writing): its permission is respected.
    ReadOnly,
    Io(io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::ReadOnly => write!(f, "the file is read-only; fixes not written"),
            WriteError::Io(e) => write!(f, "cannot write fixes: {}", reason(e)),
        }
    }
}

impl From<io::Error> for WriteError {
    fn from(e: io::Error) -> Self {
        WriteError::Io(e)
    }
}

/// An I/O error as a user reads it: the common kinds in words, without the OS's
/// error number.
pub fn reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_lowercase(),
                None => s,
            }
        }
    }
}

/// Replace the content of the record at `path` with `bytes`.
///
/// A symbolic link is resolved and its target is written. A file with several hard
/// links is rewritten in place; any other file through a temporary file in the same
/// folder and a rename, so that a crash never leaves half a record.
pub fn write_fixed(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let target = std::fs::canonicalize(path)?;
    let meta = std::fs::metadata(&target)?;
    if meta.permissions().readonly() {
        return Err(WriteError::ReadOnly);
    }
    // Opening for writing (without truncating) asks the system too: a file of
    // another user that this one may not write is refused here, not replaced by a
    // rename in a folder this user may write.
    let mut file = match OpenOptions::new().write(true).open(&target) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => return Err(WriteError::ReadOnly),
        Err(e) => return Err(e.into()),
    };
    if links(&meta) > 1 {
        // A rename would give this name a new inode and detach it from the file's
        // other names, which would keep the old text. Writing in place keeps every
        // link (at the price of atomicity: a crash mid-write can truncate it).
        file.set_len(0)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        return Ok(());
    }
    drop(file);
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "record".into());
    let (mut tmp, tmp_path) = create_temp(dir, &name, temp_names(&name))?;
    let result = (|| {
        tmp.write_all(bytes)?;
        keep_owner_and_mode(&tmp, &meta)?;
        tmp.sync_all()?;
        drop(tmp);
        std::fs::rename(&tmp_path, &target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp_path);
    }
    Ok(result?)
}

#[cfg(unix)]
fn links(meta: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::nlink(meta)
}

#[cfg(not(unix))]
fn links(_: &std::fs::Metadata) -> u64 {
    1
}

/// Give the temporary file the record's mode, and its owner where this process may
/// (it may not, unless it is privileged: then the owner is this user's, as for any
/// file written anew).
fn keep_owner_and_mode(tmp: &File, meta: &std::fs::Metadata) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let _ = std::os::unix::fs::fchown(tmp, Some(meta.uid()), Some(meta.gid()));
    }
    tmp.set_permissions(meta.permissions())
}

/// Candidate temporary names beside `name`: hidden, with the process id, a counter
/// and a random part, so that no other process can predict the one used.
fn temp_names(name: &str) -> impl Iterator<Item = String> + '_ {
    use std::hash::{BuildHasher, Hasher};
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let state = std::collections::hash_map::RandomState::new();
    (0..64).map(move |_| {
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut h = state.build_hasher();
        h.write_u64(n);
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        format!(
            ".{name}.trls-{}-{n}-{:016x}.tmp",
            std::process::id(),
            h.finish()
        )
    })
}

/// Create a new file in `dir` under the first of `names` that does not exist yet.
/// Creation is exclusive (`O_CREAT | O_EXCL`): an existing file or symbolic link at
/// a name is never opened, followed or truncated; the next name is tried.
fn create_temp(
    dir: &Path,
    name: &str,
    names: impl Iterator<Item = String>,
) -> io::Result<(File, PathBuf)> {
    for candidate in names {
        let path = dir.join(candidate);
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(&path) {
            Ok(f) => return Ok((f, path)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!("no free temporary name beside {name}"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("trls-fs-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[cfg(unix)]
    #[test]
    fn a_planted_link_at_a_temporary_name_is_skipped_not_followed() {
        let dir = scratch("planted");
        let victim = dir.join("victim");
        std::fs::write(&victim, "keep me").unwrap();
        std::os::unix::fs::symlink(&victim, dir.join("first")).unwrap();
        std::fs::write(dir.join("second"), "occupied").unwrap();
        let names = ["first", "second", "third"].map(String::from).into_iter();
        let (mut f, path) = create_temp(&dir, "r", names).unwrap();
        f.write_all(b"new").unwrap();
        assert_eq!(path, dir.join("third"));
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
        assert_eq!(
            std::fs::read_to_string(dir.join("second")).unwrap(),
            "occupied"
        );
        let names = ["first"].map(String::from).into_iter();
        assert!(create_temp(&dir, "r", names).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn temporary_names_differ() {
        let a: Vec<String> = temp_names("r.trial.yaml").take(3).collect();
        let b: Vec<String> = temp_names("r.trial.yaml").take(3).collect();
        assert!(a
            .iter()
            .chain(&b)
            .all(|n| n.starts_with(".r.trial.yaml.trls-")));
        let all: std::collections::BTreeSet<_> = a.iter().chain(&b).collect();
        assert_eq!(all.len(), 6);
    }

    #[test]
    fn reasons_are_words() {
        let e = io::Error::from(io::ErrorKind::NotFound);
        assert_eq!(reason(&e), "no such file or directory");
        let e = io::Error::from_raw_os_error(13);
        assert_eq!(reason(&e), "permission denied");
    }
}
