"""The bundle's stand-in for ``blis.py`` computes what the real one computes."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy
import pytest

blis_py = pytest.importorskip("blis.py")

LEAN = Path(__file__).resolve().parents[2] / "installer" / "lean" / "blis_py.py"


def _lean():
    spec = importlib.util.spec_from_file_location("lean_blis_py", LEAN)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("trans1", [False, True])
@pytest.mark.parametrize("trans2", [False, True])
def test_gemm_matches_blis(dtype, trans1, trans2):
    lean = _lean()
    rng = numpy.random.default_rng(7)
    a = rng.standard_normal((5, 3) if not trans1 else (3, 5)).astype(dtype)
    b = rng.standard_normal((3, 4) if not trans2 else (4, 3)).astype(dtype)
    if dtype == "float32":
        expected = blis_py.gemm(a, b, trans1=trans1, trans2=trans2)
    else:
        # blis 1.x sizes a new float64 result from the untransposed shapes (a bug thinc never
        # meets: its arrays are float32), so float64 is checked against NumPy itself.
        expected = (a.T if trans1 else a) @ (b.T if trans2 else b)
    got = lean.gemm(a, b, trans1=trans1, trans2=trans2)
    assert got.dtype == expected.dtype and got.shape == expected.shape == (5, 4)
    numpy.testing.assert_allclose(got, expected, rtol=1e-5)
    # thinc's call: into a given array with beta=0 (the old contents are ignored)
    out_lean = numpy.full((5, 4), 9.0, dtype=dtype)
    assert lean.gemm(a, b, out=out_lean, trans1=trans1, trans2=trans2, beta=0.0) is out_lean
    if dtype == "float32":
        expected = numpy.full((5, 4), 9.0, dtype=dtype)
        blis_py.gemm(a, b, out=expected, trans1=trans1, trans2=trans2, beta=0.0)
    numpy.testing.assert_allclose(out_lean, expected, rtol=1e-5)


def test_alpha_beta_and_shape_errors():
    lean = _lean()
    a = numpy.ones((2, 3), dtype="float32")
    b = numpy.ones((3, 2), dtype="float32")
    out = numpy.ones((2, 2), dtype="float32")
    lean.gemm(a, b, out=out, alpha=2.0, beta=0.5)
    numpy.testing.assert_allclose(out, numpy.full((2, 2), 6.5))
    with pytest.raises(ValueError, match="Shape mismatch"):
        lean.gemm(a, a)
