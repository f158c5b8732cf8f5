"""The cache of compiled templates (gongshi/site/template_cache.py): used, never trusted blindly,
never a reason for a build to fail, and the output the same bytes with it or without it."""

from __future__ import annotations

from pathlib import Path

import jinja2
import jinja2.bccache
import pytest
from conftest import FIXED_DAY, REPO, copy_project, run_cli
from support.trees import tree_bytes

from gongshi.site import render, template_cache


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setattr(template_cache, "folder", lambda: folder)
    return folder


@pytest.fixture
def compiled(monkeypatch) -> list[str]:
    """The names of the templates Jinja compiles from source, from now on."""
    names: list[str] = []
    compile_source = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        names.append(name)
        return compile_source(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return names


def build(project: Path, output: Path) -> dict[str, bytes]:
    result = run_cli("build", "--today", FIXED_DAY, "--output", str(output), project=project)
    assert result.code == 0, result.output
    return tree_bytes(output)


def test_a_second_build_compiles_nothing_and_writes_the_same_bytes(project, tmp_path, cache, compiled,
                                                                     monkeypatch):
    with monkeypatch.context() as without:
        without.setattr(template_cache, "attach", lambda env: None)
        uncached = build(project, tmp_path / "uncached")
    assert not cache.exists()
    first = build(project, tmp_path / "first")
    assert len(list(cache.iterdir())) == len(set(compiled)) >= 10
    compiled.clear()
    second = build(project, tmp_path / "second")
    assert compiled == []
    assert first == uncached and second == uncached


def test_an_edited_template_is_compiled_again(project, tmp_path, cache, compiled):
    build(project, tmp_path / "first")
    home = project / "templates" / "home.html"
    home.write_text(home.read_text(encoding="utf-8").replace("{% block main %}", "{% block main %}<p>新加的一句</p>", 1),
                    encoding="utf-8")
    compiled.clear()
    pages = build(project, tmp_path / "second")
    assert compiled == ["home.html"]
    assert "新加的一句" in pages["index.html"].decode("utf-8")


def test_a_damaged_cache_file_is_compiled_again(project, tmp_path, cache, compiled):
    first = build(project, tmp_path / "first")
    for index, file in enumerate(sorted(cache.iterdir())):
        data = file.read_bytes()
        # The code cut short, Jinja's header followed by garbage, or the whole file garbage.
        file.write_bytes([data[: len(data) // 2], jinja2.bccache.bc_magic + b"garbage", b"\x00garbage"][index % 3])
    compiled.clear()
    assert build(project, tmp_path / "second") == first
    assert len(compiled) >= 10


def test_a_cache_folder_that_cannot_be_made_or_written_does_not_stop_a_build(project, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setattr(template_cache, "folder", lambda: blocker / "templates")
    first = build(project, tmp_path / "first")

    def refuse(*args, **kwargs):
        raise PermissionError("拒绝访问")

    monkeypatch.setattr(template_cache, "folder", lambda: tmp_path / "cache")
    monkeypatch.setattr(jinja2.bccache.tempfile, "NamedTemporaryFile", refuse)
    assert build(project, tmp_path / "second") == first
    assert list((tmp_path / "cache").iterdir()) == []


def test_the_signature_changes_with_what_shapes_the_compiled_code():
    templates = REPO / "templates"
    same = template_cache.signature(render.environment(templates))
    assert template_cache.signature(render.environment(templates)) == same
    other_filters = render.environment(templates)
    other_filters.filters["extra"] = str
    other_options = render.environment(templates)
    other_options.trim_blocks = False
    plain = jinja2.Environment(autoescape=True)
    assert len({same, template_cache.signature(other_filters), template_cache.signature(other_options),
                template_cache.signature(plain)}) == 4


def test_a_copy_of_the_project_elsewhere_uses_the_same_compiled_templates(project, tmp_path, cache, compiled):
    first = build(project, tmp_path / "first")
    files = sorted(cache.iterdir())
    copy = copy_project(tmp_path / "elsewhere")
    compiled.clear()
    assert build(copy, tmp_path / "second") == first
    assert compiled == []
    assert sorted(cache.iterdir()) == files  # one file per template, whatever folder it is in


def test_a_template_once_loaded_stays_as_it_was_for_the_rest_of_the_build(tmp_path, cache):
    """Every page of one build comes from the same templates, even if one is saved meanwhile
    (a preview makes a new environment when the templates change: memo.PublishMemo); and no
    page or include looks at a template file's time again."""
    import os

    (tmp_path / "page.html").write_text("one", encoding="utf-8")
    env = render.environment(tmp_path)
    assert env.get_template("page.html").render() == "one"
    (tmp_path / "page.html").write_text("two", encoding="utf-8")
    later = os.stat(tmp_path / "page.html").st_mtime + 10
    os.utime(tmp_path / "page.html", (later, later))
    assert env.get_template("page.html").render() == "one"
    assert render.environment(tmp_path).get_template("page.html").render() == "two"


def test_templates_compiled_or_cached_print_through_the_quick_escape_with_markupsafe_output(tmp_path, cache, compiled):
    """Every printed value goes through render._escape (markupsafe's escaping without a Python
    Markup(...) call for a plain str), whether the template was compiled now or read from the
    cache, and the output is markupsafe.escape's for every kind of value."""
    import markupsafe

    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "t.html").write_text("{% for v in values %}[{{ v }}]{% endfor %}", encoding="utf-8")

    class Html:
        def __html__(self):
            return "<b>安全</b>"

    class Text(str):
        pass

    values = ["a&b<c>\"d'e", "示例县总工会", "", markupsafe.Markup("<i>已转义</i>"), Html(), Text("<x>"), 12, 1.5, True]
    expected = "".join(f"[{markupsafe.escape(v)}]" for v in values)
    for _ in range(2):  # compiled, then from the cache
        template = render.environment(folder).get_template("t.html")
        assert template.root_render_func.__globals__["escape"] is render._escape
        assert template.render(values=values) == expected
    assert compiled == ["t.html"]
    assert all(type(render._escape(v)) is markupsafe.Markup and render._escape(v) == markupsafe.escape(v)
               for v in values)
