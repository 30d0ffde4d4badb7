"""Concurrent writers on a real server: four processes code, write memos and remove
codings at once; afterwards the database holds exactly what each of them says it did."""

from __future__ import annotations

import multiprocessing
import random
import threading
import time

import pytest

from ketqual.ops import project_ops, queries
from ketqual.ops.coding import coding_ops
from ketqual.ops.coding.coding_ops import NewCoding
from ketqual.ops.team import coder_ops, server_ops
from tests import factories

pytestmark = pytest.mark.postgres
WRITERS = 4
OPERATIONS = 120


def write_codings(url: str, coder_name: str, operations: int, seed: int) -> dict:
    """One coder's session (run in its own process): adds, memo edits and removals.

    Returns what it did: its codings as it believes they are stored, and counts per kind.
    """
    project = project_ops.open_project(url, backup=False)
    try:
        coder = coder_ops.find_coder(project, coder_name).id
        documents = [(r.record.id, r.record.char_count) for r in queries.list_documents(project)]
        codes = [c.id for c in queries.list_codes(project)[0] if c.active]
        rng = random.Random(seed)
        mine: dict[int, tuple] = {}
        done = {"add": 0, "memo": 0, "remove": 0, "skipped": 0}
        started = time.perf_counter()
        for step in range(operations):
            roll = rng.random()
            if mine and roll < 0.2:
                coding_id = rng.choice(sorted(mine))
                memo = f"{coder_name} memo {step}"
                server_ops.run(project, "Memo", coding_ops.set_memo, project, coding_id, memo)
                mine[coding_id] = (*mine[coding_id][:4], memo)
                done["memo"] += 1
            elif mine and roll < 0.3:
                coding_id = rng.choice(sorted(mine))
                server_ops.run(project, "Remove", coding_ops.remove_codings, project, [coding_id])
                del mine[coding_id]
                done["remove"] += 1
            else:
                document, length = rng.choice(documents)
                start = rng.randrange(length - 1)
                end = min(length, start + rng.randint(1, 40))
                coding = NewCoding(document, rng.choice(codes), start, end)
                change = server_ops.run(
                    project, "Code", coding_ops.add_codings, project, coder, [coding]
                )
                for added in change.details["added"]:
                    mine[added.id] = (added.document_id, added.code_id, added.start, added.end, "")
                done["add"] += len(change.details["added"])
                done["skipped"] += change.details["skipped"]
        return {
            "coder": coder_name,
            "codings": mine,
            "done": done,
            "seconds": time.perf_counter() - started,
        }
    finally:
        project.close()


def make_team_project(url: str, writers: int = WRITERS, documents: int = 6) -> list[str]:
    """A server project with ``documents`` notes and ``writers`` coders; returns names."""
    project = project_ops.new_project(url, actor="sue")
    for i in range(documents):
        factories.add_document(project, factories.NOTES * 3, session=1, group=i + 1)
    names = [f"Coder {i + 1}" for i in range(writers)]
    for name in names:
        coder_ops.add_coder(project, name)
    project.close()
    return names


def run_writers(url: str, names: list[str], operations: int) -> list[dict]:
    """Run one writer process per name at once (spawn: no state shared with the parent)."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(len(names)) as pool:
        results = pool.starmap(
            write_codings, [(url, name, operations, seed) for seed, name in enumerate(names)]
        )
    return results


def test_four_processes_coding_at_once_lose_nothing(pg_url):
    names = make_team_project(pg_url)
    results = run_writers(pg_url, names, OPERATIONS)
    project = project_ops.open_project(pg_url)
    try:
        ids = {c.name: c.id for c in coder_ops.list_coders(project)}
        documents = [r.record.id for r in queries.list_documents(project)]
        total = 0
        for result in results:
            done = result["done"]
            assert done["add"] + done["memo"] + done["remove"] + done["skipped"] == OPERATIONS
            stored = {
                c.id: (c.document_id, c.code_id, c.start, c.end, c.memo)
                for d in documents
                for c in coding_ops.document_codings(
                    project, d, viewer_id=ids[result["coder"]], layers=[ids[result["coder"]]]
                )
            }
            assert stored == result["codings"]  # same rows, same contents, nothing extra
            assert len(stored) == done["add"] - done["remove"]
            total += len(stored)
        info = project_ops.project_info(project)
        assert sum(c["codings"] for c in info["coders"]) == total
        assert total > WRITERS * OPERATIONS // 2
    finally:
        project.close()


def test_two_writers_on_the_same_memo_leave_one_whole_memo(pg_url):
    make_team_project(pg_url, writers=1, documents=1)
    setup = project_ops.open_project(pg_url)
    coder = coder_ops.find_coder(setup, "Coder 1").id
    document = queries.list_documents(setup)[0].record.id
    code = queries.list_codes(setup)[0][0].id
    [coding] = coding_ops.add_codings(setup, coder, [NewCoding(document, code, 0, 9)]).details[
        "added"
    ]
    setup.close()
    errors: list[BaseException] = []
    last: dict[str, str] = {}

    def writer(label: str) -> None:
        project = project_ops.open_project(pg_url, backup=False)
        try:
            for step in range(60):
                memo = f"{label} {step} " + label * 200  # long enough to show a torn write
                server_ops.run(project, "Memo", coding_ops.set_memo, project, coding.id, memo)
                last[label] = memo
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            project.close()

    threads = [threading.Thread(target=writer, args=(label,)) for label in "AB"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    check = project_ops.open_project(pg_url)
    [stored] = coding_ops.document_codings(check, document, viewer_id=coder, layers=[coder])
    check.close()
    assert stored.memo in last.values()  # the last writer won, whole
    assert (stored.start, stored.end, stored.code_id) == (0, 9, code)
