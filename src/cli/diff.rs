//! A unified diff of a file before and after its fixes (`check --fix --diff`), in
//! the form `diff -u` and `git diff` print: `---`/`+++` headers, `@@` hunks with
//! three lines of context. Colored on a terminal.

/// Lines with their line ends, so that a changed line end shows.
fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Keep,
    Remove,
    Add,
}

/// The line operations turning `old` into `new`: the common prefix and suffix kept,
/// the middle by a longest common subsequence (or replaced whole when too large).
fn ops<'a>(old: &[&'a str], new: &[&'a str]) -> Vec<(Op, &'a str)> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (a, b) = (
        &old[prefix..old.len() - suffix],
        &new[prefix..new.len() - suffix],
    );
    let mut out: Vec<(Op, &str)> = old[..prefix].iter().map(|l| (Op::Keep, *l)).collect();
    if a.len().saturating_mul(b.len()) <= 4_000_000 {
        // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
        let w = b.len() + 1;
        let mut lcs = vec![0u32; (a.len() + 1) * w];
        for i in (0..a.len()).rev() {
            for j in (0..b.len()).rev() {
                lcs[i * w + j] = if a[i] == b[j] {
                    lcs[(i + 1) * w + j + 1] + 1
                } else {
                    lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < a.len() || j < b.len() {
            if i < a.len() && j < b.len() && a[i] == b[j] {
                out.push((Op::Keep, a[i]));
                i += 1;
                j += 1;
            } else if j < b.len() && (i == a.len() || lcs[i * w + j + 1] > lcs[(i + 1) * w + j]) {
                out.push((Op::Add, b[j]));
                j += 1;
            } else {
                out.push((Op::Remove, a[i]));
                i += 1;
            }
        }
    } else {
        out.extend(a.iter().map(|l| (Op::Remove, *l)));
        out.extend(b.iter().map(|l| (Op::Add, *l)));
    }
    out.extend(old[old.len() - suffix..].iter().map(|l| (Op::Keep, *l)));
    out
}

fn paint(color: bool, code: &str, s: &str) -> String {
    if color {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

/// The unified diff of `path` from `old` to `new` (empty when they are the same).
pub fn unified(path: &str, old: &str, new: &str, color: bool) -> String {
    const CONTEXT: usize = 3;
    let (a, b) = (lines(old), lines(new));
    let ops = ops(&a, &b);
    let changed: Vec<usize> = (0..ops.len()).filter(|&i| ops[i].0 != Op::Keep).collect();
    if changed.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "{}\n{}\n",
        paint(color, "1", &format!("--- a/{path}")),
        paint(color, "1", &format!("+++ b/{path}"))
    );
    // Group changes whose contexts touch into hunks.
    let mut groups: Vec<(usize, usize)> = Vec::new();
    for &i in &changed {
        let (from, to) = (i.saturating_sub(CONTEXT), (i + CONTEXT + 1).min(ops.len()));
        match groups.last_mut() {
            Some(last) if from <= last.1 => last.1 = to,
            _ => groups.push((from, to)),
        }
    }
    for (from, to) in groups {
        let old_start = ops[..from].iter().filter(|o| o.0 != Op::Add).count();
        let new_start = ops[..from].iter().filter(|o| o.0 != Op::Remove).count();
        let old_len = ops[from..to].iter().filter(|o| o.0 != Op::Add).count();
        let new_len = ops[from..to].iter().filter(|o| o.0 != Op::Remove).count();
        // As `diff -u`: an empty side is numbered by the line before it.
        let at = |start: usize, len: usize| if len == 0 { start } else { start + 1 };
        out.push_str(&paint(
            color,
            "36",
            &format!(
                "@@ -{},{old_len} +{},{new_len} @@",
                at(old_start, old_len),
                at(new_start, new_len)
            ),
        ));
        out.push('\n');
        for (op, line) in &ops[from..to] {
            let (sign, code) = match op {
                Op::Keep => (" ", ""),
                Op::Remove => ("-", "31"),
                Op::Add => ("+", "32"),
            };
            let body = line.trim_end_matches(['\n', '\r']);
            let text = format!("{sign}{body}");
            out.push_str(&if code.is_empty() {
                text
            } else {
                paint(color, code, &text)
            });
            out.push('\n');
            if !line.ends_with('\n') {
                out.push_str("\\ No newline at end of file\n");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_line_is_one_hunk_with_context() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let new = "a\nb\nc\nd\nE\nf\ng\nh\n";
        assert_eq!(
            unified("r.trial.yaml", old, new, false),
            "--- a/r.trial.yaml\n+++ b/r.trial.yaml\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n"
        );
    }

    #[test]
    fn distant_changes_are_separate_hunks_and_insertions_count() {
        let old: String = (1..=20).map(|i| format!("{i}\n")).collect();
        let new = old
            .replacen("2\n", "two\n", 1)
            .replacen("18\n", "18\nnew\n", 1);
        let d = unified("f", &old, &new, false);
        assert!(d.contains("@@ -1,5 +1,5 @@\n 1\n-2\n+two\n 3\n"), "{d}");
        assert!(
            d.contains("@@ -16,5 +16,6 @@\n 16\n 17\n 18\n+new\n 19\n 20\n"),
            "{d}"
        );
        assert_eq!(unified("f", &old, &old, false), "");
    }
}
