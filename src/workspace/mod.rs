//! The set of records a run works on: file discovery (honouring `.gitignore` and
//! each configuration's `[files]` globs) and, per file, the configuration that
//! governs it. Nothing the walk meets is skipped silently: a record it cannot check
//! is named in a note.

pub mod baseline;
pub mod fs;
pub mod index;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{Config, ConfigError};
use crate::registry::{SnapshotError, Snapshots};

/// Whether a file name is a trial record's.
/// Judged on the name's bytes, so a name that is not UTF-8 is a record too.
pub fn is_record(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.as_encoded_bytes())
        .unwrap_or_default();
    [".trial.yaml", ".trial.yml", ".trial.json"]
        .iter()
        .any(|ext| name.ends_with(ext.as_bytes()))
}

#[derive(Debug)]
pub enum RunError {
    Missing(PathBuf),
    /// A path that exists but cannot be read (permission denied, …).
    Io(PathBuf, std::io::Error),
    Config(ConfigError),
    Walk(String),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Missing(p) => write!(f, "{}: no such file or directory", p.display()),
            RunError::Io(p, e) => write!(f, "{}: {}", p.display(), fs::reason(e)),
            RunError::Config(e) => write!(f, "{e}"),
            RunError::Walk(e) => write!(f, "{e}"),
        }
    }
}

impl RunError {
    fn walk(e: ignore::Error) -> RunError {
        fn find(e: &ignore::Error, path: Option<&Path>) -> RunError {
            match e {
                ignore::Error::WithPath { path, err } => find(err, Some(path)),
                ignore::Error::WithDepth { err, .. }
                | ignore::Error::WithLineNumber { err, .. } => find(err, path),
                ignore::Error::Io(io) => match path {
                    Some(p) => RunError::Io(p.to_path_buf(), std::io::Error::from(io.kind())),
                    None => RunError::Walk(fs::reason(io)),
                },
                other => RunError::Walk(other.to_string()),
            }
        }
        find(&e, None)
    }
}

/// Resolves the configuration of each file: one given with `--config`, else the
/// nearest `trls.toml` above the file. Each file is loaded once.
pub struct Configs {
    fixed: Option<Arc<Config>>,
    loaded: HashMap<PathBuf, Arc<Config>>,
    /// The canonical form of each folder met: one `realpath` per folder, not per
    /// file (a 10,000-record folder cost 10,000 of each before).
    dirs: HashMap<PathBuf, PathBuf>,
    /// The configuration of each canonical folder met (its `trls.toml` looked up
    /// once).
    by_dir: HashMap<PathBuf, Arc<Config>>,
    default: Arc<Config>,
    /// `--registry DIR`: the snapshots every configuration uses instead of its own
    /// `[registry] snapshots`.
    registry: Option<Arc<Snapshots>>,
    /// Snapshot files that could not be read (each a finding on that file; the run
    /// goes on).
    pub snapshot_errors: Vec<SnapshotError>,
}

impl Configs {
    pub fn new(fixed: Option<&Path>) -> Result<Configs, RunError> {
        let mut snapshot_errors = Vec::new();
        let fixed = match fixed {
            Some(p) => {
                let (config, errors) = Config::load(p)
                    .map_err(RunError::Config)?
                    .with_registry_loaded();
                snapshot_errors = errors;
                Some(Arc::new(config))
            }
            None => None,
        };
        Ok(Configs {
            fixed,
            loaded: HashMap::new(),
            dirs: HashMap::new(),
            by_dir: HashMap::new(),
            default: Arc::new(Config::default()),
            registry: None,
            snapshot_errors,
        })
    }

    /// Cross-check against the snapshots in `dir` (`--registry`), whatever the
    /// configurations say.
    pub fn with_registry(mut self, dir: &Path) -> Configs {
        let mut snapshots = Snapshots::load_dir(dir);
        self.snapshot_errors.append(&mut snapshots.errors);
        let snapshots = Arc::new(snapshots);
        self.default = Arc::new(Config::default().with_snapshots(snapshots.clone()));
        self.fixed = self
            .fixed
            .take()
            .map(|c| Arc::new((*c).clone().with_snapshots(snapshots.clone())));
        self.registry = Some(snapshots);
        self
    }

