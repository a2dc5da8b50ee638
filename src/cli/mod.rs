//! The command line: parses arguments, finds files, runs the engine on each (in
//! parallel), writes fixes back, and prints the results through the library's
//! renderers. No checks and no formatting here.
//!
//! `check.rs` is `trls check`; `info.rs` the commands that print what trls knows
//! (`explain`, `rules`, `schema`, `completions`); `diff.rs` the unified diff of
//! `--diff`.

mod check;
mod diff;
mod import;
mod info;

mod fmt;

use std::io::Write;
use std::path::PathBuf;

use clap::{CommandFactory, Parser, Subcommand};

use trls::workspace::fs;

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
    Check(check::CheckArgs),
    /// Lay records out in the canonical layout; PATH is a file or a folder (default: .)
    Fmt(fmt::FmtArgs),
    /// Language server on stdin/stdout
    Lsp {
        /// Accepted and ignored (clients append it)
        #[arg(long)]
        stdio: bool,
    },
    /// Print a rule's documentation
    Explain(info::ExplainArgs),
    /// List every rule: code, name, default severity, fixable, summary
    Rules(info::RulesArgs),
    /// Print the JSON Schema of TRF 1 (usable by other tools)
    Schema {
        /// Include the extra vocabulary terms of this trls.toml
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Draft records from registry snapshots
    Import {
        #[command(subcommand)]
        source: ImportSource,
    },
    /// Remove the result caches (`.trls_cache` folders) under PATH (default: .)
    Clean {
        /// Folders to clean (default: .)
        paths: Vec<PathBuf>,
    },
    /// Print a shell completion script
    Completions {
        /// The shell
        shell: info::Shell,
    },
}

#[derive(Subcommand)]
enum ImportSource {
    /// ClinicalTrials.gov study JSON (API v2), one study a file
    Ctgov {
        /// Snapshot files
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Folder for the drafts (created when missing; default: .)
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
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
        Command::Check(args) => check::check(args),
        Command::Fmt(args) => fmt::run(args),
        Command::Explain(args) => info::explain(&args),
        Command::Rules(args) => info::rules(&args),
        Command::Schema { config } => info::schema(config),
        Command::Import {
            source: ImportSource::Ctgov { files, out },
        } => Ok(i32::from(import::run(&files, out.as_deref()))),
        Command::Clean { paths } => clean(&paths),
        Command::Completions { shell } => info::completions(shell, &mut Cli::command()),
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

/// `trls clean`: remove every cache folder under the paths, saying which.
fn clean(paths: &[PathBuf]) -> Result<i32, String> {
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    let mut removed = 0;
    let mut failed = false;
    for path in &paths {
        if !path.exists() {
            return Err(format!("{}: no such file or folder", path.display()));
        }
        for dir in trls::cache::find_dirs(path) {
            match std::fs::remove_dir_all(&dir) {
                Ok(()) => {
                    removed += 1;
                    note(&format!("removed {}", dir.display()));
                }
                Err(e) => {
                    failed = true;
                    note(&format!(
                        "{}: cannot remove: {}",
                        dir.display(),
                        fs::reason(&e)
                    ));
                }
            }
        }
    }
    if removed == 0 && !failed {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        note(&format!(
            "no cache ({}) under {}",
            trls::cache::DIR_NAME,
            shown.join(", ")
        ));
    }
    Ok(if failed { 2 } else { 0 })
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

/// Whether stdout is a terminal that takes colors (`NO_COLOR` unset).
fn color_stdout() -> bool {
    std::io::IsTerminal::is_terminal(&std::io::stdout()) && std::env::var_os("NO_COLOR").is_none()
}
