//! `trls check`: find the records, read them (or standard input), fix them (with
//! `--fix`, or show the fixes with `--diff`), check them together within their
//! workspace, keep the findings asked for (`--select`, `--ignore`, `--baseline`)
//! and print them through the library's renderers.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::ValueEnum;
use rayon::prelude::*;

use trls::cache::{Cached, Interner, Packed, Slot, Store};
use trls::codes::Code;
use trls::config::Config;
use trls::diagnostic::{Diagnostic, Severity};
use trls::engine::{self, Compact, RecordSummary};
use trls::render::{self, FileReport, TextOptions};
use trls::syntax::LineIndex;
use trls::workspace::baseline::{pointed_text, Baseline};
use trls::workspace::{self, fs, Configs, RunError};

use super::{color_stdout, diff, emit, note};

#[derive(clap::Args)]
pub struct CheckArgs {
    /// Files or folders to check (`-`: standard input)
    paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Configuration file (default: the nearest trls.toml above each file)
    #[arg(long)]
    config: Option<PathBuf>,
    /// Registry snapshots to cross-check against (TRF12x)
    #[arg(long, value_name = "DIR")]
    registry: Option<PathBuf>,
    /// Apply every safe fix in place, then report what remains
    #[arg(long)]
    fix: bool,
    /// With --fix: print the changes as a unified diff, write nothing
    #[arg(long)]
    diff: bool,
    /// Exit 1 on warnings too
    #[arg(long)]
    strict: bool,
    /// Also print hints
    #[arg(long)]
    show_hints: bool,
    /// Only these codes or prefixes (TRF1,TRF203)
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    select: Vec<String>,
    /// Never these codes or prefixes
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    ignore: Vec<String>,
    /// A count per code instead of each diagnostic
    #[arg(long)]
    statistics: bool,
    /// Write the report there (the summary still goes to stderr)
    #[arg(long, value_name = "FILE")]
    output_file: Option<PathBuf>,
    /// With PATH `-`: check standard input as the file NAME
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<PathBuf>,
    /// Print diagnostics only, no summary
    #[arg(short, long)]
    quiet: bool,
    /// Record the current findings (by file, code and the text they point at)
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    write_baseline: Option<PathBuf>,
    /// Report only findings that are not in the baseline
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Neither read nor write the result cache (`.trls_cache/` at the workspace
    /// root); also `TRLS_NO_CACHE=1`
    #[arg(long)]
    no_cache: bool,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Github,
}

/// What `--fix` and `--diff` do to a file.
#[derive(Clone, Copy, PartialEq, Eq)]
enum FixMode {
    None,
    /// Write the fixes back.
    Write,
    /// Compute the fixes, write nothing (the diff is shown).
    Show,
}

/// `--select` and `--ignore`: codes or prefixes of codes. Where both match a code,
/// the longer (more specific) one wins; of equal length, `--ignore` (as ruff).
struct Selection {
    select: Vec<String>,
    ignore: Vec<String>,
}

impl Selection {
    fn new(select: &[String], ignore: &[String]) -> Result<Selection, String> {
        let parse = |flag: &str, list: &[String]| -> Result<Vec<String>, String> {
            list.iter()
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .map(|s| {
                    if Code::with_prefix(s).next().is_none() {
                        Err(format!(
                            "{flag} {s}: not a rule code or a prefix of one; `trls rules` lists them"
                        ))
                    } else {
                        Ok(s.to_ascii_uppercase())
                    }
                })
                .collect()
        };
        Ok(Selection {
            select: parse("--select", select)?,
            ignore: parse("--ignore", ignore)?,
        })
    }

