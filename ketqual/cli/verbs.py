"""Every verb of the command line: the module that registers it and its one-line summary.

``ketqual --help``, ``--version``, no verb or a mistyped one list the verbs from this table
without importing the verb modules (and the core modules their options import); a named
verb loads only its own module, whose ``register`` builds its real sub-parser. The summary
here must be the ``help=`` that module gives the verb: tests/e2e/test_startup_imports.py
builds every real sub-parser and checks that each verb is here, in the same order, with the
same text (and that ``ketqual --help`` prints the same either way).
"""

from __future__ import annotations

#: The modules (``ketqual.cli.NAME``) that register the verbs, each with its verbs and their
#: summaries, in the order ``ketqual --help`` lists them.
VERBS_OF_MODULE: dict[str, tuple[tuple[str, str], ...]] = {
    "commands": (
        ("gui", "open the app (optionally on PROJECT)"),
        ("new", "create a project with the study's codebook"),
        ("import", "import scribe notes and feedback sheets"),
        ("info", "documents, codes, coders and codings of a project"),
        ("codebook", "export or import the codebook as JSON, or list it"),
        ("code", "change the codebook: add, rename, recolour, define, move, merge, retire, delete"),
        ("document", "edit a document's metadata, split or delete it"),
        ("demo", "build the demo project from the bundled corpus"),
        ("audit", "show the audit log"),
    ),
    "coding_commands": (
        ("coder", "list coders or add a coder / supervisor"),
        ("codings", "export or import one coder's codings as CSV"),
        ("unblind", "let everyone see every coder's codings"),
        ("blind", "hide coders' codings from each other again"),
    ),
    "agreement_commands": (
        ("agreement", "inter-coder agreement (kappa, alpha, AC1 ...) between layers of codings"),
    ),
    "consensus_commands": (
        ("review", "start or refresh the consensus review of two coders"),
        ("disagreements", "list the disagreements of a consensus review"),
        ("resolve", "decide a disagreement (take A, B, both, neither, an edit), defer it or undo"),
        ("decisions", "the consensus decision log (table, or -o csv/xlsx)"),
        (
            "codebook-decision",
            "change the codebook as the meeting decided (merge, rename, split, redefine)",
        ),
        ("negotiated", "agreement before the consensus meeting and after it (negotiated)"),
    ),
    "network_commands": (
        (
            "network",
            "the theme-overlap network (like the study's Fig. 1) as a picture or graph file",
        ),
        ("cooccurrence", "theme x theme co-occurrence table (counts and a measure) as CSV or xlsx"),
    ),
    "framework_commands": (
        ("matrix", "framework matrices (one per theme) as xlsx, docx or a folder of CSV files"),
        ("counts", "coded passages, documents and focus groups per theme and subtheme"),
    ),
    "server_commands": (
        ("copy", "copy a project between a .ketqual file and a PostgreSQL database"),
    ),
    "package_commands": (
        ("pack", "make a coder package: documents, codebook and one coder's own codings"),
        ("unpack", "make the working project of a coder package (once; kept afterwards)"),
        ("pack-return", "write a coder's working project as a package to send back"),
        ("suggest", "in a coder package: leave a codebook suggestion for the supervisor"),
        ("merge", "merge a returned coder package into the project"),
    ),
    "retrieval_commands": (
        ("passages", "every coded passage of one or more codes, combined and filtered"),
        ("crosstab", "themes or subthemes by the values of an attribute"),
        (
            "report",
            "the theme report (docx or HTML): n, groups, subthemes, overlaps, starred quotes",
        ),
        ("star", "star quotes for the theme report (by reference id)"),
        ("attributes", "attributes of participants, documents and focus groups"),
        ("cases", "show or choose what a case is: focus group, document or participant"),
    ),
    "votes_commands": (
        ("votes", "voting questions beside the themes: import, tables, figures, links"),
    ),
    "exchange_commands": (
        ("export-qdpx", "write the project as a REFI-QDA project (.qdpx) for other tools"),
        ("export-qdc", "write the codebook as a REFI-QDA codebook (.qdc)"),
        ("import-qdpx", "make a new project from a REFI-QDA project (.qdpx or .qde)"),
        ("import-qdc", "merge a REFI-QDA codebook (.qdc, or a .qdpx's) into a project"),
    ),
    "privacy_commands": (
        ("key", "the key file: make it, add a roster, list it, move an old key out of a project"),
        (
            "reidentify",
            "say who a token stands for (needs the key file, a supervisor and a reason)",
        ),
        ("identifiers", "find, review and replace identifiers (names, contact details, places)"),
    ),
}

#: The modules that register the verbs, in the order ``--help`` lists them.
VERB_MODULES = tuple(VERBS_OF_MODULE)

#: Which module registers a verb, so a command line naming a verb loads only its module.
MODULE_OF_VERB = {verb: module for module, verbs in VERBS_OF_MODULE.items() for verb, _ in verbs}

#: Each verb's one-line summary, in the order ``--help`` lists them.
SUMMARY_OF_VERB = {verb: summary for verbs in VERBS_OF_MODULE.values() for verb, summary in verbs}
