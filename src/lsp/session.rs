//! The language server's state: open documents (with the cached check of their
//! current version), the workspace index, configuration, and the one rule that an
//! open document's summary overrides the file on disk. Handlers read it through
//! [`Snapshot`]s; files are read only through the [`Files`] the shell provides.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

use tokio::sync::{Notify, Semaphore};
use tower_lsp_server::ls_types::{Diagnostic, Location, Range, Uri};

use super::convert::{Encoding, Positions};
use super::document::Document;
use crate::config::{Config, ConfigError};
use crate::engine::Checked;
use crate::model::RecordSummary;
use crate::severity::Severity;
use crate::syntax::{LineIndex, Span, Syntax};
use crate::workspace::index::WorkspaceIndex;

/// The workspace index, shared by the session and every snapshot, and updated in
/// place under its lock: an edit touches only its own record's entries (O(ids of
/// that record)), where a copy-on-write `Arc<WorkspaceIndex>` deep-copied all
/// 10,000 entries whenever a check or a request still held the previous version.
/// Readers hold the read lock only for a lookup (the cross-record phase of a check,
/// one completion or hover), never while parsing or reading files, so a writer
/// waits microseconds. A reader may see an index newer than its snapshot's epoch;
/// that is harmless: a check is stored as current only when the epoch did not move.
pub type SharedIndex = Arc<RwLock<WorkspaceIndex>>;

/// Read the index, recovering from a poisoned lock (a panic elsewhere never stops it).
pub fn read_index(index: &SharedIndex) -> RwLockReadGuard<'_, WorkspaceIndex> {
    index.read().unwrap_or_else(|e| e.into_inner())
}

fn write_index(index: &SharedIndex) -> RwLockWriteGuard<'_, WorkspaceIndex> {
    index.write().unwrap_or_else(|e| e.into_inner())
}

/// Check a document's text against the workspace: the engine's
/// [`crate::engine::check_document_in`], so that the index's read lock is held only
/// for the cross-record phase, not for the parse and the single-record rules.
pub fn check_against(
    text: &str,
    syntax: Syntax,
    path: &Path,
    config: &Config,
    index: &SharedIndex,
) -> crate::engine::DocumentCheck {
    crate::engine::check_document_in(text, syntax, path, config, || read_index(index))
}

/// File access for the server: reading records and `trls.toml` files, finding
/// records under the workspace folders and configurations above a record. The shell
/// gives the disk; tests may give anything. No other server code reads the disk.
pub trait Files: Send + Sync {
    fn read(&self, path: &Path) -> Option<Vec<u8>>;
    /// Whether a file (not a folder) is at `path`.
    fn exists(&self, path: &Path) -> bool;
    /// Every record file under the folders (`.trial.yaml`, `.trial.yml`, `.trial.json`).
    fn records(&self, roots: &[PathBuf]) -> Vec<PathBuf>;
}

/// The file system.
pub struct DiskFiles;

impl Files for DiskFiles {
    fn read(&self, path: &Path) -> Option<Vec<u8>> {
        std::fs::read(path).ok()
    }

    fn exists(&self, path: &Path) -> bool {
        path.is_file()
    }

    fn records(&self, roots: &[PathBuf]) -> Vec<PathBuf> {
        let mut files = Vec::new();
        for root in roots {
            for entry in ignore::WalkBuilder::new(root)
                .require_git(false)
                .build()
                .flatten()
            {
                if entry.file_type().is_some_and(|t| t.is_file())
                    && crate::workspace::is_record(entry.path())
                {
                    files.push(entry.path().to_path_buf());
                }
            }
        }
        files
    }
}

#[derive(Default, Clone, Copy)]
pub struct ClientCaps {
    pub pull_diagnostics: bool,
    pub watch_dynamic: bool,
    pub progress: bool,
    pub configuration: bool,
    pub related_information: bool,
    /// `codeAction/resolve` may fill in a code action's edit.
    pub resolve_edit: bool,
    /// Completion items may carry `labelDetails`.
    pub label_details: bool,
    /// `trace: "verbose"` at `initialize`: the server says what it decides in
    /// `$/logTrace` (which check ran, its cost and the debounce it sets).
    pub trace: bool,
}

/// A document's check at one version.
pub struct Cached {
    pub version: i32,
    /// The index and configuration generation it was checked against.
    pub epoch: u64,
    pub checked: Checked,
    pub lsp: Vec<Diagnostic>,
}

