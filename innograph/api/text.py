"""Cleaning of user-supplied names and search strings at the API boundary."""

from __future__ import annotations

import unicodedata


def clean_query(text: str | None) -> str:
    """Drop control and format characters (no real name contains them, and they only make
    keys and logs misbehave) and surrounding whitespace."""
    if not text:
        return ""
    kept = (" " if ch in "\t\r\n" else ch for ch in text)
    return "".join(
        ch for ch in kept if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co")
    ).strip()
