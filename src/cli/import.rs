//! `trls import ctgov FILE ... [--out DIR]`: one draft record per snapshot, never
//! over an existing file; what was written is printed, and each draft is checked.

use std::io::Write;
use std::path::{Path, PathBuf};

use trls::config::Config;
use trls::engine;
use trls::format;
use trls::registry::{import, Snapshot};
use trls::syntax::Syntax;

/// Returns the exit status: 0 when every snapshot was drafted (or its record
/// exists already), 1 when a snapshot could not be read, 2 when the output folder
/// cannot be made.
pub fn run(files: &[PathBuf], out: Option<&Path>) -> u8 {
    let out_dir = out.map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    if let Err(e) = std::fs::create_dir_all(&out_dir) {
        eprintln!("trls: cannot create {}: {e}", out_dir.display());
        return 2;
    }
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    let total = files.len();
    let (mut written, mut kept, mut failed) = (0usize, 0usize, 0usize);
    for (i, file) in files.iter().enumerate() {
        if total > 1 {
            let _ = writeln!(err, "[{}/{total}] {}", i + 1, file.display());
        }
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                let _ = writeln!(
                    err,
                    "{}: error: cannot read the snapshot: {e}",
                    file.display()
                );
                failed += 1;
                continue;
            }
        };
        let snapshot = match Snapshot::parse(file, &text) {
            Ok(s) => s,
            Err(e) => {
                let _ = writeln!(
                    err,
                    "{}:{}:{}: error: {}",
                    file.display(),
                    e.line,
                    e.column,
                    e.message
                );
                failed += 1;
                continue;
            }
        };
        let mut draft = import::draft(&snapshot.study);
        // Laid out as `trls fmt` would (the draft is written in that layout already;
        // the formatter has the last word).
        if let Ok(f) = format::format(&draft.text, Syntax::Yaml, Config::default().schema()) {
            draft.text = f.text;
        }
        let target = out_dir.join(&draft.file_name);
        // `create_new`: an existing record is never overwritten, even by a race.
        let created = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target);
        match created {
            Ok(mut f) => {
                if let Err(e) = f.write_all(draft.text.as_bytes()) {
                    let _ = writeln!(err, "{}: error: cannot write: {e}", target.display());
                    failed += 1;
                    continue;
                }
                written += 1;
                let analysis =
                    engine::analyze(draft.text.as_bytes(), Some(&target), &Config::default());
                let checked = engine::check_all(vec![analysis], &[&Config::default()]);
                let errors = checked[0]
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity == trls::codes::Severity::Error)
                    .count();
                let checks = draft.text.matches("# check:").count();
                println!(
                    "wrote {} ({checks} point{} to check{})",
                    target.display(),
                    if checks == 1 { "" } else { "s" },
                    if errors > 0 {
                        format!(", {errors} errors")
                    } else {
                        String::new()
                    }
                );
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                kept += 1;
                println!("kept {} (it exists; not overwritten)", target.display());
            }
            Err(e) => {
                let _ = writeln!(err, "{}: error: cannot create: {e}", target.display());
                failed += 1;
            }
        }
    }
    let _ = writeln!(
        err,
        "drafted {written} record{}{}{}",
        if written == 1 { "" } else { "s" },
        if kept > 0 {
            format!(", kept {kept} existing")
        } else {
            String::new()
        },
        if failed > 0 {
            format!(
                ", {failed} snapshot{} not read",
                if failed == 1 { "" } else { "s" }
            )
        } else {
            String::new()
        }
    );
    u8::from(failed > 0)
}
