//! The result cache of `trls check`, as ruff has one: what the single-record checks
//! found in each file (and its summary for the cross-record rules), kept in
//! `.trls_cache/` at the file's workspace root (beside the `trls.toml` that governs
//! it, else at the root of the git checkout, else in its folder; see
//! `docs/decisions.md`), so that a second run over unchanged files parses nothing.
//!
//! The cache is never wrong because of what it keys on:
//! - an entry holds the [`Compact`] result of one file and is used only when the
//!   file's bytes hash (128 bits) to the entry's hash, under the same path relative
//!   to the workspace root (the single-record checks see the file name and
//!   extension, nothing else of the path);
//! - a cache file holds the entries of one configuration: its name is the
//!   configuration's fingerprint (its `trls.toml` path and text, and the registry
//!   snapshots TRF120-122 read), so another configuration reads another file;
//! - its header holds this build's fingerprint (version, executable size and
//!   modification time, and `TRLS_CACHE_KEY_SALT`, an override for tests): another
//!   build ignores it;
//! - the cross-record rules (TRF105, TRF108) are never cached: they run on every run
//!   from the summaries of all records, so a change in another record (a duplicate
//!   id appearing, a related record deleted) is always seen.
//!
//! A cache file that cannot be read or decoded is ignored (and rewritten); files are
//! written whole to a temporary file and renamed, so concurrent runs never leave a
//! torn one (the last writer wins; the other's new entries are only recomputed).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::codes::Code;
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Fix, Related, TextEdit};
use crate::engine::Compact;
use crate::hash::Hasher;
use crate::model::RecordSummary;
use crate::rules::suppress::{Suppression, Suppressions};
use crate::severity::Severity;
use crate::syntax::Span;
use crate::workspace;

/// The cache folder's name.
pub const DIR_NAME: &str = ".trls_cache";

/// Starts every cache file; a change of layout changes it.
const MAGIC: &[u8; 8] = b"TRLSCAC1";

/// What is cached of one file.
#[derive(Clone, Debug, PartialEq)]
pub enum Cached {
    /// A record only read for the cross-record rules (not checked itself).
    Summary(RecordSummary),
    /// A checked record's single-record results.
    Compact(Compact),
}

impl Cached {
    pub fn summary(&self) -> &RecordSummary {
        match self {
            Cached::Summary(s) => s,
            Cached::Compact(c) => &c.summary,
        }
    }
}

/// A file's entry: the hash of its bytes and what is cached of it.
#[cfg(test)]
#[derive(Clone, Debug, PartialEq)]
struct Entry {
    hash: u128,
    cached: Cached,
}

/// Where a file's entry lives: its cache file and its key there.
#[derive(Clone, Debug)]
pub struct Slot {
    bucket: usize,
    key: String,
}

/// One cache file: the entries of one workspace root under one configuration,
/// each kept encoded (hash, bytes) and decoded only when a file hits it, so that a
/// run holds no second copy of every record's results.
struct Bucket {
    root: PathBuf,
    file: PathBuf,
    old: HashMap<String, (u128, Vec<u8>)>,
    new: HashMap<String, (u128, Vec<u8>)>,
}

/// The cache of one run: the cache files it read, and the entries it adds.
pub struct Store {
    binary: u128,
    buckets: Vec<Bucket>,
    by_key: HashMap<(PathBuf, u128), usize>,
    /// A file's folder as given → its canonical form and its workspace root.
    folders: HashMap<PathBuf, Option<(PathBuf, PathBuf)>>,
}

/// What this build's cached results are valid for: the crate version, the
/// executable's path, size and modification time (a rebuild changes them), and
/// `TRLS_CACHE_KEY_SALT` (for tests: another salt is another build). `None` when
/// the executable cannot be found: then nothing is cached.
pub fn binary_fingerprint() -> Option<u128> {
    static FINGERPRINT: OnceLock<Option<u128>> = OnceLock::new();
    *FINGERPRINT.get_or_init(|| {
        let exe = std::env::current_exe().ok()?;
        let meta = std::fs::metadata(&exe).ok()?;
        let modified = meta
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_nanos();
        let salt = std::env::var_os("TRLS_CACHE_KEY_SALT").unwrap_or_default();
        Some(
            Hasher::new()
                .write(env!("CARGO_PKG_VERSION").as_bytes())
                .write(exe.as_os_str().as_encoded_bytes())
                .write(&meta.len().to_le_bytes())
                .write_u128(modified)
                .write(salt.as_encoded_bytes())
                .finish(),
        )
    })
}

