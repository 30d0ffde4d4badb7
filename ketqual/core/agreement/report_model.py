"""Plain result types of the agreement report, columnar so large reports stay cheap.

A :class:`ScopeTable` holds one unit kind at one scope (e.g. sentences per code pooled
over documents) as arrays: one row per key, one value and reason column per coefficient,
and bootstrap columns where computed. ``to_dict()`` turns everything into lists of flat
dicts of Python scalars, ready for ``json.dumps`` or ``csv.DictWriter``.
"""

from __future__ import annotations

import functools
import math
from dataclasses import asdict, dataclass, field
from functools import cached_property

import numpy as np

from ketqual.core.agreement.binary import DEFINED, REASONS
from ketqual.core.agreement.result import Statistic, undefined
from ketqual.core.agreement.tables import Table2x2

COUNT_NAMES = ("both", "a_only", "b_only", "neither")
BOOTSTRAP_METHOD = "percentile bootstrap over documents"


def _floats_or_none(values: np.ndarray, keep: np.ndarray | None = None) -> list[float | None]:
    """``values`` as Python floats, ``None`` where not finite or not ``keep`` (numpy does
    the work: reports hold millions of such cells)."""
    out = values.astype(object)
    drop = ~np.isfinite(values)
    if keep is not None:
        drop |= ~keep
    out[drop] = None
    return out.tolist()


@functools.cache
def _reason_texts() -> np.ndarray:
    """Reason code -> text (``None`` for defined) as an array to index with codes."""
    texts = np.full(max(REASONS) + 1, None, dtype=object)
    for code, text in REASONS.items():
        texts[code] = text
    return texts


@dataclass(frozen=True)
class Bootstrap:
    """Bootstrap results for one coefficient over the rows of a table.

    Attributes:
        ci_low: Lower percentile bound per row (NaN where no replicate was defined).
        ci_high: Upper bound per row.
        se: Standard deviation of the defined replicates per row.
        n_defined: Number of replicates in which the coefficient was defined, per row.
    """

    ci_low: np.ndarray
    ci_high: np.ndarray
    se: np.ndarray
    n_defined: np.ndarray


