"""Plain-text rendering of CLI results."""

from __future__ import annotations

import sys
from collections.abc import Callable


def progress_printer() -> Callable[[int, int, str], None] | None:
    """A progress bar on stderr when it is a terminal; nothing otherwise (logs stay clean)."""
    if sys.stderr is None or not sys.stderr.isatty():
        return None

    def show(done: int, total: int, name: str) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        bar = "#" * filled + "-" * (width - filled)
        sys.stderr.write(f"\r[{bar}] {done}/{total} {name[:40]:<40}")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def plural(n: int, word: str) -> str:
    """``n`` and ``word``, with an s unless there is one ("1 coding", "2 codings")."""
    return f"{n} {word}" + ("" if n == 1 else "s")


def print_info(info: dict) -> None:
    """Human-readable ``ketqual info``."""
    print(f"{info['name']}  ({info['location']}, {info['backend']}, schema {info['schema']})")
    docs = info["documents"]
    print(f"\n{plural(len(docs), 'document')}, {plural(len(info['cases']), 'focus group')}")
    if docs:
        print(
            f"  {'id':>4}  {'kind':<14} {'S':>2} {'G':>2} {'chars':>7} {'units':>5}  {'sha256':<12}  title"
        )
        for d in docs:
            print(
                f"  {d['id']:>4}  {d['kind']:<14} {d['session'] or '':>2} {d['group'] or '':>2} "
                f"{d['characters']:>7} {d['units']:>5}  {d['sha256'][:12]}  {d['title']}"
            )
    print(f"\n{plural(len(info['codes']), 'code')}")
    print_codes(info["codes"])
    print(f"\n{plural(len(info['coders']), 'coder')}")
    for c in info["coders"]:
        print(f"  {c['name']} ({c['role']}): {plural(c['codings'], 'coding')}")
    print(f"  consensus layer: {plural(info['consensus_codings'], 'coding')}")


def print_codes(codes: list[dict]) -> None:
    """The codebook as an indented list."""
    for c in codes:
        depth = c["path"].count("/")
        key = f"[{c['shortcut']}] " if c["shortcut"] else ""
        retired = " (retired)" if not c["active"] else ""
        name = c["path"].split("/")[-1]
        codings = plural(c["codings"], "coding")
        print(f"  {'    ' * depth}{key}{name}  {c['colour']}  {codings}{retired}")
