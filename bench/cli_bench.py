"""Whole-process timings of the command line and the app's start, warm and cold.

What a user waits for is a whole process: the interpreter, the imports, opening the project,
loading, computing and writing. This benchmark builds (once, then reuses) a project through
the command line itself (``ketqual new``, ``import`` of 1,000 generated notes holding 10
million characters, ``coder add``, ``codings import`` of about 20,000 codings per coder,
``unblind``) and the demo project (``ketqual demo``), then times as whole processes:

* ``like``: ``ketqual agreement P --coders "Coder A" "Coder B" --level subtheme --unit
  character --replicates 0 -o out.json`` (the comparison a QualCoder user makes: 23 codes,
  character level, no intervals);
* ``full``: ``ketqual agreement P --coders "Coder A" "Coder B" --level subtheme -o out.json``
  (the default full report: every unit, 1,000 bootstrap replicates);
* ``help``: ``ketqual --help``; ``info``: ``ketqual info P``;
* ``smoke``: ``ketqual --smoke DEMO`` (the app: window painted with the demo open), and
  ``smoke-empty``: ``ketqual --smoke`` without a project; for both, also the moments after
  launch at which the start screen and the window painted (``KETQUAL_TRACE_START``).

Each is run warm (after one untimed run) and with a cold page cache (``sync; echo 3 >
/proc/sys/vm/drop_caches`` before every run, which needs root; without it the cold rows say
so), and the median of ``--runs`` runs is printed. The two agreement commands are also
split into phases: imports (``python -X importtime``: total and number of modules), and,
from timing hooks around the operations in one more run, start-up until the verb opens the
project, opening, loading, computing, recording (audit log) and writing the file.

With ``--against DIR`` it compares two checkouts instead: each command's warm runs start
this checkout's and DIR's ketqual one after the other, alternating which goes first.

Run: .venv/bin/python bench/cli_bench.py [--runs 5] [--rebuild] [--only like,full,...]
     [--no-cold] [--workdir DIR] [--code DIR] [--against DIR]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = Path(tempfile.gettempdir()) / "ketqual-cli-bench"
CODE = [ROOT, DEFAULT_DIR]  # whose ketqual the timed processes run (--code); their folder
# Children start in a neutral folder: ``python -m`` and ``-c`` put the current folder first
# on the path, which would pick up whatever checkout the benchmark was started from.
N_DOCS = 1000
N_CHARS = 10_000_000
CODERS = ("Coder A", "Coder B")
DROP_CACHES = Path("/proc/sys/vm/drop_caches")
WORDS = [
    "ketamine",
    "infusion",
    "clinic",
    "carer",
    "worried",
    "bladder",
    "driving",
    "work",
    "cost",
    "stigma",
    "therapy",
    "support",
    "family",
    "doctor",
    "nurse",
    "monitoring",
    "dose",
    "relief",
    "suicidal",
    "thoughts",
    "side",
    "effects",
    "memory",
    "travel",
    "information",
    "leaflet",
    "group",
    "session",
    "prescribing",
    "street",
    "purity",
    "price",
    "tolerance",
    "depression",
    "anxiety",
    "hospital",
    "appointment",
    "waiting",
    "list",
    "trial",
    "evidence",
    "safety",
    "home",
    "review",
    "national",
    "register",
    "privacy",
    "data",
    "quality",
    "life",
    "mood",
    "report",
    "staff",
    "knowledge",
    "peer",
    "advocate",
    "patient",
    "the",
    "a",
    "of",
    "and",
    "to",
    "in",
    "was",
    "were",
    "felt",
    "said",
    "about",
    "more",
    "less",
    "very",
    "not",
    "some",
    "many",
    "would",
    "could",
    "should",
]


# ----- building the project through the command line -----------------------------------------


def ketqual(*args: str, env: dict[str, str] | None = None) -> list[str]:
    """The command line of a ``ketqual`` process."""
    return [sys.executable, "-m", "ketqual", *args]


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(
        cmd, capture_output=True, text=True, env=child_env(), cwd=CODE[1], **kwargs
    )
    if done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(cmd)}\n{done.stderr[-2000:]}")
    return done


def child_env(code: Path | None = None) -> dict[str, str]:
    """The environment of a timed process: ``code``'s ketqual (default ``--code``'s)."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    # Cache compiled modules as an installed package has them (some shells turn it off).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(code or CODE[0]), env.get("PYTHONPATH")]))
    return env


