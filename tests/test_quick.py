"""files.quick reads a usual data file exactly as its pydantic model does, or leaves it to the model.

The promise is one-sided: whenever quick gives a value, the model accepts the same data and
gives the same values, of the same types; quick may give up on anything (the model then reads
the file, and words every problem). Checked on every data file and front matter of the bundled
project, on each of them with every field at a default, and on thousands of random edits of
them (wrong types, bounds, patterns, spaces, missing and unknown keys...), with a fixed seed.
"""

from __future__ import annotations

import copy
import datetime as dt
import importlib.util
import math
import pickle
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO
from pydantic import BaseModel, Field, ValidationError, create_model

from gongshi.files import quick, schema
from gongshi.files.content import read_document
from gongshi.files.yamlfile import parse_yaml
from gongshi.findings import Findings

# The files a build reads, and the model each is read as.
FILE_MODELS = {
    "SiteFile", "AnnouncementFile", "CategoriesFile", "UnitsFile", "RecipientsFile", "RulesFile",
    "HistoryFile", "ChangesFile", "HolidaysFile", "StrokeCorrectionsFile", "NoticeFront",
    "GongshiFront", "DecisionFront",
}


def bundled_files() -> list[tuple[str, str, object]]:
    """(name, model, data) for every data file and front matter of the bundled project, and the
    package's own stroke corrections."""
    found = []

    def add(path: Path, model: str) -> None:
        data = parse_yaml(path.read_text(encoding="utf-8"), path.name)
        if data is not None:  # only comments: nothing is validated
            found.append((str(path.relative_to(REPO)), model, data))

    data = REPO / "data"
    add(data / "site.yaml", "SiteFile")
    add(data / "history.yaml", "HistoryFile")
    add(data / "holidays.yaml", "HolidaysFile")
    add(data / "strokes.yaml", "StrokeCorrectionsFile")
    add(REPO / "gongshi" / "zh" / "strokes.yaml", "StrokeCorrectionsFile")
    for folder in sorted(p for p in data.iterdir() if (p / "announcement.yaml").is_file()):
        for name, model in (("announcement", "AnnouncementFile"), ("categories", "CategoriesFile"),
                            ("units", "UnitsFile"), ("rules", "RulesFile"), ("changes", "ChangesFile")):
            if (folder / f"{name}.yaml").is_file():
                add(folder / f"{name}.yaml", model)
        for path in sorted([*folder.glob("recipients/*.yaml"), *folder.glob("decision/*.yaml")]):
            add(path, "RecipientsFile")
    for path in sorted((REPO / "content").glob("*/*.md")):
        model = {"notice": "NoticeFront", "gongshi": "GongshiFront", "decision": "DecisionFront"}[path.stem]
        found.append((str(path.relative_to(REPO)), model, read_document(path, path.name).front))
    return found


def canonical(value):
    """A value with every type spelt out, so that 1 and 1.0, a str and an enum member differ."""
    if isinstance(value, quick.Fields):
        return (value._model, {name: canonical(item) for name, item in vars(value).items()})
    if isinstance(value, BaseModel):
        model = type(value)
        if getattr(model, "__pydantic_root_model__", False):
            return (model.__name__, {"root": canonical(value.root)})
        return (model.__name__, {name: canonical(getattr(value, name)) for name in model.model_fields})
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [canonical(item) for item in value])
    if isinstance(value, dict):
        return ("dict", [(canonical(key), canonical(item)) for key, item in value.items()])
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, value)


def by_model(model: str, data):
    """What the model makes of `data` (canonical), or None when it refuses it."""
    try:
        return canonical(getattr(schema, model).model_validate(data))
    except ValidationError:
        return None


def compare(model: str, data) -> bool:
    """Quick agrees with the model on `data`; True when quick read it itself."""
    got = quick.read(model, data)
    if got is quick.UNUSUAL:
        return False
    expected = by_model(model, data)
    assert expected is not None, f"quick read what {model} refuses: {data!r}"
    assert canonical(got) == expected, f"{model}: {data!r}"
    return True


