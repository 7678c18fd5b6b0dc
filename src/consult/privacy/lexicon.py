"""Voikko's Finnish lexicon, read from pyvoikko's transducer file into four flat arrays.

pyvoikko hands the file to kfst-rs, which builds about 220 MiB of maps from it: more than
everything else an import holds. The file is one list of 497,770 arcs (from, to, input
symbol, output symbol) sorted by the state they leave, so four arrays of them take 6 MiB and
load in a tenth of a second. A word is looked up here the way kfst looks it up (the same
symbols, flag diacritics and unknown characters; the test compares the two word by word), at
about a quarter of kfst-rs's speed: the guard asks for few distinct words and remembers them.

The analyses are read the way pyvoikko reads them, keeping only what the guard asks: each
reading's word class and base form.
"""

from __future__ import annotations

import importlib.util
import lzma
import re
import struct
from array import array
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

# The kinds of symbol: a character (or several), nothing, a flag diacritic, "the character read"
# and "a character the transducer does not know".
_TEXT, _EPSILON, _FLAG, _IDENTITY, _UNKNOWN = range(5)

# A state with this many arcs or more (a hundred of 435,727; the first has 380) is read through
# an index by input symbol; the rest are read arc by arc.
_MANY = 16

Flags = dict[str, tuple[bool, str | None]]


class LexiconError(RuntimeError):
    """The transducer file is not what this reader knows."""


