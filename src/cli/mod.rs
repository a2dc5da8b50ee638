//! The command line: parses arguments, finds files, runs the engine on each (in
//! parallel), and prints the results in the requested format. No checks here.

mod output;

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use clap::{Parser, Subcommand, ValueEnum};
use rayon::prelude::*;

use trls::config::Config;
use trls::diagnostic::Severity;
use trls::engine::{self, Checked};
use trls::workspace::{self, Configs, RunError};

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

/// One checked file, as the output formats see it.
pub struct FileReport {
    pub path: String,
    pub checked: Checked,
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
            eprintln!("trls: {message}");
            2
        }
    }
}

fn explain(code: &str) -> Result<i32, String> {
    let rule = trls::codes::Code::parse_code_or_name(code)
        .ok_or_else(|| format!("`{code}` is not a trls rule code; `trls explain TRF011` is one"))?;
    print!("{}", rule.meta().doc);
    Ok(0)
}

fn schema(config: Option<PathBuf>) -> Result<i32, String> {
    let config = match config {
        Some(p) => Config::load(&p).map_err(|e| e.to_string())?,
        None => Config::default(),
    };
    let text = serde_json::to_string_pretty(config.schema().json()).map_err(|e| e.to_string())?;
    println!("{text}");
    Ok(0)
}

fn check(args: CheckArgs) -> Result<i32, String> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mut configs = Configs::new(args.config.as_deref()).map_err(|e| e.to_string())?;
    let files = workspace::discover(&paths, &mut configs).map_err(|e: RunError| e.to_string())?;
    // Deep but bounded documents recurse; give the workers room.
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(64 << 20)
        .build()
        .map_err(|e| e.to_string())?;
    let fix = args.fix;
    let analyses: Vec<Result<engine::Analysis, String>> = pool.install(|| {
        files
            .par_iter()
            .map(|(path, config)| analyze_file(path, config, fix))
            .collect()
    });
    let analyses = analyses.into_iter().collect::<Result<Vec<_>, String>>()?;
    let configs: Vec<&Config> = files.iter().map(|(_, c)| c.as_ref()).collect();
    let checked = engine::check_all(analyses, &configs);
    let mut files: Vec<FileReport> = files
        .iter()
        .zip(checked)
        .map(|((path, _), checked)| FileReport {
            path: path.display().to_string(),
            checked,
        })
        .collect();
    let min = if args.show_hints {
        Severity::Hint
    } else {
        Severity::Info
    };
    for f in &mut files {
        f.checked.diagnostics.retain(|d| d.severity >= min);
    }
    let out = match args.format {
        Format::Text => output::text(
            &files,
            std::io::IsTerminal::is_terminal(&std::io::stdout())
                && std::env::var_os("NO_COLOR").is_none(),
        ),
        Format::Json => output::json(&files),
        Format::Sarif => output::sarif(&files),
        Format::Github => output::github(&files),
    };
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is not a failure of the check.
    let _ = stdout.write_all(out.as_bytes());
    let _ = stdout.flush();
    let worst = files
        .iter()
        .flat_map(|f| &f.checked.diagnostics)
        .map(|d| d.severity)
        .max();
    let failing = if args.strict {
        Severity::Warning
    } else {
        Severity::Error
    };
    Ok(i32::from(worst.is_some_and(|w| w >= failing)))
}

/// Read (and with `--fix`, fix in place) one file, then run the single-record checks.
fn analyze_file(
    path: &std::path::Path,
    config: &Arc<Config>,
    fix: bool,
) -> Result<engine::Analysis, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    if fix {
        if let Ok(text) = std::str::from_utf8(&bytes) {
            if let Some(fixed) = engine::fix_all(text, path, config) {
                engine::write_atomically(path, fixed.as_bytes())
                    .map_err(|e| format!("{}: cannot write fixes: {e}", path.display()))?;
                return Ok(engine::analyze(fixed.as_bytes(), Some(path), config));
            }
        }
    }
    Ok(engine::analyze(&bytes, Some(path), config))
}
