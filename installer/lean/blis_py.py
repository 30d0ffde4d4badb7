"""``blis.py`` for the frozen app: BLIS's Python-level ``gemm`` done by NumPy.

The real ``blis.py`` is a 17 MB extension holding a second copy of the BLIS kernels (the
other is in ``blis.cy``, which thinc links against and the bundle keeps). thinc imports
``blis.py`` only to check that BLIS is there and to call ``gemm`` in
``NumpyOps.gemm``; KetQual's blank spaCy pipeline (a rule-based sentencizer) never
multiplies a matrix. So the bundle ships this module in its place: the same ``gemm``
contract, computed with NumPy (which has its own BLAS), and 17 MB lighter.
``tests/installer/test_lean_blis.py`` checks it against the real one.
"""

from __future__ import annotations

import numpy


def gemm(A, B, out=None, trans1=False, trans2=False, alpha=1.0, beta=1.0):
    """``out = alpha * op(A) @ op(B) + beta * out``, like ``blis.py.gemm``.

    ``op`` transposes when ``trans1``/``trans2`` is set. Without ``out`` a new array of
    A's dtype is made (zeros, so ``beta`` adds nothing). Shapes that do not fit raise
    ``ValueError`` as BLIS does.
    """
    a = A.T if trans1 else A
    b = B.T if trans2 else B
    if a.shape[1] != b.shape[0]:
        raise ValueError(
            f"Shape mismatch for blis.gemm: ({a.shape[0]}, {a.shape[1]}), "
            f"({b.shape[0]}, {b.shape[1]})"
        )
    product = numpy.matmul(a, b)
    if alpha != 1.0:
        product *= alpha
    if out is None:
        return product.astype(A.dtype, copy=False)
    if beta == 0.0:
        out[...] = product
    else:
        out *= beta
        out += product
    return out