/// An open document and its check worker.
pub struct Open {
    pub doc: Document,
    /// Distinguishes this opening from a later one of the same URI.
    pub id: u64,
    /// Wakes the document's check worker.
    pub wake: Arc<Notify>,
    pub cache: Option<Arc<Cached>>,
    /// What the last check of this document cost (none yet: the first check runs at
    /// once). The debounce before the next check grows with it (`sync::debounce`).
    pub cost: Option<Duration>,
    /// When the last change arrived, and how long after the one before it: changes
    /// further apart than a check costs are each checked at once.
    pub last_change: Option<Instant>,
    pub gap: Option<Duration>,
    /// The index holds this opening's summary (from a check of it), not the disk's.
    pub indexed: bool,
    /// Configuration errors were published after a check of this document.
    pub config_reported: bool,
}

pub struct State {
    pub enc: Encoding,
    pub caps: ClientCaps,
    pub docs: HashMap<Uri, Open>,
    pub roots: Vec<PathBuf>,
    /// Every record of the workspace; open documents' latest summaries override disk.
    index: SharedIndex,
    /// Summaries of files on disk, to restore when a document closes (shared with
    /// the index while the file is not open).
    disk: HashMap<PathBuf, Arc<RecordSummary>>,
    /// Counts every change of a file's entry other than by workspace indexing (a
    /// watched-file event, an open document's summary, a close back to the disk);
    /// `touched` holds the count at each file's last such change. Indexing that
    /// started before such a change may have read the file before it, so it does
    /// not replace that entry (see [`State::set_disk_summaries`]).
    changes: u64,
    touched: HashMap<PathBuf, u64>,
    /// Severities from the editor's settings (`trls.rules`), over `trls.toml`.
    overrides: HashMap<String, Option<Severity>>,
    /// trls.toml path → its configuration (or error).
    configs: HashMap<PathBuf, Result<Arc<Config>, ConfigError>>,
    /// Bumped whenever the index or the configuration changes: a cached check of an
    /// older epoch may be out of date.
    pub epoch: u64,
    pub shutting_down: bool,
    next_id: u64,
}

impl State {
    fn new() -> Self {
        State {
            enc: Encoding::Utf16,
            caps: ClientCaps::default(),
            docs: HashMap::new(),
            roots: Vec::new(),
            index: SharedIndex::default(),
            disk: HashMap::new(),
            changes: 0,
            touched: HashMap::new(),
            overrides: HashMap::new(),
            configs: HashMap::new(),
            epoch: 0,
            shutting_down: false,
            next_id: 0,
        }
    }

    pub fn index(&self) -> SharedIndex {
        self.index.clone()
    }

    /// The configuration governing a file (defaults where there is no usable one):
    /// the nearest `trls.toml`, found and read through `files`, once until
    /// [`State::reload_configs`].
    pub fn config_for(&mut self, files: &dyn Files, path: Option<&Path>) -> Arc<Config> {
        let base = path
            .and_then(Path::parent)
            .and_then(|dir| Config::find_with(dir, |p| files.exists(p)))
            .and_then(|p| {
                let entry = self
                    .configs
                    .entry(p.clone())
                    .or_insert_with(|| load_config(files, &p).map(Arc::new));
                entry.as_ref().ok().cloned()
            })
            .unwrap_or_else(|| Arc::new(Config::default()));
        if self.overrides.is_empty() {
            base
        } else {
            Arc::new(base.with_severities(&self.overrides))
        }
    }

    pub fn set_overrides(&mut self, overrides: HashMap<String, Option<Severity>>) {
        self.overrides = overrides;
        self.epoch += 1;
    }

    /// Forget loaded `trls.toml` files (one changed on disk).
    pub fn reload_configs(&mut self) {
        self.configs.clear();
        self.epoch += 1;
    }

    /// Whether `path` is in the registry snapshot folder of a loaded configuration
    /// (a change there re-reads the snapshots).
    pub fn is_snapshot(&self, path: &Path) -> bool {
        let Some(dir) = path.parent() else {
            return false;
        };
        path.extension().is_some_and(|x| x == "json")
            && self.configs.values().any(|c| {
                c.as_ref()
                    .ok()
                    .and_then(|c| c.registry_dir.as_deref())
                    .is_some_and(|d| d == dir || std::fs::canonicalize(d).is_ok_and(|d| d == dir))
            })
    }