impl Store {
    /// An empty store for this build; `None` when the build cannot be identified.
    pub fn open() -> Option<Store> {
        Some(Store {
            binary: binary_fingerprint()?,
            buckets: Vec::new(),
            by_key: HashMap::new(),
            folders: HashMap::new(),
        })
    }

    /// The slot of a file checked under `config`, reading its cache file on first
    /// use. `None` for a file the cache cannot key (a name that is not UTF-8).
    pub fn slot(&mut self, file: &Path, config: &Config) -> Option<Slot> {
        let folder = match file.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let (canonical, root) = self
            .folders
            .entry(folder)
            .or_insert_with_key(|folder| {
                let canonical = std::fs::canonicalize(folder).ok()?;
                let root = workspace::workspace_root(&canonical.join("x"));
                Some((canonical, root))
            })
            .clone()?;
        let path = canonical.join(file.file_name()?);
        let key = path
            .strip_prefix(&root)
            .unwrap_or(&path)
            .to_str()?
            .to_string();
        let fingerprint = config.fingerprint();
        let bucket = match self.by_key.get(&(root.clone(), fingerprint)) {
            Some(&b) => b,
            None => {
                let file = root
                    .join(DIR_NAME)
                    .join(env!("CARGO_PKG_VERSION"))
                    .join(format!("{fingerprint:032x}"));
                let old = std::fs::read(&file)
                    .ok()
                    .and_then(|bytes| decode(&bytes, self.binary))
                    .unwrap_or_default();
                self.buckets.push(Bucket {
                    root: root.clone(),
                    file,
                    old,
                    new: HashMap::new(),
                });
                self.by_key
                    .insert((root, fingerprint), self.buckets.len() - 1);
                self.buckets.len() - 1
            }
        };
        Some(Slot { bucket, key })
    }

    /// What the cache holds of a file whose bytes hash to `hash`, if anything (an
    /// entry that does not decode is a miss).
    pub fn get(&self, slot: &Slot, hash: u128) -> Option<Cached> {
        let b = self.buckets.get(slot.bucket)?;
        let (h, bytes) = b.new.get(&slot.key).or_else(|| b.old.get(&slot.key))?;
        if *h != hash {
            return None;
        }
        decode_entry(bytes)
    }

    /// A checked file's results encoded for [`Store::put_encoded`] (in a worker,
    /// before its summary moves on); `None` when they cannot be encoded.
    pub fn encode_compact(compact: &Compact) -> Option<Vec<u8>> {
        let mut w = Writer {
            ok: true,
            ..Writer::default()
        };
        w.out.push(1);
        w.compact(compact);
        w.ok.then_some(w.out)
    }

    /// Remember a checked file's results encoded by [`Store::encode_compact`].
    pub fn put_encoded(&mut self, slot: Slot, hash: u128, bytes: Vec<u8>) {
        if let Some(b) = self.buckets.get_mut(slot.bucket) {
            b.new.insert(slot.key, (hash, bytes));
        }
    }

    /// Remember the summary of a file read for the cross-record rules only.
    pub fn put_summary(&mut self, slot: Slot, hash: u128, summary: &RecordSummary) {
        let mut w = Writer {
            ok: true,
            ..Writer::default()
        };
        w.out.push(0);
        w.summary(summary);
        self.put(slot, hash, w);
    }

    /// One that cannot be encoded (a related path that is not UTF-8) is not kept.
    fn put(&mut self, slot: Slot, hash: u128, w: Writer) {
        if let (true, Some(b)) = (w.ok, self.buckets.get_mut(slot.bucket)) {
            b.new.insert(slot.key, (hash, w.out));
        }
    }

    /// Write every cache file that gained entries: those of this run, and the
    /// earlier ones of files that still exist (a run over some of the files keeps
    /// the others'). Failures (a read-only checkout) are not the run's: ignored.
    pub fn save(self) {
        for b in self.buckets {
            if b.new.is_empty() {
                continue;
            }
            let Bucket {
                root,
                file,
                old,
                mut new,
            } = b;
            for (key, entry) in old {
                if !new.contains_key(&key) && root.join(&key).is_file() {
                    new.insert(key, entry);
                }
            }
            let _ = write(&root, &file, &encode(&new, self.binary));
        }
    }
}