@dataclass(frozen=True)
class ScopeTable:
    """Agreement of one unit kind at one scope.

    Attributes:
        unit: ``"character"``, ``"sentence"``, ``"paragraph"`` or ``"document"``.
        scope: ``"code_document"``, ``"code"``, ``"document"``, ``"theme"`` or ``"overall"``.
        key_names: Names of the key fields, e.g. ``("code_id", "document_id")``.
        keys: One key tuple per row.
        counts: ``(rows, 4)`` int array: both, a_only, b_only, neither.
        values: Coefficient name -> float array (NaN where undefined).
        reasons: Coefficient name -> int8 reason codes (0 = defined; see ``REASONS``).
        bootstrap: Coefficient name -> :class:`Bootstrap`, for headline scopes.
    """

    unit: str
    scope: str
    key_names: tuple[str, ...]
    keys: tuple[tuple[object, ...], ...]
    counts: np.ndarray
    values: dict[str, np.ndarray]
    reasons: dict[str, np.ndarray]
    bootstrap: dict[str, Bootstrap] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.keys)

    @cached_property
    def _index(self) -> dict[tuple[object, ...], int]:
        return {key: i for i, key in enumerate(self.keys)}

    def row(self, *key: object) -> int:
        """Index of the row with this key (e.g. ``table.row("code-1", "doc-7")``).

        Raises:
            KeyError: When no row has this key.
        """
        return self._index[tuple(key)]

    def table(self, row: int) -> Table2x2:
        """The 2x2 counts of one row."""
        return Table2x2(*(int(x) for x in self.counts[row]))

    def statistic(self, row: int, name: str) -> Statistic:
        """One coefficient of one row as a :class:`Statistic` (with bootstrap CI if any)."""
        n = int(self.counts[row].sum())
        code = int(self.reasons[name][row])
        if code != DEFINED:
            return undefined(name, REASONS[code], n=n)
        boot = self.bootstrap.get(name)
        if boot is None or not math.isfinite(boot.ci_low[row]):
            return Statistic(name=name, value=float(self.values[name][row]), n=n)
        se = float(boot.se[row]) if math.isfinite(boot.se[row]) else None
        return Statistic(
            name=name,
            value=float(self.values[name][row]),
            se=se,
            ci_low=float(boot.ci_low[row]),
            ci_high=float(boot.ci_high[row]),
            n=n,
            ci_method=BOOTSTRAP_METHOD,
        )

    def columns(self) -> dict[str, list[object]]:
        """The fields of :meth:`rows`, column by column (name -> one value per row).

        Cheaper than :meth:`rows` for large tables: every column is built by numpy, and a
        writer can zip the columns into arrays instead of making one dict per row.
        """
        columns: dict[str, list[object]] = {}
        for j, kname in enumerate(self.key_names):
            columns[kname] = [k[j] for k in self.keys]
        for j, cname in enumerate(COUNT_NAMES):
            columns[cname] = self.counts[:, j].tolist()
        reason_text = _reason_texts()
        for name, vals in self.values.items():
            codes = self.reasons[name]
            columns[name] = _floats_or_none(vals, codes == DEFINED)
            columns[f"{name}_reason"] = reason_text[codes].tolist()
            boot = self.bootstrap.get(name)
            if boot is not None:
                columns[f"{name}_ci_low"] = _floats_or_none(boot.ci_low)
                columns[f"{name}_ci_high"] = _floats_or_none(boot.ci_high)
                columns[f"{name}_se"] = _floats_or_none(boot.se)
                columns[f"{name}_boot_defined"] = boot.n_defined.tolist()
        return columns

    def rows(self) -> list[dict[str, object]]:
        """Flat dicts, one per row: keys, counts, then ``<name>``, ``<name>_reason`` and,
        with a bootstrap, ``<name>_ci_low``, ``<name>_ci_high``, ``<name>_se``,
        ``<name>_boot_defined``."""
        columns = self.columns()
        names = list(columns)
        return [dict(zip(names, vals, strict=True)) for vals in zip(*columns.values(), strict=True)]

    def to_dict(self) -> dict[str, object]:
        """Return ``{"unit", "scope", "key_names", "rows"}`` with plain values."""
        return {
            "unit": self.unit,
            "scope": self.scope,
            "key_names": list(self.key_names),
            "rows": self.rows(),
        }


@dataclass(frozen=True)
class SegmentTable:
    """Segment matching counts (see :mod:`~ketqual.core.agreement.matching`) at one scope.

    Attributes:
        scope: As in :class:`ScopeTable`.
        key_names: Names of the key fields.
        keys: One key tuple per row.
        n_a: Coder A's merged segments per row.
        n_b: Coder B's.
        matched: Matched pairs per row.
    """

    scope: str
    key_names: tuple[str, ...]
    keys: tuple[tuple[object, ...], ...]
    n_a: np.ndarray
    n_b: np.ndarray
    matched: np.ndarray

    def columns(self) -> dict[str, list[object]]:
        """The fields of :meth:`rows`, column by column (name -> one value per row)."""
        columns: dict[str, list[object]] = {}
        for j, kname in enumerate(self.key_names):
            columns[kname] = [k[j] for k in self.keys]
        n_a, n_b, matched = self.n_a.tolist(), self.n_b.tolist(), self.matched.tolist()
        columns.update(n_a=n_a, n_b=n_b, matched=matched)
        columns["unmatched_a"] = [a - m for a, m in zip(n_a, matched, strict=True)]
        columns["unmatched_b"] = [b - m for b, m in zip(n_b, matched, strict=True)]
        columns["percent_agreement"] = [
            m / (a + b - m) if a + b - m else None
            for a, b, m in zip(n_a, n_b, matched, strict=True)
        ]
        columns["dice"] = [
            2 * m / (a + b) if a + b else None for a, b, m in zip(n_a, n_b, matched, strict=True)
        ]
        return columns

    def rows(self) -> list[dict[str, object]]:
        """Flat dicts with counts, ``percent_agreement`` and ``dice`` (None when no
        segments)."""
        columns = self.columns()
        names = list(columns)
        return [dict(zip(names, vals, strict=True)) for vals in zip(*columns.values(), strict=True)]

    def to_dict(self) -> dict[str, object]:
        """Return ``{"scope", "key_names", "rows"}``."""
        return {"scope": self.scope, "key_names": list(self.key_names), "rows": self.rows()}


