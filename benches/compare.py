#!/usr/bin/env python3
"""trls against its floor and its peers, in one run: `python3 benches/compare.py`.

Builds trls and the floor program (`benches/floor.rs`) in release mode, generates
the corpora (synthetic ~150-line records, the same for every tool) in a temporary
folder, installs the peer tools there when they are missing (ajv-cli with npm,
check-jsonschema with pip; skipped with a note when that fails, as offline), then
runs every tool on the same files, interleaved round by round so that drift of the
machine hits all alike, and prints medians as Markdown tables:

  batch   per corpus size: wall, CPU (user + system), peak RSS of
          floor        the parse-only floor: the same files, the same parser, one thread
          trls -j1     `trls check --no-cache`, one worker thread (the CPU ratio)
          trls         `trls check --no-cache`, every core (the wall time)
          trls cached  `trls check` again on the unchanged tree (its result cache)
          floor, trls on JSON copies   the same records as JSON: ajv-cli's input
          ajv-cli      ajv-cli 5 on JSON copies of the records (its YAML loader is
                       YAML 1.1 and would turn dates into objects), given `trls schema`
          check-jsonschema  on the YAML records, given `trls schema`
  record  one record of 20,000 and of 200,000 lines, and one of 50 MB
  editor  `cargo bench --bench lsp` (edit → diagnostics, completion, hover, start-up,
          RSS against yaml-language-server), when `--lsp N` is given

Options:
  --sizes 1000,10000,100000   corpus sizes
  --rounds 3                  interleaved rounds (medians are printed)
  --peer-max 10000            check-jsonschema only up to this size (it validates
                              ~25 records/s here: 100,000 would take over an hour)
  --one-round-above 10000     sizes above this get one round (and so do the peers
                              at sizes above 1,000), to keep the run under ~20 min
  --lsp N                     also run the editor benchmark with N records
  --quick                     sizes 300, one round, no 50 MB record: a smoke run

Figures are printed, never asserted: the targets are read off the tables.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRLS = ROOT / "target" / "release" / "trls"
FLOOR = ROOT / "target" / "release" / "examples" / "floor"
NO_CACHE = ["--no-cache"]


def note(msg):
    print(f"note: {msg}", file=sys.stderr, flush=True)


def hwm_mib(pid):
    """The peak RSS (VmHWM) of a running process, in MiB; None once it has exited."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def run(cmd, env=None, cwd=None):
    """Run a command; (wall s, cpu s, peak RSS MiB, exit code). Output discarded.

    The peak RSS is the child's own VmHWM, sampled every 5 ms while it runs: the
    ru_maxrss that wait4 reports also counts this Python process, which the child
    was forked from (Linux carries the high-water mark across exec), and so never
    reads below ~14 MiB. VmHWM only grows, so the last sample is at most 5 ms late.
    """
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    start = time.perf_counter()
    p = subprocess.Popen(
        [str(c) for c in cmd],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=full_env,
        cwd=cwd,
    )
    peak = 0.0
    while True:
        # Exited? (WNOWAIT: not reaped yet, so wait4 below still gets its usage.)
        if os.waitid(os.P_PID, p.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
            break
        h = hwm_mib(p.pid)
        if h is not None:
            peak = max(peak, h)
        time.sleep(0.005)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    p.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, peak or usage.ru_maxrss / 1024, p.returncode


def build():
    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "--bin", "trls", "--example", "floor"],
        cwd=ROOT,
        check=True,
    )


