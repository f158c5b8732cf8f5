"""Write gongshi/files/shapes.py, the shape of every data file's model as plain data, from the
models themselves (gongshi/files/schema.py, pydantic).

    python scripts/make_shapes.py            # rewrite shapes.py
    python scripts/make_shapes.py --check    # exit 1 if it differs from what is committed

A build reads its usual files with files.quick, which checks them against shapes.py without
importing pydantic (0.1 s of every build's start); anything quick is not sure of goes to the
models. Run this after changing a model; tests/test_quick.py fails while shapes.py is out of
date, and checks that quick gives what the models give.

Each model is {"config": its model_config (items quick relies on), "root": whether it is a
RootModel, "validators": the names of its own validators (quick knows some of them by name
and refuses a model with any other), "fields": ((name, type, default), ...)}. A type is a tuple:
("str"|"int"|"float"|"date", constraints), ("bool",), ("any",), ("literal", values),
("enum", class name, strict), ("list", item type, constraints), ("dict", key type, value type,
constraints), ("optional", type), ("model", name), or ("validated", type, (mode, function name),
...) for an Annotated type with validators of its own. Constraints are a dict of min_length,
max_length, pattern, ge, le, gt, lt. A default is "required", ("value", v) or ("factory", name).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import enum
import sys
import types
import typing
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "gongshi" / "files" / "shapes.py"

HEADER = '''"""The shape of every data file's model (files/schema.py) as plain data, for files.quick.

