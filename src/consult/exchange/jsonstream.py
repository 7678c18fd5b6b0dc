"""Reads a JSON object from a file piece by piece: its members one at a time, and the items of
one array member one at a time, so a bundle of 300,000 cases never sits in memory whole.

The standard library's C decoder reads each item (``raw_decode``); this module only walks the
outer object and array between them. It is stricter than ``json.loads`` where a bundle must be:
a key twice in one object, ``NaN`` and ``Infinity`` are errors, not silently accepted.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

CHUNK = 1 << 20  # characters read at a time; a case is about 1.5 kB
_WHITESPACE = " \t\n\r"


@dataclass(frozen=True, slots=True)
class Member:
    """A member of the outer object that is not the streamed array."""

    key: str
    value: Any


@dataclass(frozen=True, slots=True)
class Item:
    """One item of the streamed array."""

    index: int
    value: Any


@dataclass(frozen=True, slots=True)
class NotAnArray:
    """The member that should have been the streamed array holds something else (read whole)."""

    key: str
    value: Any


class JSONError(ValueError):
    """Not valid JSON (or beyond what is read: a number over 4,300 digits, nesting too deep)."""

    def __init__(self, msg: str, line: int, column: int, *, limits: bool = False) -> None:
        super().__init__(f"{msg}: line {line} column {column}")
        self.msg, self.line, self.column, self.limits = msg, line, column, limits


class DuplicateKey(ValueError):
    """A key twice in one object: which of the two was meant cannot be known."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


class NotAnObject(ValueError):
    """Valid JSON, but not an object at the top."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(key)
            seen.add(key)
    return result


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON allows")


_DECODER = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_no_constant)


class _Reader:
    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.buf = ""
        self.pos = 0
        self.eof = False
        # Where buf[0] is in the file, for messages that say line and column.
        self.lines_before = 0
        self.column_before = 0

    def more(self, at_least: int = CHUNK) -> bool:
        """Reads more text; False at the end of the file."""
        if self.eof:
            return False
        raw = self.stream.read(max(at_least, CHUNK))
        if not raw:
            self.eof = True
            self.buf += self.decoder.decode(b"", final=True)  # raises on a cut-off character
            return False
        # Only now, while nothing refers to the old buffer's positions, drop what was read.
        if self.pos > CHUNK:
            dropped = self.buf[: self.pos]
            newlines = dropped.count("\n")
            if newlines:
                self.lines_before += newlines
                self.column_before = len(dropped) - dropped.rfind("\n") - 1
            else:
                self.column_before += len(dropped)
            self.buf = self.buf[self.pos :]
            self.pos = 0
        self.buf += self.decoder.decode(raw)
        return True

    def where(self, pos: int) -> tuple[int, int]:
        newlines = self.buf.count("\n", 0, pos)
        if newlines:
            return self.lines_before + newlines + 1, pos - self.buf.rfind("\n", 0, pos)
        return self.lines_before + 1, self.column_before + pos + 1

    def error(self, msg: str, pos: int | None = None, *, limits: bool = False) -> JSONError:
        line, column = self.where(self.pos if pos is None else pos)
        return JSONError(msg, line, column, limits=limits)

    def skip(self) -> str:
        """Skips whitespace; returns the next character ("" at the end of the file)."""
        while True:
            buf, pos = self.buf, self.pos
            while pos < len(buf) and buf[pos] in _WHITESPACE:
                pos += 1
            self.pos = pos
            if pos < len(buf):
                return buf[pos]
            if not self.more():
                return ""

    def value(self) -> Any:
        """Decodes the value at the position, reading more of the file while it is cut short."""
        self.skip()
        want = CHUNK
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as error:
                if self.more(want):
                    want *= 2  # a long item: read in growing steps, not re-decode per chunk
                    continue
                raise self.error(error.msg, error.pos) from None
            except RecursionError:
                raise self.error("nesting too deep", limits=True) from None
            except DuplicateKey:
                raise
            except ValueError as error:  # a number over 4,300 digits, NaN, Infinity
                if self.more(want):
                    want *= 2
                    continue
                raise self.error(str(error).split(";")[0], limits=True) from None
            # A number or literal that ends where the buffer ends may go on in the next chunk.
            if end == len(self.buf) and self.more(want):
                continue
            self.pos = end
            return value

    def expect(self, char: str, msg: str) -> None:
        if self.skip() != char:
            raise self.error(msg)
        self.pos += 1


def read_object(stream: BinaryIO, array_key: str) -> Iterator[Member | Item | NotAnArray]:
    """The members of the JSON object in ``stream`` in file order; the member ``array_key``
    comes as its items one by one (or NotAnArray). Raises JSONError, DuplicateKey (also inside
    items) or NotAnObject."""
    reader = _Reader(stream)
    first = reader.skip()
    if first != "{":
        # Judged by the first character, never by reading on: a list or another value is not a
        # bundle, and what cannot begin JSON at all (/dev/zero's NUL) is refused at once.
        if first and first in '["-0123456789tfn':
            raise NotAnObject()
        raise reader.error("Expecting value")
    reader.pos += 1
    seen: set[str] = set()
    if reader.skip() == "}":
        reader.pos += 1
    else:
        while True:
            if reader.skip() != '"':
                raise reader.error("Expecting property name enclosed in double quotes")
            key = reader.value()
            if key in seen:
                raise DuplicateKey(key)
            seen.add(key)
            reader.expect(":", "Expecting ':' delimiter")
            if key == array_key and reader.skip() == "[":
                yield from _items(reader)
            elif key == array_key:
                yield NotAnArray(key, reader.value())
            else:
                yield Member(key, reader.value())
            following = reader.skip()
            reader.pos += 1
            if following == "}":
                break
            if following != ",":
                reader.pos -= 1
                raise reader.error("Expecting ',' delimiter")
    if reader.skip() != "":
        raise reader.error("Extra data")


def _items(reader: _Reader) -> Iterator[Item]:
    reader.pos += 1  # the "["
    if reader.skip() == "]":
        reader.pos += 1
        return
    index = 0
    while True:
        if reader.skip() == "":
            raise reader.error("Expecting value")
        yield Item(index, reader.value())
        index += 1
        following = reader.skip()
        reader.pos += 1
        if following == "]":
            return
        if following != ",":
            reader.pos -= 1
            raise reader.error("Expecting ',' delimiter")
