"""Stable identifiers and timestamps, the same for every layer that needs them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime


def new_uid() -> str:
    """A fresh stable identifier (32 hex digits)."""
    return uuid.uuid4().hex


def utcnow() -> str:
    """Current UTC time as ISO 8601 text (text sorts and reads the same on every backend)."""
    return datetime.now(UTC).isoformat(timespec="seconds")