def test_shapes_are_made_from_the_models_as_they_are_now():
    ran = subprocess.run([sys.executable, str(REPO / "scripts" / "make_shapes.py"), "--check"],
                         capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr


def test_make_shapes_stops_at_what_it_does_not_know():
    """A field read under another key, or a constraint next to one it knows, would otherwise be
    left out of shapes.py without a word, and quick would read what the model refuses."""
    spec = importlib.util.spec_from_file_location("make_shapes", REPO / "scripts" / "make_shapes.py")
    make_shapes = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_shapes)
    fields = [Field(alias="名称"), Field(validation_alias="名称"), Field(pattern="^x", coerce_numbers_to_str=True),
              Field(default="x", validate_default=True), Field(default="x", exclude=True)]
    for field in fields:
        model = create_model("Model", __base__=schema._Strict, name=(str, field))
        with pytest.raises(SystemExit):
            make_shapes._model(model, {})
    assert make_shapes._model(create_model("Model", __base__=schema._Strict, name=(str, Field(min_length=1))), {})

    class Trimmed(schema._Strict):  # a model that changes its values after validating them
        name: str

        def model_post_init(self, context):
            object.__setattr__(self, "name", self.name.strip())

    with pytest.raises(SystemExit):
        make_shapes._model(Trimmed, {})


@pytest.mark.parametrize("model", sorted(FILE_MODELS))
def test_quick_reads_every_file_a_build_reads(model):
    """A model whose validators or fields changed is no longer read quick until its reader is
    brought up to date (quick._OWN); every build would then import pydantic again."""
    assert quick._reader(model) is not None