Made by scripts/make_shapes.py from the models: do not edit; run the script after changing a
model (tests/test_quick.py fails while this is out of date).
"""

import datetime

'''

_CONSTRAINTS = ("min_length", "max_length", "pattern", "ge", "le", "gt", "lt")
_CONFIG = ("extra", "strict", "frozen", "allow_inf_nan")  # the model_config items quick relies on
# Field() arguments that change what the model reads or gives (another key, a validated default,
# a field left out of model_dump): quick reads none of them.
_FIELD_UNKNOWN = ("alias", "validation_alias", "serialization_alias", "discriminator", "exclude", "exclude_if",
                  "validate_default")


def _constraints(metadata) -> tuple[dict, bool | None]:
    """The constraints in a field's or an Annotated type's metadata, and its strict flag. An
    item with anything else (multiple_of, allow_inf_nan, coerce_numbers_to_str...), even next
    to a known constraint, stops the script."""
    found: dict = {}
    strict = None
    for item in metadata:
        if dataclasses.is_dataclass(item):  # annotated_types (MinLen, Ge...), Strict
            given = {field.name: getattr(item, field.name) for field in dataclasses.fields(item)}
        else:  # pydantic's own (pattern, with whatever else Field() was given)
            given = dict(vars(item))
        given = {name: value for name, value in given.items() if value is not None}
        if not given or set(given) - {*_CONSTRAINTS, "strict"}:
            raise SystemExit(f"make_shapes: unknown metadata {item!r}")
        strict = given.pop("strict", strict)
        found |= given
    return found, strict


def _type(annotation, constraints: dict, strict: bool | None, models: dict) -> tuple:
    from pydantic import BaseModel
    from pydantic.fields import FieldInfo

    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *extra = typing.get_args(annotation)
        validators = []
        more = dict(constraints)
        for item in extra:
            kind = type(item).__name__
            if kind in ("BeforeValidator", "AfterValidator"):
                validators.append((kind[:-len("Validator")].lower(), item.func.__name__))
            elif isinstance(item, FieldInfo):
                found, own_strict = _constraints(item.metadata)
                more |= found
                strict = own_strict if own_strict is not None else strict
            else:
                raise SystemExit(f"make_shapes: unknown Annotated part {item!r}")
        described = _type(inner, more, strict, models)
        return ("validated", described, *validators) if validators else described
    if origin in (typing.Union, types.UnionType):
        members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(members) != 1 or len(typing.get_args(annotation)) != 2:
            raise SystemExit(f"make_shapes: only X | None is known, not {annotation!r}")
        return ("optional", _type(members[0], constraints, strict, models))
    if origin is typing.Literal:
        values = typing.get_args(annotation)
        if not all(type(value) is str for value in values):
            raise SystemExit(f"make_shapes: only Literal strings are known, not {annotation!r}")
        _no_constraints(annotation, constraints)
        return ("literal", values)
    if origin is list:
        (item,) = typing.get_args(annotation)
        return ("list", _type(item, {}, None, models), constraints)
    if origin is dict:
        key, value = typing.get_args(annotation)
        return ("dict", _type(key, {}, None, models), _type(value, {}, None, models), constraints)
    if annotation is typing.Any:
        _no_constraints(annotation, constraints)
        return ("any",)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        _no_constraints(annotation, constraints)
        models[annotation.__name__] = annotation
        return ("model", annotation.__name__)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        _no_constraints(annotation, constraints)
        return ("enum", annotation.__name__, strict is not False)
    names = {str: "str", int: "int", float: "float", dt.date: "date", bool: "bool"}
    if annotation in names:
        if annotation is bool:
            _no_constraints(annotation, constraints)
            return ("bool",)
        return (names[annotation], constraints)
    raise SystemExit(f"make_shapes: unknown type {annotation!r}")


def _no_constraints(annotation, constraints: dict) -> None:
    if constraints:
        raise SystemExit(f"make_shapes: constraints {constraints} on {annotation!r} are not known")


def _default(field) -> object:
    if field.is_required():
        return "required"
    if field.default_factory is not None:
        return ("factory", field.default_factory.__name__)
    return ("value", field.default)


def _model(model, models: dict) -> dict:
    from pydantic import BaseModel

    ours = [cls for cls in model.__mro__ if issubclass(cls, BaseModel) and cls.__module__ != BaseModel.__module__
            and not cls.__module__.startswith("pydantic.")]
    for hook in ("__init__", "__new__", "model_post_init", "__get_pydantic_core_schema__", "model_validate"):
        if any(hook in vars(cls) for cls in ours):
            raise SystemExit(f"make_shapes: {model.__name__} has its own {hook}, which quick does not run")
    decorators = model.__pydantic_decorators__
    validators = sorted({*decorators.field_validators, *decorators.model_validators,
                         *decorators.validators, *decorators.root_validators,
                         *decorators.field_serializers, *decorators.model_serializers,
                         *decorators.computed_fields})
    fields = []
    for name, field in model.model_fields.items():
        unknown = [attribute for attribute in _FIELD_UNKNOWN if getattr(field, attribute, None)]
        if unknown:
            raise SystemExit(f"make_shapes: {model.__name__}.{name} has {unknown} quick does not know")
        constraints, strict = _constraints(field.metadata)
        fields.append((name, _type(field.annotation, constraints, strict, models), _default(field)))
    config = {key: model.model_config[key] for key in sorted(model.model_config) if key in _CONFIG}
    unknown = set(model.model_config) - set(_CONFIG)
    if unknown:
        raise SystemExit(f"make_shapes: {model.__name__} has config {sorted(unknown)} quick does not know")
    return {"config": config, "root": bool(getattr(model, "__pydantic_root_model__", False)),
            "validators": tuple(validators), "fields": tuple(fields)}


def render() -> str:
    sys.path.insert(0, str(ROOT))
    from pydantic import BaseModel

    from gongshi.files import schema

    found: dict = {}
    for value in vars(schema).values():
        if (isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == schema.__name__
                and not value.__name__.startswith("_") and "[" not in value.__name__ and value.model_fields):
            found[value.__name__] = value
    shapes: dict = {}
    pending = dict(found)
    while pending:
        name, model = pending.popitem()
        nested: dict = {}
        shapes[name] = _model(model, nested)
        pending |= {key: value for key, value in nested.items() if key not in shapes}
    lines = ["MODELS: dict[str, dict] = {"]
    for name, shape in sorted(shapes.items()):
        lines.append(f"    {name!r}: {{")
        for key in ("config", "root", "validators"):
            lines.append(f"        {key!r}: {shape[key]!r},")
        lines.append("        'fields': (")
        lines += [f"            {field!r}," for field in shape["fields"]]
        lines.append("        ),")
        lines.append("    },")
    lines.append("}")
    return HEADER + "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if shapes.py is out of date")
    args = parser.parse_args()
    text = render()
    if args.check:
        if TARGET.read_text(encoding="utf-8") != text:
            print("gongshi/files/shapes.py is out of date: run python scripts/make_shapes.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