def transducer_file() -> Path:
    """pyvoikko's transducer, found without importing pyvoikko (which would load it into kfst)."""
    spec = importlib.util.find_spec("pyvoikko")
    if spec is None or not spec.submodule_search_locations:
        raise LexiconError("pyvoikko is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "voikko.kfst"


class Lexicon:
    """A transducer in kfst's binary format (version 0, unweighted), looked up by word."""

    def __init__(self, data: bytes) -> None:
        if data[:4] != b"KFST" or struct.unpack_from("!H", data, 4) != (0,):
            raise LexiconError("not a KFST file of version 0")
        n_symbols, n_arcs, n_finals, weighted = struct.unpack_from("!HII?", data, 6)
        if weighted:
            raise LexiconError("a weighted transducer")
        symbols = []
        at = 17
        for _ in range(n_symbols):
            end = data.index(b"\0", at)
            symbols.append(data[at:end].decode("utf-8"))
            at = end + 1
        arcs = lzma.decompress(data[at:])
        size = 12  # "!IIHH": from, to, input, output
        if len(arcs) != n_arcs * size + n_finals * 4:
            raise LexiconError("arcs missing")

        def column(offset: int, width: int, code: str) -> array:
            # Every record's bytes at offset…offset+width, big-endian, as a native array.
            native = bytearray(width * n_arcs)
            for k in range(width):
                native[k::width] = arcs[offset + width - 1 - k : size * n_arcs : size]
            values = array(code)
            values.frombytes(bytes(native))
            if array("H", [1]).tobytes() != b"\x01\x00":  # a big-endian machine
                values.byteswap()
            return values

        sources = column(0, 4, "I")
        self._to = column(4, 4, "I")
        self._input = column(8, 2, "H")
        self._output = column(10, 2, "H")
        self._finals = frozenset(struct.unpack_from(f"!{n_finals}I", arcs, size * n_arcs))
        self._symbols = symbols
        self._kinds = [_kind(s) for s in symbols]
        self._flags = {i: _flag(s) for i, s in enumerate(symbols) if self._kinds[i] == _FLAG}
        # The input is cut into symbols greedily, longest first, as kfst does.
        self._by_text = {s: i for i, s in enumerate(symbols) if self._kinds[i] == _TEXT}
        self._longest = max((len(s) for s in self._by_text), default=1)
        self._identity = next((i for i, k in enumerate(self._kinds) if k == _IDENTITY), None)
        self._unknown = next((i for i, k in enumerate(self._kinds) if k == _UNKNOWN), None)
        # Where each state's arcs start: the arcs are sorted by the state they leave, so state
        # s has arcs starts[s] to starts[s + 1] - 1.
        states = max(max(sources, default=0), max(self._to, default=0)) + 1
        starts = array("I", bytes(4 * (states + 1)))
        state = 0  # every state up to this one has its start
        for arc, source in enumerate(sources):
            if source != state:
                if source < state:
                    raise LexiconError("arcs not sorted by state")
                while state < source:
                    state += 1
                    starts[state] = arc
        while state < states:
            state += 1
            starts[state] = n_arcs
        self._starts = starts
        self._index: dict[int, dict[int | None, list[int]]] = {}

    @classmethod
    def from_file(cls, path: Path) -> Lexicon:
        return cls(path.read_bytes())

    def _tokens(self, word: str) -> list[tuple[int | None, str]]:
        tokens: list[tuple[int | None, str]] = []
        at = 0
        while at < len(word):
            for length in range(min(self._longest, len(word) - at), 0, -1):
                symbol = self._by_text.get(word[at : at + length])
                if symbol is not None:
                    tokens.append((symbol, word[at : at + length]))
                    at += length
                    break
            else:
                tokens.append((None, word[at]))
                at += 1
        return tokens

    def _arcs_reading(self, state: int, symbol: int | None) -> list[int]:
        """The arcs of a state with many that read nothing or ``symbol`` (None: any character
        the transducer does not know), by an index of the state made on its first visit."""
        index = self._index.get(state)
        if index is None:
            index = {}
            for j in range(self._starts[state], self._starts[state + 1]):
                given = self._input[j]
                kind = self._kinds[given]
                key = -1 if kind in (_EPSILON, _FLAG) else None if kind in (_IDENTITY, _UNKNOWN) else given
                index.setdefault(key, []).append(j)
            self._index[state] = index
        return index.get(-1, []) + index.get(symbol, [])

    def lookup(self, word: str) -> list[str]:
        """Every output of the transducer for ``word``, each once."""
        tokens = self._tokens(word)
        end = len(tokens)
        kinds, symbols, flags_of, finals = self._kinds, self._symbols, self._flags, self._finals
        starts, targets, inputs, outputs = self._starts, self._to, self._input, self._output
        unknown = (_IDENTITY, _UNKNOWN)
        found: dict[str, None] = {}
        empty: Flags = {}
        # Depth first, as kfst: (state, input position, input flags, output flags, output).
        stack: list[tuple[int, int, Flags, Flags, str]] = [(0, 0, empty, empty, "")]
        pop, push = stack.pop, stack.append
        while stack:
            state, position, input_flags, output_flags, output = pop()
            if position < end:
                symbol, read = tokens[position]
            else:
                symbol, read = -1, ""
                if state in finals:
                    found[output] = None
            first, last = starts[state], starts[state + 1]
            if last - first < _MANY:
                arcs: Iterable[int] = range(first, last)
            else:
                arcs = self._arcs_reading(state, symbol)
            for j in arcs:
                given = inputs[j]
                kind = kinds[given]
                new_input_flags = input_flags
                if kind == _EPSILON:
                    advance = 0
                elif kind == _FLAG:
                    advance = 0
                    updated = _update(flags_of[given], input_flags)
                    if updated is None:
                        continue
                    new_input_flags = updated
                elif given == symbol or (symbol is None and kind in unknown):
                    advance = 1
                else:
                    continue
                out = outputs[j]
                kind = kinds[out]
                if kind == _EPSILON:
                    push((targets[j], position + advance, new_input_flags, output_flags, output))
                elif kind == _FLAG:
                    new_output_flags = _update(flags_of[out], output_flags)
                    if new_output_flags is not None:
                        push((targets[j], position + advance, new_input_flags, new_output_flags, output))
                elif kind == _IDENTITY and advance:
                    push((targets[j], position + 1, new_input_flags, output_flags, output + read))
                else:
                    push(
                        (targets[j], position + advance, new_input_flags, output_flags, output + symbols[out])
                    )
        return list(found)


def _kind(symbol: str) -> int:
    if len(symbol) > 4 and symbol[0] == "@" == symbol[-1] and symbol[1] in "PNDRCU" and symbol[2] == ".":
        return _FLAG
    if symbol in ("@0@", "@_EPSILON_SYMBOL_@"):
        return _EPSILON
    if symbol == "@_IDENTITY_SYMBOL_@":
        return _IDENTITY
    if symbol == "@_UNKNOWN_SYMBOL_@":
        return _UNKNOWN
    return _TEXT


def _flag(symbol: str) -> tuple[str, str, str | None]:
    """``@P.KEY.VALUE@`` or ``@R.KEY@``: (operation, key, value)."""
    cut = symbol.rindex(".")
    if cut > 3:
        return symbol[1], symbol[3:cut], symbol[cut + 1 : -1]
    return symbol[1], symbol[3:-1], None


def _update(flag: tuple[str, str, str | None] | None, flags: Flags) -> Flags | None:
    """The flags after an arc's symbol, or None when the symbol forbids the path (kfst's rules)."""
    if flag is None:
        return flags
    operation, key, value = flag
    held = flags.get(key)
    if operation == "U":
        if held is None or (held[1] == value if held[0] else held[1] != value):
            return {**flags, key: (True, value)}
        return None
    if operation == "R":
        if held is None:
            return None
        return flags if value is None or _holds(held, value) else None
    if operation == "D":
        if held is None:
            return flags
        return None if value is None or _holds(held, value) else flags
    if operation == "C":
        if held is None:
            return flags
        return {k: v for k, v in flags.items() if k != key}
    if operation == "P":
        return {**flags, key: (True, value)}
    if operation == "N":
        return {**flags, key: (False, value)}
    return flags


def _holds(held: tuple[bool, str | None], value: str) -> bool:
    return held[1] == value if held[0] else held[1] != value


@cache
def lexicon() -> Lexicon:
    return Lexicon.from_file(transducer_file())


# --- Reading an analysis, as pyvoikko's VoikkoAnalysis does (class and base form only) --------

_TAG = re.compile(r"(\[[^\]]+\])")
_CLASSES = {
    "n": "nimisana", "l": "laatusana", "nl": "nimisana_laatusana", "h": "huudahdussana",
    "ee": "etunimi", "es": "sukunimi", "ep": "paikannimi", "em": "nimi", "t": "teonsana",
    "a": "lyhenne", "s": "seikkasana", "u": "lukusana", "ur": "lukusana", "r": "asemosana",
    "c": "sidesana", "d": "suhdesana", "k": "kieltosana", "p": "etuliite",
}  # fmt: skip
_ADJECTIVES = frozenset({"laatusana", "nimisana_laatusana"})


def _part(parts: list[str]) -> tuple[str, str, str, tuple[object, ...]]:
    """(form, base form, class, everything else read) of one part of a compound."""
    in_base = in_skipped = False
    base = surface = base_text = text = ""
    word_class = ""
    flags: list[str] = []
    tags: list[str] = []
    for part in parts:
        if part in ("[Xp]", "[Xj]"):
            in_base = True
            base += text
            surface += text
            text = base_text = ""
        elif part in ("[Xr]", "[Xs]"):
            in_skipped = True
        elif part == "[X]":
            in_base = in_skipped = False
        elif part.startswith("["):
            name, argument = part[1], part[2:-1]
            if name in "ID":
                flags.append(name + argument)
            elif name == "L":
                word_class = _CLASSES.get(argument, argument)
            else:
                tags.append(part)
        elif in_skipped:
            pass
        elif in_base:
            base_text += part
        else:
            text += part
    base += base_text
    surface += text
    if not base:
        base = surface[:-1] if surface.endswith("-") else surface
    if "De" in flags and surface.endswith("is-"):
        base = surface[:-1]
    if "Dg" in flags:
        base = base.lower()
    elif "De" in flags:
        base = base.capitalize()
    return surface, base, word_class, (tuple(parts), tuple(flags), tuple(tags))


def reading(output: str) -> tuple[str, str]:
    """(word class, base form) of one output of the transducer, as pyvoikko reads them.
    IndexError for an output without a word class, as pyvoikko raises."""
    parts = [p for p in _TAG.split(output) if p]
    compound: list[list[str]] = [[]]
    for part in parts:
        if part == "[Bc]":
            compound.append([])
        else:
            compound[-1].append(part)
    read = [_part(p) for p in compound if any(x.startswith("[L") for x in p)]
    last = read[-1]
    if len(read) == 1:
        return last[2], last[1]
    base = "".join(
        (b if r == last or c in _ADJECTIVES else form) + ("-" if form.endswith("-") else "")
        for r in read
        for form, b, c, _ in (r,)
    )
    return last[2], base


def analyse(word: str) -> Iterator[tuple[str, str]]:
    """(word class, base form) of each reading of ``word``."""
    for output in lexicon().lookup(word):
        yield reading(output)