    fn selects(&self, code: Code) -> bool {
        let id = code.as_str();
        let best = |list: &[String]| {
            list.iter()
                .filter(|p| id.starts_with(p.as_str()))
                .map(String::len)
                .max()
        };
        let selected = if self.select.is_empty() {
            Some(0)
        } else {
            best(&self.select)
        };
        match (selected, best(&self.ignore)) {
            (Some(s), Some(i)) => s > i,
            (Some(_), None) => true,
            (None, _) => false,
        }
    }
}

/// What a fix did to one file.
#[derive(Default)]
struct Fixed {
    /// Fixes applied (or, with `--diff`, that would be).
    count: usize,
    /// With `--diff`, and for standard input: the text before and after.
    change: Option<(String, String)>,
}

/// One record to check: a file, or standard input under a name.
struct Input {
    /// Shared with the cross-record phase's workspace (one copy of each path).
    path: Arc<Path>,
    config: Arc<Config>,
    stdin: Option<Vec<u8>>,
}

pub fn check(args: CheckArgs) -> Result<i32, String> {
    let selection = Selection::new(&args.select, &args.ignore)?;
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let stdin = paths.iter().any(|p| p.as_os_str() == "-");
    if stdin && paths.len() > 1 {
        return Err("`-` (standard input) cannot be checked together with other paths".into());
    }
    if args.stdin_filename.is_some() && !stdin {
        return Err("--stdin-filename names standard input: give `-` as the path".into());
    }
    let mode = if args.diff {
        FixMode::Show
    } else if args.fix {
        FixMode::Write
    } else {
        FixMode::None
    };
    let mut configs = Configs::new(args.config.as_deref()).map_err(|e| e.to_string())?;
    if let Some(dir) = &args.registry {
        if !dir.is_dir() {
            return Err(format!("{}: no such folder (--registry)", dir.display()));
        }
        configs = configs.with_registry(dir);
    }
    let (inputs, context) = if stdin {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read standard input: {}", fs::reason(&e)))?;
        let path = args
            .stdin_filename
            .clone()
            .unwrap_or_else(|| PathBuf::from("-"));
        let config = configs.for_file(&path).map_err(|e| e.to_string())?;
        // Judged in the workspace of the file it stands for (which it replaces).
        let context = if args.stdin_filename.is_some() {
            let checked = HashSet::from([workspace::absolute(&path)]);
            workspace::context_of(&[workspace::workspace_root(&path)], &mut configs, checked)
        } else {
            Vec::new()
        };
        let input = Input {
            path: path.into(),
            config,
            stdin: Some(bytes),
        };
        (vec![input], context)
    } else {
        let found =
            workspace::discover(&paths, &mut configs).map_err(|e: RunError| e.to_string())?;
        for n in &found.notes {
            note(n);
        }
        for p in &found.lookalikes {
            note(&workspace::lookalike_message(p));
        }
        if found.files.is_empty() {
            return Err(workspace::no_records_message(&paths));
        }
        let inputs = found
            .files
            .into_iter()
            .map(|(path, config)| Input {
                path: path.into(),
                config,
                stdin: None,
            })
            .collect();
        (inputs, found.context)
    };
    // The cache: not for fixes (their text changes under them) nor standard input.
    let mut store = (!args.no_cache
        && !std::env::var_os("TRLS_NO_CACHE").is_some_and(|v| !v.is_empty() && v != "0")
        && mode == FixMode::None
        && !stdin)
        .then(Store::open)
        .flatten();
    let mut stats = CacheStats::default();
    let mut context = read_context(&context, store.as_mut(), &mut stats);
    let interner = Interner::default();
    let (analyzed, mut problems, fixed) =
        check_files(&inputs, mode, store.as_mut(), &interner, &mut stats)?;
    if let Some(store) = store {
        store.save();
    }
    if std::env::var_os("TRLS_CACHE_STATS").is_some() {
        note(&format!(
            "cache: {} from cache, {} checked; context: {} from cache, {} read",
            stats.hits, stats.misses, stats.context_hits, stats.context_misses
        ));
    }
    // A snapshot that cannot be read is one finding on that file: the run goes on,
    // and it fails like an error does.
    let bad_snapshots = std::mem::take(&mut configs.snapshot_errors);
    for e in &bad_snapshots {
        let at = if e.line > 0 {
            format!("{}:{}:{}", e.path.display(), e.line, e.column)
        } else {
            e.path.display().to_string()
        };
        eprintln_quiet(&format!("{at}: error: registry snapshot: {}", e.message));
    }
    for p in &problems {
        note(&p.message);
    }
    let fixes: usize = fixed.iter().map(|(_, f)| f.count).sum();
    let fixed_files = fixed.iter().filter(|(_, f)| f.count > 0).count();

    if mode == FixMode::Show {
        let color = args.output_file.is_none() && color_stdout();
        let mut out = String::new();
        for (i, f) in &fixed {
            let input = &inputs[*i];
            if let Some((old, new)) = &f.change {
                let name = input.path.display().to_string();
                let name = name.strip_prefix("./").unwrap_or(&name);
                out.push_str(&diff::unified(name, old, new, color));
            }
        }
        write_report(&args, &out)?;
        if !args.quiet {
            note(&format!(
                "would fix {fixes} in {}",
                render::plural(fixed_files, "file")
            ));
        }
        return Ok(if problems.iter().any(|p| p.fails_run) {
            2
        } else {
            i32::from(fixes > 0)
        });
    }
    // Standard input fixed: the fixed text is the output (as ruff does); the report
    // of what remains goes to stderr.
    let stdin_fixed = match &inputs[0].stdin {
        Some(_) if mode == FixMode::Write => Some(
            fixed
                .first()
                .and_then(|(_, f)| f.change.as_ref())
                .map(|(_, new)| new.clone())
                .unwrap_or_else(|| {
                    analyzed
                        .first()
                        .and_then(|(_, a)| a.text.clone())
                        .unwrap_or_default()
                }),
        ),
        _ => None,
    };

    let min = if args.show_hints {
        Severity::Hint
    } else {
        Severity::Info
    };
    let keep = |d: &Diagnostic| d.severity >= min && selection.selects(d.code);

    // The cross-record phase: every summary into the workspace (held once), then
    // each record judged, its findings kept as asked, and its text read back only
    // when a finding is reported (see `Texts`).
    let records = analyzed.len() + context.len();
    let mut workspace = engine::Workspace::with_capacity(records);
    let mut texts = Texts::default();
    // Its full size at once: no growth while it fills.
    texts.disk.reserve_exact(records);
    // In place: a second list of every record would be a second peak.
    let mut analyzed = analyzed;
    for (i, a) in &mut analyzed {
        let input = &inputs[*i];
        if let Some(summary) = a.summary.take() {
            workspace.insert(input.path.clone(), summary);
        }
        match a.text.take() {
            Some(t) => {
                texts.kept.insert(&input.path, t);
            }
            None => texts.disk.push((&input.path, a.hash)),
        }
    }
    let strings = interner.freeze();
    // Unpacked as they are judged, a chunk at a time.
    let pending = analyzed
        .into_iter()
        .map(|(i, a)| (&inputs[i], strings.unpack(a.packed)));
    for c in &mut context {
        workspace.insert(
            c.path.as_path().into(),
            engine::Workspace::summary(std::mem::take(&mut c.summary)),
        );
    }
    texts
        .disk
        .extend(context.iter().map(|c| (c.path.as_path(), c.hash)));
    texts.seal();
    let workspace = workspace;
    let judge = |chunk: Vec<(&Input, Compact)>| -> Vec<FileReport> {
        chunk
            .into_par_iter()
            .map(|(input, compact)| {
                let mut diagnostics = workspace.judge(&input.path, compact, &input.config);
                diagnostics.retain(keep);
                FileReport {
                    path: input.path.to_path_buf(),
                    checked: engine::Checked {
                        text: String::new(),
                        lines: LineIndex::new(""),
                        diagnostics,
                    },
                }
            })
            .collect()
    };
    let fails_late = std::cell::Cell::new(false);
    let load = |reports: &mut Vec<FileReport>| {
        let (others, gone) = texts.load(reports);
        for p in gone {
            note(&p);
            fails_late.set(true);
        }
        others
    };

    // The plain text report, written as the records are judged (a chunk at a time),
    // so that no more than a chunk's texts and findings are held at once.
    let streams = matches!(args.format, Format::Text | Format::Json | Format::Github)
        && !args.statistics
        && args.baseline.is_none()
        && args.write_baseline.is_none()
        && stdin_fixed.is_none();
    if streams {
        let color = args.output_file.is_none() && color_stdout();
        let mut sink = Sink::open(args.output_file.as_deref())?;
        // The JSON document's summary comes first: its diagnostics are held as
        // text until the end (the output's size, not the records').
        let mut json = Vec::new();
        let mut summary = render::Summary::default();
        let mut fixable = 0;
        let mut worst = None;
        let mut rest = pending;
        loop {
            let chunk: Vec<(&Input, Compact)> = rest.by_ref().take(STREAM_CHUNK).collect();
            if chunk.is_empty() {
                break;
            }
            let mut reports = judge(chunk);
            let others = load(&mut reports);
            let lookup = Lookup {
                reports: &reports,
                others: &others,
            };
            let part = render::summary(&reports);
            summary.files += part.files;
            summary.errors += part.errors;
            summary.warnings += part.warnings;
            summary.infos += part.infos;
            summary.hints += part.hints;
            for d in reports.iter().flat_map(|r| &r.checked.diagnostics) {
                fixable += usize::from(d.fix.as_ref().is_some_and(|f| f.safe));
                worst = worst.max(Some(d.severity));
            }
            match args.format {
                Format::Json => json.extend(render::json_diagnostics(&reports, &lookup)),
                Format::Github => sink.write(&render::github(&reports, &lookup))?,
                _ => sink.write(&render::text_diagnostics(
                    &reports,
                    &lookup,
                    TextOptions { color },
                ))?,
            }
        }
        if args.format == Format::Json {
            sink.write(&render::json_document(&summary, &json))?;
        }
        let mut summary_line = render::summary_line(&summary);
        if fixable > 0 {
            summary_line.push_str(&format!("; {fixable} fixable with `--fix`"));
        }
        let fix_line = (mode == FixMode::Write)
            .then(|| format!("fixed {fixes} in {}", render::plural(fixed_files, "file")));
        let inline_summary =
            args.format == Format::Text && args.output_file.is_none() && !args.quiet;
        for line in fix_line.iter().chain([&summary_line]) {
            if inline_summary {
                sink.write(&format!("{line}\n"))?;
            } else if !args.quiet {
                eprintln_quiet(line);
            }
        }
        sink.finish()?;
        return Ok(exit_status(
            &args,
            worst,
            problems.iter().any(|p| p.fails_run) || fails_late.get(),
            !bad_snapshots.is_empty(),
        ));
    }

    let mut reports = judge(pending.collect());
    let others = load(&mut reports);
    problems.extend(fails_late.get().then(|| Problem {
        message: String::new(),
        fails_run: true,
    }));

    if let Some(path) = &args.write_baseline {
        let mut baseline = Baseline::new(path);
        for r in &reports {
            for d in &r.checked.diagnostics {
                let text = pointed_text(&r.checked.text, d.span.start, d.span.end);
                baseline.add(&r.path, d.code.as_str(), text);
            }
        }
        std::fs::write(path, baseline.to_json())
            .map_err(|e| format!("{}: cannot write: {}", path.display(), fs::reason(&e)))?;
        if !args.quiet {
            note(&format!(
                "wrote {} to {}",
                render::plural(baseline.len(), "finding"),
                path.display()
            ));
        }
        return Ok(if problems.iter().any(|p| p.fails_run) {
            2
        } else {
            0
        });
    }
    let mut baseline_note = None;
    if let Some(path) = &args.baseline {
        let mut baseline = Baseline::load(path)?;
        let mut hidden = 0;
        for r in &mut reports {
            let FileReport { path, checked } = r;
            let text = &checked.text;
            checked.diagnostics.retain(|d| {
                let known = baseline.take(
                    path,
                    d.code.as_str(),
                    pointed_text(text, d.span.start, d.span.end),
                );
                hidden += usize::from(known);
                !known
            });
        }
        let gone = baseline.unused();
        let mut n = format!(
            "baseline {}: {} hidden",
            path.display(),
            render::plural(hidden, "finding")
        );
        if gone > 0 {
            n.push_str(&format!(
                "; {} no longer {} (write the baseline again to drop {})",
                render::plural(gone, "entry").replace("entrys", "entries"),
                if gone == 1 { "occurs" } else { "occur" },
                if gone == 1 { "it" } else { "them" },
            ));
        }
        baseline_note = Some(n);
    }

    let summary = render::summary(&reports);
    let fixable = reports
        .iter()
        .flat_map(|r| &r.checked.diagnostics)
        .filter(|d| d.fix.as_ref().is_some_and(|f| f.safe))
        .count();
    let mut summary_line = render::summary_line(&summary);
    if fixable > 0 {
        summary_line.push_str(&format!("; {fixable} fixable with `--fix`"));
    }
    let fix_line = (mode == FixMode::Write)
        .then(|| format!("fixed {fixes} in {}", render::plural(fixed_files, "file")));

    let lookup = Lookup {
        reports: &reports,
        others: &others,
    };
    // The text report carries its summary at its end; elsewhere (another format,
    // another file, standard input fixed) it goes to stderr.
    let inline_summary = args.format == Format::Text
        && args.output_file.is_none()
        && stdin_fixed.is_none()
        && !args.quiet;
    let color = args.output_file.is_none() && stdin_fixed.is_none() && color_stdout();
    let mut out = if args.statistics {
        statistics(&reports, args.format)?
    } else {
        match args.format {
            Format::Text => render::text_diagnostics(&reports, &lookup, TextOptions { color }),
            Format::Json => render::json(&reports, &lookup),
            Format::Sarif => render::sarif(&reports, &lookup),
            Format::Github => render::github(&reports, &lookup),
        }
    };
    if inline_summary {
        for line in fix_line.iter().chain([&summary_line]) {
            out.push_str(line);
            out.push('\n');
        }
    }
    match stdin_fixed {
        Some(text) => {
            emit(&text)?;
            eprintln_quiet(out.trim_end_matches('\n'));
        }
        None => write_report(&args, &out)?,
    }
    if !inline_summary && !args.quiet {
        for line in fix_line.iter().chain([&summary_line]) {
            eprintln_quiet(line);
        }
    }
    if let Some(n) = &baseline_note {
        if !args.quiet {
            note(n);
        }
    }

    let worst = reports
        .iter()
        .flat_map(|r| &r.checked.diagnostics)
        .map(|d| d.severity)
        .max();
    Ok(exit_status(
        &args,
        worst,
        problems.iter().any(|p| p.fails_run),
        !bad_snapshots.is_empty(),
    ))
}

/// 2 when the run itself failed; else 1 when a finding reported is an error (or,
/// with `--strict`, a warning) or a registry snapshot could not be read; else 0.
fn exit_status(
    args: &CheckArgs,
    worst: Option<Severity>,
    failed: bool,
    bad_snapshots: bool,
) -> i32 {
    let failing = if args.strict {
        Severity::Warning
    } else {
        Severity::Error
    };
    if failed {
        return 2;
    }
    i32::from(worst.is_some_and(|w| w >= failing) || bad_snapshots)
}

/// A line on stderr as it is (no `trls:` prefix): the summary of the report.
fn eprintln_quiet(line: &str) {
    use std::io::Write;
    if !line.is_empty() {
        let _ = writeln!(std::io::stderr(), "{line}");
    }
}

/// The report to `--output-file`, else stdout.
fn write_report(args: &CheckArgs, out: &str) -> Result<(), String> {
    match &args.output_file {
        Some(path) => std::fs::write(path, out)
            .map_err(|e| format!("{}: cannot write: {}", path.display(), fs::reason(&e))),
        None => emit(out),
    }
}

/// `--statistics`: a count per code, most frequent first (then in code order):
/// `count code name` lines, or with `--format json` a list of
/// `{code, name, count, fixable}` (as ruff prints them).
fn statistics(reports: &[FileReport], format: Format) -> Result<String, String> {
    let mut counts: std::collections::BTreeMap<Code, (usize, usize)> = Default::default();
    for d in reports.iter().flat_map(|r| &r.checked.diagnostics) {
        let e = counts.entry(d.code).or_default();
        e.0 += 1;
        e.1 += usize::from(d.fix.as_ref().is_some_and(|f| f.safe));
    }
    let mut rows: Vec<(Code, usize, usize)> =
        counts.into_iter().map(|(c, (n, f))| (c, n, f)).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    if format == Format::Json {
        let list: Vec<serde_json::Value> = rows
            .iter()
            .map(|(c, n, f)| {
                serde_json::json!({"code": c.as_str(), "name": c.meta().name, "count": n, "fixable": f})
            })
            .collect();
        let text = serde_json::to_string_pretty(&list).map_err(|e| e.to_string())?;
        return Ok(format!("{text}\n"));
    }
    let width = rows.first().map_or(1, |r| r.1.to_string().len());
    Ok(rows
        .iter()
        .map(|(c, n, _)| format!("{n:>width$} {} {}\n", c.as_str(), c.meta().name))
        .collect())
}

/// Records analyzed a chunk at a time (each chunk in parallel).
const ANALYZE_CHUNK: usize = 4096;

/// Records judged a chunk at a time when the report is written as it goes.
const STREAM_CHUNK: usize = 512;

/// A record of the workspace that is not checked itself: what the cross-record
/// rules judge against. Its text is read again if a report names it.
struct ContextRecord {
    path: PathBuf,
    summary: RecordSummary,
    /// Of the bytes summarized (a report checks the text it reads again against it).
    hash: u128,
}

/// How the cache served a run (`TRLS_CACHE_STATS`).
#[derive(Default)]
struct CacheStats {
    hits: usize,
    misses: usize,
    context_hits: usize,
    context_misses: usize,
}

/// Read and summarize the workspace's other records (in parallel), through the
/// cache. One that cannot be read is left out.
fn read_context(
    files: &[(PathBuf, Arc<Config>)],
    mut store: Option<&mut Store>,
    stats: &mut CacheStats,
) -> Vec<ContextRecord> {
    let slots: Vec<Option<Slot>> = files
        .iter()
        .map(|(path, config)| store.as_mut().and_then(|s| s.slot(path, config)))
        .collect();
    let store_ref = store.as_deref();
    let read: Vec<Option<(ContextRecord, bool)>> = files
        .par_iter()
        .zip(&slots)
        .map(|((path, _), slot)| {
            let bytes = std::fs::read(path).ok()?;
            let hash = trls::hash::hash128(&bytes);
            let cached = slot
                .as_ref()
                .and_then(|slot| store_ref?.get(slot, hash))
                .map(|c| match c {
                    Cached::Summary(s) => s,
                    Cached::Compact(c) => c.summary,
                });
            let hit = cached.is_some();
            let summary = cached.unwrap_or_else(|| engine::summarize(&bytes, path));
            let record = ContextRecord {
                path: path.clone(),
                summary,
                hash,
            };
            Some((record, hit))
        })
        .collect();
    let mut out = Vec::with_capacity(read.len());
    for (r, slot) in read.into_iter().zip(slots) {
        let Some((record, hit)) = r else { continue };
        if hit {
            stats.context_hits += 1;
        } else {
            stats.context_misses += 1;
            if let (Some(store), Some(slot)) = (store.as_mut(), slot) {
                store.put_summary(slot, record.hash, &record.summary);
            }
        }
        out.push(record);
    }
    out
}

/// The texts a report needs: of the files with findings, and of the files their
/// related locations are in. Read again from disk, so that the run does not hold
/// every record's text until the end.
#[derive(Default)]
struct Texts<'a> {
    /// The records whose text is on disk, with the hash of the bytes judged (the
    /// text read again must still hash to it). Every record of the run is here: a
    /// list sorted by path (see [`Texts::seal`]), searched, not a hash table, which
    /// would take twice the room.
    disk: Vec<(&'a Path, u128)>,
    /// The texts kept in memory, which cannot be read again (standard input, a
    /// fix run's).
    kept: std::collections::HashMap<&'a Path, String>,
}

/// The order [`Texts::disk`] is sorted and searched in: the path's bytes.
fn path_key(path: &Path) -> &[u8] {
    path.as_os_str().as_encoded_bytes()
}

impl Texts<'_> {
    /// Sort the records on disk for [`Texts::text`]'s search, once they are all in.
    fn seal(&mut self) {
        self.disk.sort_by(|a, b| path_key(a.0).cmp(path_key(b.0)));
    }