/// Create the cache folder (with the `.gitignore` and `CACHEDIR.TAG` that keep git
/// and backup tools out of it) and write `file` through a temporary file.
fn write(root: &Path, file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = root.join(DIR_NAME);
    if !dir.is_dir() {
        std::fs::create_dir_all(&dir)?;
    }
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        std::fs::write(&ignore, "# Automatically created by trls.\n*\n")?;
    }
    let tag = dir.join("CACHEDIR.TAG");
    if !tag.exists() {
        std::fs::write(
            &tag,
            "Signature: 8a477f597d28d172789f06886806bc55\n\
             # This file is a cache directory tag created by trls.\n\
             # For information about cache directory tags see https://bford.info/cachedir/\n",
        )?;
    }
    if let Some(parent) = file.parent() {
        std::fs::create_dir_all(parent)?;
    }
    static COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = file.with_extension(format!("{}-{n}.tmp", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, file).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// The cache folders under `path` (itself included), for `trls clean`. Folders
/// of the cache are not descended into, nor links followed, nor `.git`.
pub fn find_dirs(path: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        if dir.file_name().is_some_and(|n| n == DIR_NAME) {
            out.push(dir);
            continue;
        }
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            if e.file_type().is_ok_and(|t| t.is_dir()) && e.file_name() != ".git" {
                stack.push(e.path());
            }
        }
    }
    out.sort();
    out
}

/// Packs compact results while a run holds every record's until the cross-record
/// phase: each string (a message, a fix's title) is stored once per run however
/// many records share it (a completeness finding's long message is the same in
/// every record), in the cache's encoding.
#[derive(Default)]
pub struct Interner {
    table: std::sync::Mutex<HashMap<String, usize>>,
}

/// A compact result packed by an [`Interner`].
pub enum Packed {
    Bytes(Box<[u8]>),
    /// What the encoding cannot hold (a related path that is not UTF-8), as it is.
    Plain(Box<Compact>),
}

/// The strings of an [`Interner`], by number: unpacks what it packed.
pub struct Strings(Vec<String>);

impl Interner {
    fn intern(&self, s: &str) -> usize {
        // A worker that panicked holding the lock left the table whole.
        let mut table = self.table.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&n) = table.get(s) {
            return n;
        }
        let n = table.len();
        table.insert(s.to_string(), n);
        n
    }

    pub fn pack(&self, compact: Compact) -> Packed {
        let mut w = Writer {
            ok: true,
            strings: Some(self),
            ..Writer::default()
        };
        w.compact(&compact);
        if w.ok {
            Packed::Bytes(w.out.into_boxed_slice())
        } else {
            Packed::Plain(Box::new(compact))
        }
    }

    /// The table, for unpacking (nothing more can be packed).
    pub fn freeze(self) -> Strings {
        let table = self.table.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut strings = vec![String::new(); table.len()];
        for (s, n) in table {
            strings[n] = s;
        }
        Strings(strings)
    }
}

impl Strings {
    /// What was packed. (Bytes this run wrote always read back; should they not,
    /// the record is judged with no single-record findings rather than a panic.)
    pub fn unpack(&self, packed: Packed) -> Compact {
        match packed {
            Packed::Plain(c) => *c,
            Packed::Bytes(bytes) => {
                let mut r = Reader {
                    bytes: &bytes,
                    at: 0,
                    strings: Some(&self.0),
                };
                let compact = r.compact();
                debug_assert!(compact.is_some(), "a packed result does not read back");
                compact.unwrap_or_default()
            }
        }
    }
}

// The encoding: little-endian, lengths and counts as LEB128 varints, strings as
// UTF-8. Spans are byte offsets into the file the entry is of (its hash vouches
// for them).

#[derive(Default)]
struct Writer<'a> {
    out: Vec<u8>,
    /// False once something could not be encoded (a path that is not UTF-8).
    ok: bool,
    /// Strings written as their number in this table (see [`Interner`]).
    strings: Option<&'a Interner>,
}

