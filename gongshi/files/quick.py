"""Reading the usual data file without pydantic: what a build does with every file it loads.

Importing pydantic and building the models (schema) costs about 0.1 s at the start of every
build, more than the rest of a small build's loading. Most files are as their models want
them, and checking those needs none of pydantic's machinery: `read(model, data)` checks `data`
against the model's shape (shapes.py, made from the models by scripts/make_shapes.py) and
gives its value as `Fields`, the same values the model gives. Whatever it is not sure of (a
value of another type than the model's strict one, any problem at all, a pattern checked on
text whose characters another regex engine could read otherwise, a model with validators it
does not know) makes it give up (`UNUSUAL`), and `validate` then asks the model itself, which
reads the file again and words every problem. So a file is either read here exactly as the
model reads it, or read by the model: tests/test_quick.py compares the two on many files.

The validators quick knows are the schema's own, through the checks they share (values.py):
a site's base_url, data/holidays.yaml and the stroke corrections files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import unicodedata
from collections.abc import Callable
from functools import cache
from typing import Any

from ..findings import Findings
from .list_order import ListOrder
from .shapes import MODELS
from .values import (
    HOLIDAYS_KEYS,
    STROKES_KEYS,
    Problem,
    base_url_problem,
    day_list_problem,
    day_span,
    holiday_year,
    notice_number_problem,
    notice_problem,
    one_character_problem,
    stroke_sequence,
    stroke_text,
)

UNUSUAL = object()  # read() could not be sure: the model reads the file
_MISSING = object()
_STRICT = {"allow_inf_nan": False, "extra": "forbid", "frozen": True, "strict": True}
_ENUMS = {"ListOrder": ListOrder}
_FACTORIES: dict[str, Callable[[], Any]] = {"list": list, "dict": dict}


class _Unusual(Exception):
    """Not sure: give the file to the model."""


class Fields:
    """A model's value as quick reads it: its fields as attributes (`root` for a root model),
    read-only, as the model's own instances are."""

    __slots__ = ("_model", "__dict__")
    _model: str

    def __init__(self, model: str, values: dict[str, Any]):
        object.__setattr__(self, "_model", model)
        object.__setattr__(self, "__dict__", values)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{self._model} is read-only")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Fields) and self._model == other._model and self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]  # as a model with a dict or list field

    def __repr__(self) -> str:
        return f"{self._model}({', '.join(f'{k}={v!r}' for k, v in self.__dict__.items())})"

    def __reduce__(self):
        return Fields, (self._model, self.__dict__)

    def model_dump(self) -> dict[str, Any]:
        """The fields as a dict, nested values too (as a model's model_dump())."""
        return {name: _dumped(value) for name, value in self.__dict__.items()}


def _dumped(value: Any) -> Any:
    if isinstance(value, Fields):
        return value.model_dump()
    if isinstance(value, list):
        return [_dumped(item) for item in value]
    if isinstance(value, dict):
        return {key: _dumped(item) for key, item in value.items()}
    return value


# --------------------------------------------------------------------------- reading


def read(model: str, data: Any) -> Any:
    """`data` read as `model` (a name in schema), or UNUSUAL."""
    reader = _reader(model)
    if reader is None:
        return UNUSUAL
    try:
        return reader(data)
    except _Unusual:
        return UNUSUAL


def validate(model: str, data: Any, file: str, findings: Findings) -> Any:
    """schema.validate(), by name: quick when it can be, else the model's."""
    value = read(model, data)
    if value is not UNUSUAL:
        return value
    from . import schema

    return schema.validate(getattr(schema, model), data, file, findings)


def validate_records(model: str, data: Any, file: str, findings: Findings, records: str) -> tuple[Any, list[int]]:
    """schema.validate_records(), by name: quick when the whole file is usual."""
    value = read(model, data)
    if value is not UNUSUAL:
        return value, list(range(len(getattr(value, records))))
    from . import schema

    return schema.validate_records(getattr(schema, model), data, file, findings, records)


def defaults(model: str) -> Any:
    """`model` with every field at its default (as `model()`)."""
    value = read(model, {})
    if value is not UNUSUAL:
        return value
    from . import schema

    return getattr(schema, model)()


@cache
def _reader(model: str) -> Callable[[Any], Any] | None:
    """The function reading `model`, or None when quick does not know how."""
    shape = MODELS.get(model)
    if shape is None:
        return None
    own = _OWN.get(model)
    try:
        if own is not None:
            expected, make = own
            known = all(name in MODELS and shape_digest(name) == digest for name, digest in expected.items())
            return make() if known else None
        if shape["validators"] or shape["root"] or shape["config"] != _STRICT:
            return None
        return _model_reader(model, shape)
    except _Unusual:  # a type quick does not read
        return None


