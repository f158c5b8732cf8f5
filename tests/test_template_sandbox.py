"""Templates run in a sandbox: an edited template cannot climb from a helper or a value to
the program's internals (the whole Site with its internal fields) and publish them."""

import jinja2
import pytest
from conftest import FIXED_DAY, REPO, run_cli

# Each was a way out before: url was a bound method of the Renderer, which held the Site.
BRIEF_ESCAPES = ["url.__self__.site", "url.__globals__", "''.__class__.__mro__", "site.__class__"]
MORE_ESCAPES = [
    "static.__self__",
    "url.__closure__",
    "objection_link.__globals__['Site']",
    "page.__dict__",
    "url['__self__']",
    "page.title|attr('__class__')",
    "'{0.__class__}'.format(site)",
    "cycler.__init__.__globals__",
    "site.name.__class__",
    "page.context.update(unit=1)",  # the immutable sandbox: data cannot be changed either
]


@pytest.mark.parametrize("expression", BRIEF_ESCAPES)
def test_template_escape_is_refused_and_nothing_published(project, expression):
    unit = project / "templates/unit.html"
    text = unit.read_text(encoding="utf-8")
    assert "<h1>{{ unit.name }}</h1>" in text
    unit.write_text(text.replace("<h1>{{ unit.name }}</h1>",
                                 "<h1>{{ unit.name }}{{ " + expression + " }}</h1>"), encoding="utf-8")
    result = run_cli("build", "--today", FIXED_DAY, project=project)
    assert result.code == 1, result.output
    assert "templates/unit.html" in result.stdout
    assert "第 3 行  错误 V003：模板试图访问程序内部的" in result.stdout, result.stdout
    assert "已拒绝，本次不发布" in result.stdout
    assert not (project / "output").exists()


@pytest.fixture(scope="module")
def renderer():
    from gongshi.load.loader import load_site
    from gongshi.site.render import Renderer

    site = load_site(REPO).site
    assert site is not None
    return Renderer(site, REPO / "templates", REPO / "static", "/")


@pytest.mark.parametrize("expression", BRIEF_ESCAPES + MORE_ESCAPES)
def test_sandbox_refuses_the_way_to_internals(renderer, expression):
    from gongshi.site.pages import Page

    page = Page("x/", "unit.html", "标题", {})
    template = renderer.env.from_string("{{ " + expression + " }}")
    with pytest.raises(jinja2.exceptions.SecurityError):
        template.render(page=page, title=page.title)


def test_helpers_given_to_templates_are_not_bound_to_the_renderer(renderer):
    from gongshi.site.render import Renderer

    for name, value in renderer.env.globals.items():
        assert not isinstance(getattr(value, "__self__", None), Renderer), name
