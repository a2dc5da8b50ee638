//! `trls.toml`: which files to check, rule severities and extra vocabulary terms.
//! Found by walking up from the file being checked; the nearest wins. Every error
//! names the file, line and column.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use crate::codes::{Code, Severity};
use crate::registry::Snapshots;
use crate::schema::{ExtraTerms, Schema};
use crate::syntax::LineIndex;

pub const FILE_NAME: &str = "trls.toml";

#[derive(Debug, Clone)]
pub struct ConfigError {
    pub path: PathBuf,
    /// 1-based; 0 when the error has no position (unreadable file).
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl ConfigError {
    /// The file could not be read (or is not UTF-8): an error without a position.
    pub fn unreadable(path: &Path, why: &dyn std::fmt::Display) -> ConfigError {
        ConfigError {
            path: path.to_path_buf(),
            line: 0,
            column: 0,
            message: format!("cannot read: {why}"),
        }
    }
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.path.display(), self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.path.display(),
                self.line,
                self.column,
                self.message
            )
        }
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    /// The file this came from; `None` for the defaults.
    pub path: Option<PathBuf>,
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
    /// Rule code → severity; `None` switches the rule off.
    severities: HashMap<Code, Option<Severity>>,
    schema: Arc<Schema>,
    /// `[registry] snapshots`: the folder of registry snapshots, resolved against
    /// the configuration file's folder.
    pub registry_dir: Option<PathBuf>,
    /// The snapshots the shell loaded for this configuration (from `registry_dir`
    /// or `--registry`); `None` when the run has none (TRF12x are not judged).
    snapshots: Option<Arc<Snapshots>>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            path: None,
            include: None,
            exclude: None,
            severities: HashMap::new(),
            schema: Schema::builtin(),
            registry_dir: None,
            snapshots: None,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    files: Option<RawFiles>,
    rules: Option<BTreeMap<String, Spanned<String>>>,
    vocabularies: Option<BTreeMap<String, Spanned<toml::Value>>>,
    registry: Option<RawRegistry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegistry {
    snapshots: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFiles {
    include: Option<Vec<Spanned<String>>>,
    exclude: Option<Vec<Spanned<String>>>,
}

impl Config {
    /// The nearest `trls.toml` at or above `dir`.
    pub fn find(dir: &Path) -> Option<PathBuf> {
        Config::find_with(dir, Path::is_file)
    }

    /// The nearest `trls.toml` at or above `dir`, where `is_file` says which files
    /// exist (the language server asks its own file access, not the disk).
    pub fn find_with(dir: &Path, is_file: impl Fn(&Path) -> bool) -> Option<PathBuf> {
        dir.ancestors()
            .map(|d| d.join(FILE_NAME))
            .find(|p| is_file(p))
    }

    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::unreadable(path, &e))?;
        Config::parse(&text, path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let lines = LineIndex::new(text);
        let err = |span: Option<std::ops::Range<usize>>, message: String| {
            let (line, column) = span
                .map(|s| {
                    let (l, c) = lines.line_col(text, s.start);
                    (l + 1, c + 1)
                })
                .unwrap_or((0, 0));
            ConfigError {
                path: path.to_path_buf(),
                line,
                column,
                message,
            }
        };
        let raw: Raw =
            toml::from_str(text).map_err(|e| err(e.span(), e.message().trim().to_string()))?;
        let mut config = Config {
            path: Some(path.to_path_buf()),
            ..Config::default()
        };
        if let Some(dir) = raw.registry.and_then(|r| r.snapshots) {
            let base = path.parent().unwrap_or(Path::new(""));
            config.registry_dir = Some(base.join(dir));
        }
        if let Some(files) = raw.files {
            config.include = globs(files.include.as_deref(), &err)?;
            config.exclude = globs(files.exclude.as_deref(), &err)?;
        }
        for (code, value) in raw.rules.unwrap_or_default() {
            let Some(rule) = Code::parse(&code) else {
                return Err(err(
                    Some(value.span()),
                    format!("`{code}` in [rules] is not a trls rule code"),
                ));
            };
            let severity = match value.get_ref().as_str() {
                "off" => None,
                s => Some(Severity::parse(s).ok_or_else(|| {
                    err(
                        Some(value.span()),
                        format!("`{s}` is not a severity; use off, hint, info, warning or error"),
                    )
                })?),
            };
            config.severities.insert(rule, severity);
        }
        let mut extra = ExtraTerms::new();
        let vocabularies = raw.vocabularies.unwrap_or_default();
        let labels: BTreeMap<String, String> = match vocabularies.get("labels") {
            None => BTreeMap::new(),
            Some(v) => v
                .get_ref()
                .as_table()
                .and_then(|t| {
                    t.iter()
                        .map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                        .collect::<Option<_>>()
                })
                .ok_or_else(|| {
                    err(
                        Some(v.span()),
                        "[vocabularies.labels] maps each term to a label string".into(),
                    )
                })?,
        };
        let keys: Vec<String> = Schema::builtin()
            .vocabularies()
            .iter()
            .filter_map(|v| v.config_key.clone())
            .collect();
        for (key, value) in &vocabularies {
            if key == "labels" {
                continue;
            }
            if !keys.contains(key) {
                return Err(err(
                    Some(value.span()),
                    format!(
                        "`{key}` in [vocabularies] is not an extensible vocabulary; use one of {}",
                        keys.join(", ")
                    ),
                ));
            }
            let terms = value
                .get_ref()
                .as_array()
                .and_then(|a| {
                    a.iter()
                        .map(|t| t.as_str().map(String::from))
                        .collect::<Option<Vec<_>>>()
                })
                .ok_or_else(|| {
                    err(
                        Some(value.span()),
                        format!("`{key}` must be a list of term strings"),
                    )
                })?;
            let mut list = Vec::new();
            for t in terms {
                if !is_term_id(&t) {
                    return Err(err(
                        Some(value.span()),
                        format!("`{t}` is not a term id; terms are UPPER_SNAKE_CASE"),
                    ));
                }
                let label = labels.get(&t).cloned().unwrap_or_else(|| t.clone());
                list.push((t, label));
            }
            extra.insert(key.clone(), list);
        }
        if extra.values().any(|v| !v.is_empty()) {
            config.schema = Arc::new(Schema::build(&extra).map_err(|m| err(None, m))?);
        }
        Ok(config)
    }

    /// The schema with this configuration's extra terms.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// The registry snapshots records are cross-checked against (TRF12x).
    pub fn snapshots(&self) -> Option<&Snapshots> {
        self.snapshots.as_deref()
    }

    /// This configuration with the snapshots of its `[registry] snapshots` folder
    /// loaded (unchanged when it names none), and the snapshot files that could not
    /// be read.
    pub fn with_registry_loaded(self) -> (Config, Vec<crate::registry::SnapshotError>) {
        match self.registry_dir.clone() {
            None => (self, Vec::new()),
            Some(dir) => {
                let mut snapshots = Snapshots::load_dir(&dir);
                let errors = std::mem::take(&mut snapshots.errors);
                (self.with_snapshots(Arc::new(snapshots)), errors)
            }
        }
    }

    /// This configuration with the run's registry snapshots.
    pub fn with_snapshots(mut self, snapshots: Arc<Snapshots>) -> Config {
        self.snapshots = Some(snapshots);
        self
    }

    /// The schema, shared.
    pub fn schema_arc(&self) -> Arc<Schema> {
        self.schema.clone()
    }

    /// The severity a rule has here; `None` when it is switched off.
    pub fn severity(&self, code: Code, default: Severity) -> Option<Severity> {
        self.severities.get(&code).copied().unwrap_or(Some(default))
    }

    pub fn is_off(&self, code: Code) -> bool {
        matches!(self.severities.get(&code), Some(None))
    }

    /// This configuration with rule severities overridden (editor settings win over
    /// `trls.toml`).
    pub fn with_severities(&self, overrides: &HashMap<String, Option<Severity>>) -> Config {
        let mut c = self.clone();
        for (code, sev) in overrides {
            if let Some(rule) = Code::parse(code) {
                c.severities.insert(rule, *sev);
            }
        }
        c
    }

    /// Whether a file found by walking a folder is selected by `[files]`.
    pub fn selects(&self, file: &Path) -> bool {
        let Some(cfg) = &self.path else {
            return true;
        };
        let base = cfg.parent().unwrap_or(Path::new(""));
        let rel = file.strip_prefix(base).unwrap_or(file);
        let rel = rel.strip_prefix(".").unwrap_or(rel);
        self.include.as_ref().is_none_or(|g| g.is_match(rel))
            && !self.exclude.as_ref().is_some_and(|g| g.is_match(rel))
    }
}

fn is_term_id(t: &str) -> bool {
    !t.is_empty()
        && t.starts_with(|c: char| c.is_ascii_uppercase())
        && t.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

fn globs(
    list: Option<&[Spanned<String>]>,
    err: &dyn Fn(Option<std::ops::Range<usize>>, String) -> ConfigError,
) -> Result<Option<GlobSet>, ConfigError> {
    let Some(list) = list else {
        return Ok(None);
    };
    let mut b = GlobSetBuilder::new();
    for g in list {
        let glob = Glob::new(g.get_ref()).map_err(|e| {
            err(
                Some(g.span()),
                format!("bad glob `{}`: {}", g.get_ref(), e.kind()),
            )
        })?;
        b.add(glob);
    }
    b.build().map(Some).map_err(|e| err(None, e.to_string()))
}