def make_document(rng: random.Random, length: int) -> tuple[str, list[tuple[int, int]]]:
    """Scribe-like text of about ``length`` characters: bullet lines of sentences.

    Returns the text and its sentence spans (start, end), which the codings follow.
    """
    parts: list[str] = []
    sentences: list[tuple[int, int]] = []
    pos = 0
    while pos < length:
        line = "- "
        pos += 2
        for _ in range(rng.randint(1, 4)):
            words = rng.choices(WORDS, k=rng.randint(6, 30))
            sentence = " ".join(words).capitalize() + "."
            if line != "- ":
                line += " "
                pos += 1
            sentences.append((pos, pos + len(sentence)))
            line += sentence
            pos += len(sentence)
        parts.append(line)
        pos += 1  # the line break
    return "\n".join(parts), sentences


def make_codings(
    rng: random.Random, sentences: list[tuple[int, int]], codes: list[str], length: int
) -> tuple[list[tuple[str, int, int]], list[tuple[str, int, int]]]:
    """Coder A codes runs of one to four sentences; coder B follows with shifted ends,
    swapped codes, misses and extras (as in bench/agreement_bench.py)."""
    weights = [1.0 / (i + 1) ** 0.7 for i in range(len(codes))]
    a, b = [], []
    for _ in range(max(1, round(rng.gauss(20, 4.5)))):
        first = rng.randrange(len(sentences))
        last = min(len(sentences) - 1, first + rng.randint(0, 3))
        code = rng.choices(codes, weights)[0]
        s, e = sentences[first][0], sentences[last][1]
        a.append((code, s, e))
        roll = rng.random()
        if roll < 0.15:
            continue
        if roll < 0.25:
            code = rng.choice(codes)
        s2 = min(max(s + rng.randint(-25, 25), 0), length - 1)
        e2 = min(max(e + rng.randint(-25, 25), s2 + 1), length)
        b.append((code, s2, e2))
    for _ in range(max(0, round(rng.gauss(3, 1.5)))):
        first = rng.randrange(len(sentences))
        b.append((rng.choices(codes, weights)[0], *sentences[first]))
    return a, b


def build_project(folder: Path) -> Path:
    """Make the 1,000-document project with the CLI; returns its path."""
    project = folder / "bench.ketqual"
    notes = folder / "notes"
    for path in [project, *folder.glob("bench.ketqual*")]:
        if path.is_file():
            path.unlink()
    notes.mkdir(parents=True, exist_ok=True)
    for old in notes.glob("*.txt"):
        old.unlink()
    rng = random.Random(22)
    lengths = [rng.randint(4000, 16000) for _ in range(N_DOCS)]
    scale = N_CHARS / sum(lengths)
    lengths = [max(500, round(n * scale)) for n in lengths]
    texts, layouts = {}, {}
    for i, length in enumerate(lengths):
        text, sentences = make_document(rng, length)
        name = f"notes-{i:04d}.txt"
        (notes / name).write_text(text, encoding="utf-8", newline="\n")
        texts[name], layouts[name] = text, sentences
    steps = [
        ("new", ketqual("new", str(project), "--name", "CLI bench")),
        (
            "import 1,000 notes",
            ketqual(
                "import",
                str(project),
                *map(str, sorted(notes.glob("*.txt"))),
                "--kind",
                "scribe_notes",
                "--no-split",
                "--on-duplicate",
                "import",
            ),
        ),
        *[(f"coder add {c}", ketqual("coder", "add", str(project), c)) for c in CODERS],
        (
            "coder add Supervisor",
            ketqual("coder", "add", str(project), "Supervisor", "--role", "supervisor"),
        ),
    ]
    for label, cmd in steps:
        t0 = time.perf_counter()
        run(cmd)
        print(f"  {label}: {time.perf_counter() - t0:.1f} s", flush=True)
    info = json.loads(run(ketqual("info", str(project), "--json")).stdout)
    uid_by_sha = {d["source_sha256"]: d["uid"] for d in info["documents"]}
    codes = [c["path"] for c in info["codes"]]
    layers: dict[str, list[list[object]]] = {c: [] for c in CODERS}
    for name in sorted(texts):
        text = texts[name]
        uid = uid_by_sha[hashlib.sha256(text.encode("utf-8")).hexdigest()]
        a, b = make_codings(rng, layouts[name], codes, len(text))
        for coder, layer in zip(CODERS, (a, b), strict=True):
            layers[coder] += [[name, uid, code, s, e, "", ""] for code, s, e in layer]
    for coder, rows in layers.items():
        sheet = folder / f"codings-{coder.split()[-1]}.csv"
        with sheet.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["document", "document_uid", "code", "start", "end", "memo", "text"])
            writer.writerows(rows)
        t0 = time.perf_counter()
        run(ketqual("codings", "import", str(project), "--coder", coder, str(sheet)))
        print(f"  codings import {coder} ({len(rows):,} rows): {time.perf_counter() - t0:.1f} s")
    run(ketqual("unblind", str(project), "--supervisor", "Supervisor", "--reason", "benchmark"))
    return project


