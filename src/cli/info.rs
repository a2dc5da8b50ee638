//! The commands that print what trls knows: `explain`, `rules`, `schema` and
//! `completions`. Everything comes from the rule registry (`trls::codes`) and the
//! embedded schema.

use std::path::PathBuf;

use clap::ValueEnum;

use trls::codes::{Code, Fixable};
use trls::config::Config;

use super::emit;

#[derive(clap::Args)]
pub struct ExplainArgs {
    /// A rule code (TRF011) or name (unknown-key)
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    rule: Option<String>,
    /// Every rule's documentation, in code order
    #[arg(long)]
    all: bool,
}

#[derive(clap::Args)]
pub struct RulesArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    format: ListFormat,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

pub fn explain(args: &ExplainArgs) -> Result<i32, String> {
    if args.all {
        let docs: Vec<&str> = Code::ALL.iter().map(|c| c.meta().doc.trim_end()).collect();
        emit(&format!("{}\n", docs.join("\n\n")))?;
        return Ok(0);
    }
    let code = args.rule.as_deref().unwrap_or_default();
    let rule = Code::parse_code_or_name(code).ok_or_else(|| {
        format!("`{code}` is not a trls rule code or name; `trls rules` lists them")
    })?;
    emit(rule.meta().doc)?;
    Ok(0)
}

/// How a rule's fixes are described in `trls rules`.
fn fixable(fix: Fixable) -> &'static str {
    match fix {
        Fixable::None => "no",
        Fixable::Safe => "safe",
        Fixable::Unsafe => "unsafe",
        Fixable::Sometimes => "sometimes",
    }
}

pub fn rules(args: &RulesArgs) -> Result<i32, String> {
    let out = match args.format {
        ListFormat::Json => {
            let rules: Vec<serde_json::Value> = Code::ALL
                .iter()
                .map(|c| {
                    let m = c.meta();
                    serde_json::json!({
                        "code": m.id,
                        "name": m.name,
                        "severity": m.severity.as_str(),
                        "fixable": fixable(m.fix),
                        "summary": m.summary,
                    })
                })
                .collect();
            let text = serde_json::to_string_pretty(&rules).map_err(|e| e.to_string())?;
            format!("{text}\n")
        }
        ListFormat::Text => {
            let rows: Vec<[&str; 5]> = Code::ALL
                .iter()
                .map(|c| {
                    let m = c.meta();
                    [m.id, m.name, m.severity.as_str(), fixable(m.fix), m.summary]
                })
                .collect();
            let header = ["code", "name", "severity", "fixable", "summary"];
            let mut widths = [0; 4];
            for row in rows.iter().chain([&header]) {
                for (w, cell) in widths.iter_mut().zip(row) {
                    *w = (*w).max(cell.chars().count());
                }
            }
            let mut out = String::new();
            for row in [&header].into_iter().chain(&rows) {
                for (w, cell) in widths.iter().zip(row) {
                    out.push_str(&format!("{cell:<w$}  "));
                }
                out.push_str(row[4]);
                out.push('\n');
            }
            out
        }
    };
    emit(&out)?;
    Ok(0)
}

pub fn schema(config: Option<PathBuf>) -> Result<i32, String> {
    let config = match config {
        Some(p) => Config::load(&p).map_err(|e| e.to_string())?,
        None => Config::default(),
    };
    let exported = trls::schema::export::for_editors(config.schema().json());
    let text = serde_json::to_string_pretty(&exported).map_err(|e| e.to_string())?;
    emit(&format!("{text}\n"))?;
    Ok(0)
}

pub fn completions(shell: Shell, cmd: &mut clap::Command) -> Result<i32, String> {
    use clap_complete::{generate, shells};
    let mut out = Vec::new();
    match shell {
        Shell::Bash => generate(shells::Bash, cmd, "trls", &mut out),
        Shell::Zsh => generate(shells::Zsh, cmd, "trls", &mut out),
        Shell::Fish => generate(shells::Fish, cmd, "trls", &mut out),
    }
    emit(&String::from_utf8_lossy(&out))?;
    Ok(0)
}
