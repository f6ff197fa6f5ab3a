"""Opaque page cursors. A cursor carries the offset of the next page and a fingerprint of
the query it belongs to, so a cursor replayed against a different query is refused instead
of silently returning an unrelated page."""

from __future__ import annotations

import base64
import hashlib
import json

from innograph.errors import InvalidInput

MAX_OFFSET = 1_000_000


def fingerprint(*parts: object) -> str:
    return hashlib.sha1(json.dumps(parts, ensure_ascii=False, default=str).encode()).hexdigest()[
        :10
    ]


def encode_cursor(offset: int, fp: str) -> str:
    raw = json.dumps({"o": offset, "f": fp}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, fp: str) -> int:
    """Offset from a cursor (0 when absent); a malformed or foreign cursor is a 422."""
    if not cursor:
        return 0
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        offset = data["o"]
        ok = isinstance(offset, int) and 0 <= offset <= MAX_OFFSET and data.get("f") == fp
    except (ValueError, TypeError, KeyError, UnicodeError):
        ok = False
    if not ok:
        raise InvalidInput(
            "the cursor is malformed or belongs to a different query",
            detail=[{"loc": ["query", "cursor"], "msg": "invalid cursor", "type": "value_error"}],
            code="invalid_cursor",
        )
    return int(offset)