impl Writer<'_> {
    fn uint(&mut self, mut v: u64) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.out.push(byte);
                return;
            }
            self.out.push(byte | 0x80);
        }
    }
    fn usize(&mut self, v: usize) {
        self.uint(v as u64);
    }
    fn str(&mut self, s: &str) {
        if let Some(table) = self.strings {
            let n = table.intern(s);
            self.usize(n);
            return;
        }
        self.usize(s.len());
        self.out.extend_from_slice(s.as_bytes());
    }
    fn span(&mut self, s: Span) {
        self.usize(s.start);
        self.usize(s.end);
    }
    fn flag(&mut self, b: bool) {
        self.out.push(u8::from(b));
    }
    fn code(&mut self, c: Code) {
        self.usize(Code::ALL.iter().position(|x| *x == c).unwrap_or(usize::MAX));
    }
    fn spanned(&mut self, list: &[(String, Span)]) {
        self.usize(list.len());
        for (s, span) in list {
            self.str(s);
            self.span(*span);
        }
    }
    fn summary(&mut self, s: &RecordSummary) {
        self.flag(s.id.is_some());
        if let Some((id, span)) = &s.id {
            self.str(id);
            self.span(*span);
        }
        self.flag(s.title.is_some());
        if let Some(t) = &s.title {
            self.str(t);
        }
        self.spanned(&s.secondary);
        self.spanned(&s.related);
    }
    fn edit(&mut self, e: &TextEdit) {
        self.span(e.span);
        self.str(&e.new_text);
    }
    fn diagnostic(&mut self, d: &Diagnostic) {
        self.code(d.code);
        self.out.push(match d.severity {
            Severity::Hint => 0,
            Severity::Info => 1,
            Severity::Warning => 2,
            Severity::Error => 3,
        });
        self.span(d.span);
        self.str(&d.message);
        self.usize(d.related.len());
        for r in &d.related {
            self.flag(r.path.is_some());
            if let Some(p) = &r.path {
                match p.to_str() {
                    Some(p) => self.str(p),
                    None => self.ok = false,
                }
            }
            self.span(r.span);
            self.str(&r.message);
        }
        self.flag(d.fix.is_some());
        if let Some(f) = &d.fix {
            self.str(&f.title);
            self.usize(f.edits.len());
            for e in &f.edits {
                self.edit(e);
            }
            self.flag(f.safe);
        }
    }
    #[cfg(test)]
    fn cached(&mut self, c: &Cached) {
        match c {
            Cached::Summary(s) => {
                self.out.push(0);
                self.summary(s);
            }
            Cached::Compact(c) => {
                self.out.push(1);
                self.compact(c);
            }
        }
    }
    fn compact(&mut self, c: &Compact) {
        self.usize(c.diagnostics.len());
        for d in &c.diagnostics {
            self.diagnostic(d);
        }
        self.usize(c.omitted.len());
        for (code, n) in &c.omitted {
            self.code(*code);
            self.usize(*n);
        }
        self.summary(&c.summary);
        self.usize(c.suppressions.items.len());
        for s in &c.suppressions.items {
            self.span(s.comment);
            self.usize(s.line);
            self.flag(s.codes.is_some());
            if let Some(codes) = &s.codes {
                self.usize(codes.len());
                for c in codes {
                    self.str(c);
                }
            }
            self.edit(&s.removal);
        }
        self.usize(c.suppressions.line_starts.len());
        for &l in &c.suppressions.line_starts {
            self.usize(l);
        }
    }
}

