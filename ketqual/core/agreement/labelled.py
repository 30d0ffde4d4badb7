"""An agreement report together with what it is about: names, titles and provenance.

The report itself knows only ids; people need coder names, code paths and document
titles, and a reader of an exported file needs to know which project, which software
version and which settings produced it. :class:`AgreementResult` carries both, as plain
data that can cross threads and feed every exporter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

import numpy as np

from ketqual.core.agreement import explain
from ketqual.core.agreement.report_model import AgreementReport, ScopeTable
from ketqual.core.agreement.result import Statistic

# Machine names of statistics inside warning texts, longest first so that "alpha_u" is
# not read as "alpha".
_NAMES = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, explain.STATISTICS), key=len, reverse=True)) + r")\b"
)


@dataclass(frozen=True)
class Matrix:
    """One statistic of one unit kind for every code x document pair.

    Attributes:
        unit: Unit kind.
        name: Statistic name.
        code_ids: Row ids (analysed codes, in codebook order).
        document_ids: Column ids.
        values: ``(codes, documents)`` floats, NaN where undefined.
        table: The ``code_document`` :class:`ScopeTable` behind it (for :meth:`cell`).
    """

    unit: str
    name: str
    code_ids: tuple[object, ...]
    document_ids: tuple[object, ...]
    values: np.ndarray
    table: ScopeTable

    def cell(self, row: int, column: int) -> Statistic:
        """The statistic of one code (row) and document (column)."""
        return self.table.statistic(row * len(self.document_ids) + column, self.name)


@dataclass(frozen=True)
class AgreementResult:
    """A computed report with its context.

    Attributes:
        report: The engine's :class:`AgreementReport` (ids only).
        project_name: Name of the project.
        coder_a: Name of the first layer (a coder, or ``"Consensus"``).
        coder_b: Name of the second layer.
        documents: Document id -> title, in report order.
        document_labels: Document id -> short label for column headings.
        codes: Code id -> path (``Theme/Subtheme``) for every code of the codebook.
        version: KetQual version that computed it.
        computed_at: ISO 8601 UTC time of the computation.
        computed_by: Who asked for it (for the record), if known.
        extra: Further plain facts to record (e.g. the document selection).
        coders: Every layer's name when three or more were compared (``coder_a`` and
            ``coder_b`` are then the first two).
    """

    report: AgreementReport
    project_name: str
    coder_a: str
    coder_b: str
    documents: dict[object, str]
    document_labels: dict[object, str]
    codes: dict[object, str]
    version: str
    computed_at: str
    computed_by: str | None = None
    extra: dict[str, object] = field(default_factory=dict)
    coders: tuple[str, ...] = ()

    @property
    def layer_names(self) -> tuple[str, ...]:
        """The names of the compared layers, in report order."""
        return self.coders or (self.coder_a, self.coder_b)

    @property
    def n_coders(self) -> int:
        """How many layers were compared."""
        return len(self.layer_names)

    def who(self) -> str:
        """The compared layers in words: ``"Ann and Bob"``, ``"Ann, Bob and Cy"``."""
        names = self.layer_names
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    def headline(self) -> tuple[str, ...]:
        """The headline statistics: Cohen's kappa first for two coders, Fleiss' for more."""
        return explain.HEADLINE if self.n_coders == 2 else explain.HEADLINE_MULTI

    def pairwise(self, unit: str):
        """The table of coder pairs of one unit kind, or ``None`` for two coders."""
        return self.report.pairwise.get(unit)

    @property
    def kappa_name(self) -> str:
        """The kappa of this report: Cohen's for two coders, Fleiss' for three or more."""
        return "cohen_kappa" if self.n_coders == 2 else "fleiss_kappa"

    def overall_kappas(self, unit: str) -> list[tuple[str, Statistic]]:
        """The three "overall kappas" over all codes of a unit kind, each labelled."""
        out = []
        for name, text in explain.OVERALL_KAPPAS:
            stat = self.pooled(unit, self.kappa_name if name == "stacked" else name)
            if name == "stacked":
                text += f" ({explain.label(self.kappa_name)})"
            out.append((text, stat))
        return out

    def across_codes(self) -> list[tuple[str, Statistic, list[tuple[object, Statistic]]]]:
        """The unitizing alphas across codes on characters: ``(name, overall, per theme)``.

        Empty when characters were not computed.
        """
        if "character" not in self.units:
            return []
        return [
            (name, self.pooled("character", name), self.per_theme("character", name))
            for name in explain.UNITIZING_ACROSS
        ]

    def overlapping_codes(self) -> dict[str, dict[str, int]]:
        """Per coder: characters coded with two or more codes, and in how many documents."""
        return dict(cast(dict, self.parameters.get("overlapping_codes") or {}))

    @property
    def parameters(self) -> dict[str, object]:
        """The report's parameters (level, units, seed, replicates, definitions ...)."""
        return self.report.parameters

    @property
    def units(self) -> tuple[str, ...]:
        """Unit kinds computed, in order."""
        return tuple(cast(Iterable[str], self.report.parameters["units"]))

    @property
    def level(self) -> str:
        """``"theme"`` or ``"subtheme"``."""
        return str(self.report.parameters["level"])

    def code_ids(self) -> tuple[object, ...]:
        """Analysed codes in report order (themes only at theme level)."""
        return tuple(k[0] for k in self.report.table(self.units[0], "code").keys)

    def document_ids(self) -> tuple[object, ...]:
        """Documents in report order."""
        return tuple(k[0] for k in self.report.table(self.units[0], "document").keys)

    def statistics(self, unit: str) -> list[str]:
        """Names of the statistics computed for a unit kind, in display order."""
        return explain.ordered(self.report.table(unit, "overall").values)

    def all_statistics(self) -> list[str]:
        """Names of the statistics of any computed unit kind, in display order."""
        return explain.ordered({n for unit in self.units for n in self.statistics(unit)})

    def pooled(self, unit: str, name: str) -> Statistic:
        """A statistic pooled over every code and document (with bootstrap CI if any)."""
        return self.report.table(unit, "overall").statistic(0, name)

    def per_code(self, unit: str, name: str) -> list[tuple[object, Statistic]]:
        """``(code id, statistic)`` per analysed code, pooled over documents."""
        table = self.report.table(unit, "code")
        return [(key[0], table.statistic(i, name)) for i, key in enumerate(table.keys)]

    def per_document(self, unit: str, name: str) -> list[tuple[object, Statistic]]:
        """``(document id, statistic)`` per document, pooled over codes."""
        table = self.report.table(unit, "document")
        return [(key[0], table.statistic(i, name)) for i, key in enumerate(table.keys)]

    def per_theme(self, unit: str, name: str) -> list[tuple[object, Statistic]]:
        """``(theme id, statistic)`` per theme, pooled over its codes and documents."""
        table = self.report.table(unit, "theme")
        return [(key[0], table.statistic(i, name)) for i, key in enumerate(table.keys)]

    def matrix(self, unit: str, name: str) -> Matrix:
        """The code x document grid of one statistic."""
        table = self.report.table(unit, "code_document")
        codes, docs = self.code_ids(), self.document_ids()
        values = np.where(table.reasons[name] == 0, table.values[name], np.nan)
        return Matrix(unit, name, codes, docs, values.reshape(len(codes), len(docs)), table)

    def code_label(self, code_id: object) -> str:
        """A code's path, or its id when unknown."""
        return self.codes.get(code_id, str(code_id))

    def document_label(self, document_id: object, short: bool = False) -> str:
        """A document's title (or its short label)."""
        source = self.document_labels if short else self.documents
        return source.get(document_id, str(document_id))

    def cautions(self) -> list[tuple[str, str, str]]:
        """The report's warnings for people: ``(unit label, code path or "All codes", text)``.

        The engine's messages start with ids (``sentences, code_id 4: ...``); here the
        code's path replaces the id and statistic names read as in the tables. At theme
        level the engine's theme scope repeats the code scope, so it is listed once; at
        subtheme level a theme's pooled caution says "(whole theme)".
        """
        out = []
        for w in self.report.warnings:
            if w.scope == "theme" and self.level == "theme":
                continue  # at theme level every code is a theme: the code scope said it
            unit = explain.UNIT_LABELS.get(w.unit or "", "")
            where, body = "", w.message
            key_name = {"code": "code_id", "theme": "theme_id"}.get(w.scope or "")
            if w.unit and w.scope in ("code", "theme", "overall"):
                if w.key:
                    where, prefix = self.code_label(w.key[0]), f"{key_name} {w.key[0]!r}"
                    if w.scope == "theme":
                        where += " (whole theme)"
                else:
                    where, prefix = "All codes", "all codes"
                body = body.removeprefix(f"{w.unit}s, {prefix}: ")
            body = _NAMES.sub(lambda m: explain.label(m.group(0)), body)
            out.append((unit, where, body[:1].upper() + body[1:]))
        return out

    def context(self) -> dict[str, object]:
        """Everything but the figures, as plain JSON-ready data."""
        return {
            "project": self.project_name,
            "coder_a": self.coder_a,
            "coder_b": self.coder_b,
            "coders": list(self.layer_names),
            "level": self.level,
            "units": list(self.units),
            "software": f"KetQual {self.version}",
            "computed_at": self.computed_at,
            "computed_by": self.computed_by,
            "documents": [
                {"id": d, "title": t, "label": self.document_labels.get(d, t)}
                for d, t in self.documents.items()
            ],
            "codes": [{"id": c, "path": p} for c, p in self.codes.items()],
            **self.extra,
        }

    def to_dict(self) -> dict[str, object]:
        """Context and the whole report, JSON-ready."""
        return {"context": self.context(), "report": self.report.to_dict()}