@pytest.mark.parametrize("name, model, data", bundled_files(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_bundled_file_is_read_quick_as_its_model_reads_it(name, model, data):
    assert compare(model, data), f"{name} is not read quick"


@pytest.mark.parametrize("model", sorted(FILE_MODELS))
def test_a_file_of_defaults_only(model):
    compare(model, {})
    compare(model, [])
    compare(model, None)


def test_defaults_are_the_models_defaults():
    assert canonical(quick.defaults("RulesFile")) == canonical(schema.RulesFile())


# Values a random edit puts in place of another.
POOL = [
    None, True, False, 0, 1, -1, 2, 3.0, 99.5, 100, 100.0, 100.5, -0.5, 1949, 2101, 10**20,
    float("nan"), float("inf"), "", " ", "x", "a b", "a\nb", "\u3000", "\t", "0", "2018",
    "0391-3999921", "0391-3999921\n", "０３９１-３９９９９２１", "0391-39999２1", "454150", "４５４１５０",
    "ban@example.gov.cn", "ban @example.gov.cn", "ban@example\u3000.cn", "17时前", "１７时前", "17时", "9时30分",
    "https://www.example.gov.cn/gongshi/", "/", "/gongshi/", "gongshi/", "//x/", "www.example.gov.cn",
    "市直", "县市区", "个", "名", "person", "organisation", "表彰", "命名", "姓氏笔画", "拼音", "笔画", "LIST",
    "工作日", "自然日", "县级", "省级", "撤销", "更正", "其他", "quota_table", "home", "Home", "a-b", "a_b",
    "2018-10-01 至 2018-10-07", "2018-10-01", "2018-10-08", "2018-02-30", "2018-12-30", "2017-12-30",
    "国务院办公厅关于2018年部分节假日安排的通知", "国办发明电〔2017〕15号", "一", "达", "134454", "横竖撇点折", "１",
    dt.date(1999, 12, 31), dt.date(2000, 1, 1), dt.date(2018, 10, 1), dt.date(2018, 10, 7), dt.date(2100, 1, 1),
    dt.datetime(2018, 10, 1, 8, 0), [], ["x"], [1], {}, {"x": 1}, {"name": "甲"},
]


def plain(value):
    """`value` as plain dicts and lists (what an edit makes of a node)."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def nodes(value, path=()):
    """Every place in `value`, as a path of keys and indices."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from nodes(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value[:6]):  # the first few items of a long list
            yield from nodes(item, (*path, index))


def edited(data, rng: random.Random):
    """`data` with one to three random edits."""
    data = plain(data)
    for _ in range(rng.choice((1, 1, 2, 3))):
        places = list(nodes(data))
        path = rng.choice(places)
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        node = parent[path[-1]] if path else data
        action = rng.random()
        if action < 0.55 or not path:
            if isinstance(node, str) and rng.random() < 0.4:
                new = rng.choice([node + " ", " " + node, node + "\n", node.upper(), node[:1], node * 2, node + "\u3000"])
            elif type(node) in (int, float) and math.isfinite(node) and rng.random() < 0.4:
                new = rng.choice([node + 1, node - 1, -node, float(node), int(node), node * 1000])
            else:
                new = copy.deepcopy(rng.choice(POOL))
            if not path:
                return new
            parent[path[-1]] = new
        elif action < 0.7 and isinstance(parent, dict):
            del parent[path[-1]]
        elif action < 0.8 and isinstance(parent, dict):
            parent[rng.choice(["extra", "nmae", "titel", "2019", 2018, "2018 ", "字 "])] = copy.deepcopy(rng.choice(POOL))
        elif action < 0.9 and isinstance(parent, list):
            parent.append(copy.deepcopy(node))
        elif isinstance(parent, dict) and len(parent) > 1:  # the same value under another key
            other = rng.choice([key for key in parent if key != path[-1]])
            parent[other] = copy.deepcopy(node)
        elif isinstance(parent, list):
            parent.clear()
    return data


def test_random_edits_are_read_as_the_models_read_them():
    rng = random.Random(20261205)
    files = bundled_files()
    read_quick = refused = 0
    for _ in range(6000):
        name, model, data = rng.choice(files)
        changed = edited(data, rng)
        if compare(model, changed):
            read_quick += 1
        elif by_model(model, changed) is None:
            refused += 1
    # The edits reach both sides: many are still usual, many are refused by the model.
    assert read_quick > 1000 and refused > 3000, (read_quick, refused)


def test_fields_are_read_only_and_survive_pickling():
    data = {"id": "home", "name": "模范职工之家", "table_label": "模范职工之家（个）", "measure": "个",
            "subject": "organisation", "action": "表彰", "total": 3, "order": "拼音"}
    value = quick.read("CategoryEntry", data)
    assert value is not quick.UNUSUAL
    assert value.order.value == "拼音" and value.confers is None
    with pytest.raises(AttributeError):
        value.total = 4
    assert pickle.loads(pickle.dumps(value)) == value
    assert value.model_dump() == schema.CategoryEntry.model_validate(data).model_dump()


def test_a_file_quick_gives_up_on_is_reported_by_the_model():
    data = {"name": "网站", "owner": "焦作市总工会", "base_url": "www.example.gov.cn/gongshi/",
            "announcements": ["2018-mofan"]}
    assert quick.read("SiteFile", data) is quick.UNUSUAL
    findings, expected = Findings(), Findings()
    assert quick.validate("SiteFile", data, "data/site.yaml", findings) is None
    schema.validate(schema.SiteFile, data, "data/site.yaml", expected)
    assert [(f.code, f.message) for f in findings] == [(f.code, f.message) for f in expected]
    assert [f.code for f in findings] == ["S014"]


@pytest.mark.parametrize("number", [2**1024, -10**400], ids=["2**1024", "-10**400"])
def test_a_whole_number_too_large_for_a_float_is_the_models_to_report(number):
    """YAML reads 1 followed by 400 zeros as an int; as a float it would overflow (the model
    refuses it as not a number, S013)."""
    data = {"membership_rate": {"home": number}}
    assert quick.read("RulesFile", data) is quick.UNUSUAL
    findings = Findings()
    assert quick.validate("RulesFile", data, "data/x/rules.yaml", findings) is None
    assert [f.code for f in findings] == ["S013"]


@pytest.mark.parametrize("pattern", [r"^\W+$", r"^\B", r"(?i)^[a-z]+$", r"^[[:alpha:]]+$", r"^[a-z&&[^b]]+$"])
def test_a_pattern_the_two_engines_could_read_otherwise_is_left_to_the_model(pattern):
    """The model's Rust engine and Python's re differ on \\w (U+24B6 Ⓐ is a word character
    only to the first), flags and class syntax: quick reads no model with such a pattern."""
    model = create_model("Model", __base__=schema._Strict, code=(str, Field(pattern=pattern)))
    if pattern == r"^\W+$":
        assert re.search(pattern, "Ⓐ")
        with pytest.raises(ValidationError):
            model.model_validate({"code": "Ⓐ"})
    with pytest.raises(quick._Unusual):
        quick._text_reader({"pattern": pattern})



def test_a_hand_read_file_whose_shape_changed_is_left_to_the_model(monkeypatch):
    """A constraint added to a field of the stroke corrections: the hand-written reader was not
    written for it, so quick stops reading such files until it is checked and its digest renewed."""
    entry = quick.MODELS["StrokeCorrectionEntry"]
    changed = dict(entry, fields=tuple((name, ("str", {"min_length": 2}) if name == "说明" else kind, default)
                                       for name, kind, default in entry["fields"]))
    monkeypatch.setitem(quick.MODELS, "StrokeCorrectionEntry", changed)
    quick._reader.cache_clear()
    try:
        assert quick._reader("StrokeCorrectionsFile") is None
        assert quick.read("StrokeCorrectionsFile", [{"字": "达", "笔顺": "134454", "说明": "依据"}]) is quick.UNUSUAL
    finally:
        monkeypatch.undo()
        quick._reader.cache_clear()
    assert quick._reader("StrokeCorrectionsFile") is not None
