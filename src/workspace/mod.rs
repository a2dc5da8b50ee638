//! The set of records a run works on: file discovery (honouring `.gitignore` and
//! each configuration's `[files]` globs) and, per file, the configuration that
//! governs it.

pub mod index;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{Config, ConfigError};

/// Whether a file name is a trial record's.
pub fn is_record(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    [".trial.yaml", ".trial.yml", ".trial.json"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

#[derive(Debug)]
pub enum RunError {
    Missing(PathBuf),
    Config(ConfigError),
    Walk(String),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Missing(p) => write!(f, "{}: no such file or directory", p.display()),
            RunError::Config(e) => write!(f, "{e}"),
            RunError::Walk(e) => write!(f, "{e}"),
        }
    }
}

/// Resolves the configuration of each file: one given with `--config`, else the
/// nearest `trls.toml` above the file. Each file is loaded once.
pub struct Configs {
    fixed: Option<Arc<Config>>,
    loaded: HashMap<PathBuf, Arc<Config>>,
    default: Arc<Config>,
}

impl Configs {
    pub fn new(fixed: Option<&Path>) -> Result<Configs, RunError> {
        let fixed = match fixed {
            Some(p) => Some(Arc::new(Config::load(p).map_err(RunError::Config)?)),
            None => None,
        };
        Ok(Configs {
            fixed,
            loaded: HashMap::new(),
            default: Arc::new(Config::default()),
        })
    }

    pub fn for_file(&mut self, file: &Path) -> Result<Arc<Config>, RunError> {
        if let Some(c) = &self.fixed {
            return Ok(c.clone());
        }
        let dir = file.parent().unwrap_or(Path::new("."));
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let abs = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        let Some(path) = Config::find(&abs) else {
            return Ok(self.default.clone());
        };
        if let Some(c) = self.loaded.get(&path) {
            return Ok(c.clone());
        }
        let c = Arc::new(Config::load(&path).map_err(RunError::Config)?);
        self.loaded.insert(path, c.clone());
        Ok(c)
    }
}

/// Every record file under the given paths, each with its configuration, in a
/// stable order. Files named explicitly are always checked; files found by walking
/// a folder must be selected by their configuration's `[files]` globs.
pub fn discover(
    paths: &[PathBuf],
    configs: &mut Configs,
) -> Result<Vec<(PathBuf, Arc<Config>)>, RunError> {
    let mut out = Vec::new();
    for root in paths {
        if !root.exists() {
            return Err(RunError::Missing(root.clone()));
        }
        if root.is_file() {
            let c = configs.for_file(root)?;
            out.push((root.clone(), c));
            continue;
        }
        let walker = ignore::WalkBuilder::new(root)
            .require_git(false)
            .sort_by_file_name(|a, b| a.cmp(b))
            .build();
        for entry in walker {
            let entry = entry.map_err(|e| RunError::Walk(e.to_string()))?;
            let path = entry.path();
            if !entry.file_type().is_some_and(|t| t.is_file()) || !is_record(path) {
                continue;
            }
            let c = configs.for_file(path)?;
            let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
            if c.selects(&abs) {
                out.push((path.to_path_buf(), c));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.dedup_by(|a, b| a.0 == b.0);
    Ok(out)
}
