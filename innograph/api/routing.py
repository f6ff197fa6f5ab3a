"""Routes are declared once, at module level, as plain functions; what differs per app (the
caps of `Limits`) is bound when the app is built. `bind_limits` copies a router with every
`Cap`-marked parameter given its maximum, so validation and the OpenAPI schema both state
the app's own limits."""

from __future__ import annotations

import copy
import functools
import inspect
from collections.abc import Callable
from typing import Annotated, Any, get_args, get_origin, get_type_hints

from fastapi import APIRouter
from fastapi.routing import APIRoute
from pydantic.fields import FieldInfo

from innograph.api.limits import Cap, Limits


def _capped_annotation(annotation: Any, limits: Limits) -> Any:
    if get_origin(annotation) is not Annotated:
        return annotation
    base, *meta = get_args(annotation)
    caps = [m for m in meta if isinstance(m, Cap)]
    if not caps:
        return annotation
    out: list[Any] = []
    for m in meta:
        if isinstance(m, Cap):
            continue
        if isinstance(m, FieldInfo):
            # A copy: the module-level declaration is shared by every app.
            m = copy.copy(m)
            m.metadata = [*m.metadata, *(c.constraint(limits) for c in caps)]
        out.append(m)
    return Annotated[(base, *out)]


def _bind(endpoint: Callable[..., Any], limits: Limits) -> Callable[..., Any]:
    hints = get_type_hints(endpoint, include_extras=True)
    sig = inspect.signature(endpoint)
    params = [
        p.replace(annotation=_capped_annotation(hints.get(name, p.annotation), limits))
        for name, p in sig.parameters.items()
    ]
    if all(p.annotation is hints.get(p.name, p.annotation) for p in params):
        return endpoint

    if inspect.iscoroutinefunction(endpoint):

        @functools.wraps(endpoint)
        async def bound(*args: Any, **kwargs: Any) -> Any:
            return await endpoint(*args, **kwargs)

    else:

        @functools.wraps(endpoint)
        def bound(*args: Any, **kwargs: Any) -> Any:
            return endpoint(*args, **kwargs)

    # FastAPI reads the signature, which stops at __signature__ rather than unwrapping.
    bound.__signature__ = sig.replace(  # type: ignore[attr-defined]
        parameters=params, return_annotation=hints.get("return", sig.return_annotation)
    )
    return bound


def bind_limits(router: APIRouter, limits: Limits) -> APIRouter:
    """`router` with this app's limits as the maxima of its `Cap`-marked parameters."""
    staged = APIRouter()
    for route in router.routes:
        if isinstance(route, APIRoute):
            route = copy.copy(route)
            route.endpoint = _bind(route.endpoint, limits)
        staged.routes.append(route)
    bound = APIRouter()
    # include_router re-registers every route with all its options (a fresh dependant from
    # the bound endpoint's signature); the module's router itself is never changed.
    bound.include_router(staged)
    return bound