    /// The text of `path` as it was judged; `None` when it cannot be read or has
    /// changed since.
    fn text(&self, path: &Path) -> Option<String> {
        if let Some(t) = self.kept.get(path) {
            return Some(t.clone());
        }
        let at = self
            .disk
            .binary_search_by(|(p, _)| path_key(p).cmp(path_key(path)))
            .ok()?;
        let bytes = std::fs::read(path).ok()?;
        if trls::hash::hash128(&bytes) != self.disk[at].1 {
            return None;
        }
        // Lossily decoded, as the engine judged a file that is not UTF-8.
        Some(
            String::from_utf8(bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        )
    }

    /// Give each report with findings its text, and read the other files its
    /// related locations are in. A report whose file has changed since it was
    /// judged cannot be positioned: it is left out, with a message (the run fails).
    fn load(&self, reports: &mut Vec<FileReport>) -> (Sources, Vec<String>) {
        let loaded: Vec<Option<String>> = reports
            .par_iter()
            .map(|r| {
                if r.checked.diagnostics.is_empty() {
                    Some(String::new())
                } else {
                    self.text(&r.path)
                }
            })
            .collect();
        let mut gone = Vec::new();
        let mut kept = loaded.into_iter();
        reports.retain_mut(|r| match kept.next().flatten() {
            Some(text) => {
                if !text.is_empty() {
                    r.checked.lines = LineIndex::new(&text);
                    r.checked.text = text;
                }
                true
            }
            None => {
                gone.push(format!(
                    "{}: changed or removed while it was checked; check it again",
                    r.path.display()
                ));
                false
            }
        });
        let with_text: HashSet<&Path> = reports
            .iter()
            .filter(|r| !r.checked.diagnostics.is_empty())
            .map(|r| r.path.as_path())
            .collect();
        let mut wanted: Vec<&Path> = reports
            .iter()
            .flat_map(|r| &r.checked.diagnostics)
            .flat_map(|d| &d.related)
            .filter_map(|r| r.path.as_deref())
            .filter(|p| !with_text.contains(p))
            .collect();
        wanted.sort();
        wanted.dedup();
        let others = wanted
            .into_par_iter()
            .filter_map(|p| {
                let text = self.text(p)?;
                Some((p.to_path_buf(), (LineIndex::new(&text), text)))
            })
            .collect();
        (others, gone)
    }
}

/// Texts of files a report names but does not report on.
type Sources = std::collections::HashMap<PathBuf, (LineIndex, String)>;

/// The files a report can name: the reported ones and the others read for it.
struct Lookup<'a> {
    reports: &'a [FileReport],
    others: &'a Sources,
}

