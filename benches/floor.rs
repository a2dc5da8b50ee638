//! The parse-only floor and the corpus generator of the benchmarks
//! (`cargo build --release --example floor`; driven by `benches/compare.py`).
//!
//!   floor gen DIR N          write N synthetic records into DIR
//!   floor big FILE LINES     write one clean record of about LINES lines
//!   floor json SRC DST       write a JSON copy of every record in SRC into DST (read
//!                            by trls's own reader, so dates stay strings: for the
//!                            JSON Schema tools, whose YAML loaders are YAML 1.1)
//!   floor parse PATH...      read every record file under the paths and parse it
//!                            with the parser trls uses (granit-parser for YAML, with
//!                            the options trls sets; jsonc-parser for JSON), on one
//!                            thread, building nothing: the least any checker of
//!                            these files must spend.
//!
//! `trls check` is compared with `floor parse` of the same files in CPU time: what
//! trls spends above this floor is its tree, its checks and its reporting.

#[path = "common/corpus.rs"]
mod corpus;

/// The allocator trls uses (src/main.rs), so that the floor is the parse as trls
/// pays for it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};

fn records(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        entries.sort();
        for e in entries {
            records(&e, out);
        }
    } else if trls::workspace::is_record(path) {
        out.push(path.to_path_buf());
    }
}

/// Parse one file, visiting every event (or the whole AST); the event count.
fn parse(path: &Path) -> usize {
    let Ok(text) = std::fs::read_to_string(path) else {
        return 0;
    };
    if path.extension().is_some_and(|e| e == "json") {
        let options = jsonc_parser::ParseOptions::default();
        let parsed =
            jsonc_parser::parse_to_ast(&text, &jsonc_parser::CollectOptions::default(), &options);
        return usize::from(parsed.is_ok());
    }
    // The options trls's YAML reader sets (src/syntax/yaml.rs).
    let mut options = granit_parser::Options::default();
    options.flow_nesting_limit = 256;
    options.block_nesting_limit = 256;
    options.emit_anchor_events = true;
    let mut parser = granit_parser::Parser::new_from_str_with_options(&text, options);
    let mut events = 0;
    while let Some(next) = parser.next_event() {
        match next {
            Ok(event) => {
                std::hint::black_box(event);
                events += 1;
            }
            Err(_) => break,
        }
    }
    events
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("gen") if args.len() == 3 => {
            let n: usize = args[2].parse().expect("N is a number");
            let lines = corpus::write(Path::new(&args[1]), n);
            println!("{n} records, {lines} lines");
        }
        Some("big") if args.len() == 3 => {
            let lines: usize = args[2].parse().expect("LINES is a number");
            let text = corpus::big(lines);
            std::fs::write(&args[1], &text).expect("FILE can be written");
            println!("{} lines, {} bytes", text.lines().count(), text.len());
        }
        Some("json") if args.len() == 3 => {
            let mut files = Vec::new();
            records(Path::new(&args[1]), &mut files);
            let out = Path::new(&args[2]);
            std::fs::create_dir_all(out).expect("DST can be created");
            for f in &files {
                let text = std::fs::read_to_string(f).expect("a record can be read");
                let parsed = trls::syntax::parse(&text, trls::syntax::Syntax::Yaml);
                let value = parsed.root.map(|r| r.to_json()).unwrap_or_default();
                let name = f.file_name().unwrap_or_default().to_string_lossy();
                let name = name.replace(".trial.yaml", ".trial.json");
                std::fs::write(out.join(name), value.to_string()).expect("DST can be written");
            }
            println!("{} JSON copies in {}", files.len(), out.display());
        }
        Some("parse") if args.len() > 1 => {
            let mut files = Vec::new();
            for a in &args[1..] {
                records(Path::new(a), &mut files);
            }
            let events: usize = files.iter().map(|f| parse(f)).sum();
            println!("{} files, {events} events", files.len());
        }
        _ => {
            eprintln!("usage: floor gen DIR N | floor big FILE LINES | floor json SRC DST | floor parse PATH...");
            std::process::exit(2);
        }
    }
}
