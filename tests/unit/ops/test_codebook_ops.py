"""Codebook operations: each changes the tree, logs an audit event and a codebook version."""

from __future__ import annotations

import json

import pytest

from ketqual.core import codebook as cb
from ketqual.ops import audit_ops, project_ops, queries
from ketqual.ops.codebook import codebook_ops
from ketqual.ops.errors import NeedsConfirmation, OperationError
from tests.factories import add_coder, add_codings, add_document, make_project


def _codes(project):
    codes, counts = queries.list_codes(project)
    return {codebook_ops.code_path(codes, c): c for c in codes}, counts


def _versions(project) -> int:
    with project.read() as tx:
        return len(tx.codebook_versions.list())


@pytest.fixture
def project(tmp_path):
    project = make_project(tmp_path)
    yield project
    project.close()


def test_default_codebook_has_ten_themes_thirteen_subthemes_and_keys(project):
    codes, _ = _codes(project)
    themes = [c for c in codes.values() if c.parent_id is None]
    subthemes = [c for c in codes.values() if c.parent_id is not None]
    assert [t.name for t in sorted(themes, key=lambda c: c.sort_order)] == [
        "Monitoring",
        "Information",
        "Effect on daily life",
        "Side-effects",
        "Recreational use",
        "Effectiveness",
        "Appropriate support",
        "Cost",
        "Stigma",
        "Therapy",
    ]
    assert len(subthemes) == 13
    assert sorted(t.shortcut for t in themes) == sorted("1234567890")
    assert all(c.definition and c.include and c.exclude for c in codes.values())
    assert len({c.colour for c in themes}) == 10
    with project.read() as tx:
        assert (
            tx.project.describe()["settings"]["codebook_description"].lower().count("propos") >= 1
        )


def test_add_rename_recolour_define_are_logged_and_versioned(project):
    before = _versions(project)
    cost = codebook_ops.find_code(project, "Cost")
    change = codebook_ops.add_code(project, "Prescription charges", parent_id=cost.id, actor="sup")
    assert change.codebook and change.codes
    new_id = change.codes[0]
    codebook_ops.rename_code(project, new_id, "Prescription and travel charges", actor="sup")
    codebook_ops.recolour_code(project, new_id, "#123456", actor="sup")
    codebook_ops.update_code(
        project, new_id, definition="Money patients pay.", example="P4: £9.90 a go", actor="sup"
    )
    codes, _ = _codes(project)
    code = codes["Cost/Prescription and travel charges"]
    assert (code.colour, code.definition, code.example) == (
        "#123456",
        "Money patients pay.",
        "P4: £9.90 a go",
    )
    assert _versions(project) == before + 4
    actions = [e.action for e in audit_ops.audit_log(project, limit=4)]
    assert actions == ["code.edit", "code.recolour", "code.rename", "code.add"]
    assert all(e.actor == "sup" for e in audit_ops.audit_log(project, limit=4))


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda p, ids: codebook_ops.add_code(p, "Cost"), "already a theme called 'Cost'"),
        (lambda p, ids: codebook_ops.add_code(p, "  "), "needs a name"),
        (lambda p, ids: codebook_ops.add_code(p, "A/B"), "may not contain"),
        (lambda p, ids: codebook_ops.add_code(p, "New", shortcut="1"), "already the shortcut"),
        (
            lambda p, ids: codebook_ops.add_code(p, "Deep", parent_id=ids["sub"]),
            "cannot have subthemes",
        ),
        (lambda p, ids: codebook_ops.recolour_code(p, ids["theme"], "red"), "#RRGGBB"),
        (lambda p, ids: codebook_ops.rename_code(p, 99999, "x"), "no code with id"),
        (
            lambda p, ids: codebook_ops.move_code(p, ids["theme"], parent_id=ids["other"]),
            "has subthemes",
        ),
        (
            lambda p, ids: codebook_ops.merge_codes(p, ids["theme"], ids["theme"]),
            "two different codes",
        ),
    ],
)
def test_invalid_codebook_edits_are_refused_and_change_nothing(project, call, message):
    codes, _ = _codes(project)
    ids = {
        "theme": codes["Monitoring"].id,
        "other": codes["Cost"].id,
        "sub": codes["Side-effects/Physical effects"].id,
    }
    before = _versions(project)
    with pytest.raises(OperationError, match=message):
        call(project, ids)
    assert _codes(project)[0] == codes
    assert _versions(project) == before


def test_move_subtheme_to_another_theme_and_reorder(project):
    codes, _ = _codes(project)
    sub = codes["Side-effects/Tolerance and dependency"]
    codebook_ops.move_code(project, sub.id, parent_id=codes["Recreational use"].id, position=0)
    codes, _ = _codes(project)
    moved = codes["Recreational use/Tolerance and dependency"]
    siblings = sorted(
        (c for c in codes.values() if c.parent_id == moved.parent_id), key=lambda c: c.sort_order
    )
    assert siblings[0].id == moved.id
    codebook_ops.move_code(project, moved.id, parent_id=None)
    assert _codes(project)[0]["Tolerance and dependency"].parent_id is None