impl render::Files for Lookup<'_> {
    fn source(&self, path: &Path) -> Option<render::Source<'_>> {
        match self.others.get(path) {
            Some((lines, text)) => Some(render::Source { text, lines }),
            None => self.reports.source(path),
        }
    }
}

/// Where a report written as it goes goes: stdout (a reader that went away ends
/// the output quietly, as [`emit`]) or `--output-file`.
enum Sink {
    Stdout(std::io::Stdout),
    File(PathBuf, std::io::BufWriter<std::fs::File>),
    Closed,
}

impl Sink {
    fn open(file: Option<&Path>) -> Result<Sink, String> {
        match file {
            None => Ok(Sink::Stdout(std::io::stdout())),
            Some(path) => std::fs::File::create(path)
                .map(|f| Sink::File(path.to_path_buf(), std::io::BufWriter::new(f)))
                .map_err(|e| format!("{}: cannot write: {}", path.display(), fs::reason(&e))),
        }
    }

    fn write(&mut self, text: &str) -> Result<(), String> {
        use std::io::Write;
        let result = match self {
            Sink::Stdout(out) => out.lock().write_all(text.as_bytes()),
            Sink::File(_, out) => out.write_all(text.as_bytes()),
            Sink::Closed => return Ok(()),
        };
        self.judge(result)
    }