    /// Every loaded `trls.toml` with its error, if any.
    pub fn config_errors(&self) -> Vec<(PathBuf, Option<ConfigError>)> {
        self.configs
            .iter()
            .map(|(p, r)| (p.clone(), r.as_ref().err().cloned()))
            .collect()
    }

    /// A new opening of a document.
    pub fn open(&mut self, doc: Document) -> (u64, Arc<Notify>) {
        self.next_id += 1;
        let id = self.next_id;
        let wake = Arc::new(Notify::new());
        self.docs.insert(
            doc.uri.clone(),
            Open {
                doc,
                id,
                wake: wake.clone(),
                cache: None,
                cost: None,
                last_change: None,
                gap: None,
                indexed: false,
                config_reported: false,
            },
        );
        (id, wake)
    }

    fn is_open(&self, path: &Path) -> bool {
        self.docs
            .values()
            .any(|o| o.doc.path.as_deref() == Some(path))
    }

    /// Record a summary for `path` (`None`: it has none). Returns whether it
    /// changed what other records are judged by, which bumps the epoch (every check
    /// may be out of date). With `facts_only` (an edit of an open document: most
    /// keystrokes move spans and change no fact), a summary with the same facts
    /// replaces the record's entry in place and changes nothing else: no id entry is
    /// touched, no other document is re-checked, and other documents' related
    /// locations into this record keep the spans of their own last check until
    /// their next one. Otherwise (a file changed on disk, a document opened over
    /// its file or closed back to it) moved spans count too, so those locations
    /// follow at once.
    fn put(&mut self, path: &Path, summary: Option<Arc<RecordSummary>>, facts_only: bool) -> bool {
        let mut index = write_index(&self.index);
        match summary {
            Some(s) => {
                let same = index.records.get(path).is_some_and(|old| {
                    Arc::ptr_eq(old, &s)
                        || if facts_only {
                            old.same_facts(&s)
                        } else {
                            **old == *s
                        }
                });
                if same {
                    index.replace_same_ids(path, s);
                    return false;
                }
                index.insert(path, s);
            }
            None => {
                if index.remove(path).is_none() {
                    return false;
                }
            }
        }
        drop(index);
        self.epoch += 1;
        true
    }

    /// An open document's summary (it overrides the file on disk); `edit`: the index
    /// already holds a summary of this opening. Returns whether the index changed.
    pub fn set_open_summary(&mut self, path: &Path, summary: RecordSummary, edit: bool) -> bool {
        self.touch(path);
        self.put(path, Some(Arc::new(summary)), edit)
    }

    /// A file on disk changed (`None`: it is gone). Returns whether the index changed,
    /// which it does only where the file is not open.
    pub fn set_disk_summary(&mut self, path: &Path, summary: Option<RecordSummary>) -> bool {
        self.touch(path);
        let summary = summary.map(Arc::new);
        match &summary {
            Some(s) => self.disk.insert(path.to_path_buf(), s.clone()),
            None => self.disk.remove(path),
        };
        !self.is_open(path) && self.put(path, summary, false)
    }

    fn touch(&mut self, path: &Path) {
        self.changes += 1;
        self.touched.insert(path.to_path_buf(), self.changes);
    }

    /// Where workspace indexing starts: pass it to [`State::set_disk_summaries`].
    pub fn indexing_starts(&self) -> u64 {
        self.changes
    }

    /// Files on disk found by indexing the workspace that started at `since` (see
    /// [`State::indexing_starts`]), recorded under one lock of the index. A file
    /// changed since then (an event of the file watcher, opened or closed in the
    /// editor) keeps what that change recorded: indexing may have read it before.
    /// Returns whether the index changed.
    pub fn set_disk_summaries(&mut self, found: Vec<(PathBuf, RecordSummary)>, since: u64) -> bool {
        let open: std::collections::HashSet<PathBuf> = self
            .docs
            .values()
            .filter_map(|o| o.doc.path.clone())
            .collect();
        let mut changed = false;
        let mut index = write_index(&self.index);
        index.records.reserve(found.len());
        for (path, summary) in found {
            if self.touched.get(&path).is_some_and(|&at| at > since) {
                continue;
            }
            let summary = Arc::new(summary);
            if !open.contains(&path) {
                let same = index
                    .records
                    .get(path.as_path())
                    .is_some_and(|old| **old == *summary);
                if same {
                    index.replace_same_ids(&path, summary.clone());
                } else {
                    index.insert(&path, summary.clone());
                    changed = true;
                }
            }
            self.disk.insert(path, summary);
        }
        drop(index);
        if changed {
            self.epoch += 1;
        }
        changed
    }

