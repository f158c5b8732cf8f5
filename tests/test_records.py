"""The records are msgspec Structs (load/model.py): what the tool relies on of them that a
dataclass gave for free."""

from __future__ import annotations

import re
import tomllib

from conftest import REPO
from msgspec.structs import replace

from gongshi.findings import SHOWN_LIMIT, Finding, Severity


def _declared_floor(package: str) -> tuple[int, ...]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = next(d for d in config["project"]["dependencies"] if d.lower().startswith(package))
    found = re.search(r">=\s*([0-9][0-9.]*)", wanted)
    assert found is not None, wanted
    return tuple(int(part) for part in found.group(1).split("."))


def test_replace_runs_post_init_and_the_declared_msgspec_does_so():
    """`replace` (msgspec.structs.replace) makes a record through __post_init__, as
    dataclasses.replace did: a Finding checks its code's level and shortens its excerpt there.
    msgspec does so from 0.21 on (before, replace skipped __post_init__; 0.21 also stops a
    Struct with a __dict__, as Recipient is, from crashing Python 3.13), so pyproject.toml may
    not allow an older one."""
    finding = Finding("S011", Severity.ERROR, "m")
    assert len(replace(finding, excerpt="长" * 200).excerpt) == SHOWN_LIMIT + 1
    assert _declared_floor("msgspec") >= (0, 21)


def test_a_period_and_a_site_leave_other_types_to_compare_themselves():
    """The two records with an equality of their own return NotImplemented for another type,
    as a dataclass's does, so the other side decides (mock.ANY equals them)."""
    import datetime as dt
    from unittest import mock

    from gongshi.load.loader import load_site
    from gongshi.load.model import Period

    period = Period(dt.date(2018, 11, 5), dt.date(2018, 11, 9))
    assert period == mock.ANY and not period != mock.ANY
    assert period != (period.start, period.end)
    site = load_site(REPO).site
    assert site == mock.ANY and not site != mock.ANY