    /// A loaded configuration with its registry snapshots attached.
    fn attach(&mut self, config: Config) -> Config {
        match &self.registry {
            Some(s) => config.with_snapshots(s.clone()),
            None => {
                let (config, mut errors) = config.with_registry_loaded();
                self.snapshot_errors.append(&mut errors);
                config
            }
        }
    }

    pub fn for_file(&mut self, file: &Path) -> Result<Arc<Config>, RunError> {
        if let Some(c) = &self.fixed {
            return Ok(c.clone());
        }
        let abs = self.canonical_dir(file);
        if let Some(c) = self.by_dir.get(&abs) {
            return Ok(c.clone());
        }
        let c = match Config::find(&abs) {
            None => self.default.clone(),
            Some(path) => match self.loaded.get(&path) {
                Some(c) => c.clone(),
                None => {
                    let loaded = Config::load(&path).map_err(RunError::Config)?;
                    let c = Arc::new(self.attach(loaded));
                    self.loaded.insert(path, c.clone());
                    c
                }
            },
        };
        self.by_dir.insert(abs, c.clone());
        Ok(c)
    }

    /// The canonical folder of `file` (its parent, `.` when it has none), resolved
    /// once per folder; the folder itself when it cannot be resolved.
    fn canonical_dir(&mut self, file: &Path) -> PathBuf {
        let dir = folder_of(file);
        if let Some(c) = self.dirs.get(dir) {
            return c.clone();
        }
        let abs = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        self.dirs.insert(dir.to_path_buf(), abs.clone());
        abs
    }

    /// [`absolute`], with the folder resolved once per folder.
    fn absolute(&mut self, path: &Path) -> PathBuf {
        match path.file_name() {
            Some(name) => self.canonical_dir(path).join(name),
            None => path.to_path_buf(),
        }
    }
}

/// The records a run checks, and notes for the user (on stderr) about files the
/// walk met and does not check, each saying why.
#[derive(Default)]
pub struct Discovered {
    pub files: Vec<(PathBuf, Arc<Config>)>,
    /// The other records of the workspaces of the files named on the command line
    /// (not reported on, but judged against by the cross-record rules).
    pub context: Vec<(PathBuf, Arc<Config>)>,
    pub notes: Vec<String>,
    /// Files the walk met that look like records (a top-level `trf` key) but are not
    /// named as records, so are not checked: one warning each.
    pub lookalikes: Vec<PathBuf>,
}

/// What `check` says when its paths hold no record at all.
pub fn no_records_message(paths: &[PathBuf]) -> String {
    let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    format!(
        "no trial records under {}; record files end in `.trial.yaml`, `.trial.yml` or `.trial.json`",
        shown.join(", ")
    )
}

/// The warning about a file that looks like a record but is not named as one.
pub fn lookalike_message(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let renamed = match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.trial.{}", ext.to_ascii_lowercase()),
        None => format!("{name}.trial.yaml"),
    };
    format!(
        "warning: {} looks like a trial record (a top-level `trf` key) but is not checked: record files end in `.trial.yaml`, `.trial.yml` or `.trial.json`; rename it `{renamed}` to check it",
        path.display()
    )
}

/// The workspace of a record file: the folder of the nearest `trls.toml`, else the
/// root of the enclosing git checkout, else the file's own folder (absolute).
pub fn workspace_root(file: &Path) -> PathBuf {
    let dir = absolute(file)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    if let Some(cfg) = Config::find(&dir) {
        if let Some(d) = cfg.parent() {
            return d.to_path_buf();
        }
    }
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
        .unwrap_or(dir)
}

/// Whether a file that is not named as a record holds one: YAML or JSON with a
/// top-level `trf` key. Files over 1 MB are not read.
fn looks_like_record(path: &Path) -> bool {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if !matches!(ext.as_str(), "yaml" | "yml" | "json") {
        return false;
    }
    if std::fs::metadata(path).map_or(true, |m| m.len() > 1 << 20) {
        return false;
    }
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    let text = text.trim_start_matches('\u{feff}');
    if ext == "json" {
        return serde_json::from_str::<serde_json::Value>(text)
            .is_ok_and(|v| v.as_object().is_some_and(|o| o.contains_key("trf")));
    }
    text.lines().any(|l| {
        ["trf", "\"trf\"", "'trf'"].iter().any(|k| {
            l.strip_prefix(k)
                .is_some_and(|rest| rest.trim_start_matches([' ', '\t']).starts_with(':'))
        })
    })
}

