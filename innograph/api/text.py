"""Cleaning of user-supplied names and search strings at the API boundary (the rule itself
lives in `innograph.names`, where the service uses it too)."""

from __future__ import annotations

from innograph.names import clean_query

__all__ = ["clean_query"]