/// A cache file: the header, then each entry's key, hash and encoded bytes (with
/// their length, so that reading the file needs no decoding of the entries).
fn encode(entries: &HashMap<String, (u128, Vec<u8>)>, binary: u128) -> Vec<u8> {
    let mut w = Writer::default();
    w.out.extend_from_slice(MAGIC);
    w.out.extend_from_slice(&binary.to_le_bytes());
    let mut keys: Vec<&String> = entries.keys().collect();
    keys.sort();
    w.usize(keys.len());
    for key in keys {
        let (hash, bytes) = &entries[key];
        w.str(key);
        w.out.extend_from_slice(&hash.to_le_bytes());
        w.usize(bytes.len());
        w.out.extend_from_slice(bytes);
    }
    w.out
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    /// Strings read as their number in this table (see [`Interner`]).
    strings: Option<&'a [String]>,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let end = self.at.checked_add(n)?;
        let s = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(s)
    }
    fn byte(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    fn uint(&mut self) -> Option<u64> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }
    fn usize(&mut self) -> Option<usize> {
        usize::try_from(self.uint()?).ok()
    }
    /// A count of items, each at least one byte: never more than the bytes left
    /// (so a corrupt count cannot ask for a huge allocation).
    fn count(&mut self) -> Option<usize> {
        let n = self.usize()?;
        (n <= self.bytes.len() - self.at).then_some(n)
    }
    fn u128(&mut self) -> Option<u128> {
        let mut b = [0u8; 16];
        b.copy_from_slice(self.take(16)?);
        Some(u128::from_le_bytes(b))
    }
    fn str(&mut self) -> Option<String> {
        let n = self.usize()?;
        if let Some(table) = self.strings {
            return table.get(n).cloned();
        }
        String::from_utf8(self.take(n)?.to_vec()).ok()
    }
    fn span(&mut self) -> Option<Span> {
        let start = self.usize()?;
        let end = self.usize()?;
        (start <= end).then_some(Span { start, end })
    }
    fn flag(&mut self) -> Option<bool> {
        match self.byte()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
    fn code(&mut self) -> Option<Code> {
        Code::ALL.get(self.usize()?).copied()
    }
    fn list<T>(&mut self, mut item: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let n = self.count()?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(item(self)?);
        }
        Some(out)
    }
    fn spanned(&mut self) -> Option<Vec<(String, Span)>> {
        self.list(|r| Some((r.str()?, r.span()?)))
    }
    fn summary(&mut self) -> Option<RecordSummary> {
        let id = if self.flag()? {
            Some((self.str()?, self.span()?))
        } else {
            None
        };
        let title = if self.flag()? {
            Some(self.str()?)
        } else {
            None
        };
        Some(RecordSummary {
            id,
            title,
            secondary: self.spanned()?,
            related: self.spanned()?,
        })
    }
    fn edit(&mut self) -> Option<TextEdit> {
        Some(TextEdit {
            span: self.span()?,
            new_text: self.str()?,
        })
    }
    fn diagnostic(&mut self) -> Option<Diagnostic> {
        let code = self.code()?;
        let severity = match self.byte()? {
            0 => Severity::Hint,
            1 => Severity::Info,
            2 => Severity::Warning,
            3 => Severity::Error,
            _ => return None,
        };
        let span = self.span()?;
        let message = self.str()?;
        let related = self.list(|r| {
            let path = if r.flag()? {
                Some(PathBuf::from(r.str()?))
            } else {
                None
            };
            Some(Related {
                path,
                span: r.span()?,
                message: r.str()?,
            })
        })?;
        let fix = if self.flag()? {
            let title = self.str()?;
            let edits = self.list(Self::edit)?;
            Some(Fix {
                title,
                edits,
                safe: self.flag()?,
            })
        } else {
            None
        };
        Some(Diagnostic {
            code,
            severity,
            span,
            message,
            related,
            fix,
        })
    }
    fn cached(&mut self) -> Option<Cached> {
        match self.byte()? {
            0 => Some(Cached::Summary(self.summary()?)),
            1 => Some(Cached::Compact(self.compact()?)),
            _ => None,
        }
    }
    fn compact(&mut self) -> Option<Compact> {
        let diagnostics = self.list(Self::diagnostic)?;
        let omitted = self.list(|r| Some((r.code()?, r.usize()?)))?;
        let summary = self.summary()?;
        let items = self.list(|r| {
            let comment = r.span()?;
            let line = r.usize()?;
            let codes = if r.flag()? {
                Some(r.list(Self::str)?)
            } else {
                None
            };
            Some(Suppression {
                comment,
                line,
                codes,
                removal: r.edit()?,
            })
        })?;
        let line_starts = self.list(Self::usize)?;
        Some(Compact {
            diagnostics,
            omitted,
            summary,
            suppressions: Suppressions { items, line_starts },
        })
    }
}

/// One entry's results, if the bytes are a whole entry.
fn decode_entry(bytes: &[u8]) -> Option<Cached> {
    let mut r = Reader {
        bytes,
        at: 0,
        strings: None,
    };
    let cached = r.cached()?;
    (r.at == bytes.len()).then_some(cached)
}

