"""Merging a returned coder package into the supervisor's project.

Rows are matched by uid, never by name: documents by uid *and* the SHA-256 of their text,
the coder by uid, codings and memos by uid, codes by uid (a renamed or moved code still
matches; a code merged away in the project is followed to the code it was merged into, as
the audit log's ``code.merge`` events record). For the packaged documents the package is
authoritative for that coder's layer: codings are added, changed or removed to match it.
Codings whose code no longer exists are reported and left out, never silently dropped.

The merge is one transaction and idempotent: merging the same package again finds
nothing to do and writes nothing.
"""

from __future__ import annotations

import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from ketqual.core.ids import utcnow
from ketqual.core.package_report import MergeReport, RefusedDocument, UnmatchedCoding
from ketqual.ops import project_ops
from ketqual.ops.changes import NOTHING, Area, Change
from ketqual.ops.errors import OperationError
from ketqual.ops.team import package_guard, package_pack
from ketqual.store.database import ProjectStore
from ketqual.store.repositories import Tx

SUGGESTION = package_pack.SUGGESTION


class MergeRefused(OperationError):
    """The merge was refused as a whole; ``report`` lists why."""

    def __init__(self, report: MergeReport) -> None:
        super().__init__("\n".join(report.lines()))
        self.report = report


@dataclass(frozen=True)
class Merged:
    """A merge's report with the change it made, for the app's runner to announce."""

    report: MergeReport

    @property
    def change(self) -> Change:
        """The coder's codings, memos and done marks changed (nothing when nothing did)."""
        areas = {Area.CODINGS} if self.report.changed else NOTHING
        summary = f"Merged {self.report.package} ({self.report.coder})"
        return Change("package.merge", summary, areas=areas, details=self.report.counts())


@dataclass
class _Package:
    info: dict
    documents: list  # (id, uid, title, sha)
    codes: list  # (id, uid, parent id, name)
    coder_uid: str
    codings: list
    memos: list
    memo_targets: dict
    statuses: dict


def merge_package(
    project: ProjectStore,
    package: str | Path,
    *,
    supervisor: str | int,
    passphrase: str | None = None,
    dry_run: bool = False,
    actor: str | None = None,
) -> MergeReport:
    """Merge a coder's returned package into ``project``.

    Raises:
        MergeRefused: a packaged document is missing from the project or its text differs.
        OperationError: not a supervisor, wrong project, unknown coder, unreadable package.
    """
    boss = package_pack.check_supervisor(project, supervisor)
    package = Path(package)
    folder = Path(project.location).parent if project.backend == "sqlite" else None
    with tempfile.TemporaryDirectory(prefix=".ketqual-merge-", dir=folder) as scratch:
        copy = package_pack.materialise(package, scratch, passphrase)
        content = _read(copy, package.name)
    opened = project.read() if dry_run else project.transaction()
    with opened as tx:
        report, plan = _plan(tx, content, package.name, dry_run)
        if report.refused:
            raise MergeRefused(report)
        if not dry_run and report.changed:
            _apply(tx, plan)
            tx.audit.record(
                actor or boss,
                "merge_package",
                f"Merged {package.name} ({report.coder}): "
                + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in report.counts().items() if v),
                {
                    "file": package.name,
                    "coder_uid": report.coder_uid,
                    "coder": report.coder,
                    **report.counts(),
                    "codings_followed": report.codings_followed,
                    "unmatched": [asdict(u) for u in report.unmatched],
                    "conflicts": list(report.conflicts),
                    "suggestions": list(report.suggestions),
                },
            )
    return report


def _read(path: Path, name: str) -> _Package:
    store = project_ops.open_project(path, backup=False)
    try:
        with store.read() as tx:
            info = package_guard.package_info(tx)
            if info is None:
                raise OperationError(f"{name} is a KetQual project, not a coder package")
            coder = next((c for c in tx.coders.list() if c.uid == info.get("coder_uid")), None)
            if coder is None:
                raise OperationError(f"{name} is damaged: its coder is missing")
            memos = tx.packages.memos(coder.id)
            return _Package(
                info=info,
                documents=tx.packages.documents(),
                codes=tx.packages.codes(),
                coder_uid=coder.uid,
                codings=tx.packages.layer(coder.id),
                memos=memos,
                memo_targets=tx.packages.memo_target_uids(memos),
                statuses=tx.packages.statuses(coder.id),
            )
    finally:
        store.close()


