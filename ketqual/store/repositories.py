"""The transaction object handed to operations: one attribute per kind of stored thing."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from ketqual.store import (
    repo_codebook,
    repo_codings,
    repo_consensus,
    repo_documents,
    repo_memos,
    repo_packages,
    repo_people,
    repo_project,
)

if TYPE_CHECKING:
    from ketqual.store import (
        repo_attributes,
        repo_framework,
        repo_network,
        repo_privacy,
        repo_retrieval,
        repo_votes,
    )

#: Repositories made on first use (attribute -> module, class): their modules and the
#: core modules they need (network figures, framework matrices, retrieval, votes,
#: attributes, identifiers) load only in a process that uses them.
LAZY_REPOSITORIES = {
    "identifiers": ("repo_privacy", "IdentifierRepo"),
    "network": ("repo_network", "NetworkRepo"),
    "summaries": ("repo_framework", "SummaryRepo"),
    "participants": ("repo_attributes", "ParticipantRepo"),
    "attributes": ("repo_attributes", "AttributeRepo"),
    "retrieval": ("repo_retrieval", "RetrievalRepo"),
    "stars": ("repo_retrieval", "StarRepo"),
    "votes": ("repo_votes", "VoteRepo"),
}


class Tx:
    """Repositories bound to one SQLAlchemy session (one user action).

    Operations reach the database only through these repositories, which take and return
    plain records (``ketqual.core.records``). ``session`` is for the store itself and its
    tests (``tests/test_architecture.py`` fails when an operation touches it).
    """

    # Made on first use (see LAZY_REPOSITORIES).
    identifiers: repo_privacy.IdentifierRepo
    network: repo_network.NetworkRepo
    summaries: repo_framework.SummaryRepo
    participants: repo_attributes.ParticipantRepo
    attributes: repo_attributes.AttributeRepo
    retrieval: repo_retrieval.RetrievalRepo
    stars: repo_retrieval.StarRepo
    votes: repo_votes.VoteRepo

    def __init__(self, session: Session) -> None:
        self.session = session
        self.project = repo_project.ProjectRepo(session)
        self.audit = repo_project.AuditRepo(session)
        self.pseudonyms = repo_project.PseudonymRepo(session)
        self.documents = repo_documents.DocumentRepo(session)
        self.cases = repo_documents.CaseRepo(session)
        self.codes = repo_codebook.CodeRepo(session)
        self.codebook_versions = repo_codebook.CodebookVersionRepo(session)
        self.coders = repo_people.CoderRepo(session)
        self.codings = repo_codings.CodingRepo(session)
        self.memos = repo_memos.MemoRepo(session)
        self.status = repo_codings.StatusRepo(session)
        self.reviews = repo_consensus.ReviewRepo(session)
        self.disagreements = repo_consensus.DisagreementRepo(session)
        self.decisions = repo_consensus.DecisionRepo(session)
        self.packages = repo_packages.PackageRepo(session)

    if not TYPE_CHECKING:  # mypy sees the annotations above, not a catch-all

        def __getattr__(self, name: str) -> object:
            spec = LAZY_REPOSITORIES.get(name)
            if spec is None:
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            module, cls = spec
            repo = getattr(importlib.import_module(f"ketqual.store.{module}"), cls)(self.session)
            setattr(self, name, repo)
            return repo
