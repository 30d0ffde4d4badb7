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

from ketqual.core.agreement.binary import DEFINED, REASONS, safe_divide
from ketqual.core.agreement.result import Statistic, undefined, with_wald_ci
from ketqual.core.agreement.tables import Table2x2

COUNT_NAMES = ("both", "a_only", "b_only", "neither")
BOOTSTRAP_METHOD = "percentile bootstrap over documents"
ANALYTIC_METHOD = (
    "analytic SE treating units as independent (Gwet 2014 linearisation; Fleiss, Nee & "
    "Landis 1979 under no agreement); Wald interval, clipped"
)


def coverage_names(n_coders: int) -> tuple[str, ...]:
    """Count columns of a table of three or more coders: units coded by exactly k coders."""
    return tuple(f"coded_by_{k}" for k in range(n_coders + 1))


def _floats_or_none(values: np.ndarray, keep: np.ndarray | None = None) -> list[object]:
    """``values`` as Python floats, ``None`` where not finite or not ``keep`` (numpy does
    the work: reports hold millions of such cells). Typed as a column of
    :meth:`ScopeTable.columns`."""
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
        count_names: Names of the count columns: :data:`COUNT_NAMES` for two coders, or
            ``coded_by_0 .. coded_by_m`` (units coded by exactly k of m coders).
        analytic: Coefficient name -> ``(se, se_null)`` arrays (NaN where none), for
            coefficients with analytic standard errors (Fleiss' kappa, AC1 of m coders).
    """

    unit: str
    scope: str
    key_names: tuple[str, ...]
    keys: tuple[tuple[object, ...], ...]
    counts: np.ndarray
    values: dict[str, np.ndarray]
    reasons: dict[str, np.ndarray]
    bootstrap: dict[str, Bootstrap] = field(default_factory=dict)
    count_names: tuple[str, ...] = COUNT_NAMES
    analytic: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)

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

    @property
    def n_coders(self) -> int:
        """How many coders the counts are about."""
        return 2 if self.count_names == COUNT_NAMES else len(self.count_names) - 1

    def table(self, row: int) -> Table2x2:
        """The 2x2 counts of one row (two coders only).

        Raises:
            ValueError: For a table of three or more coders (see :meth:`coverage`).
        """
        if self.count_names != COUNT_NAMES:
            raise ValueError("a table of three or more coders has no 2x2 counts")
        return Table2x2(*(int(x) for x in self.counts[row]))

    def coverage(self, row: int) -> list[int]:
        """Units coded by exactly 0, 1, ..., m coders in one row (any number of coders)."""
        c = [int(x) for x in self.counts[row]]
        if self.count_names == COUNT_NAMES:
            return [c[3], c[1] + c[2], c[0]]
        return c

    def coded_and_prevalence(self) -> tuple[np.ndarray, np.ndarray]:
        """Per row: units coded by any coder, and the mean share of units coded."""
        c = self.counts.astype(np.float64)
        if self.count_names == COUNT_NAMES:
            a, b, cc, d = (c[:, j] for j in range(4))
            n = a + b + cc + d
            return a + b + cc, safe_divide(2 * a + b + cc, 2 * n, n > 0)
        m = c.shape[1] - 1
        n = c.sum(axis=1)
        return n - c[:, 0], safe_divide(c @ np.arange(m + 1), m * n, n > 0)

    def statistic(self, row: int, name: str) -> Statistic:
        """One coefficient of one row as a :class:`Statistic` (with bootstrap CI if any;
        ``se_null`` holds an analytic SE under no agreement where there is one)."""
        n = int(self.counts[row].sum())
        code = int(self.reasons[name][row])
        if code != DEFINED:
            return undefined(name, REASONS[code], n=n)
        se_null = None
        if name in self.analytic and math.isfinite(self.analytic[name][1][row]):
            se_null = float(self.analytic[name][1][row])
        boot = self.bootstrap.get(name)
        if boot is None or not math.isfinite(boot.ci_low[row]):
            return Statistic(name=name, value=float(self.values[name][row]), n=n, se_null=se_null)
        se = float(boot.se[row]) if math.isfinite(boot.se[row]) else None
        return Statistic(
            name=name,
            value=float(self.values[name][row]),
            se=se,
            ci_low=float(boot.ci_low[row]),
            ci_high=float(boot.ci_high[row]),
            se_null=se_null,
            n=n,
            ci_method=BOOTSTRAP_METHOD,
        )

    def analytic_statistic(self, row: int, name: str) -> Statistic | None:
        """The coefficient with its analytic SE and Wald interval, or ``None`` without one."""
        if name not in self.analytic or int(self.reasons[name][row]) != DEFINED:
            return None
        se, se_null = (float(x[row]) for x in self.analytic[name])
        if not math.isfinite(se):
            return None
        return with_wald_ci(
            name,
            float(self.values[name][row]),
            se,
            n=int(self.counts[row].sum()),
            se_null=se_null if math.isfinite(se_null) else None,
            method=ANALYTIC_METHOD,
        )

    def columns(self, *, reason_codes: bool = False) -> dict[str, list[object]]:
        """The fields of :meth:`rows`, column by column (name -> one value per row).

        Cheaper than :meth:`rows` for large tables: every column is built by numpy, and a
        writer can zip the columns into arrays instead of making one dict per row.

        Args:
            reason_codes: Give ``<name>_reason`` as the reason's number in ``REASONS``
                (``None`` when defined) instead of its text, for compact files.
        """
        columns: dict[str, list[object]] = {}
        for j, kname in enumerate(self.key_names):
            columns[kname] = [k[j] for k in self.keys]
        for j, cname in enumerate(self.count_names):
            columns[cname] = self.counts[:, j].tolist()
        reason_text = _reason_texts()
        for name, vals in self.values.items():
            codes = self.reasons[name]
            columns[name] = _floats_or_none(vals, codes == DEFINED)
            if reason_codes:
                numbers = codes.astype(object)
                numbers[codes == DEFINED] = None
                columns[f"{name}_reason"] = numbers.tolist()
            else:
                columns[f"{name}_reason"] = reason_text[codes].tolist()
            boot = self.bootstrap.get(name)
            if boot is not None:
                columns[f"{name}_ci_low"] = _floats_or_none(boot.ci_low)
                columns[f"{name}_ci_high"] = _floats_or_none(boot.ci_high)
                columns[f"{name}_se"] = _floats_or_none(boot.se)
                columns[f"{name}_boot_defined"] = boot.n_defined.tolist()
            if name in self.analytic:
                se, se_null = self.analytic[name]
                columns[f"{name}_se_analytic"] = _floats_or_none(se)
                columns[f"{name}_se_null"] = _floats_or_none(se_null)
        return columns

    def rows(self) -> list[dict[str, object]]:
        """Flat dicts, one per row: keys, counts, then ``<name>``, ``<name>_reason`` and,
        with a bootstrap, ``<name>_ci_low``, ``<name>_ci_high``, ``<name>_se``,
        ``<name>_boot_defined``; with an analytic SE, ``<name>_se_analytic`` and
        ``<name>_se_null``."""
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
class PairwiseTable:
    """Every pair of coders on one unit kind, pooled over all codes and documents.

    Attributes:
        unit: Unit kind.
        coders: Coder names, in report order.
        pairs: ``(i, j)`` coder indices of each pair, ``i < j``.
        counts: ``(P, 4)`` 2x2 counts of each pair (both, first only, second only, neither).
        values: Coefficient name -> ``(P,)`` values (NaN where undefined).
        reasons: Coefficient name -> ``(P,)`` reason codes.
        bootstrap: Coefficient name -> :class:`Bootstrap` over the pairs.
    """

    unit: str
    coders: tuple[str, ...]
    pairs: tuple[tuple[int, int], ...]
    counts: np.ndarray
    values: dict[str, np.ndarray]
    reasons: dict[str, np.ndarray]
    bootstrap: dict[str, Bootstrap] = field(default_factory=dict)

    def statistic(self, pair: int, name: str) -> Statistic:
        """One pair's coefficient (with bootstrap CI if any)."""
        probe = ScopeTable(
            self.unit, "pair", (), tuple(() for _ in self.pairs), self.counts,
            self.values, self.reasons, self.bootstrap,
        )  # fmt: skip
        return probe.statistic(pair, name)

    def matrix(self, name: str = "cohen_kappa") -> np.ndarray:
        """``(m, m)`` matrix of the coefficient (NaN on the diagonal and where undefined)."""
        m = len(self.coders)
        out = np.full((m, m), np.nan)
        for p, (i, j) in enumerate(self.pairs):
            if self.reasons[name][p] == DEFINED:
                out[i, j] = out[j, i] = self.values[name][p]
        return out

    def departures(self, name: str = "cohen_kappa") -> list[tuple[str, float | None]]:
        """Each coder's mean coefficient with every other coder (``None`` if undefined).

        A coder whose mean is clearly below the others' is the one who departs from them.
        """
        matrix = self.matrix(name)
        out = []
        for i, coder in enumerate(self.coders):
            row = np.delete(matrix[i], i)
            row = row[np.isfinite(row)]
            out.append((coder, float(row.mean()) if row.size else None))
        return out

    def rows(self) -> list[dict[str, object]]:
        """One flat dict per pair: the two coders, counts and every coefficient."""
        out = []
        for p, (i, j) in enumerate(self.pairs):
            row: dict[str, object] = {"coder_1": self.coders[i], "coder_2": self.coders[j]}
            row.update(zip(COUNT_NAMES, (int(x) for x in self.counts[p]), strict=True))
            for name in self.values:
                stat = self.statistic(p, name)
                row[name] = stat.value
                row[f"{name}_reason"] = stat.reason
                row[f"{name}_ci_low"] = stat.ci_low
                row[f"{name}_ci_high"] = stat.ci_high
            out.append(row)
        return out

    def to_dict(self) -> dict[str, object]:
        """Return ``{"unit", "coders", "rows", "departures"}`` with plain values."""
        return {
            "unit": self.unit,
            "coders": list(self.coders),
            "rows": self.rows(),
            "departures": [{"coder": c, "mean_cohen_kappa": v} for c, v in self.departures()],
        }


@dataclass(frozen=True)
class AgreementReport:
    """Everything the report builder computed, with the parameters it used.

    Attributes:
        parameters: Settings, unit definitions and method notes (plain values).
        tables: ``(unit, scope)`` -> :class:`ScopeTable`.
        segments: scope -> :class:`SegmentTable` (character spans of each code).
        nvivo: NVivo-style summaries per unit and code, then all codes.
        warnings: Cautions about small samples and extreme prevalence.
        pairwise: unit -> :class:`PairwiseTable` (three or more coders).
    """

    parameters: dict[str, object]
    tables: dict[tuple[str, str], ScopeTable]
    segments: dict[str, SegmentTable]
    nvivo: tuple[NvivoSummary, ...]
    warnings: tuple[ReportWarning, ...]
    pairwise: dict[str, PairwiseTable] = field(default_factory=dict)

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
            "pairwise": [p.to_dict() for p in self.pairwise.values()],
        }