    /// A document closed: back to what is on disk (`on_disk`, read by the caller
    /// where the index has not seen the file). Returns whether the index changed.
    pub fn closed(&mut self, path: &Path, on_disk: Option<RecordSummary>) -> bool {
        if self.is_open(path) {
            return false;
        }
        self.touch(path);
        let summary = self.disk.get(path).cloned().or(on_disk.map(Arc::new));
        self.put(path, summary, false)
    }

    pub fn knows_disk(&self, path: &Path) -> bool {
        self.disk.contains_key(path)
    }
}

/// A `trls.toml` read through `files`.
fn load_config(files: &dyn Files, path: &Path) -> Result<Config, ConfigError> {
    let bytes = files
        .read(path)
        .ok_or_else(|| ConfigError::unreadable(path, &"the file cannot be read"))?;
    let text = String::from_utf8(bytes).map_err(|e| ConfigError::unreadable(path, &e))?;
    // Registry snapshots (`[registry] snapshots`) are read from the disk folder the
    // configuration names: they are files the user keeps, not documents being
    // edited. One that cannot be read is left out (`trls check` reports it).
    Ok(Config::parse(&text, path)?.with_registry_loaded().0)
}

pub struct Session {
    state: Mutex<State>,
    pub files: Arc<dyn Files>,
    /// Checks running at once (requests are not limited by it).
    pub checks: Semaphore,
    /// Orders publications against closing, so nothing is published after a close.
    pub publish: tokio::sync::Mutex<()>,
    shut_down: AtomicBool,
}

/// Another open document, as a snapshot sees it.
#[derive(Clone)]
struct OtherOpen {
    uri: Uri,
    text: Arc<String>,
    lines: Arc<LineIndex>,
    syntax: Syntax,
}

/// One document at one version, with what a request or a check needs.
pub struct Snapshot {
    pub uri: Uri,
    pub path: Option<PathBuf>,
    /// The path the engine sees (the URI for documents that are not files).
    pub file: PathBuf,
    pub version: i32,
    pub text: Arc<String>,
    pub lines: Arc<LineIndex>,
    pub syntax: Syntax,
    pub enc: Encoding,
    pub related: bool,
    pub config: Arc<Config>,
    pub index: SharedIndex,
    /// The check of this version, if it is done.
    pub cached: Option<Arc<Cached>>,
    pub epoch: u64,
    /// Other open documents by path (for cross-record navigation and locations).
    open: HashMap<PathBuf, OtherOpen>,
    files: Arc<dyn Files>,
}

impl Snapshot {
    pub fn positions(&self) -> Positions<'_> {
        Positions::new(&self.text, &self.lines, self.enc)
    }

    /// The workspace index, read-locked: hold it for lookups only.
    pub fn read_index(&self) -> RwLockReadGuard<'_, WorkspaceIndex> {
        read_index(&self.index)
    }

    /// A record's text: the open document if there is one, else the file.
    pub fn text_of(&self, path: &Path) -> Option<(Uri, Arc<String>, Syntax)> {
        if let Some(o) = self.open.get(path) {
            return Some((o.uri.clone(), o.text.clone(), o.syntax));
        }
        let uri = Uri::from_file_path(path)?;
        let text = String::from_utf8(self.files.read(path)?).ok()?;
        Some((uri, Arc::new(text), Syntax::from_path(path)))
    }

    /// Locations in other files, for one check's related information.
    pub fn elsewhere(&self) -> Elsewhere<'_> {
        Elsewhere {
            snap: self,
            seen: HashMap::new(),
        }
    }
}

/// Positions spans of other files, each with that file's own text and line index:
/// the open document's if it is open, else the file read through `Files` (once per
/// file).
pub struct Elsewhere<'s> {
    snap: &'s Snapshot,
    /// Each file's text and lines (`None`: it could not be read).
    seen: HashMap<PathBuf, Option<TextLines>>,
}

type TextLines = (Arc<String>, Arc<LineIndex>);