def shape_digest(model: str) -> str:
    """A short digest of a model's whole shape (fields, types, constraints, defaults, config,
    validators), which a hand-written reader names to say which shape it reads."""
    return hashlib.sha256(repr(MODELS[model]).encode()).hexdigest()[:16]


def _model_reader(model: str, shape: dict, after: Callable[[dict], None] | None = None) -> Callable[[Any], Fields]:
    # The fields in the model's order: each one's value when not given (a constant; None for a
    # required field or one made by a factory), then what reads a given value.
    template: dict[str, Any] = {}
    readers: dict[str, Callable[[Any], Any]] = {}
    required: list[str] = []
    factories: list[tuple[str, Callable[[], Any]]] = []
    for name, kind, default in shape["fields"]:
        template[name] = None
        if default == "required":
            required.append(name)
        elif default[0] == "factory":
            factory = _FACTORIES.get(default[1])
            if factory is None:
                raise _Unusual
            factories.append((name, factory))
        else:
            template[name] = _constant(default[1])
        readers[name] = _type_reader(kind)
    known, needed = readers.keys(), frozenset(required)

    def read_model(value: Any) -> Fields:
        if not isinstance(value, dict):
            raise _Unusual
        given_keys = value.keys()
        if not (given_keys <= known and given_keys >= needed):
            raise _Unusual
        out = template.copy()  # the model's order, whichever order the file has
        for name, given in value.items():
            out[name] = readers[name](given)
        for name, make in factories:
            if name not in value:
                out[name] = make()
        if after is not None:
            after(out)
        return Fields(model, out)

    return read_model


def _constant(value: Any) -> Any:
    """A default quick may share between files: one nothing can change."""
    if value is not None and type(value) not in (str, bool, int):
        raise _Unusual
    return value


def _type_reader(kind: tuple) -> Callable[[Any], Any]:
    name = kind[0]
    if name == "str":
        return _text_reader(kind[1])
    if name in ("int", "float", "date"):
        return _number_reader(name, kind[1])
    if name == "bool":
        return _exactly(bool)
    if name == "literal":
        choices = frozenset(kind[1])

        def read_literal(value: Any) -> str:
            if type(value) is not str or value not in choices:
                raise _Unusual
            return value
        return read_literal
    if name == "enum" and not kind[2]:
        if kind[1] not in _ENUMS:
            raise _Unusual
        members = _ENUMS[kind[1]]._value2member_map_

        def read_member(value: Any) -> Any:
            if type(value) is not str or value not in members:
                raise _Unusual
            return members[value]
        return read_member
    if name == "optional":
        inner = _type_reader(kind[1])
        return lambda value: None if value is None else inner(value)
    if name == "list":
        item, least = _type_reader(kind[1]), _only_length(kind[2])

        def read_list(value: Any) -> list:
            if not isinstance(value, list) or len(value) < least:
                raise _Unusual
            return [item(one) for one in value]
        return read_list
    if name == "dict":
        key, item = _type_reader(kind[1]), _type_reader(kind[2])
        _only_length(kind[3], allowed=())

        def read_dict(value: Any) -> dict:
            if not isinstance(value, dict):
                raise _Unusual
            out = {key(k): item(v) for k, v in value.items()}
            if len(out) != len(value):  # two keys read as one
                raise _Unusual
            return out
        return read_dict
    if name == "model":
        nested = _reader(kind[1])
        if nested is None:
            raise _Unusual
        return nested
    raise _Unusual  # any, validated, a strict enum: the model's own


def _exactly(kind: type) -> Callable[[Any], Any]:
    def read_exactly(value: Any) -> Any:
        if type(value) is not kind:
            raise _Unusual
        return value
    return read_exactly


def _only_length(constraints: dict, allowed: tuple[str, ...] = ("min_length",)) -> int:
    if set(constraints) - set(allowed):
        raise _Unusual
    return constraints.get("min_length", 0)


def _text_reader(constraints: dict) -> Callable[[Any], str]:
    if set(constraints) - {"min_length", "pattern"}:
        raise _Unusual
    least = constraints.get("min_length", 0)
    if _OTHER_SYNTAX.search(constraints.get("pattern", "")):
        raise _Unusual
    pattern = re.compile(constraints["pattern"]) if "pattern" in constraints else None

    def read_text(value: Any) -> str:
        if type(value) is not str or len(value) < least:
            raise _Unusual
        if pattern is not None and not (_same_in_both_engines(value) and pattern.search(value)):
            raise _Unusual
        return value
    return read_text


# Text whose every character both regex engines read alike: printable ASCII (no newline, so
# "$" is the end of the text; no tab or control, on which their \s differ), and beyond ASCII
# letters, punctuation and symbols of Python's Unicode (never digits or spaces, on which the
# engines' Unicode versions could differ). Alike for the syntax the schema's patterns use;
# quick reads no pattern with any other (_OTHER_SYNTAX): \w, \W, \b and \B differ on such
# characters (U+203F ‿, U+24B6 Ⓐ: a word character only to the Rust engine), and the Rust
# engine's inline flags, nested classes and class operations (&&, --, ~~) are not Python's.
_ASCII_PRINTABLE = re.compile(r"[ -~]*")
_OTHER_SYNTAX = re.compile(r"\\[^dsS.\-]|\(\?|\[\[|&&|--|~~")


