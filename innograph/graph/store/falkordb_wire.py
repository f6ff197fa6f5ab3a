"""FalkorDB's wire format, done fast: query parameters in, compact result sets out.

FalkorDB takes parameters as a `CYPHER name=<literal> ...` header in the query text, and
the `falkordb` client builds that text one Python call per value, then parses each result
cell the same way; on bulk writes and full scans that client work costs more than the
query itself. Here parameters are encoded by the C JSON encoder (a JSON array, string or
number is also a Cypher literal; maps are written with backtick keys) and compact replies
are decoded by a small loop over the hiredis-parsed arrays.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from falkordb.helpers import stringify_param_value
from redis.exceptions import ResponseError

_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode

# JSON text that FalkorDB would read differently, or that holds values `scrub` changes:
# \uXXXX escapes (control characters; FalkorDB keeps them literally), \b and \f, and
# strings that start or end with whitespace. False alarms only cost the slow path. The
# pattern is only searched for when the text holds a backslash (`_risky`).
_RISKY = re.compile(r'\\u|\\[bf]|"[ \t]|[ \t]"|"\\[ntr]|\\[ntr]"')
_UNSAFE = {0: None, 1: None}
_EDGE_SPACE = " \t\n\r\x0b\x0c"

# Compact result-set value types (FalkorDB's "compact" reply).
_NULL, _STRING, _INTEGER, _BOOLEAN, _DOUBLE, _ARRAY = 1, 2, 3, 4, 5, 6


def scrub(value: Any) -> Any:
    """Make a parameter safe for FalkorDB. Parameters travel inside the query text, which
    the server reads as a C string (a NUL cuts the query short); its string index cannot
    find values holding \\x01 or starting or ending with ASCII whitespace. None of these
    carries meaning in names, ids or sentences, so they are dropped, the same way on
    writes and on lookups."""
    if isinstance(value, str):
        if "\x00" in value or "\x01" in value:
            value = value.translate(_UNSAFE)
        if value and (value[0] in _EDGE_SPACE or value[-1] in _EDGE_SPACE):
            return value.strip(_EDGE_SPACE)
        return value
    if isinstance(value, dict):
        return {scrub(k): scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub(v) for v in value]
    return value


def encode(value: Any) -> str:
    """A Cypher literal for a parameter value (scrubbed as `scrub` does)."""
    if isinstance(value, dict) or (
        isinstance(value, list | tuple) and value and isinstance(value[0], dict)
    ):
        # Maps need bare (backticked) keys, which JSON does not write; the hot write
        # queries send positional rows instead, so this path carries small values.
        return str(stringify_param_value(scrub(value)))
    try:
        text = _json(value)
    except (TypeError, ValueError):
        return str(stringify_param_value(scrub(value)))
    if _risky(text):
        return str(stringify_param_value(scrub(value)))
    return text


def _risky(text: str) -> bool:
    """`_RISKY.search(text)`, fast on the usual text (a regex scan of a bulk write's
    parameters cost as much as encoding them). JSON writes every control character, tab
    included, as an escape, so without a backslash only a space next to a quote remains:
    our separators have no spaces, so `" ` or ` "` is a string starting or ending with one."""
    if "\\" in text:
        return _RISKY.search(text) is not None
    return '" ' in text or ' "' in text


def with_params(query: str, params: dict[str, Any]) -> str:
    if not params:
        return query
    header = " ".join(f"{name}={encode(value)}" for name, value in params.items())
    return f"CYPHER {header} {query}"


@dataclass(slots=True)
class Reply:
    rows: list[list[Any]] = field(default_factory=list)
    nodes_created: int = 0
    relationships_created: int = 0


def parse_reply(reply: list[Any]) -> Reply:
    """Decode a compact GRAPH.QUERY reply: [header, rows, stats], or [stats] alone."""
    if reply and isinstance(reply[-1], ResponseError):
        raise reply[-1]
    result = Reply()
    if len(reply) == 3:
        result.rows = [[_value(cell) for cell in row] for row in reply[1]]
    for line in reply[-1] if reply else []:
        name, _, number = str(line).partition(": ")
        if name == "Nodes created":
            result.nodes_created = int(number)
        elif name == "Relationships created":
            result.relationships_created = int(number)
    return result


def _value(cell: list[Any]) -> Any:
    kind, value = cell
    if kind in (_STRING, _INTEGER):
        return value
    if kind == _ARRAY:
        return [_value(item) for item in value]
    if kind == _NULL:
        return None
    if kind == _DOUBLE:
        return float(value)
    if kind == _BOOLEAN:
        return value == "true"
    # Nodes, edges, paths and maps never leave our queries (they return properties).
    raise ValueError(f"unexpected FalkorDB result type {kind}")


class Pipe:
    """Commands sent down one connection without waiting; replies are read in order, when
    the caller asks for one (every earlier reply is read and kept first). An error reply
    is raised by the call that asks for that reply, not by an earlier one."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self._waiting: deque[list[Any]] = deque()

    def send(self, *args: Any) -> Callable[[], Reply]:
        slot: list[Any] = [None, False]  # reply or error, read yet
        self.connection.send_command(*args)
        self._waiting.append(slot)

        def result() -> Reply:
            while not slot[1]:
                self._read_one()
            value = slot[0]
            if isinstance(value, BaseException):
                raise value
            assert isinstance(value, Reply)
            return value

        return result

    def _read_one(self) -> None:
        slot = self._waiting.popleft()
        try:
            slot[0] = parse_reply(self.connection.read_response())
        except ResponseError as error:
            slot[0] = error
        slot[1] = True

    def drain(self) -> None:
        """Reads every reply still pending; raises the first error among them."""
        failed: BaseException | None = None
        while self._waiting:
            slot = self._waiting[0]
            self._read_one()
            if failed is None and isinstance(slot[0], BaseException):
                failed = slot[0]
        if failed is not None:
            raise failed
