"""Typed changes: the areas an operation touched."""

from ketqual.ops.changes import Area, Change


def test_named_areas_win_over_the_action():
    change = Change("coding.add", "x", areas=frozenset({Area.CODINGS, Area.CONSENSUS}))
    assert change.touched() == {Area.CODINGS, Area.CONSENSUS}
    assert change.touches(Area.CONSENSUS) and not change.touches(Area.CODEBOOK)


def test_areas_read_off_legacy_fields():
    assert Change("code.rename", "x", codebook=True).touched() == {Area.CODEBOOK}
    assert Change("document.edit", "x", documents=(3,)).touched() == {Area.DOCUMENTS}
    assert Change("consensus.resolve", "x").touches(Area.CONSENSUS)
    assert Change("something.else", "x").touched() == frozenset()