/// Every record file under the given paths, each with its configuration, in a
/// stable order. Files named explicitly are always checked; files found by walking
/// a folder must be selected by their configuration's `[files]` globs. A symbolic
/// link to a record is checked as a record (links to folders are not followed, so a
/// walk cannot loop); one file reached under two names is checked once. The other
/// records of each named file's workspace ([`workspace_root`]) are gathered as
/// [`Discovered::context`].
pub fn discover(paths: &[PathBuf], configs: &mut Configs) -> Result<Discovered, RunError> {
    let mut found = Discovered::default();
    // The workspaces of the files named (see `workspace_root`).
    let mut workspaces: Vec<PathBuf> = Vec::new();
    for root in paths {
        let meta = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(RunError::Missing(root.clone()))
            }
            Err(e) => return Err(RunError::Io(root.clone(), e)),
        };
        if meta.is_file() {
            let c = configs.for_file(root)?;
            found.files.push((root.clone(), c));
            let ws = workspace_root(root);
            if !workspaces.contains(&ws) {
                workspaces.push(ws);
            }
            continue;
        }
        walk(root, configs, &mut found, true)?;
    }
    found.files.sort_by(|a, b| a.0.cmp(&b.0));
    found.files.dedup_by(|a, b| a.0 == b.0);
    found.lookalikes.sort();
    found.lookalikes.dedup();
    // The same file under two names (a link beside its target) would be a duplicate
    // record of itself: keep the name that is not a link, else the first.
    let mut seen: HashMap<PathBuf, PathBuf> = HashMap::new();
    // One `lstat` per file (the sort asked it once per comparison before); only a
    // link is resolved whole, any other file is its canonical folder joined with
    // its name.
    let links: Vec<Option<bool>> = found
        .files
        .iter()
        .map(|(p, _)| {
            std::fs::symlink_metadata(p)
                .ok()
                .map(|m| m.file_type().is_symlink())
        })
        .collect();
    let mut keep = vec![true; found.files.len()];
    let mut order: Vec<usize> = (0..found.files.len()).collect();
    order.sort_by_key(|&i| links[i] == Some(true));
    for i in order {
        let path = &found.files[i].0;
        let real = match links[i] {
            Some(true) => std::fs::canonicalize(path).ok(),
            Some(false) => Some(configs.absolute(path)),
            None => None,
        };
        let Some(real) = real else {
            continue;
        };
        match seen.get(&real) {
            Some(first) => {
                keep[i] = false;
                found.notes.push(format!(
                    "{}: the same file as {}, which is checked; not checked twice",
                    path.display(),
                    first.display()
                ));
            }
            None => {
                seen.insert(real, path.clone());
            }
        }
    }
    let mut keep = keep.into_iter();
    found.files.retain(|_| keep.next().unwrap_or(true));
    let named: Vec<PathBuf> = workspaces;
    found.context = context_of(&named, configs, seen.into_keys().collect());
    Ok(found)
}

/// The records of the workspaces of `roots` (each a [`workspace_root`]) that are
/// not in `checked` (canonical paths): what the cross-record rules judge the
/// checked files against. Paths are relative to the current folder (with `..` where
/// the workspace reaches above it). What cannot be walked or read there is left out quietly: it is not
/// what the run was asked to check.
pub fn context_of(
    roots: &[PathBuf],
    configs: &mut Configs,
    checked: std::collections::HashSet<PathBuf>,
) -> Vec<(PathBuf, Arc<Config>)> {
    let mut seen = checked;
    let cwd = std::env::current_dir()
        .ok()
        .and_then(|d| std::fs::canonicalize(d).ok());
    let mut context = Vec::new();
    for ws in roots {
        let mut extra = Discovered::default();
        let _ = walk(ws, configs, &mut extra, false);
        for (path, c) in extra.files {
            let Ok(real) = std::fs::canonicalize(&path) else {
                continue;
            };
            if !seen.insert(real) {
                continue;
            }
            let shown = match &cwd {
                Some(cwd) => relative_to(&path, cwd),
                None => path.clone(),
            };
            context.push((shown, c));
        }
    }
    context.sort_by(|a, b| a.0.cmp(&b.0));
    context
}

