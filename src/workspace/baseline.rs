//! Baselines, for adopting trls on records that already have findings:
//! `check --write-baseline FILE` records the current findings, `check --baseline
//! FILE` then reports only the others.
//!
//! A finding is recorded by its file (relative to the baseline's folder, with `/`),
//! its code and the text it points at (for an empty range, the text of its line),
//! with a count for identical ones, never by line or column: an edit elsewhere in
//! the file does not turn a recorded finding into a new one.
//!
//! ```json
//! {"version": 1, "findings": [{"path": "records/a.trial.yaml", "code": "…", "text": "IV", "count": 1}]}
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// How much of the text a finding points at is recorded.
const MAX_TEXT: usize = 200;

/// The text a finding points at, as a baseline records it: the range's text, or,
/// for an empty range, its line's; trimmed, at most 200 characters.
pub fn pointed_text(text: &str, start: usize, end: usize) -> String {
    let clamp = |i: usize| {
        let mut i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let (start, end) = (clamp(start), clamp(end.max(start)));
    let slice = if start == end {
        let from = text[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let to = text[start..]
            .find(['\n', '\r'])
            .map_or(text.len(), |i| start + i);
        &text[from..to]
    } else {
        &text[start..end]
    };
    slice.trim().chars().take(MAX_TEXT).collect()
}

/// Where a baseline is: its folder, against which it records paths.
fn base_of(baseline: &Path) -> PathBuf {
    super::absolute(baseline)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// A file's path as a baseline at `base` records it.
fn key_path(base: &Path, file: &Path) -> String {
    let abs = super::absolute(file);
    let rel = abs.strip_prefix(base).unwrap_or(&abs);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

type Key = (String, String, String);

/// A baseline being read or written: identical findings counted.
pub struct Baseline {
    base: PathBuf,
    entries: BTreeMap<Key, usize>,
}

impl Baseline {
    /// An empty baseline to be written at `path`.
    pub fn new(path: &Path) -> Baseline {
        Baseline {
            base: base_of(path),
            entries: BTreeMap::new(),
        }
    }

    /// Record one finding of `file`.
    pub fn add(&mut self, file: &Path, code: &str, text: String) {
        let key = (key_path(&self.base, file), code.to_string(), text);
        *self.entries.entry(key).or_default() += 1;
    }

    /// How many findings are recorded.
    pub fn len(&self) -> usize {
        self.entries.values().sum()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn to_json(&self) -> String {
        let findings: Vec<serde_json::Value> = self
            .entries
            .iter()
            .map(|((path, code, text), count)| {
                serde_json::json!({"path": path, "code": code, "text": text, "count": count})
            })
            .collect();
        let doc = serde_json::json!({"version": 1, "findings": findings});
        let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Read the baseline at `path`; the message names the file and what is wrong.
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: cannot read: {}", path.display(), super::fs::reason(&e)))?;
        let bad = |why: String| format!("{}: not a trls baseline: {why}", path.display());
        let doc: serde_json::Value = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
        if doc["version"] != 1 {
            return Err(bad("`version` is not 1".into()));
        }
        let findings = doc["findings"]
            .as_array()
            .ok_or_else(|| bad("no `findings` list".into()))?;
        let mut baseline = Baseline::new(path);
        for f in findings {
            let field = |k: &str| {
                f[k].as_str()
                    .map(str::to_string)
                    .ok_or_else(|| bad(format!("a finding without `{k}`")))
            };
            let count = f["count"].as_u64().unwrap_or(1) as usize;
            let key = (field("path")?, field("code")?, field("text")?);
            *baseline.entries.entry(key).or_default() += count;
        }
        Ok(baseline)
    }

    /// Whether the baseline holds this finding; if so it is used up (an identical
    /// finding beyond the recorded count is new).
    pub fn take(&mut self, file: &Path, code: &str, text: String) -> bool {
        let key = (key_path(&self.base, file), code.to_string(), text);
        match self.entries.get_mut(&key) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        }
    }

    /// How many recorded findings were not taken: they no longer occur.
    pub fn unused(&self) -> usize {
        self.entries.values().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointed_text_is_the_range_or_its_line() {
        let t = "trf: 1\nroute: IV\n";
        assert_eq!(pointed_text(t, 14, 16), "IV");
        assert_eq!(pointed_text(t, 7, 7), "route: IV");
        assert_eq!(pointed_text(t, 0, 0), "trf: 1");
        assert_eq!(pointed_text(t, 100, 100), "");
    }

    #[test]
    fn identical_findings_are_counted_and_used_up() {
        let dir = std::env::temp_dir();
        let mut b = Baseline::new(&dir.join("baseline.json"));
        let file = dir.join("r.trial.yaml");
        b.add(&file, "C1", "IV".into());
        b.add(&file, "C1", "IV".into());
        b.add(&file, "C2", "x".into());
        assert_eq!(b.len(), 3);
        let json = b.to_json();
        assert!(json.contains("\"path\": \"r.trial.yaml\""), "{json}");
        let path = dir.join(format!("trls-baseline-{}.json", std::process::id()));
        std::fs::write(&path, &json).unwrap();
        let mut b = Baseline::load(&path).unwrap();
        let _ = std::fs::remove_file(&path);
        assert!(b.take(&file, "C1", "IV".into()));
        assert!(b.take(&file, "C1", "IV".into()));
        assert!(!b.take(&file, "C1", "IV".into()));
        assert!(!b.take(&file, "C2", "y".into()));
        assert_eq!(b.unused(), 1);
    }
}