    fn finish(&mut self) -> Result<(), String> {
        use std::io::Write;
        let result = match self {
            Sink::Stdout(out) => out.lock().flush(),
            Sink::File(_, out) => out.flush(),
            Sink::Closed => return Ok(()),
        };
        self.judge(result)
    }

    fn judge(&mut self, result: std::io::Result<()>) -> Result<(), String> {
        match (result, &*self) {
            (Ok(()), _) => Ok(()),
            (Err(e), Sink::Stdout(_)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                *self = Sink::Closed;
                Ok(())
            }
            (Err(e), Sink::File(path, _)) => Err(format!(
                "{}: cannot write: {}",
                path.display(),
                fs::reason(&e)
            )),
            (Err(e), _) => Err(format!("cannot write the output: {}", fs::reason(&e))),
        }
    }
}

/// A file the run could not fully handle, said on stderr. The run goes on for the
/// other files; a file that could not be read fails the run (exit 2) at its end.
struct Problem {
    message: String,
    fails_run: bool,
}

/// What is kept of a record read and judged on its own, until the cross-record
/// phase and its report: its compact result (no text, no tree).
struct Analyzed {
    compact: Compact,
    /// Of the bytes judged: the text read again for the report must match.
    hash: u128,
    /// The text judged, when it cannot be read again: standard input, a fix run's.
    text: Option<String>,
}