/// Walk one folder for records (into `found.files`), look-alikes and notes. With
/// `strict`, an entry that cannot be read or a bad configuration fails the walk;
/// without, it is skipped (and no notes or look-alikes are gathered).
fn walk(
    root: &Path,
    configs: &mut Configs,
    found: &mut Discovered,
    strict: bool,
) -> Result<(), RunError> {
    let walker = ignore::WalkBuilder::new(root)
        .require_git(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) if strict => return Err(RunError::walk(e)),
            Err(_) => continue,
        };
        let path = entry.path();
        let Some(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_symlink() {
            match std::fs::metadata(path) {
                Ok(m) if m.is_file() && is_record(path) => {}
                Ok(m) if m.is_dir() => {
                    if strict {
                        found.notes.push(format!(
                            "{}: a symbolic link to a folder, not followed; name the folder to check its records",
                            path.display()
                        ));
                    }
                    continue;
                }
                Err(e) if is_record(path) => {
                    if strict {
                        found.notes.push(format!(
                            "{}: a symbolic link whose target cannot be read ({}); not checked",
                            path.display(),
                            fs::reason(&e)
                        ));
                    }
                    continue;
                }
                _ => continue,
            }
        } else if !kind.is_file() {
            continue;
        } else if !is_record(path) {
            if strict
                && looks_like_record(path)
                && configs.for_file(path)?.selects(&configs.absolute(path))
            {
                found.lookalikes.push(path.to_path_buf());
            }
            continue;
        }
        let c = match configs.for_file(path) {
            Ok(c) => c,
            Err(e) if strict => return Err(e),
            Err(_) => continue,
        };
        // Selected by where it is, not by where a link points.
        if c.selects(&configs.absolute(path)) {
            found.files.push((path.to_path_buf(), c));
        }
    }
    Ok(())
}

/// `path` (absolute) relative to `base` (absolute): `records/a.trial.yaml`,
/// `../other/b.trial.yaml`; `path` itself when they share no root.
fn relative_to(path: &Path, base: &Path) -> PathBuf {
    let (p, b): (Vec<_>, Vec<_>) = (path.components().collect(), base.components().collect());
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return path.to_path_buf();
    }
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &p[common..] {
        out.push(c);
    }
    out
}

/// An absolute form of `path` with its folder resolved and its own name kept (a
/// link is not replaced by its target).
pub fn absolute(path: &Path) -> PathBuf {
    match (std::fs::canonicalize(folder_of(path)), path.file_name()) {
        (Ok(dir), Some(name)) => dir.join(name),
        _ => path.to_path_buf(),
    }
}

/// The folder a file is in: its parent, `.` when it has none.
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_with_dots_above_the_base() {
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(
            relative_to(&p("/w/r/a.trial.yaml"), &p("/w")),
            p("r/a.trial.yaml")
        );
        assert_eq!(
            relative_to(&p("/w/y/b.trial.yaml"), &p("/w/x/z")),
            p("../../y/b.trial.yaml")
        );
    }

    #[test]
    fn look_alikes_have_a_top_level_trf_key() {
        let dir = std::env::temp_dir().join(format!("trls-lookalike-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let case = |name: &str, text: &str| {
            let path = dir.join(name);
            std::fs::write(&path, text).unwrap();
            looks_like_record(&path)
        };
        assert!(case("a.yaml", "# c\ntrf: 1\n"));
        assert!(case("b.yml", "\"trf\" : 1\n"));
        assert!(case("c.json", "{\"id\": 1, \"trf\": 1}"));
        assert!(!case("d.yaml", "x:\n  trf: 1\n"));
        assert!(!case("e.json", "{\"x\": {\"trf\": 1}}"));
        assert!(!case("f.txt", "trf: 1\n"));
        assert!(!case("g.yaml", "trfx: 1\n"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