impl Elsewhere<'_> {
    /// `span` of the file at `path`, in the negotiated encoding. A file that cannot
    /// be read (or is not UTF-8) keeps the location, at its start; `None` only for a
    /// path with no URI.
    pub fn location(&mut self, path: &Path, span: Span) -> Option<Location> {
        let snap = self.snap;
        if snap.path.as_deref() == Some(path) {
            return Some(Location::new(
                snap.uri.clone(),
                snap.positions().range(span),
            ));
        }
        let open = snap.open.get(path);
        let uri = match open {
            Some(o) => o.uri.clone(),
            None => Uri::from_file_path(path)?,
        };
        let known = self.seen.entry(path.to_path_buf()).or_insert_with(|| {
            if let Some(o) = open {
                return Some((o.text.clone(), o.lines.clone()));
            }
            let text = String::from_utf8(snap.files.read(path)?).ok()?;
            let lines = LineIndex::new(&text);
            Some((Arc::new(text), Arc::new(lines)))
        });
        let range = match known {
            Some((text, lines)) => Positions::new(text, lines, snap.enc).range(span),
            None => Range::default(),
        };
        Some(Location::new(uri, range))
    }
}

impl Session {
    pub fn new(files: Arc<dyn Files>) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Session {
            state: Mutex::new(State::new()),
            files,
            checks: Semaphore::new(cores.max(2)),
            publish: tokio::sync::Mutex::new(()),
            shut_down: AtomicBool::new(false),
        }
    }

    /// The state, recovering from a poisoned lock (a panic elsewhere never stops it).
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn set_shut_down(&self) {
        self.shut_down.store(true, Ordering::SeqCst);
        self.lock().shutting_down = true;
    }

    pub fn is_shut_down(&self) -> bool {
        self.shut_down.load(Ordering::SeqCst)
    }

    /// A snapshot of an open document (of one opening, when `id` is given).
    pub fn snapshot(&self, uri: &Uri, id: Option<u64>) -> Option<Snapshot> {
        let mut st = self.lock();
        let open = st
            .docs
            .get(uri)
            .filter(|o| id.is_none_or(|id| o.id == id))?;
        let doc = &open.doc;
        let (path, version, text, lines, syntax) = (
            doc.path.clone(),
            doc.version,
            doc.text(),
            doc.lines(),
            doc.syntax,
        );
        let cached = open.cache.clone().filter(|c| c.version == version);
        let others = st
            .docs
            .values()
            .filter(|o| &o.doc.uri != uri)
            .filter_map(|o| {
                let d = &o.doc;
                d.path.clone().map(|p| {
                    let other = OtherOpen {
                        uri: d.uri.clone(),
                        text: d.text(),
                        lines: d.lines(),
                        syntax: d.syntax,
                    };
                    (p, other)
                })
            })
            .collect();
        let file = path.clone().unwrap_or_else(|| PathBuf::from(uri.as_str()));
        let config = st.config_for(&*self.files, Some(&file));
        Some(Snapshot {
            uri: uri.clone(),
            path,
            file,
            version,
            text,
            lines,
            syntax,
            enc: st.enc,
            related: st.caps.related_information,
            config,
            index: st.index.clone(),
            cached,
            epoch: st.epoch,
            open: others,
            files: self.files.clone(),
        })
    }

    /// Record a finished check if its document is still at that version (and that
    /// opening). Returns whether the document's summary changed the index, or `None`
    /// for a stale check.
    pub fn store_check(
        &self,
        snap: &Snapshot,
        id: Option<u64>,
        cached: Cached,
        summary: RecordSummary,
        cost: Duration,
    ) -> Option<(bool, Arc<Cached>)> {
        let mut st = self.lock();
        let open = st
            .docs
            .get_mut(&snap.uri)
            .filter(|o| id.is_none_or(|id| o.id == id))?;
        // Measured even when the result is stale: it is what this document costs.
        open.cost = Some(cost);
        if open.doc.version != snap.version {
            return None;
        }
        let edit = std::mem::replace(&mut open.indexed, true);
        let current = snap.epoch == st.epoch;
        let changed = match &snap.path {
            Some(p) => st.set_open_summary(p, summary, edit),
            None => false,
        };
        let mut cached = cached;
        // Up to date unless the index or configuration changed during the check
        // (its own summary does not count).
        cached.epoch = if current { st.epoch } else { snap.epoch };
        let cached = Arc::new(cached);
        if let Some(open) = st.docs.get_mut(&snap.uri) {
            open.cache = Some(cached.clone());
        }
        Some((changed, cached))
    }
}
