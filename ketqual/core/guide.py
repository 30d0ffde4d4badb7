"""The workflow as steps, and where a project is in it (for the Getting started guide).

Pure: the state is read by an operation and handed in as plain data, so the rules that
say which step comes next are tested without a project or a window.
"""

from __future__ import annotations

from dataclasses import dataclass

CODER = "coder"
SUPERVISOR = "supervisor"


@dataclass(frozen=True)
class CoderProgress:
    """One coder's work so far."""

    name: str
    codings: int
    documents_done: int


@dataclass(frozen=True)
class ProjectState:
    """What the guide needs to know about a project (all counts, no content)."""

    documents: int
    coders: tuple[CoderProgress, ...]
    supervisors: int
    blinded: bool
    reviews: int = 0
    review_total: int = 0
    review_resolved: int = 0
    consensus_codings: int = 0
    in_package: bool = False


@dataclass(frozen=True)
class Step:
    """One step of the workflow.

    Attributes:
        key: Stable name; also the place the app opens for it (see ``place``).
        title: What to do, in a few words.
        who: "coder", "supervisor" or "everyone".
        how: Where to do it, in the app's own words (menu › item).
        status: How far the project is with it (one line).
        done: True when the project shows the step has been done.
        place: The window or action that does it ("import", "agreement", ...).
        optional: A step some projects take and others skip (never "where you are").
    """

    key: str
    title: str
    who: str
    how: str
    status: str
    done: bool
    place: str
    optional: bool = False


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def steps(state: ProjectState) -> list[Step]:
    """The workflow from import to outputs, each step with its status in this project."""
    coders = state.coders
    coded = [c for c in coders if c.codings]
    all_done = (
        bool(coders)
        and state.documents > 0
        and all(c.documents_done >= state.documents for c in coders)
    )
    coding_status = (
        "; ".join(
            f"{c.name}: {_plural(c.codings, 'coding')}, {c.documents_done} of "
            f"{state.documents} documents done"
            for c in coders
        )
        or "No coders yet: each coder says who they are when they open the project."
    )
    review_open = max(0, state.review_total - state.review_resolved)
    if state.reviews:
        review_status = f"{state.review_resolved} of {state.review_total} disagreements resolved"
        if review_open:
            review_status += f", {review_open} still open"
    else:
        review_status = "Not started."
    return [
        Step(
            "import",
            "Import the notes and feedback sheets",
            SUPERVISOR,
            "File › Import files… (Ctrl+I); names are replaced at import when you give the "
            "project's key file",
            f"{_plural(state.documents, 'document')} in the project.",
            state.documents > 0,
            "import",
        ),
        Step(
            "privacy",
            "Check the notes for names and other identifiers",
            SUPERVISOR,
            "Privacy › Review identifiers and the key file… (Ctrl+Shift+I)",
            "Optional, and before coding: a coded document's text is not rewritten.",
            False,
            "privacy",
            optional=True,
        ),
        Step(
            "code",
            "Code every document, each coder on their own",
            CODER,
            "Select text and press a theme's number key (1-0), or double-click a code",
            coding_status,
            len(coded) >= 2 or (bool(coders) and len(coded) == len(coders)),
            "code",
        ),
        Step(
            "done",
            "Mark each document done",
            CODER,
            "Document › Mark done (Ctrl+D) when you have finished a document",
            "Every coder has marked every document done." if all_done else coding_status,
            all_done,
            "code",
        ),
        Step(
            "hand_in",
            "Hand in your coding",
            CODER,
            "File › Return package to supervisor… (on a shared file or server, just tell them)",
            "Working in a coder package."
            if state.in_package
            else "Nothing to send on a shared project file or server.",
            all_done and not state.in_package,
            "return_package",
        ),
        Step(
            "unblind",
            "Unblind the project",
            SUPERVISOR,
            "Project › Unblind project… (the reason is kept in the audit log)",
            "Blinded: each coder sees only their own codings." if state.blinded else "Unblinded.",
            not state.blinded,
            "unblind",
        ),
        Step(
            "agreement",
            "Measure how far the coders agree",
            SUPERVISOR,
            "Project › Agreement between coders… (Ctrl+Shift+A)",
            "Needs an unblinded project."
            if state.blinded
            else "Ready: compare two or more coders' layers.",
            state.reviews > 0,
            "agreement",
        ),
        Step(
            "consensus",
            "Agree a consensus, disagreement by disagreement",
            SUPERVISOR,
            "Project › Consensus review… (Ctrl+Shift+R), with both coders present",
            review_status,
            state.reviews > 0 and review_open == 0,
            "consensus",
        ),
        Step(
            "write_up",
            "Pull coded passages and crosstabs for the write-up",
            SUPERVISOR,
            "Outputs › Coded passages… (Ctrl+Shift+P) and Outputs › Crosstabs… "
            "(Ctrl+Shift+X); Outputs › Theme report… writes every theme's passages",
            "Optional: quotes and counts by group, session or participant attribute.",
            False,
            "passages",
            optional=True,
        ),
        Step(
            "votes",
            "Put the session's votes beside the themes",
            SUPERVISOR,
            "Outputs › Votes beside the themes… (Ctrl+Shift+V): import the voting sheet, "
            "link each question to its themes",
            "Optional: when the participants voted on questions.",
            False,
            "votes",
            optional=True,
        ),
        Step(
            "exchange",
            "Exchange the project with NVivo, ATLAS.ti, MAXQDA or QualCoder",
            SUPERVISOR,
            "File › Export › REFI-QDA project (.qdpx)… (File › Import reads theirs)",
            "Optional: the REFI-QDA exchange format those programs read.",
            False,
            "exchange",
            optional=True,
        ),
        Step(
            "outputs",
            "Draw the theme network and the framework matrices",
            SUPERVISOR,
            "Outputs › Theme-overlap network… and Outputs › Framework matrices…",
            f"{_plural(state.consensus_codings, 'consensus coding')} to draw from."
            + (
                " The review is unfinished: outputs will say so."
                if state.reviews and review_open
                else ""
            ),
            False,
            "network",
        ),
    ]


def current_step(state: ProjectState) -> Step:
    """The first step not done after the last step done (the last step once all are done);
    optional steps are never the current one.

    A project that has moved on (unblinded, say) is past the coders' steps even if a coder
    never marked a document done.
    """
    all_steps = [step for step in steps(state) if not step.optional]
    last_done = max((i for i, step in enumerate(all_steps) if step.done), default=-1)
    for step in all_steps[last_done + 1 :]:
        if not step.done:
            return step
    return all_steps[-1]


def after_unblinding(state: ProjectState) -> str:
    """What to say right after a supervisor unblinds the project."""
    if state.reviews:
        return "Unblinded. Next: continue the consensus review (Project › Consensus review)."
    return (
        "Unblinded. Next: Project › Agreement between coders to see how far they agree, "
        "then Project › Consensus review to agree a consensus."
    )
