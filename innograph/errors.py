"""Every error InnoGraph raises on purpose, under one root: `InnographError`.

Each class has a stable machine-readable `code` (the HTTP API's `error.code`) and a message
that is one line meant for the person who caused it. Nothing here knows about HTTP or the
terminal: the API maps classes to statuses once (`innograph.api.errors.STATUS`), the CLI
prints the message as one line (`innograph.cli.guarded`). Anything else that escapes is a
bug, reported as such (500, or the CLI's one line with the traceback under --verbose).

    InnographError
    ├── InvalidInput          a value someone gave is malformed or out of range
    │   ├── InvalidSetting    a setting (environment variable, flag) is malformed
    │   └── InvalidQuery      an unknown Cypher query name or an illegal template value
    ├── NotFound              the thing asked for does not exist
    │   ├── EntityLookupError a name that does not denote exactly one entity
    │   │   ├── EntityNotFound   (carries ranked `candidates` it could have meant)
    │   │   └── AmbiguousEntity  (carries the `candidates` it could mean)
    │   ├── DocumentNotFound
    │   └── MergeNotFound     (`ingest.merges.UnknownMerge`)
    ├── Conflict              a change that cannot be made in the graph's current state
    ├── LimitExceeded         a request over a configured limit
    │   ├── TooLarge          a body or document over the size cap
    │   └── Timeout           work that did not finish within its deadline
    └── StoreUnavailable      the graph store cannot be started or reached

The classes that replace built-in ones keep them as a second base (`InvalidInput` is a
`ValueError`, `NotFound` a `LookupError`, `StoreUnavailable` a `RuntimeError`), so code
written against the built-ins keeps working; new code catches these.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from innograph.model import Candidate


class InnographError(Exception):
    """The root. `detail` is optional structured context (JSON-serialisable)."""

    code: str = "error"

    def __init__(self, message: str, *, detail: Any = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail
        if code is not None:
            self.code = code


class InvalidInput(InnographError, ValueError):
    """A value someone gave is malformed or out of range: an unknown label or sector, an
    empty name, a foreign page cursor. `parameter` names the input when known; `detail`
    then defaults to the `[{"loc", "msg", "type"}]` list request validation uses."""

    code = "invalid_parameters"

    def __init__(
        self,
        message: str,
        *,
        parameter: str | None = None,
        detail: Any = None,
        code: str | None = None,
    ) -> None:
        if detail is None and parameter is not None:
            detail = [{"loc": ["query", parameter], "msg": message, "type": "value_error"}]
        super().__init__(message, detail=detail, code=code)
        self.parameter = parameter


class InvalidSetting(InvalidInput):
    """A setting (an INNOGRAPH_* variable or a flag) is malformed; raised at start-up."""

    code = "invalid_setting"


class InvalidQuery(InvalidInput):
    """An unknown Cypher query name or an illegal template value (never user text: user
    values are always query parameters)."""

    code = "invalid_query"


class NotFound(InnographError, LookupError):
    """The thing asked for does not exist."""

    code = "not_found"


class EntityLookupError(NotFound):
    """A name (or id) that does not denote exactly one entity; carries ranked candidates.
    `parameter` names the input it came from (`source`, `target`, ...) when there was one."""

    def __init__(
        self,
        query: str,
        candidates: Sequence[Candidate],
        message: str,
        parameter: str | None = None,
    ) -> None:
        detail = {"query": query, "parameter": parameter} if parameter else {"query": query}
        super().__init__(message, detail=detail)
        self.query = query
        self.candidates = list(candidates)
        self.parameter = parameter


class EntityNotFound(EntityLookupError):
    """No entity has this name or id; `candidates` are what it might have meant."""

    code = "entity_not_found"

    def __init__(
        self,
        query: str,
        candidates: Sequence[Candidate] | None = None,
        parameter: str | None = None,
        message: str | None = None,
    ) -> None:
        cands = list(candidates or [])
        if message is None:
            if parameter:
                message = f"no {parameter} matches {query!r}"
            else:
                hint = f"; closest: {', '.join(c.name for c in cands[:3])}" if cands else ""
                message = f"no entity named {query!r}{hint}"
        super().__init__(query, cands, message, parameter)


class AmbiguousEntity(EntityLookupError):
    """The name belongs to several entities; `candidates` are all of them, best first."""

    code = "ambiguous_entity"

    def __init__(
        self, query: str, candidates: Sequence[Candidate], parameter: str | None = None
    ) -> None:
        if parameter:
            message = (
                f"{parameter} {query!r} could mean several entities; "
                "pass one of the candidates' ids"
            )
        else:
            names = ", ".join(f"{c.name} ({c.label}, {c.id})" for c in candidates[:5])
            message = f"{query!r} names {len(candidates)} entities: {names}"
        super().__init__(query, candidates, message, parameter)


class DocumentNotFound(NotFound):
    """No document has this id."""

    def __init__(self, document_id: str) -> None:
        super().__init__(f"no document with id {document_id!r}", detail={"id": document_id})
        self.document_id = document_id


class MergeNotFound(NotFound):
    """No recorded merge matches what was asked to be undone."""

    code = "merge_not_found"


class Conflict(InnographError):
    """A change that cannot be made in the graph's current state (e.g. an unmerge whose
    documents' text is gone)."""

    code = "conflict"


class LimitExceeded(InnographError):
    """A request over a configured limit."""

    code = "limit_exceeded"


class TooLarge(LimitExceeded):
    """A request body or document over the size cap."""

    code = "payload_too_large"


class Timeout(LimitExceeded):
    """Work that did not finish within its deadline (it may still finish alone)."""

    code = "timeout"


class StoreUnavailable(InnographError, RuntimeError):
    """The graph store cannot be started or reached (the embedded server did not start,
    a FalkorDB or Neo4j server does not answer)."""

    code = "unavailable"
