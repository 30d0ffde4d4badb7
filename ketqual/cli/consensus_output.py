"""Plain-text, JSON and CSV renderings of the consensus verbs' results (no I/O here)."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence

from ketqual.io import csv_files

QUEUE_FORMATS = ("table", "json", "csv")
QUEUE_CSV_COLUMNS = (
    "id",
    "status",
    "resolution",
    "kind",
    "document",
    "document_id",
    "start",
    "end",
    "codes",
    "coder_a",
    "coder_b",
    "passage",
    "memos",
)
PASSAGE_WIDTH = 72


def shorten(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _spans(codings: Sequence[dict]) -> str:
    return "; ".join(f"{c['code']} {c['start']}-{c['end']}" for c in codings)


def queue_table(rows: Sequence[dict], heading: str) -> str:
    """The queue for a terminal: one line per item, then what each coder coded, memos."""
    lines = [heading, ""]
    if not rows:
        lines.append("  (no disagreements with that status)")
        return "\n".join(lines) + "\n"
    lines.append(f"  {'id':>5}  {'status':<9} {'kind':<15} {'document':<16} {'span':<11}  passage")
    for row in rows:
        status = row["status"]
        if row["resolution"]:
            status = row["resolution"].lower()
        span = f"{row['start']}-{row['end']}"
        lines.append(
            f"  {row['id']:>5}  {status:<9} {row['kind_label']:<15} "
            f"{shorten(row['document_short'], 16):<16} {span:<11}  "
            f"“{shorten(row['passage'], PASSAGE_WIDTH)}”"
        )
        lines.append(f"  {'':>5}  A: {_spans(row['coder_a']) or '—'}")
        lines.append(f"  {'':>5}  B: {_spans(row['coder_b']) or '—'}")
        for memo in row["memos"]:
            lines.append(f"  {'':>5}  memo {shorten(memo, 100)}")
    return "\n".join(lines) + "\n"


def queue_json(rows: Sequence[dict], review: dict) -> str:
    """The queue as a JSON object: the review, then its disagreements in full."""
    items = [
        {k: v for k, v in row.items() if k not in ("document_short", "kind_label")} for row in rows
    ]
    return json.dumps({"review": review, "disagreements": items}, indent=2, ensure_ascii=False)


def queue_csv(rows: Sequence[dict], line_end: str = "\n") -> str:
    """The queue as CSV, one row per disagreement, with the full passage (texts never
    read as formulas; ``line_end`` CRLF for a file, as every CSV file KetQual writes)."""
    out = io.StringIO()
    writer = csv_files.SafeWriter(out, line_end)
    writer.writerow(QUEUE_CSV_COLUMNS)
    for row in rows:
        flat = {
            **row,
            "codes": "; ".join(row["codes"]),
            "coder_a": _spans(row["coder_a"]),
            "coder_b": _spans(row["coder_b"]),
            "memos": " | ".join(row["memos"]),
        }
        writer.writerow([flat[k] for k in QUEUE_CSV_COLUMNS])
    return out.getvalue()


def decisions_table(rows: Sequence[dict]) -> str:
    """The decision log for a terminal, oldest first."""
    if not rows:
        return "The decision log is empty: no review has been started yet.\n"
    lines = [f"  {'#':>4}  {'when (UTC)':<16}  {'by':<12} {'action':<20} {'item':>5}  where"]
    for row in rows:
        when = str(row["at"])[:16].replace("T", " ")
        where = ""
        if row["document"]:
            where = f"{row['document']} {row['start']}-{row['end']}"
        item = row["disagreement"] if row["disagreement"] is not None else ""
        lines.append(
            f"  {row['decision']:>4}  {when:<16}  {shorten(row['by'], 12):<12} "
            f"{shorten(row['action'], 20):<20} {item:>5}  {where}".rstrip()
        )
        if row["what"]:
            lines.append(f"  {'':>4}  {row['what']}")
        if row["consensus_added"]:
            lines.append(f"  {'':>4}  into the consensus: {row['consensus_added']}")
        if row["reason"]:
            lines.append(f"  {'':>4}  reason: {row['reason']}")
        if row["dissent"]:
            lines.append(f"  {'':>4}  dissent: {row['dissent']}")
    return "\n".join(lines) + "\n"


def _number(value: float | None, percent: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value * 100:.1f} %" if percent else f"{value:.3f}"


def negotiated_table(figures: Sequence, heading: str) -> str:
    """Agreement before the meeting and after it, one line per pair of layers."""
    width = max(len(f.label) for f in figures)
    lines = [
        heading,
        "",
        f"  {'':<{width}}  {'% agreement':>11}  {'Cohen kappa':>11}  {'Krippendorff alpha':>18}",
    ]
    for f in figures:
        lines.append(
            f"  {f.label:<{width}}  {_number(f.percent_agreement, True):>11}  "
            f"{_number(f.cohen_kappa):>11}  {_number(f.krippendorff_alpha):>18}"
        )
    return "\n".join(lines) + "\n"
