"""The FalkorDB parameter encoder's fast check for text that needs the slow path."""

from __future__ import annotations

import random

from innograph.graph.store.falkordb_wire import _RISKY, _json, _risky, encode


def test_fast_risky_check_agrees_with_the_pattern() -> None:
    alphabet = ["a", " ", "\t", "\n", "\r", "\b", "\f", "\x0b", '"', "\\", "\x01", "中", "\x1f"]
    rng = random.Random(7)
    for _ in range(50_000):
        value = [
            "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 5)))
            for _ in range(rng.randint(1, 3))
        ]
        text = _json(value)
        assert _risky(text) == (_RISKY.search(text) is not None), value


def test_risky_values_take_the_slow_path() -> None:
    # Scrubbed: edge whitespace dropped, control characters kept literally.
    assert encode([" 星海大学 ", "a\tb"]) != _json([" 星海大学 ", "a\tb"])
    assert encode(["星海大学", "Helen Marsh"]) == _json(["星海大学", "Helen Marsh"])
