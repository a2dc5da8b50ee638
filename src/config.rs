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
    /// A hash of the file's path and text (0 for the defaults): with the
    /// snapshots', the result cache's key for this configuration.
    source_hash: u128,
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
            source_hash: 0,
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
            source_hash: crate::hash::Hasher::new()
                .write(path.as_os_str().as_encoded_bytes())
                .write(text.as_bytes())
                .finish(),
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
        let mut rules = RuleKeys::default();
        for (key, value) in raw.rules.unwrap_or_default() {
            let severity =
                parse_severity(value.get_ref()).map_err(|m| err(Some(value.span()), m))?;
            rules
                .add(&key, severity)
                .map_err(|m| err(Some(value.span()), format!("{m} in [rules]")))?;
        }
        config.severities = rules.resolve();
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

    /// What this configuration's effect on a record's results depends on: the
    /// file's path and text and the snapshots' files (a hash; the result cache's
    /// key). Editor overrides ([`Config::with_severities`]) are not in it: the
    /// language server does not use the cache.
    pub fn fingerprint(&self) -> u128 {
        crate::hash::Hasher::new()
            .write_u128(self.source_hash)
            .write_u128(self.snapshots.as_ref().map_or(0, |s| s.fingerprint()))
            .finish()
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
    /// `trls.toml`). Keys are codes or code prefixes, as in `[rules]`: among the
    /// overrides the longest matching key wins, and a code any override matches
    /// takes the override's severity. Keys that are neither are left out (see
    /// [`rule_settings`], which reports them).
    pub fn with_severities(&self, overrides: &HashMap<String, Option<Severity>>) -> Config {
        let mut c = self.clone();
        let mut keys = RuleKeys::default();
        for (key, sev) in overrides {
            let _ = keys.add(key, *sev);
        }
        c.severities.extend(keys.resolve());
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

/// `off` or a severity.
fn parse_severity(s: &str) -> Result<Option<Severity>, String> {
    match s {
        "off" => Ok(None),
        s => Severity::parse(s).map(Some).ok_or_else(|| {
            format!("`{s}` is not a severity; use off, hint, info, warning or error")
        }),
    }
}

/// Rule keys as configuration writes them: a code (`TRF203`) or a code prefix
/// (`TRF4`, `TRF12`), case-insensitive. The longest key matching a code decides
/// its severity (rules.md).
#[derive(Default)]
struct RuleKeys {
    /// (key in upper case, severity).
    keys: Vec<(String, Option<Severity>)>,
}

impl RuleKeys {
    /// Add a key; an error names a key that is neither a code nor the prefix of one,
    /// or that repeats another (up to case).
    fn add(&mut self, key: &str, severity: Option<Severity>) -> Result<(), String> {
        let upper = key.trim().to_ascii_uppercase();
        let digits = upper.strip_prefix("TRF").unwrap_or("");
        let is_prefix = upper.starts_with("TRF")
            && digits.len() <= 3
            && digits.bytes().all(|b| b.is_ascii_digit())
            && Code::with_prefix(&upper).next().is_some();
        if !is_prefix {
            return Err(format!(
                "`{key}` is neither a rule code nor the prefix of one (write a code such as `TRF203`, or a prefix such as `TRF2` for every `TRF2xx`)"
            ));
        }
        if self.keys.iter().any(|(k, _)| *k == upper) {
            return Err(format!("`{key}` is given twice"));
        }
        self.keys.push((upper, severity));
        Ok(())
    }

    /// Each code's severity from the longest key that matches it.
    fn resolve(&self) -> HashMap<Code, Option<Severity>> {
        let mut best: HashMap<Code, (usize, Option<Severity>)> = HashMap::new();
        for (key, severity) in &self.keys {
            for code in Code::with_prefix(key) {
                let slot = best.entry(code).or_insert((0, *severity));
                if key.len() >= slot.0 {
                    *slot = (key.len(), *severity);
                }
            }
        }
        best.into_iter().map(|(c, (_, s))| (c, s)).collect()
    }
}

/// The editor's `trls.rules` setting (an object of rule key → severity): the
/// overrides for [`Config::with_severities`], and a message for every entry that
/// is not a rule key or whose value is not a severity (left out).
pub fn rule_settings(
    value: &serde_json::Value,
) -> (HashMap<String, Option<Severity>>, Vec<String>) {
    let mut overrides = HashMap::new();
    let mut errors = Vec::new();
    let Some(rules) = value.as_object() else {
        // An empty Lua table (Neovim's `rules = {}`) arrives as `[]`: no overrides.
        let empty = value.as_array().is_some_and(Vec::is_empty);
        if !value.is_null() && !empty {
            errors.push("`trls.rules` must map rule codes or prefixes to severities".to_string());
        }
        return (overrides, errors);
    };
    let mut keys = RuleKeys::default();
    for (key, sev) in rules {
        let severity = match sev.as_str().map(parse_severity) {
            Some(Ok(s)) => s,
            Some(Err(m)) => {
                errors.push(format!("trls.rules.{key}: {m}"));
                continue;
            }
            None => {
                errors.push(format!(
                    "trls.rules.{key}: use off, hint, info, warning or error"
                ));
                continue;
            }
        };
        match keys.add(key, severity) {
            Ok(()) => {
                overrides.insert(key.trim().to_ascii_uppercase(), severity);
            }
            Err(m) => errors.push(format!("trls.rules: {m}")),
        }
    }
    (overrides, errors)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("trls.toml"))
    }

    #[test]
    fn a_prefix_sets_every_code_it_begins_and_the_longest_key_wins() {
        let c = parse(
            "[rules]\nTRF2 = \"off\"\nTRF20 = \"info\"\nTRF203 = \"error\"\ntrf1 = \"hint\"\n",
        )
        .unwrap();
        let sev = |code: &str| c.severity(Code::parse(code).unwrap(), Severity::Warning);
        assert_eq!(sev("TRF203"), Some(Severity::Error));
        assert_eq!(sev("TRF200"), Some(Severity::Info));
        assert_eq!(sev("TRF207"), Some(Severity::Info));
        // TRF3xx is not TRF2xx: untouched.
        assert_eq!(sev("TRF300"), Some(Severity::Warning));
        assert_eq!(sev("TRF107"), Some(Severity::Hint));
        assert_eq!(sev("TRF010"), Some(Severity::Warning));
        assert!(!c.is_off(Code::parse("TRF201").unwrap()));
        // Order of keys in the file does not matter.
        let d = parse("[rules]\nTRF203 = \"error\"\nTRF2 = \"off\"\n").unwrap();
        assert!(d.is_off(Code::parse("TRF200").unwrap()));
        assert!(!d.is_off(Code::parse("TRF203").unwrap()));
    }

    #[test]
    fn a_key_that_is_neither_a_code_nor_a_prefix_is_an_error_with_its_line() {
        for bad in [
            "TRF5", "TRF8", "TRF999", "TRF0100", "TR", "TRFx", "E501", "TRF1a",
        ] {
            let e = parse(&format!("# x\n[rules]\n{bad} = \"off\"\n")).unwrap_err();
            assert_eq!(e.line, 3, "{bad}");
            assert!(
                e.message.contains(&format!(
                    "`{bad}` is neither a rule code nor the prefix of one"
                )),
                "{bad}: {}",
                e.message
            );
        }
        let e = parse("[rules]\nTRF3 = \"off\"\ntrf3 = \"info\"\n").unwrap_err();
        assert!(e.message.contains("given twice"), "{}", e.message);
        let e = parse("[rules]\nTRF3 = \"loud\"\n").unwrap_err();
        assert!(
            e.message.contains("`loud` is not a severity"),
            "{}",
            e.message
        );
    }

    #[test]
    fn editor_settings_take_prefixes_and_win_over_the_file() {
        let file = parse("[rules]\nTRF203 = \"error\"\nTRF1 = \"info\"\n").unwrap();
        let (overrides, errors) = rule_settings(&serde_json::json!({
            "TRF2": "off",
            "trf10": "hint",
            "TRF777": "off",
            "TRF3": "loud",
            "TRF9": 3
        }));
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors.iter().any(|e| e.contains("`TRF777` is neither")));
        assert!(errors
            .iter()
            .any(|e| e.contains("`loud` is not a severity")));
        let c = file.with_severities(&overrides);
        let code = |s: &str| Code::parse(s).unwrap();
        // The editor's TRF2 beats the file's TRF203: the editor's settings win.
        assert!(c.is_off(code("TRF203")));
        assert!(c.is_off(code("TRF200")));
        assert_eq!(
            c.severity(code("TRF107"), Severity::Error),
            Some(Severity::Hint)
        );
        assert_eq!(
            c.severity(code("TRF110"), Severity::Error),
            Some(Severity::Info)
        );
        assert_eq!(
            c.severity(code("TRF300"), Severity::Error),
            Some(Severity::Error)
        );
        let (none, errors) = rule_settings(&serde_json::Value::Null);
        assert!(none.is_empty() && errors.is_empty());
        // Neovim sends its empty `rules = {}` as an empty list.
        let (none, errors) = rule_settings(&serde_json::json!([]));
        assert!(none.is_empty() && errors.is_empty(), "{errors:?}");
        let (_, errors) = rule_settings(&serde_json::json!(["TRF013"]));
        assert_eq!(errors.len(), 1);
    }
}
