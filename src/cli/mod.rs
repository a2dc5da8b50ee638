//! The command line: parses arguments, finds files, runs the engine on each (in
//! parallel), writes fixes back, and prints the results through the library's
//! renderers. No checks and no formatting here.

mod fmt;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Parser, Subcommand, ValueEnum};
use rayon::prelude::*;

use trls::config::Config;
use trls::diagnostic::Severity;
use trls::engine;
use trls::render::{self, FileReport, TextOptions};
use trls::workspace::{self, fs, Configs, RunError};

#[derive(Parser)]
#[command(
    name = "trls",
    version,
    about = "Trial Record Language Server: checks clinical-trial records (TRF 1)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check record files; PATH is a file or a folder (default: .)
    Check(CheckArgs),
    /// Lay records out in the canonical layout; PATH is a file or a folder (default: .)
    Fmt(fmt::FmtArgs),
    /// Language server on stdin/stdout
    Lsp {
        /// Accepted and ignored (clients append it)
        #[arg(long)]
        stdio: bool,
    },
    /// Print a rule's documentation
    Explain {
        /// A rule code such as TRF011
        code: String,
    },
    /// Print the JSON Schema of TRF 1 (usable by other tools)
    Schema {
        /// Include the extra vocabulary terms of this trls.toml
        #[arg(long)]
        config: Option<PathBuf>,
    },
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Files or folders to check
    paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Configuration file (default: the nearest trls.toml above each file)
    #[arg(long)]
    config: Option<PathBuf>,
    /// Apply every safe fix in place, then report what remains
    #[arg(long)]
    fix: bool,
    /// Exit 1 on warnings too
    #[arg(long)]
    strict: bool,
    /// Also print hints
    #[arg(long)]
    show_hints: bool,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Github,
}

pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    let result = match cli.command {
        Command::Check(args) => check(args),
        Command::Fmt(args) => fmt::run(args),
        Command::Explain { code } => explain(&code),
        Command::Schema { config } => schema(config),
        #[cfg(feature = "lsp")]
        Command::Lsp { .. } => Ok(trls::lsp::run()),
        #[cfg(not(feature = "lsp"))]
        Command::Lsp { .. } => {
            Err("this trls was built without the language server (feature `lsp`)".to_string())
        }
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            note(&message);
            2
        }
    }
}

/// A line on stderr (`trls: …`); a closed stderr is not worth a panic.
fn note(message: &str) {
    let _ = writeln!(std::io::stderr(), "trls: {message}");
}

/// Print to stdout. A reader that went away (`trls schema | head`) ends the output
/// quietly: that is not a failure of the command.
fn emit(text: &str) -> Result<(), String> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("cannot write the output: {}", fs::reason(&e))),
    }
}

fn explain(code: &str) -> Result<i32, String> {
    let rule = trls::codes::Code::parse_code_or_name(code)
        .ok_or_else(|| format!("`{code}` is not a trls rule code; `trls explain TRF011` is one"))?;
    emit(rule.meta().doc)?;
    Ok(0)
}

fn schema(config: Option<PathBuf>) -> Result<i32, String> {
    let config = match config {
        Some(p) => Config::load(&p).map_err(|e| e.to_string())?,
        None => Config::default(),
    };
    let text = serde_json::to_string_pretty(config.schema().json()).map_err(|e| e.to_string())?;
    emit(&format!("{text}\n"))?;
    Ok(0)
}

fn check(args: CheckArgs) -> Result<i32, String> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mut configs = Configs::new(args.config.as_deref()).map_err(|e| e.to_string())?;
    let found = workspace::discover(&paths, &mut configs).map_err(|e: RunError| e.to_string())?;
    for n in &found.notes {
        note(n);
    }
    let (mut reports, problems) = check_files(&found.files, args.fix)?;
    for p in &problems {
        note(&p.message);
    }
    let min = if args.show_hints {
        Severity::Hint
    } else {
        Severity::Info
    };
    for r in &mut reports {
        r.checked.diagnostics.retain(|d| d.severity >= min);
    }
    let out = match args.format {
        Format::Text => render::text(
            &reports,
            &reports,
            TextOptions {
                color: std::io::IsTerminal::is_terminal(&std::io::stdout())
                    && std::env::var_os("NO_COLOR").is_none(),
            },
        ),
        Format::Json => render::json(&reports, &reports),
        Format::Sarif => render::sarif(&reports, &reports),
        Format::Github => render::github(&reports, &reports),
    };
    emit(&out)?;
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
    Ok(i32::from(worst.is_some_and(|w| w >= failing)))
}

/// A file the run could not fully handle, said on stderr. The run goes on for the
/// other files; a file that could not be read fails the run (exit 2) at its end.
struct Problem {
    message: String,
    fails_run: bool,
}

/// Read, fix (with `--fix`) and check every file; files that cannot be read are
/// left out of the reports and named in the problems.
fn check_files(
    files: &[(PathBuf, Arc<Config>)],
    fix: bool,
) -> Result<(Vec<FileReport>, Vec<Problem>), String> {
    // Deep but bounded documents recurse; give the workers room.
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(64 << 20)
        .build()
        .map_err(|e| e.to_string())?;
    let analyzed: Vec<(Result<engine::Analysis, Problem>, Option<Problem>)> = pool.install(|| {
        files
            .par_iter()
            .map(|(path, config)| analyze_file(path, config, fix))
            .collect()
    });
    let mut problems = Vec::new();
    let mut analyses = Vec::new();
    let mut kept = Vec::new();
    for ((analysis, problem), (path, config)) in analyzed.into_iter().zip(files) {
        problems.extend(problem);
        match analysis {
            Ok(a) => {
                analyses.push(a);
                kept.push((path, config.as_ref()));
            }
            Err(p) => problems.push(p),
        }
    }
    let configs: Vec<&Config> = kept.iter().map(|(_, c)| *c).collect();
    let checked = engine::check_all(analyses, &configs);
    let reports = kept
        .iter()
        .zip(checked)
        .map(|((path, _), checked)| FileReport {
            path: path.to_path_buf(),
            checked,
        })
        .collect();
    Ok((reports, problems))
}

/// Read (and with `--fix`, fix in place) one file, then run the single-record
/// checks. A file that cannot be read (deleted since the walk, unreadable) is a
/// problem for that file only; so is a fix that cannot be written, and then the
/// file is checked as it is.
fn analyze_file(
    path: &Path,
    config: &Arc<Config>,
    fix: bool,
) -> (Result<engine::Analysis, Problem>, Option<Problem>) {
    let bytes = match std::fs::read(path) {
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
            return (Err(problem), None);
        }
    };
    let mut problem = None;
    if fix {
        if let Ok(text) = std::str::from_utf8(&bytes) {
            if let Some(fixed) = engine::fix_all(text, path, config) {
                match fs::write_fixed(path, fixed.as_bytes()) {
                    Ok(()) => {
                        return (
                            Ok(engine::analyze(fixed.as_bytes(), Some(path), config)),
                            None,
                        )
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
    (Ok(engine::analyze(&bytes, Some(path), config)), problem)
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
        let files = vec![(kept.clone(), config.clone()), (gone.clone(), config)];
        let (reports, problems) = check_files(&files, false).unwrap();
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
}
