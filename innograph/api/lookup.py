"""Names and ids as a client typed them, checked at the boundary before the service
resolves them (which raises `EntityNotFound` / `AmbiguousEntity` with ranked candidates)."""

from __future__ import annotations

from innograph.api.text import clean_query
from innograph.errors import InvalidInput


def name_param(value: str, parameter: str, max_chars: int | None = None) -> str:
    """`value` cleaned (see `clean_query`); empty afterwards, or longer than `max_chars`,
    is a 422 naming the parameter."""
    if max_chars is not None and len(value) > max_chars:
        raise InvalidInput(f"an `{parameter}` entry is too long", parameter=parameter)
    text = clean_query(value)
    if not text:
        raise InvalidInput(
            f"{parameter} is empty",
            detail=[
                {"loc": ["query", parameter], "msg": "empty after cleaning", "type": "value_error"}
            ],
        )
    return text