def tools(work):
    """The peers: {name: path}; installed into `work` when missing."""
    found = {}
    ajv = shutil.which("ajv")
    if ajv is None:
        prefix = work / "npm"
        r = subprocess.run(
            ["npm", "install", "--prefix", str(prefix), "--no-audit", "--no-fund",
             "--silent", "ajv-cli@5"],
            capture_output=True,
        )
        candidate = prefix / "node_modules" / ".bin" / "ajv"
        if r.returncode == 0 and candidate.exists():
            ajv = str(candidate)
    if ajv:
        found["ajv-cli"] = ajv
    else:
        note("ajv-cli is not installed and could not be (npm install ajv-cli@5): skipped")
    cjs = shutil.which("check-jsonschema")
    if cjs is None:
        venv = work / "venv"
        r = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True)
        if r.returncode == 0:
            r = subprocess.run(
                [str(venv / "bin" / "pip"), "install", "--quiet", "check-jsonschema"],
                capture_output=True,
            )
            candidate = venv / "bin" / "check-jsonschema"
            if r.returncode == 0 and candidate.exists():
                cjs = str(candidate)
    if cjs:
        found["check-jsonschema"] = cjs
    else:
        note("check-jsonschema is not installed and could not be (pip): skipped")
    return found


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def fmt_s(x):
    return f"{x:.2f} s" if x >= 0.995 else f"{x * 1000:.0f} ms"


def batch(work, sizes, rounds, peer_max, one_round_above, peers, schema):
    rows = []
    for n in sizes:
        corpus = work / f"records-{n}"
        copies = work / f"json-{n}"
        if not corpus.exists():
            subprocess.run([FLOOR, "gen", corpus, str(n)], check=True, stdout=subprocess.DEVNULL)
        if not copies.exists():
            subprocess.run([FLOOR, "json", corpus, copies], check=True, stdout=subprocess.DEVNULL)
        shutil.rmtree(corpus / ".trls_cache", ignore_errors=True)
        files = sorted(str(p) for p in corpus.glob("*.trial.yaml"))
        steps = {
            "floor": ([FLOOR, "parse", corpus], None),
            "trls -j1": ([TRLS, "check", *NO_CACHE, "--quiet", corpus], {"RAYON_NUM_THREADS": "1"}),
            "trls": ([TRLS, "check", *NO_CACHE, "--quiet", corpus], None),
        }
        if NO_CACHE:
            steps["trls cached"] = ([TRLS, "check", "--quiet", corpus], None)
        if copies.exists():
            # The same records as JSON: what ajv-cli reads, checked by trls too, so
            # that one comparison has the same input on both sides.
            steps["floor, JSON copies"] = ([FLOOR, "parse", copies], None)
            steps["trls, JSON copies"] = ([TRLS, "check", *NO_CACHE, "--quiet", copies], None)
        if "ajv-cli" in peers:
            steps["ajv-cli"] = (
                [peers["ajv-cli"], "validate", "--spec=draft2020", "--strict=false",
                 "-s", schema, "-d", f"{copies}/*.json"],
                None,
            )
        if "check-jsonschema" in peers and n <= peer_max:
            steps["check-jsonschema"] = ([peers["check-jsonschema"], "--schemafile", schema, *files], None)
        elif "check-jsonschema" in peers:
            note(f"check-jsonschema skipped at {n} records (--peer-max {peer_max})")
        # The cache is filled once before the rounds; every "trls cached" run then
        # finds the tree unchanged.
        if "trls cached" in steps:
            run(steps["trls cached"][0])
        r = 1 if n > one_round_above else rounds
        got = {k: [] for k in steps}
        for i in range(r):
            for name, (cmd, env) in steps.items():
                # Peers are slow: above 1,000 records they run in the first round only.
                if i > 0 and name in ("ajv-cli", "check-jsonschema") and n > 1000:
                    continue
                wall, cpu, rss, code = run(cmd, env)
                if code not in (0, 1):
                    note(f"{name} exited {code} at {n} records")
                got[name].append((wall, cpu, rss))
        rows.append((n, r, {k: tuple(median([x[j] for x in v]) for j in range(3)) for k, v in got.items()}))
        print_batch(rows[-1], flush=True)
    return rows


