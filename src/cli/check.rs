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

use trls::codes::Code;
use trls::config::Config;
use trls::diagnostic::Severity;
use trls::engine::{self, RecordSummary};
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
    path: PathBuf,
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
            path,
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
                path,
                config,
                stdin: None,
            })
            .collect();
        (inputs, found.context)
    };
    let context = read_context(&context);
    let (mut reports, problems, fixed) = check_files(&inputs, &context, mode)?;
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
    let fixes: usize = fixed.iter().map(|f| f.count).sum();
    let fixed_files = fixed.iter().filter(|f| f.count > 0).count();

    if mode == FixMode::Show {
        let color = args.output_file.is_none() && color_stdout();
        let mut out = String::new();
        for (input, f) in inputs.iter().zip(&fixed) {
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
    let stdin_fixed = match (&inputs[0].stdin, fixed.first()) {
        (Some(_), Some(f)) if mode == FixMode::Write => Some(
            f.change
                .as_ref()
                .map(|(_, new)| new.clone())
                .unwrap_or_else(|| {
                    reports
                        .first()
                        .map(|r| r.checked.text.clone())
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
    for r in &mut reports {
        r.checked
            .diagnostics
            .retain(|d| d.severity >= min && selection.selects(d.code));
    }

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
        context: &context,
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
    let failing = if args.strict {
        Severity::Warning
    } else {
        Severity::Error
    };
    if problems.iter().any(|p| p.fails_run) {
        return Ok(2);
    }
    Ok(i32::from(
        worst.is_some_and(|w| w >= failing) || !bad_snapshots.is_empty(),
    ))
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

/// A record of the workspace that is not checked itself: what the cross-record
/// rules judge against, and its text for positioning related locations in it.
struct ContextRecord {
    path: PathBuf,
    text: String,
    lines: LineIndex,
    summary: RecordSummary,
}

/// Read and summarize the workspace's other records (in parallel). One that cannot
/// be read is left out.
fn read_context(files: &[(PathBuf, Arc<Config>)]) -> Vec<ContextRecord> {
    files
        .par_iter()
        .filter_map(|(path, _)| {
            let bytes = std::fs::read(path).ok()?;
            let summary = engine::summarize(&bytes, path);
            let text = String::from_utf8(bytes).ok()?;
            Some(ContextRecord {
                path: path.clone(),
                lines: LineIndex::new(&text),
                text,
                summary,
            })
        })
        .collect()
}

/// The files a report can name: the checked ones and the workspace's others.
struct Lookup<'a> {
    reports: &'a [FileReport],
    context: &'a [ContextRecord],
}

impl render::Files for Lookup<'_> {
    fn source(&self, path: &Path) -> Option<render::Source<'_>> {
        self.reports.source(path).or_else(|| {
            self.context
                .iter()
                .find(|c| c.path == path)
                .map(|c| render::Source {
                    text: &c.text,
                    lines: &c.lines,
                })
        })
    }
}

/// A file the run could not fully handle, said on stderr. The run goes on for the
/// other files; a file that could not be read fails the run (exit 2) at its end.
struct Problem {
    message: String,
    fails_run: bool,
}

type Analyzed = (Result<engine::Analysis, Problem>, Option<Problem>, Fixed);

/// The reports of the files read, the problems met, and what the fixes did (one
/// entry per input).
type Checked = (Vec<FileReport>, Vec<Problem>, Vec<Fixed>);

/// Read, fix (with `--fix`) and check every file; files that cannot be read are
/// left out of the reports and named in the problems. The third list says what the
/// fixes did, one entry per input.
fn check_files(
    inputs: &[Input],
    context: &[ContextRecord],
    mode: FixMode,
) -> Result<Checked, String> {
    // Deep but bounded documents recurse; give the workers room.
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(64 << 20)
        .build()
        .map_err(|e| e.to_string())?;
    let analyzed: Vec<Analyzed> =
        pool.install(|| inputs.par_iter().map(|i| analyze_file(i, mode)).collect());
    let mut problems = Vec::new();
    let mut analyses = Vec::new();
    let mut kept = Vec::new();
    let mut fixed = Vec::new();
    for ((analysis, problem, f), input) in analyzed.into_iter().zip(inputs) {
        problems.extend(problem);
        fixed.push(f);
        match analysis {
            Ok(a) => {
                analyses.push(a);
                kept.push(input);
            }
            Err(p) => problems.push(p),
        }
    }
    let configs: Vec<&Config> = kept.iter().map(|i| i.config.as_ref()).collect();
    let context: Vec<(PathBuf, RecordSummary)> = context
        .iter()
        .map(|c| (c.path.clone(), c.summary.clone()))
        .collect();
    let checked = engine::check_all_in(analyses, &configs, &context);
    let reports = kept
        .iter()
        .zip(checked)
        .map(|(input, checked)| FileReport {
            path: input.path.clone(),
            checked,
        })
        .collect();
    Ok((reports, problems, fixed))
}

/// Read (and with `--fix`, fix in place) one file, then run the single-record
/// checks. A file that cannot be read (deleted since the walk, unreadable) is a
/// problem for that file only; so is a fix that cannot be written, and then the
/// file is checked as it is.
fn analyze_file(input: &Input, mode: FixMode) -> Analyzed {
    let (path, config) = (input.path.as_path(), &input.config);
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
                return (Err(problem), None, Fixed::default());
            }
        },
    };
    let mut problem = None;
    if mode != FixMode::None {
        if let Ok(text) = std::str::from_utf8(&bytes) {
            if let Some((fixed, count)) = engine::fix_all_counted(text, path, config) {
                let analysis = engine::analyze(fixed.as_bytes(), Some(path), config);
                let change = Some((text.to_string(), fixed.clone()));
                if mode == FixMode::Show || input.stdin.is_some() {
                    return (Ok(analysis), None, Fixed { count, change });
                }
                match fs::write_fixed(path, fixed.as_bytes()) {
                    Ok(()) => {
                        let f = Fixed {
                            count,
                            change: None,
                        };
                        return (Ok(analysis), None, f);
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
    (
        Ok(engine::analyze(&bytes, Some(path), config)),
        problem,
        Fixed::default(),
    )
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
                path: p.clone(),
                config: config.clone(),
                stdin: None,
            })
            .collect();
        let (reports, problems, _) = check_files(&inputs, &[], FixMode::None).unwrap();
        assert_eq!(reports.len(), 1);
        assert_eq!(reports[0].path, kept);
        assert!(!reports[0].checked.diagnostics.is_empty());
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
