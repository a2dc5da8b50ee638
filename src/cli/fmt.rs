//! `trls fmt`: lay records out in the canonical layout, with the formatter the
//! language server's formatting requests use (`trls::format`). Files are found as
//! `check` finds them and written back as `--fix` writes them (`workspace::fs`).

use std::path::{Path, PathBuf};

use trls::format;
use trls::schema::Schema;
use trls::syntax::Syntax;
use trls::workspace::{self, fs, Configs, RunError};

use super::{emit, note};

#[derive(clap::Args)]
pub struct FmtArgs {
    /// Files or folders to format
    paths: Vec<PathBuf>,
    /// Write nothing; list the files that would change and exit 1 if any would
    #[arg(long)]
    check: bool,
    /// Write nothing; print what would change as a unified diff (exit 1 if anything would)
    #[arg(long)]
    diff: bool,
    /// Configuration file (default: the nearest trls.toml above each file)
    #[arg(long)]
    config: Option<PathBuf>,
}

/// What became of one file.
enum Outcome {
    Unchanged,
    /// Changed (written, or with `--check`/`--diff` would be).
    Changed,
    /// Not formatted: the record does not parse, or its layout is refused.
    Refused,
    /// Could not be read or written: the run fails (exit 2).
    Failed,
}

pub fn run(args: FmtArgs) -> Result<i32, String> {
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
    let schema = Schema::builtin();
    let write = !(args.check || args.diff);
    let mut out = String::new();
    let (mut changed, mut unchanged, mut refused, mut failed) = (0, 0, 0, 0);
    for (path, _) in &found.files {
        match one(path, &schema, write, args.diff, &mut out) {
            Outcome::Unchanged => unchanged += 1,
            Outcome::Changed => {
                changed += 1;
                if args.check && !args.diff {
                    out.push_str(&format!("would format {}\n", path.display()));
                }
            }
            Outcome::Refused => refused += 1,
            Outcome::Failed => failed += 1,
        }
    }
    emit(&out)?;
    let files = |n: usize| if n == 1 { "file" } else { "files" };
    let verb = if write {
        "formatted"
    } else {
        "would be formatted"
    };
    let mut summary = format!(
        "{changed} {} {verb}, {unchanged} already formatted",
        files(changed)
    );
    if refused > 0 {
        summary.push_str(&format!(", {refused} not formatted"));
    }
    note(&summary);
    Ok(if failed > 0 {
        2
    } else if refused > 0 || (!write && changed > 0) {
        1
    } else {
        0
    })
}

fn one(path: &Path, schema: &Schema, write: bool, diff: bool, out: &mut String) -> Outcome {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            note(&format!(
                "{}: cannot read: {}",
                path.display(),
                fs::reason(&e)
            ));
            return Outcome::Failed;
        }
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        note(&format!(
            "{}: not formatted: the file is not UTF-8 text",
            path.display()
        ));
        return Outcome::Refused;
    };
    let formatted = match format::format(text, Syntax::from_path(path), schema) {
        Ok(f) => f,
        Err(e) => {
            note(&format!("{}: {e}", path.display()));
            return Outcome::Refused;
        }
    };
    if !formatted.changed {
        return Outcome::Unchanged;
    }
    if diff {
        out.push_str(&unified_diff(path, text, &formatted.text));
    }
    if write {
        if let Err(e) = fs::write_fixed(path, formatted.text.as_bytes()) {
            let e = match e {
                fs::WriteError::ReadOnly => "the file is read-only; not formatted".to_string(),
                fs::WriteError::Io(e) => format!("cannot write: {}", fs::reason(&e)),
            };
            note(&format!("{}: {e}", path.display()));
            return Outcome::Failed;
        }
    }
    Outcome::Changed
}

/// Lines around a change shown in a diff.
const CONTEXT: usize = 3;

/// A unified diff of `old` and `new` as one hunk: the lines from the first to the
/// last that differ, with three lines of context (linear in the files' size).
fn unified_diff(path: &Path, old: &str, new: &str) -> String {
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let pre = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let max_suf = a.len().min(b.len()) - pre;
    let suf = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(max_suf)
        .take_while(|(x, y)| x == y)
        .count();
    let start = pre.saturating_sub(CONTEXT);
    let (a_end, b_end) = (
        (a.len() - suf + CONTEXT).min(a.len()),
        (b.len() - suf + CONTEXT).min(b.len()),
    );
    let name = path.display();
    let mut s = format!("--- {name}\n+++ {name}\n");
    s.push_str(&format!(
        "@@ -{},{} +{},{} @@\n",
        start + 1,
        a_end - start,
        start + 1,
        b_end - start
    ));
    let line = |s: &mut String, mark: char, l: &str| {
        s.push(mark);
        s.push_str(l.trim_end_matches(['\n', '\r']));
        s.push('\n');
        if !l.ends_with('\n') {
            s.push_str("\\ No newline at end of file\n");
        }
    };
    for l in &a[start..pre] {
        line(&mut s, ' ', l);
    }
    for l in &a[pre..a.len() - suf] {
        line(&mut s, '-', l);
    }
    for l in &b[pre..b.len() - suf] {
        line(&mut s, '+', l);
    }
    for l in &a[a.len() - suf..a_end] {
        line(&mut s, ' ', l);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diff_is_one_hunk_with_context() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let new = "a\nb\nc\nd\nE\nf\ng\nh\n";
        let d = unified_diff(Path::new("r.trial.yaml"), old, new);
        assert_eq!(
            d,
            "--- r.trial.yaml\n+++ r.trial.yaml\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n"
        );
    }
}