def _paths(codes: list) -> dict[int, str]:
    names = {c[0]: c for c in codes}
    return {
        i: (f"{names[p][3]}/{n}" if p is not None and p in names else n) for i, _u, p, n in codes
    }


def _code_resolver(tx) -> tuple[dict[str, int], dict[str, str], set[str]]:
    """Project code ids by uid, merges (source uid -> target uid) and deleted code uids."""
    by_uid = {c.uid: c.id for c in tx.codes.list()}
    merges = {
        d["source_uid"]: d["target_uid"]
        for d in tx.packages.audit_details("code.merge")
        if d.get("source_uid") and d.get("target_uid")
    }
    deleted = {d["code_uid"] for d in tx.packages.audit_details("code.delete") if d.get("code_uid")}
    return by_uid, merges, deleted


def _follow(uid: str, by_uid: dict, merges: dict) -> tuple[int | None, bool]:
    """The project code for a package code uid, following merges; (id, followed)."""
    seen = set()
    current, followed = uid, False
    while current not in by_uid:
        if current in seen or current not in merges:
            return None, followed
        seen.add(current)
        current, followed = merges[current], True
    return by_uid[current], followed


def _plan(tx, pkg: _Package, name: str, dry_run: bool) -> tuple[MergeReport, dict]:
    info = pkg.info
    about = tx.project.describe()
    if info.get("source_project_uid") != about["uid"]:
        raise OperationError(
            f"{name} was packed from another project ('{info.get('source_project_name', '?')}'), "
            f"not from '{about['name']}'; nothing was merged"
        )
    coder = next((c for c in tx.coders.list() if c.uid == pkg.coder_uid), None)
    if coder is None:
        raise OperationError(
            f"the package's coder '{info.get('coder_name')}' is not in this project; "
            "nothing was merged"
        )
    base = {"package": name, "coder": coder.name, "coder_uid": coder.uid, "dry_run": dry_run}
    project_docs = {d.uid: d for d in tx.documents.list()}
    refused, doc_map, doc_titles = [], {}, {}
    for doc_id, uid, title, sha in pkg.documents:
        doc_titles[doc_id] = (uid, title)
        here = project_docs.get(uid)
        if here is None:
            refused.append(RefusedDocument(uid, title, "not in the project"))
        elif here.text_sha256 != sha:
            refused.append(RefusedDocument(uid, title, "its text differs from the project's"))
        else:
            doc_map[doc_id] = here.id
    if refused:
        return MergeReport(**base, refused=tuple(refused)), {}

    by_uid, merges, deleted = _code_resolver(tx)
    pkg_paths = _paths(pkg.codes)
    pkg_code_uid = {c[0]: c[1] for c in pkg.codes}
    existing = {r[1]: r for r in tx.packages.layer(coder.id, set(doc_map.values()))}
    others = tx.packages.uids_in_use("coding", [c[1] for c in pkg.codings if c[1] not in existing])
    inserts, updates, unmatched, conflicts = [], [], [], []
    unchanged = followed = 0
    seen: set[str] = set()
    for _id, uid, doc, code, start, end, memo, created, updated in pkg.codings:
        seen.add(uid)
        code_uid = pkg_code_uid[code]
        code_id, was_followed = _follow(code_uid, by_uid, merges)
        if code_id is None:
            reason = "deleted in the project" if code_uid in deleted else "not in the codebook"
            doc_uid, title = doc_titles[doc]
            unmatched.append(
                UnmatchedCoding(doc_uid, title, start, end, code_uid, pkg_paths[code], reason)
            )
            continue
        if uid in others:
            conflicts.append(uid)
            continue
        followed += was_followed
        row = {"code_id": code_id, "start": start, "end": end, "memo": memo}
        have = existing.get(uid)
        if have is None:
            inserts.append(
                {
                    **row,
                    "uid": uid,
                    "document_id": doc_map[doc],
                    "coder_id": coder.id,
                    "created_at": created,
                    "updated_at": updated,
                }
            )
        elif (have[3], have[4], have[5], have[6]) != (code_id, start, end, memo):
            updates.append({**row, "b_id": have[0], "updated_at": updated})
        else:
            unchanged += 1
    # codings the coder removed; one left out because its code is gone is in ``seen``,
    # so the project keeps it as it is
    removals = [row[0] for uid, row in existing.items() if uid not in seen]

    memo_plan = _plan_memos(tx, pkg, coder.id, by_uid, merges)
    status_plan = _plan_status(tx, pkg, coder.id, doc_map)
    report = MergeReport(
        **base,
        documents=len(doc_map),
        codings_added=len(inserts),
        codings_changed=len(updates),
        codings_removed=len(removals),
        codings_unchanged=unchanged,
        codings_followed=followed,
        unmatched=tuple(unmatched),
        conflicts=tuple(conflicts),
        memos_added=len(memo_plan["insert"]),
        memos_changed=len(memo_plan["update"]),
        memos_removed=len(memo_plan["delete"]),
        status_changed=len(status_plan),
        suggestions=tuple(memo_plan["suggestions"]),
    )
    plan = {
        "coder_id": coder.id,
        "insert": inserts,
        "update": updates,
        "delete": removals,
        "memos": memo_plan,
        "status": status_plan,
    }
    return report, plan