/// What a run holds of a record between its single-record checks and its report:
/// its results packed (see [`Interner`]), its summary as the workspace will hold it
/// (moved there when the cross-record phase begins), and where its text is.
struct Held {
    packed: Packed,
    summary: Option<Arc<RecordSummary>>,
    hash: u128,
    text: Option<String>,
}

/// One input's outcome: analyzed or a problem, a problem that did not stop it (a
/// fix that could not be written), what the fixes did, and whether the cache
/// answered.
type Outcome = (Result<Analyzed, Problem>, Option<Problem>, Fixed, bool);

/// An [`Outcome`] whose analysis is packed, with its results encoded for the cache
/// when they are new there (written to the cache, and dropped, before the held
/// records are kept).
type HeldOutcome = (
    Result<(Held, Option<Vec<u8>>), Problem>,
    Option<Problem>,
    Fixed,
    bool,
    Option<Slot>,
);

/// The inputs analyzed (by their index), the problems met, and what the fixes did
/// (by the input's index, for the inputs a fix changed or would change only: a
/// run without fixes holds no entry per record).
type Analyses = (Vec<(usize, Held)>, Vec<Problem>, Vec<(usize, Fixed)>);

/// Read, fix (with `--fix`) and run the single-record checks of every file (in
/// parallel; through the cache when there is one); files that cannot be read are
/// left out and named in the problems. Each worker drops its file's text and tree
/// before taking the next: what is kept is compact.
fn check_files(
    inputs: &[Input],
    mode: FixMode,
    mut store: Option<&mut Store>,
    interner: &Interner,
    stats: &mut CacheStats,
) -> Result<Analyses, String> {
    // Deep but bounded documents recurse; give the workers room.
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(64 << 20)
        .build()
        .map_err(|e| e.to_string())?;
    let mut problems = Vec::new();
    let mut fixed = Vec::new();
    // Exactly the room for every record: what is kept of each is pushed as its
    // chunk is done.
    let mut analyzed: Vec<(usize, Held)> = Vec::with_capacity(inputs.len());
    // A chunk at a time, in parallel within the chunk: the outcomes (three times the
    // size of what is kept of a record) are never held for every record at once.
    for (n, chunk) in inputs.chunks(ANALYZE_CHUNK).enumerate() {
        let slots: Vec<Option<Slot>> = chunk
            .iter()
            .map(|i| {
                let store = store.as_mut()?;
                i.stdin.is_none().then(|| store.slot(&i.path, &i.config))?
            })
            .collect();
        let store_ref = store.as_deref();
        let outcomes: Vec<HeldOutcome> = pool.install(|| {
            chunk
                .par_iter()
                .zip(slots)
                .map(|(i, slot)| {
                    let cached = |hash: u128| match store_ref?.get(slot.as_ref()?, hash)? {
                        Cached::Compact(c) => Some(c),
                        Cached::Summary(_) => None,
                    };
                    let (analyzed, problem, fixed, hit) = analyze_file(i, mode, cached);
                    let held = analyzed.map(|a| {
                        let Analyzed {
                            mut compact,
                            hash,
                            text,
                        } = a;
                        let entry = (slot.is_some() && !hit)
                            .then(|| Store::encode_compact(&compact))
                            .flatten();
                        let summary =
                            engine::Workspace::summary(std::mem::take(&mut compact.summary));
                        let held = Held {
                            packed: interner.pack(compact),
                            summary: Some(summary),
                            hash,
                            text,
                        };
                        (held, entry)
                    });
                    (held, problem, fixed, hit, slot)
                })
                .collect()
        });
        for (j, (outcome, problem, f, hit, slot)) in outcomes.into_iter().enumerate() {
            let i = n * ANALYZE_CHUNK + j;
            problems.extend(problem);
            if f.count > 0 || f.change.is_some() {
                fixed.push((i, f));
            }
            match outcome {
                Ok((a, entry)) => {
                    if hit {
                        stats.hits += 1;
                    } else {
                        stats.misses += 1;
                        if let (Some(store), Some(slot), Some(entry)) =
                            (store.as_mut(), slot, entry)
                        {
                            store.put_encoded(slot, a.hash, entry);
                        }
                    }
                    analyzed.push((i, a));
                }
                Err(p) => problems.push(p),
            }
        }
    }
    Ok((analyzed, problems, fixed))
}

