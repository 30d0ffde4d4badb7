"""Pack and merge work the same on a SQLite file and a PostgreSQL server."""

from __future__ import annotations

from ketqual.ops import project_ops
from ketqual.ops.coding import coding_ops
from ketqual.ops.team import package_merge, package_pack
from tests.factories import add_coder, add_codings, add_document


def test_pack_and_merge_on_either_backend(project_target, tmp_path):
    project = project_ops.new_project(project_target, codebook="default", actor="tester")
    try:
        doc = add_document(project)
        ann = add_coder(project, "Ann")
        add_coder(project, "Ben")
        add_coder(project, "Boss", role="supervisor")
        with project.read() as tx:
            code = tx.codes.list()[0].id
        add_codings(project, doc, code, ann, [(0, 10), (20, 30)])
        package = tmp_path / "ann.kqpkg"
        result = package_pack.pack(project, coder="Ann", supervisor="Boss", output=package)
        assert result.counts["coding"] == 2
        work_path, _made = package_pack.unpack(package)
        work = project_ops.open_project(work_path, backup=False)
        with work.read() as tx:
            coder = tx.coders.list()[0].id
            first = tx.codings.list()[0].id
        coding_ops.add_codings(work, coder, [coding_ops.NewCoding(doc, code, 40, 50)])
        coding_ops.remove_codings(work, [first])
        work.close()
        returned = package_pack.return_package(work_path, tmp_path / "back.kqpkg")
        report = package_merge.merge_package(project, returned, supervisor="Boss")
        assert (report.codings_added, report.codings_removed, report.codings_unchanged) == (1, 1, 1)
        with project.read() as tx:
            spans = sorted((c.start, c.end) for c in tx.codings.list(coder_id=ann))
        assert spans == [(20, 30), (40, 50)]
        assert not package_merge.merge_package(project, returned, supervisor="Boss").changed
    finally:
        project.close()