def _plan_memos(tx, pkg: _Package, coder_id: int, by_uid: dict, merges: dict) -> dict:
    """Memos to insert, update and delete, and the texts of new codebook suggestions."""
    targets: dict[tuple[str, int], int | None] = {}
    for kind in ("document", "case", "coding"):
        uids = [u for (k, _i), u in pkg.memo_targets.items() if k == kind]
        ids = tx.packages.ids_by_uid(kind, uids)
        for (k, i), u in pkg.memo_targets.items():
            if k == kind:
                targets[(k, i)] = ids.get(u)
    for (k, i), u in pkg.memo_targets.items():
        if k in ("code", SUGGESTION):
            targets[(k, i)] = _follow(u, by_uid, merges)[0]
    codes = {c.id: c for c in tx.codes.list()}
    existing = {r[1]: r for r in tx.packages.memos(coder_id)}
    insert, update, suggestions = [], [], []
    for _id, uid, kind, target, text, created, updated in pkg.memos:
        mapped = targets.get((kind, target)) if target is not None else None
        have = existing.pop(uid, None)
        if have is None:
            insert.append(
                {
                    "pending": pkg.memo_targets.get((kind, target)) if kind == "coding" else None,
                    "uid": uid,
                    "coder_id": coder_id,
                    "target_type": kind,
                    "target_id": mapped,
                    "text": text,
                    "created_at": created,
                    "updated_at": updated,
                }
            )
        elif (have[2], have[3], have[4]) != (kind, mapped, text):
            update.append((have[0], {"target_type": kind, "target_id": mapped, "text": text}))
        else:
            continue
        if kind == SUGGESTION:
            about = codes[mapped].name if mapped in codes else "the codebook"
            suggestions.append(f"{about}: {text}")
    return {
        "insert": insert,
        "update": update,
        "delete": [r[0] for r in existing.values()],
        "suggestions": suggestions,
    }


def _plan_status(tx, pkg: _Package, coder_id: int, doc_map: dict) -> list[tuple[int, bool, str]]:
    have = tx.packages.statuses(coder_id)
    out = []
    for pkg_doc, doc in doc_map.items():
        done, at = pkg.statuses.get(pkg_doc, (False, None))
        if have.get(doc, (False, None))[0] != done:
            out.append((doc, done, at or utcnow()))
    return out


def _apply(tx: Tx, plan: dict) -> None:
    packages = tx.packages
    packages.delete_rows("coding", plan["delete"])
    packages.update_codings(plan["update"])
    packages.insert_codings(plan["insert"])
    memos = plan["memos"]
    packages.delete_rows("memo", memos["delete"])
    # a memo on a coding may point at one this merge has just inserted
    pending = [r["pending"] for r in memos["insert"] if r["pending"]]
    ids = packages.ids_by_uid("coding", pending) if pending else {}
    rows = [
        {**r, "target_id": ids.get(r["pending"]) if r["pending"] else r["target_id"]}
        for r in memos["insert"]
    ]
    packages.insert_memos([{k: v for k, v in r.items() if k != "pending"} for r in rows])
    for memo_id, fields in memos["update"]:
        packages.update_memo(memo_id, **fields)
    for doc, done, at in plan["status"]:
        packages.set_status(doc, plan["coder_id"], done, at)