def test_moving_a_theme_under_another_drops_its_shortcut(project):
    codes, _ = _codes(project)
    codebook_ops.move_code(project, codes["Therapy"].id, parent_id=codes["Appropriate support"].id)
    assert _codes(project)[0]["Appropriate support/Therapy"].shortcut is None


def test_merge_moves_codings_and_subthemes(project):
    codes, _ = _codes(project)
    doc = add_document(project)
    coder = add_coder(project)
    add_codings(
        project, doc, codes["Side-effects/Physical effects"].id, coder, [(10, 20), (30, 40)]
    )
    add_codings(project, doc, codes["Side-effects"].id, coder, [(50, 60)])
    change = codebook_ops.merge_codes(
        project,
        codes["Side-effects/Physical effects"].id,
        codes["Side-effects/Mental and cognitive effects"].id,
    )
    assert change.details["codings_moved"] == 2
    after, counts = _codes(project)
    assert "Side-effects/Physical effects" not in after
    assert counts[after["Side-effects/Mental and cognitive effects"].id] == 2
    # A theme with subthemes merged into another theme: subthemes come along.
    codebook_ops.merge_codes(project, after["Side-effects"].id, after["Effect on daily life"].id)
    after, counts = _codes(project)
    assert "Effect on daily life/Mental and cognitive effects" in after
    assert counts[after["Effect on daily life"].id] == 1
    assert sum(counts.values()) == 3


def test_merge_theme_with_subthemes_into_subtheme_is_refused(project):
    codes, _ = _codes(project)
    with pytest.raises(OperationError, match="has subthemes"):
        codebook_ops.merge_codes(
            project, codes["Monitoring"].id, codes["Information/Knowledge of doctors and staff"].id
        )


def test_delete_with_codings_needs_confirmation_and_retire_keeps_them(project):
    codes, _ = _codes(project)
    doc = add_document(project)
    coder = add_coder(project)
    add_codings(project, doc, codes["Cost"].id, coder, [(0, 5)])
    with pytest.raises(NeedsConfirmation, match="1 codings"):
        codebook_ops.delete_code(project, codes["Cost"].id)
    codebook_ops.retire_code(project, codes["Cost"].id)
    after, counts = _codes(project)
    assert not after["Cost"].active and counts[after["Cost"].id] == 1
    codebook_ops.retire_code(project, codes["Cost"].id, retired=False)
    assert _codes(project)[0]["Cost"].active
    change = codebook_ops.delete_code(project, codes["Cost"].id, confirm=True)
    assert change.details["codings_deleted"] == 1
    assert "Cost" not in _codes(project)[0]


def test_delete_theme_takes_its_subthemes(project):
    codes, _ = _codes(project)
    codebook_ops.delete_code(project, codes["Effect on daily life"].id)
    after, _ = _codes(project)
    assert not [p for p in after if p.startswith("Effect on daily life")]


def test_export_import_round_trip(project, tmp_path):
    path = codebook_ops.export_codebook(project, tmp_path / "book.json")
    exported = cb.loads(path.read_text(encoding="utf-8"))
    assert len(exported.walk()) == 23
    other = project_ops.new_project(tmp_path / "other.ketqual", codebook=None)
    change = codebook_ops.import_codebook(other, path)
    assert change.details == {"added": 23, "updated": 0}
    assert {p: (c.colour, c.shortcut, c.definition) for p, c in _codes(other)[0].items()} == {
        p: (c.colour, c.shortcut, c.definition) for p, c in _codes(project)[0].items()
    }
    # Importing again matches by uid: nothing is duplicated.
    assert codebook_ops.import_codebook(other, path).details == {"added": 0, "updated": 23}
    other.close()


def test_import_matches_renamed_codes_by_uid(project, tmp_path):
    path = codebook_ops.export_codebook(project, tmp_path / "book.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["codes"][7]["name"] = "Costs and money"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert codebook_ops.import_codebook(project, path).details["added"] == 0
    assert "Costs and money" in _codes(project)[0]


@pytest.mark.parametrize(
    "content, message",
    [
        ("{not json", "not valid JSON"),
        ('{"format": "something-else"}', "not a KetQual codebook"),
        ('{"format": "ketqual-codebook", "format_version": 7, "codes": []}', "format version 7"),
        ('{"format": "ketqual-codebook", "codes": []}', "has no codes"),
        ('{"format": "ketqual-codebook", "codes": [{"name": "A"}, {"name": "a"}]}', "two themes"),
        ('{"format": "ketqual-codebook", "codes": [{"name": "A", "colour": "blue"}]}', "#RRGGBB"),
        (
            '{"format": "ketqual-codebook", "codes": [{"name": "A", "children": [{"name": "B", "children": [{"name": "C"}]}]}]}',
            "two levels",
        ),
    ],
)
def test_bad_codebook_files_get_a_clear_message(project, tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(OperationError, match=message):
        codebook_ops.import_codebook(project, path)


def test_missing_colours_come_from_the_palette(tmp_path):
    book = cb.loads(
        '{"format": "ketqual-codebook", "codes": [{"name": "A", "children": [{"name": "B"}]}]}'
    )
    theme = book.codes[0]
    assert theme.colour.startswith("#") and theme.children[0].colour != theme.colour