/// Read (and with `--fix`, fix in place) one file, then run the single-record
/// checks, or take their result from the cache (`cached`, by the bytes' hash). A
/// file that cannot be read (deleted since the walk, unreadable) is a problem for
/// that file only; so is a fix that cannot be written, and then the file is
/// checked as it is.
fn analyze_file(input: &Input, mode: FixMode, cached: impl Fn(u128) -> Option<Compact>) -> Outcome {
    let (path, config) = (&*input.path, &input.config);
    let bytes = match &input.stdin {
        Some(b) => b.clone(),
        None => match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                let mut message = format!("{}: cannot read: {}", path.display(), fs::reason(&e));
                if e.kind() == std::io::ErrorKind::NotFound {
                    message.push_str(" (removed during the run?)");
                }
                let problem = Problem {
                    message,
                    fails_run: true,
                };
                return (Err(problem), None, Fixed::default(), false);
            }
        },
    };
    // Standard input and fixed texts cannot be read again for the report.
    let keep = |bytes: &[u8]| {
        (input.stdin.is_some() || mode != FixMode::None)
            .then(|| String::from_utf8_lossy(bytes).into_owned())
    };
    let analyzed = |bytes: &[u8]| Analyzed {
        compact: engine::analyze_compact(bytes, Some(path), config),
        hash: trls::hash::hash128(bytes),
        text: keep(bytes),
    };
    let mut problem = None;
    if mode != FixMode::None {
        if let Ok(text) = std::str::from_utf8(&bytes) {
            if let Some((fixed, count)) = engine::fix_all_counted(text, path, config) {
                let analysis = analyzed(fixed.as_bytes());
                let change = Some((text.to_string(), fixed.clone()));
                if mode == FixMode::Show || input.stdin.is_some() {
                    return (Ok(analysis), None, Fixed { count, change }, false);
                }
                match fs::write_fixed(path, fixed.as_bytes()) {
                    Ok(()) => {
                        let f = Fixed {
                            count,
                            change: None,
                        };
                        return (Ok(analysis), None, f, false);
                    }
                    Err(e) => {
                        problem = Some(Problem {
                            message: format!("{}: {e}", path.display()),
                            fails_run: !matches!(e, fs::WriteError::ReadOnly),
                        })
                    }
                }
            }
        }
    }
    let hash = trls::hash::hash128(&bytes);
    if let Some(compact) = cached(hash) {
        let a = Analyzed {
            compact,
            hash,
            text: keep(&bytes),
        };
        return (Ok(a), problem, Fixed::default(), true);
    }
    (Ok(analyzed(&bytes)), problem, Fixed::default(), false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_gone_after_the_walk_is_reported_and_the_others_are_checked() {
        let dir = std::env::temp_dir().join(format!("trls-cli-gone-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let kept = dir.join("a.trial.yaml");
        std::fs::write(&kept, "trf: 1\nenrolment: 1\n").unwrap();
        let gone = dir.join("b.trial.yaml");
        let config = Arc::new(Config::default());
        // As the walk found them; `b` has gone since.
        let inputs: Vec<Input> = [&kept, &gone]
            .into_iter()
            .map(|p| Input {
                path: p.as_path().into(),
                config: config.clone(),
                stdin: None,
            })
            .collect();
        let interner = Interner::default();
        let (mut analyzed, problems, _) = check_files(
            &inputs,
            FixMode::None,
            None,
            &interner,
            &mut CacheStats::default(),
        )
        .unwrap();
        assert_eq!(analyzed.len(), 1);
        let (i, held) = analyzed.pop().unwrap();
        assert_eq!(i, 0);
        assert!(!interner.freeze().unpack(held.packed).diagnostics.is_empty());
        assert_eq!(problems.len(), 1);
        assert!(problems[0].fails_run);
        assert!(
            problems[0]
                .message
                .starts_with(&format!("{}: cannot read: no such file", gone.display())),
            "{}",
            problems[0].message
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_more_specific_of_select_and_ignore_wins() {
        let s = |sel: &[&str], ign: &[&str]| {
            let v = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
            Selection::new(&v(sel), &v(ign)).unwrap()
        };
        let all = s(&[], &[]);
        assert!(Code::ALL.iter().all(|c| all.selects(*c)));
        let only = s(&["trf2"], &[]);
        assert!(only.selects(Code::ImplausibleValue) && !only.selects(Code::UnknownKey));
        let but = s(&["TRF2"], &["TRF203"]);
        assert!(!but.selects(Code::ImplausibleValue) && but.selects(Code::InvalidUnit));
        let except = s(&["TRF203"], &["TRF2"]);
        assert!(except.selects(Code::ImplausibleValue) && !except.selects(Code::InvalidUnit));
        let tie = s(&["TRF203"], &["TRF203"]);
        assert!(!tie.selects(Code::ImplausibleValue));
        assert!(Selection::new(&["TRF7".into()], &[]).is_err());
        assert!(Selection::new(&[], &["X".into()]).is_err());
    }
}