def ensure_projects(folder: Path, rebuild: bool) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    CODE[1] = folder
    project, demo = folder / "bench.ketqual", folder / "demo.ketqual"
    built = folder / "bench.built"  # written last, so an interrupted build starts again
    if rebuild or not built.exists():
        built.unlink(missing_ok=True)
        print(f"building {project} through the command line ...", flush=True)
        t0 = time.perf_counter()
        build_project(folder)
        built.write_text("built\n")
        print(f"  built in {time.perf_counter() - t0:.0f} s")
    if rebuild or not demo.exists():
        for path in folder.glob("demo.ketqual*"):
            if path.is_file():
                path.unlink()
        run(ketqual("demo", str(demo)))
    return project, demo


# ----- timing ---------------------------------------------------------------------------------


def drop_caches() -> bool:
    """Empty the page cache (root only); False when that is not allowed here."""
    try:
        os.sync()
        DROP_CACHES.write_text("3\n")
    except OSError:
        return False
    return True


def wall(cmd: list[str], *, ok_codes=(0,), code: Path | None = None) -> tuple[float, float]:
    """Wall-clock and CPU (user + system) seconds of one run of ``cmd``.

    The CPU time says what the process itself needed: on a machine shared with other work
    the wall-clock time also holds the waiting for a free core.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=child_env(code), cwd=CODE[1])
    took = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in ok_codes:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(cmd)}\n{done.stderr[-2000:]}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return took, cpu


def median_wall(
    cmd: list[str], runs: int, *, cold: bool, ok_codes=(0,)
) -> list[tuple[float, float]] | None:
    """(wall, CPU) of ``runs`` runs (after one untimed run when warm); None if cold is
    impossible here."""
    if not cold:
        wall(cmd, ok_codes=ok_codes)
    times = []
    for _ in range(runs):
        if cold and not drop_caches():
            return None
        times.append(wall(cmd, ok_codes=ok_codes))
    return times


def reference_process() -> str:
    """A reference for the figures around it: a process that only imports SQLAlchemy's ORM
    and numpy (median of 5, warm). This machine's speed at starting processes drifted by up
    to 2x within an hour while a loop inside a running process kept its speed, so the
    reference is a start, not a loop."""
    cmd = [sys.executable, "-c", "import sqlalchemy.orm, numpy"]
    times = median_wall(cmd, 5, cold=False)
    assert times is not None
    return f"python -c 'import sqlalchemy.orm, numpy': {fmt(times)}"


def alternating(
    cmd: list[str], runs: int, other: Path
) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    """(wall, CPU) of ``runs`` runs of ``cmd`` with ``--code``'s ketqual and with
    ``other``'s, one after the other (which goes first alternates), after one untimed
    round: on a machine whose speed drifts from minute to minute, a fair comparison."""
    mine: list[tuple[float, float]] = []
    theirs: list[tuple[float, float]] = []
    for round_ in range(runs + 1):
        pair = [(CODE[0], mine), (other, theirs)]
        for code, into in pair if round_ % 2 else pair[::-1]:
            timed = wall(cmd, code=code)
            if round_:
                into.append(timed)
    return mine, theirs


def start_moments(cmd: list[str], runs: int, *, cold: bool = False) -> dict[str, float]:
    """Median seconds from launching the app to each moment it marks on stderr when
    ``KETQUAL_TRACE_START`` holds the launch time (the start screen painted, the window
    painted); empty for a checkout that marks nothing, or when ``cold`` is impossible here."""
    seen: dict[str, list[float]] = {}
    for _ in range(runs):
        if cold and not drop_caches():
            return {}
        env = child_env()
        env["KETQUAL_TRACE_START"] = repr(time.time())
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=CODE[1])
        for line in done.stderr.splitlines():
            if line.startswith("ketqual start: "):
                seconds, _, event = line.removeprefix("ketqual start: ").partition(" s ")
                seen.setdefault(event, []).append(float(seconds))
    return {event: statistics.median(times) for event, times in seen.items()}


def import_profile(cmd: list[str]) -> tuple[float, int]:
    """Total import time in seconds and the number of modules imported (``-X importtime``)."""
    done = subprocess.run(
        [cmd[0], "-X", "importtime", *cmd[1:]],
        capture_output=True,
        text=True,
        env=child_env(),
        cwd=CODE[1],
    )
    total, count = 0, 0
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        fields = line.split("|")
        try:
            cumulative = int(fields[1])
        except ValueError:
            continue  # the header line
        count += 1
        if not fields[2].startswith("  "):  # top level: its cumulative holds its children
            total += cumulative
    return total / 1e6, count


PHASE_DRIVER = r"""
import sys, time, json
T0 = time.perf_counter()
marks = {}
from ketqual.ops import project_ops
from ketqual.ops.agreement import agreement_ops
open_project, compute, export = (
    project_ops.open_project, agreement_ops.compute_agreement, agreement_ops.export_agreement)