def print_batch(row, flush=False):
    n, r, got = row
    floor_cpu = got["floor"][1]
    trls_wall = got["trls"][0]
    print(f"\n#### {n:,} records ({'median of ' + str(r) + ' rounds' if r > 1 else 'one round'})\n")
    print("| tool | wall | CPU | peak RSS | CPU / floor | wall / trls |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, (wall, cpu, rss) in got.items():
        # JSON is measured against the floor of JSON (jsonc-parser), the rest
        # against YAML's.
        floor = got.get("floor, JSON copies", got["floor"])[1] if "JSON" in name or name == "ajv-cli" else floor_cpu
        print(
            f"| {name} | {fmt_s(wall)} | {fmt_s(cpu)} | {rss:.0f} MiB | "
            f"{cpu / floor:.2f}× | {wall / trls_wall:.2f}× |"
        )
    print(
        "\nCPU / floor: against `floor` (YAML), or for the JSON rows and ajv-cli against "
        "`floor, JSON copies`; wall / trls: against `trls` on the YAML records."
    )
    sys.stdout.flush()


def records(work, rounds, big50):
    print("\n#### One record\n")
    print("| record | floor CPU | trls CPU | CPU / floor | trls wall | peak RSS |")
    print("|---|---:|---:|---:|---:|---:|")
    cases = [("20k lines", 20_000), ("200k lines", 200_000)]
    if big50:
        cases.append(("50 MB", 3_000_000))
    cost = {}
    for label, lines in cases:
        d = work / f"big-{lines}"
        f = d / "big.trial.yaml"
        if not f.exists():
            d.mkdir(parents=True, exist_ok=True)
            subprocess.run([FLOOR, "big", f, str(lines)], check=True, stdout=subprocess.DEVNULL)
        r = 1 if lines > 200_000 else rounds
        fl, tr = [], []
        for _ in range(r):
            fl.append(run([FLOOR, "parse", d]))
            tr.append(run([TRLS, "check", *NO_CACHE, "--quiet", d], {"RAYON_NUM_THREADS": "1"}))
        fcpu = median([x[1] for x in fl])
        tcpu = median([x[1] for x in tr])
        twall = median([x[0] for x in tr])
        trss = median([x[2] for x in tr])
        cost[lines] = tcpu
        size = f.stat().st_size / 1e6
        print(f"| {label} ({size:.1f} MB) | {fmt_s(fcpu)} | {fmt_s(tcpu)} | {tcpu / fcpu:.2f}× | {fmt_s(twall)} | {trss:.0f} MiB |")
        sys.stdout.flush()
    print(f"\n200k-line cost / 20k-line cost (CPU): {cost[200_000] / cost[20_000]:.1f}×")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--peer-max", type=int, default=10000)
    ap.add_argument("--one-round-above", type=int, default=10000)
    ap.add_argument("--lsp", type=int, default=0)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--keep", help="keep the corpora and tools in this folder")
    a = ap.parse_args()
    sizes = [300] if a.quick else [int(s) for s in a.sizes.split(",")]
    rounds = 1 if a.quick else a.rounds
    build()
    work = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="trls-compare-"))
    work.mkdir(parents=True, exist_ok=True)
    schema = work / "trf.schema.json"
    with open(schema, "w") as out:
        subprocess.run([TRLS, "schema"], stdout=out, check=True)
    global NO_CACHE
    help_text = subprocess.run([TRLS, "check", "--help"], capture_output=True, text=True).stdout
    if "--no-cache" not in help_text:
        NO_CACHE = []
        note("this trls has no result cache (no --no-cache): the cached runs are skipped")
    peers = tools(work)
    version = subprocess.run([TRLS, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"### trls performance ({version}; {os.cpu_count()} cores; `python3 benches/compare.py {' '.join(sys.argv[1:])}`)")
    try:
        batch(work, sizes, rounds, a.peer_max, a.one_round_above, peers, schema)
        records(work, rounds, big50=not a.quick)
        if a.lsp:
            print(f"\n#### Editor ({a.lsp:,} records)\n\n```")
            sys.stdout.flush()
            env = dict(os.environ)
            yls = ROOT / "tests" / "tools" / "node_modules" / ".bin" / "yaml-language-server"
            if yls.exists():
                env.setdefault("YAML_LANGUAGE_SERVER", str(yls))
            subprocess.run(["cargo", "bench", "--quiet", "--bench", "lsp", "--", str(a.lsp)], cwd=ROOT, env=env)
            print("```")
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