/// Decode bytes from anywhere as a cache file (taking the build fingerprint it
/// states) and each of its entries, and as one entry: what the `cache` fuzz target
/// feeds, as a cache file damaged in any way would. The number of entries decoded.
#[doc(hidden)]
pub fn decode_untrusted(bytes: &[u8]) -> usize {
    let binary = bytes
        .get(MAGIC.len()..MAGIC.len() + 16)
        .and_then(|b| <[u8; 16]>::try_from(b).ok())
        .map_or(0, u128::from_le_bytes);
    let whole = decode(bytes, binary).map_or(0, |entries| {
        entries
            .values()
            .filter(|(_, entry)| decode_entry(entry).is_some())
            .count()
    });
    whole + usize::from(decode_entry(bytes).is_some())
}

/// The entries of a cache file written by this build, still encoded; `None` for
/// anything else (another build, another layout, a torn file). An entry damaged
/// inside is found when it is decoded ([`Store::get`]).
fn decode(bytes: &[u8], binary: u128) -> Option<HashMap<String, (u128, Vec<u8>)>> {
    let mut r = Reader {
        bytes,
        at: 0,
        strings: None,
    };
    if r.take(MAGIC.len())? != MAGIC || r.u128()? != binary {
        return None;
    }
    let n = r.count()?;
    let mut entries = HashMap::with_capacity(n);
    for _ in 0..n {
        let key = r.str()?;
        let hash = r.u128()?;
        let len = r.usize()?;
        entries.insert(key, (hash, r.take(len)?.to_vec()));
    }
    (r.at == bytes.len()).then_some(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries() -> HashMap<String, Entry> {
        let config = Config::default();
        let text = b"trf: 1\nid: NCT01234567 # trls: ignore[TRF101]\nenrolment: 1\nrelated: [NCT07654321]\n";
        let compact =
            crate::engine::analyze_compact(text, Some(Path::new("a.trial.yaml")), &config);
        assert!(!compact.diagnostics.is_empty() && !compact.suppressions.items.is_empty());
        let summary = compact.summary.clone();
        HashMap::from([
            (
                "a.trial.yaml".to_string(),
                Entry {
                    hash: crate::hash::hash128(text),
                    cached: Cached::Compact(compact),
                },
            ),
            (
                "sub/b.trial.yaml".to_string(),
                Entry {
                    hash: 7,
                    cached: Cached::Summary(summary),
                },
            ),
        ])
    }

    /// The entries as a cache file would hold them, and read back decoded.
    fn round_trip(bytes: &[u8], binary: u128) -> Option<HashMap<String, Entry>> {
        decode(bytes, binary)?
            .into_iter()
            .map(|(key, (hash, bytes))| {
                let mut r = Reader {
                    bytes: &bytes,
                    at: 0,
                    strings: None,
                };
                let cached = r.cached()?;
                (r.at == bytes.len()).then_some((key, Entry { hash, cached }))
            })
            .collect()
    }

    fn encoded(entries: &HashMap<String, Entry>) -> HashMap<String, (u128, Vec<u8>)> {
        entries
            .iter()
            .map(|(k, e)| {
                let mut w = Writer {
                    ok: true,
                    ..Writer::default()
                };
                w.cached(&e.cached);
                (k.clone(), (e.hash, w.out))
            })
            .collect()
    }

    #[test]
    fn packed_results_unpack_as_they_were() {
        let e = entries();
        let interner = Interner::default();
        let compacts: Vec<Compact> = e
            .values()
            .filter_map(|e| match &e.cached {
                Cached::Compact(c) => Some(c.clone()),
                Cached::Summary(_) => None,
            })
            .collect();
        let packed: Vec<Packed> = compacts.iter().cloned().map(|c| interner.pack(c)).collect();
        let strings = interner.freeze();
        let back: Vec<Compact> = packed.into_iter().map(|p| strings.unpack(p)).collect();
        assert_eq!(back, compacts);
    }

    #[test]
    fn entries_read_back_as_written() {
        let e = entries();
        let bytes = encode(&encoded(&e), 42);
        assert_eq!(round_trip(&bytes, 42), Some(e));
    }

    #[test]
    fn another_build_or_any_damage_reads_as_nothing() {
        let bytes = encode(&encoded(&entries()), 42);
        assert_eq!(round_trip(&bytes, 43), None);
        for cut in 0..bytes.len() {
            assert_eq!(round_trip(&bytes[..cut], 42), None, "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(round_trip(&longer, 42), None);
        // Flipped bytes either fail to decode or decode to something: never a panic.
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0xff;
            let _ = round_trip(&b, 42);
        }
    }
}