def _same_in_both_engines(text: str) -> bool:
    if _ASCII_PRINTABLE.fullmatch(text):
        return True
    return all(" " <= ch <= "~" or (ch > "\x7f" and unicodedata.category(ch)[0] in "LPS") for ch in text)


def _number_reader(name: str, constraints: dict) -> Callable[[Any], Any]:
    if set(constraints) - {"ge", "le"}:
        raise _Unusual
    low, high = constraints.get("ge"), constraints.get("le")
    if name == "date":
        kinds: tuple[type, ...] = (dt.date,)
    elif name == "int":
        kinds = (int,)
    else:
        kinds = (int, float)

    def read_number(value: Any) -> Any:
        if type(value) not in kinds:
            raise _Unusual
        if name == "float":
            try:
                value = float(value)
            except OverflowError:  # a whole number beyond any float (YAML: 1 and 400 zeros)
                raise _Unusual from None
            if not math.isfinite(value):
                raise _Unusual
        if (low is not None and not value >= low) or (high is not None and not value <= high):
            raise _Unusual
        return value
    return read_number


# --------------------------------------------------------------------------- own validators


def _checked(found: Any) -> Any:
    """A values.py check's value; its Problem is the model's to word."""
    if isinstance(found, Problem):
        raise _Unusual
    return found


def _site_file() -> Callable[[Any], Fields]:
    def base_url_form(out: dict) -> None:
        if base_url_problem(out["base_url"]) is not None:
            raise _Unusual
    return _model_reader("SiteFile", MODELS["SiteFile"], base_url_form)


def _holidays_file() -> Callable[[Any], Fields]:
    keys = frozenset(HOLIDAYS_KEYS)

    def read_year(year: int, body: Any) -> Fields:
        if not isinstance(body, dict) or set(body) != keys:
            raise _Unusual
        notice, number = body["notice"], body["notice_number"]
        if (type(notice) is not str or notice_problem(notice, year) is not None
                or type(number) is not str or notice_number_problem(number, year) is not None):
            raise _Unusual
        days = {}
        for key in ("holidays", "workdays"):
            items = body[key]
            if day_list_problem(items, year, key) is not None:
                raise _Unusual
            days[key] = [_checked(day_span(item, year, key)) for item in items]
        if not days["holidays"]:
            raise _Unusual
        return Fields("HolidayYearEntry", {"notice": notice, "notice_number": number, **days})

    def read_holidays(value: Any) -> Fields:
        if not isinstance(value, dict):
            raise _Unusual
        years = {}
        for key, body in value.items():
            year = holiday_year(key)
            if year is None or year in years:
                raise _Unusual
            years[year] = read_year(year, body)
        return Fields("HolidaysFile", {"root": years})
    return read_holidays


def _stroke_corrections_file() -> Callable[[Any], Fields]:
    keys = frozenset(STROKES_KEYS)

    def read_entry(entry: Any) -> Fields:
        if not isinstance(entry, dict) or set(entry) != keys:
            raise _Unusual
        character, written, reason = (_checked(stroke_text(entry[key], key)) for key in STROKES_KEYS)
        if one_character_problem(character) is not None:
            raise _Unusual
        return Fields("StrokeCorrectionEntry", {"字": character, "笔顺": _checked(stroke_sequence(written, character)),
                                                "说明": reason})

    def read_corrections(value: Any) -> Fields:
        if not isinstance(value, list):
            raise _Unusual
        return Fields("StrokeCorrectionsFile", {"root": [read_entry(entry) for entry in value]})
    return read_corrections


# Models with validators of their own, read by hand: for each model its reader reads, the
# digest of the shape it was written for (shape_digest). When a shape changes (a field, a
# type, a constraint, a validator), quick stops reading that file until its reader has been
# checked against the new shape and the digest brought up to date (tests/test_quick.py fails
# meanwhile: every build would import pydantic again).
_OWN: dict[str, tuple[dict[str, str], Callable[[], Callable[[Any], Fields]]]] = {
    "SiteFile": ({"SiteFile": "46d6cd938b628c5d"}, _site_file),
    "HolidaysFile": ({"HolidaysFile": "235330ee68a22329", "HolidayYearEntry": "591eeadf87f3d8aa"},
                     _holidays_file),
    "StrokeCorrectionsFile": ({"StrokeCorrectionsFile": "9bf3b69b61bd4e96",
                               "StrokeCorrectionEntry": "d86984bb64e648fe"}, _stroke_corrections_file),
}
