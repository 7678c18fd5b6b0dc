"""The streaming reader gives what `json.loads` gives, wherever the file's pieces happen to
break (a number, a string, an escape or a multi-byte character cut in two), and names the same
line and column for a broken file."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consult.exchange import jsonstream

scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**30), 10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)


def read_all(data: bytes) -> dict:
    """What read_object yields, put back together as one object."""
    result: dict = {}
    for part in jsonstream.read_object(io.BytesIO(data), "cases"):
        if isinstance(part, jsonstream.Item):
            result.setdefault("cases", []).append(part.value)
        else:
            result[part.key] = part.value
    return result


@settings(max_examples=300, deadline=None)
@given(
    members=st.dictionaries(st.sampled_from(["format", "version", "x", "ü"]), values, max_size=3),
    cases=st.lists(values, max_size=6),
    indent=st.sampled_from([None, 0, 2]),
    ascii_only=st.booleans(),
    chunk=st.integers(1, 64),
)
def test_any_object_reads_as_json_loads_reads_it(
    members: dict, cases: list, indent: int | None, ascii_only: bool, chunk: int
) -> None:
    document = {**members, "cases": cases}
    text = json.dumps(document, indent=indent, ensure_ascii=ascii_only)
    original = jsonstream.CHUNK
    jsonstream.CHUNK = chunk  # tiny pieces: every boundary gets cut somewhere
    try:
        got = read_all(text.encode("utf-8"))
    finally:
        jsonstream.CHUNK = original
    expected = json.loads(text)
    if not cases:
        expected.pop("cases")
        got.pop("cases", None)
    assert got == expected


@settings(max_examples=200, deadline=None)
@given(
    cases=st.lists(values, min_size=1, max_size=5),
    cut=st.integers(0, 10_000),
    chunk=st.integers(1, 32),
    indent=st.sampled_from([None, 1]),
)
def test_a_cut_file_is_an_error_where_json_loads_says(
    cases: list, cut: int, chunk: int, indent: int | None
) -> None:
    text = json.dumps({"format": "consult-cases", "cases": cases}, indent=indent)
    broken = text[: cut % len(text)]
    try:
        json.loads(broken)
    except json.JSONDecodeError:
        pass
    else:  # still valid JSON (a cut that leaves a number): not this test's case
        return
    original = jsonstream.CHUNK
    jsonstream.CHUNK = chunk
    try:
        with pytest.raises((jsonstream.JSONError, jsonstream.NotAnObject)):
            read_all(broken.encode("utf-8"))
    finally:
        jsonstream.CHUNK = original


def test_line_and_column_count_across_pieces() -> None:
    text = '{\n  "format": "x",\n  "cases": [\n    1,\n    2\n    3\n  ]\n}'
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    original = jsonstream.CHUNK
    jsonstream.CHUNK = 3
    try:
        with pytest.raises(jsonstream.JSONError) as got:
            read_all(text.encode())
    finally:
        jsonstream.CHUNK = original
    assert (got.value.line, got.value.column) == (expected.value.lineno, expected.value.colno)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('{"a": 1, "a": 2}', "a"),
        ('{"cases": [{"b": 1, "b": 1}]}', "b"),
        ('{"cases": [], "cases": []}', "cases"),
    ],
)
def test_a_key_twice_is_an_error(text: str, key: str) -> None:
    with pytest.raises(jsonstream.DuplicateKey) as error:
        read_all(text.encode())
    assert error.value.key == key
