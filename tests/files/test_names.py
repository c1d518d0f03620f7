"""File names: both text forms give back the exact bytes, whatever the name."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from menage.files.names import escape, from_json, to_json, unescape

names = st.binary(min_size=1, max_size=40).filter(lambda b: b"/" not in b and b"\0" not in b)


@given(names)
def test_escaped_form_is_printable_and_reversible(name):
    shown = escape(name)
    shown.encode("utf-8")  # valid UTF-8, never a lone surrogate
    assert not any(ord(c) < 32 or ord(c) == 127 for c in shown)
    assert unescape(shown) == name


@given(names)
def test_json_form_is_reversible(name):
    assert from_json(to_json(name)) == name


def test_examples():
    assert escape(b"caf\xe9\n.txt") == "caf\\xe9\\n.txt"
    assert escape(b"a\\b") == "a\\\\b"
    assert unescape("a\\\\xff") == b"a\\xff"
