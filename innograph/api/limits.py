"""The API's request limits: `Limits` is part of the one `Settings` object (see
`innograph.config.Limits` for the INNOGRAPH_API_* variables and their defaults); `Cap` marks
a route parameter bounded by one of them, so routes are declared once at module level and
every app states its own maxima in its OpenAPI schema (see `innograph.api.routing`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import annotated_types

from innograph.config import API_ENV_PREFIX, Limits

ENV_PREFIX = API_ENV_PREFIX

__all__ = ["ENV_PREFIX", "Cap", "Limits"]


@dataclass(frozen=True, slots=True)
class Cap:
    """`Annotated[int, Query(ge=1), Cap("max_k")]`: the parameter's maximum is the app's
    `limits.max_k`; `length=True` bounds its length (strings, lists) instead."""

    limit: str
    length: bool = False

    def constraint(self, limits: Limits) -> Any:
        value = getattr(limits, self.limit)
        return annotated_types.MaxLen(int(value)) if self.length else annotated_types.Le(value)
