"""The transaction object handed to operations: one attribute per kind of stored thing."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ketqual.store import (
    repo_attributes,
    repo_codebook,
    repo_codings,
    repo_consensus,
    repo_documents,
    repo_framework,
    repo_memos,
    repo_network,
    repo_packages,
    repo_people,
    repo_privacy,
    repo_project,
    repo_retrieval,
    repo_votes,
)


class Tx:
    """Repositories bound to one SQLAlchemy session (one user action).

    Operations reach the database only through these repositories, which take and return
    plain records (``ketqual.core.records``). ``session`` is for the store itself and its
    tests (``tests/test_architecture.py`` fails when an operation touches it).
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.project = repo_project.ProjectRepo(session)
        self.audit = repo_project.AuditRepo(session)
        self.pseudonyms = repo_project.PseudonymRepo(session)
        self.identifiers = repo_privacy.IdentifierRepo(session)
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
        self.network = repo_network.NetworkRepo(session)
        self.summaries = repo_framework.SummaryRepo(session)
        self.participants = repo_attributes.ParticipantRepo(session)
        self.attributes = repo_attributes.AttributeRepo(session)
        self.retrieval = repo_retrieval.RetrievalRepo(session)
        self.stars = repo_retrieval.StarRepo(session)
        self.votes = repo_votes.VoteRepo(session)
        self.packages = repo_packages.PackageRepo(session)