@dataclass(frozen=True)
class NvivoSummary:
    """NVivo-style averages of per code x document kappas (and percent agreements).

    NVivo reports kappa per code and source and leaves averaging to the user; its help
    describes both a plain and a source-size-weighted average, and treats complete
    agreement, including neither user coding a source, as kappa = 1. ``*_nvivo`` fields
    follow that convention; the others drop undefined kappas.

    Attributes:
        unit: Unit kind the per-document kappas were computed on.
        code_id: The code, or ``None`` for all codes together.
        n_pairs: Code x document pairs averaged.
        n_undefined: Pairs whose kappa is undefined.
        mean_kappa: Unweighted mean of the defined kappas.
        weighted_mean_kappa: Mean of the defined kappas weighted by document size (units).
        mean_kappa_nvivo: Unweighted mean with undefined "complete agreement" cases as 1.
        weighted_mean_kappa_nvivo: Its size-weighted version.
        mean_percent_agreement: Unweighted mean percent agreement.
        weighted_mean_percent_agreement: Size-weighted (equals pooled percent agreement).
    """

    unit: str
    code_id: object
    n_pairs: int
    n_undefined: int
    mean_kappa: float | None
    weighted_mean_kappa: float | None
    mean_kappa_nvivo: float | None
    weighted_mean_kappa_nvivo: float | None
    mean_percent_agreement: float | None
    weighted_mean_percent_agreement: float | None

    def to_dict(self) -> dict[str, object]:
        """Return the fields as a plain dict."""
        return asdict(self)


@dataclass(frozen=True)
class ReportWarning:
    """A caution about the data behind some figures.

    Attributes:
        kind: ``"few_documents"``, ``"few_coded_units"``, ``"extreme_prevalence"``,
            ``"no_units"`` or ``"bootstrap_undefined"``.
        unit: Unit kind concerned, if any.
        scope: Scope concerned, if any.
        key: Row key concerned, if any.
        message: Sentence for a user.
    """

    kind: str
    unit: str | None
    scope: str | None
    key: tuple[object, ...] | None
    message: str

    def to_dict(self) -> dict[str, object]:
        """Return the fields as a plain dict."""
        d = asdict(self)
        d["key"] = list(self.key) if self.key is not None else None
        return d


@dataclass(frozen=True)
class AgreementReport:
    """Everything the report builder computed, with the parameters it used.

    Attributes:
        parameters: Settings, unit definitions and method notes (plain values).
        tables: ``(unit, scope)`` -> :class:`ScopeTable`.
        segments: scope -> :class:`SegmentTable` (character spans of each code).
        nvivo: NVivo-style summaries per unit and code, then all codes.
        warnings: Cautions about small samples and extreme prevalence.
    """

    parameters: dict[str, object]
    tables: dict[tuple[str, str], ScopeTable]
    segments: dict[str, SegmentTable]
    nvivo: tuple[NvivoSummary, ...]
    warnings: tuple[ReportWarning, ...]

    def table(self, unit: str, scope: str) -> ScopeTable:
        """The :class:`ScopeTable` for a unit kind and scope."""
        return self.tables[(unit, scope)]

    def to_dict(self) -> dict[str, object]:
        """Return the whole report as nested plain dicts and lists."""
        return {
            "parameters": self.parameters,
            "tables": [t.to_dict() for t in self.tables.values()],
            "segments": [s.to_dict() for s in self.segments.values()],
            "nvivo": [s.to_dict() for s in self.nvivo],
            "warnings": [w.to_dict() for w in self.warnings],
        }