def hooked_open(*a, **k):
    marks.setdefault("open", time.perf_counter())
    try:
        return open_project(*a, **k)
    finally:
        marks.setdefault("opened", time.perf_counter())

def hooked_compute(*a, **k):
    marks["load"] = time.perf_counter()
    def progress(done, total, step):
        marks.setdefault(("load", "compute", "record", "recorded")[done], time.perf_counter())
    result = compute(*a, progress=progress, **k)
    return result

def hooked_export(*a, **k):
    marks["write"] = time.perf_counter()
    try:
        return export(*a, **k)
    finally:
        marks["written"] = time.perf_counter()

project_ops.open_project = hooked_open
agreement_ops.compute_agreement = hooked_compute
agreement_ops.export_agreement = hooked_export
from ketqual.__main__ import main
code = main(sys.argv[1:])
end = time.perf_counter()
print(json.dumps({k: v - T0 for k, v in marks.items()} | {"end": end - T0}), file=sys.stderr)
sys.exit(code)
"""


def phases(args: list[str]) -> dict[str, float]:
    """Phase marks of one run of an agreement command (seconds from the driver's start)."""
    done = subprocess.run(
        [sys.executable, "-c", PHASE_DRIVER, *args],
        capture_output=True,
        text=True,
        env=child_env(),
        cwd=CODE[1],
    )
    if done.returncode != 0:
        raise SystemExit(f"phase run failed: {done.stderr[-2000:]}")
    m = json.loads(done.stderr.strip().splitlines()[-1])
    return {
        "start-up to the verb (imports, arguments)": m["open"],
        "opening the project": m["opened"] - m["open"],
        "between opening and loading": m["load"] - m["opened"],
        "loading": m["compute"] - m["load"],
        "computing": m["record"] - m["compute"],
        "recording (audit log)": m["recorded"] - m["record"],
        "between computing and writing": m["write"] - m["recorded"],
        "writing the file": m["written"] - m["write"],
        "after writing (exit)": m["end"] - m["written"],
    }


def fmt(times: list[tuple[float, float]] | None) -> str:
    if times is None:
        return "not measured (dropping the page cache needs root)"
    walls, cpus = [t[0] for t in times], [t[1] for t in times]
    return (
        f"{statistics.median(walls):6.3f} s wall, {statistics.median(cpus):6.3f} s CPU  "
        f"(runs: {', '.join(f'{t:.2f}' for t in walls)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command (median)")
    parser.add_argument("--workdir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--rebuild", action="store_true", help="build the projects again")
    parser.add_argument("--no-cold", action="store_true", help="skip the cold page cache runs")
    parser.add_argument(
        "--code",
        type=Path,
        default=ROOT,
        help="time the ketqual package in this checkout (e.g. an older commit unpacked with "
        "git archive) instead of this one; the projects are built with this one",
    )
    parser.add_argument(
        "--against",
        type=Path,
        help="compare with the ketqual package in this checkout: warm runs only, the two "
        "started one after the other, medians of each and the change",
    )
    parser.add_argument(
        "--only",
        default="like,full,help,info,smoke,smoke-empty",
        help="comma-separated: like, full, help, info, smoke, smoke-empty",
    )
    args = parser.parse_args()
    project, demo = ensure_projects(args.workdir, args.rebuild)
    CODE[0], CODE[1] = args.code.resolve(), args.workdir
    print(f"timing the ketqual package in {CODE[0]}")
    info = json.loads(run(ketqual("info", str(project), "--json")).stdout)
    chars = sum(d["characters"] for d in info["documents"])
    print(
        f"project: {len(info['documents']):,} documents, {chars:,} characters, "
        f"{sum(d['units'] for d in info['documents']):,} units, {len(info['codes'])} codes, "
        f"codings { ({c['name']: c['codings'] for c in info['coders'] if c['codings']}) }; "
        f"file {project.stat().st_size / 2**20:.0f} MiB"
    )
    out = args.workdir / "out.json"
    coders = ["--coders", *CODERS, "--level", "subtheme"]
    agreement = ["agreement", str(project), *coders]
    commands = {
        "like": (
            "like for like: agreement --level subtheme --unit character --replicates 0 -o out.json",
            [*agreement, "--unit", "character", "--replicates", "0", "-o", str(out)],
        ),
        "full": (
            "full report: agreement --level subtheme -o out.json (all units, 1,000 replicates)",
            [*agreement, "-o", str(out)],
        ),
        "help": ("ketqual --help", ["--help"]),
        "info": ("ketqual info P", ["info", str(project)]),
        "smoke": ("app: ketqual --smoke DEMO (window painted, demo open)", ["--smoke", str(demo)]),
        "smoke-empty": ("app: ketqual --smoke (no project)", ["--smoke"]),
    }
    chosen = [c.strip() for c in args.only.split(",") if c.strip()]
    interpreter = median_wall([sys.executable, "-c", "pass"], args.runs, cold=False)
    print(f"python -c pass: {fmt(interpreter)}")
    print(f"reference before: {reference_process()}")
    print(
        f"load average before: {', '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} cores)"
    )
    print(f"median of {args.runs} runs; warm = after one untimed run\n")
    for key in chosen:
        label, argv = commands[key]
        cmd = ketqual(*argv)
        print(label)
        if args.against is not None:
            mine, theirs = alternating(cmd, args.runs, args.against.resolve())
            change = statistics.median(t[0] for t in mine) / statistics.median(t[0] for t in theirs)
            print(f"  {args.against}: {fmt(theirs)}")
            print(f"  {CODE[0]}: {fmt(mine)}  ({change - 1:+.0%} wall)\n", flush=True)
            continue
        print(f"  warm: {fmt(median_wall(cmd, args.runs, cold=False))}", flush=True)
        if not args.no_cold:
            print(f"  cold: {fmt(median_wall(cmd, args.runs, cold=True))}", flush=True)
        if key in ("like", "full"):
            seconds, modules = import_profile(cmd)
            print(f"  imports (-X importtime): {seconds:.3f} s, {modules} modules")
            runs = [phases(argv) for _ in range(max(3, args.runs // 2))]
            for name in runs[0]:
                print(f"    {name:<42} {statistics.median(r[name] for r in runs):6.3f} s")
            print(f"  report size: {out.stat().st_size / 2**20:.1f} MiB")
        elif key.startswith("smoke"):
            for warmth in ("warm", "cold")[: 1 if args.no_cold else 2]:
                moments = start_moments(cmd, args.runs, cold=warmth == "cold")
                for event, seconds in moments.items():
                    print(f"    {warmth}: {event:<36} {seconds:6.3f} s after launch (median)")
        elif key == "help":
            seconds, modules = import_profile(cmd)
            print(f"  imports (-X importtime): {seconds:.3f} s, {modules} modules")
        print(flush=True)
    print(f"load average after: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"reference after: {reference_process()}")


if __name__ == "__main__":
    main()
