"""Turning pages into HTML: the jinja2 environment, its filters, and URL helpers.

Templates are autoescaped and use `StrictUndefined`, so a data value is always text (never
HTML) and a typo in a template fails the build instead of publishing a blank. They run in
Jinja's `ImmutableSandboxedEnvironment`: no `__class__`, `__globals__`, `__self__` or other
Python internals, no changing data, so even an edited template sees only the public view;
and the helpers it gets are plain closures, not bound methods of objects holding the site.
Every link is made by `url()`, which prefixes the base path, so the site works at the root of
a host or under a sub-path; the paths themselves come from urls.py (`paths` in templates).
Static files are linked with a content hash for cache busting.
"""

from __future__ import annotations

import hashlib
import re
import traceback
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import jinja2
import markupsafe
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .. import urls
from ..findings import Finding, Location, Severity, shorten
from ..load.model import Site
from ..load.ordering import order_note
from ..zh.chinese_dates import format_date
from ..zh.names import INTERPUNCT_VARIANTS
from . import template_cache
from .objection import OBJECTION_HINT, encoded_objection_body, objection_link
from .pages import Page
from .search import pinyin_text


def base_path(base_url: str) -> str:
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def url_helper(prefix: str):
    """`url(path)` for templates: the path under the site's base path."""
    def url(path: str = "") -> str:
        return prefix + path
    return url


def static_helper(prefix: str, static_dir: Path):
    """`static(name)` for templates: a static file's URL with a hash of its content."""
    hashes: dict[str, str] = {}

    def static(name: str) -> str:
        digest = hashes.get(name)
        if digest is None:
            digest = hashlib.sha256((static_dir / name).read_bytes()).hexdigest()[:10]
            hashes[name] = digest
        return f"{prefix}{urls.static(name)}?v={digest}"
    return static


# The URL layout for templates: `url(paths.unit(announcement.slug, unit.id))`. Plain functions
# of urls.py in a namespace, nothing that reaches the site.
TEMPLATE_PATHS = SimpleNamespace(
    **{name: getattr(urls, name) for name in ("home", "announcement", "notice", "list_page", "units",
                                               "unit", "search")},
    feed=urls.FEED, checksums=urls.CHECKSUMS)


# markupsafe's own escaping of a str to a str (its C speedups), where this markupsafe has it.
_ESCAPE_TEXT: Callable[[str], str] | None = getattr(markupsafe, "_escape_inner", None)


def _escape(value: Any, /) -> markupsafe.Markup:
    """markupsafe.escape, the same Markup, with no Python-level Markup(...) call for a plain
    str: a template's every printed value goes through it, five to eight a row of a list
    (100,000 names: over a million calls, about 0.5 µs each saved; the list and unit pages
    render about a tenth faster)."""
    if type(value) is str and _ESCAPE_TEXT is not None:
        return str.__new__(markupsafe.Markup, _ESCAPE_TEXT(value))
    return markupsafe.escape(value)


class _Template(jinja2.Template):
    """Our templates print through `_escape`: Jinja's compiled code looks up `escape` in its
    module's namespace (imported from jinja2.runtime, which is markupsafe.escape), set here
    when the template is made, from source or from the cache of compiled templates."""

    @classmethod
    def _from_namespace(cls, environment, namespace, globals):
        if namespace.get("escape") is markupsafe.escape:
            namespace["escape"] = _escape
        return super()._from_namespace(environment, namespace, globals)


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, refusing every name that starts with "_" as unsafe, also
    where the object has no such attribute, so each such attempt gets the same V003.

    Jinja's verdict on an attribute depends only on the object's type and the name, so it is
    remembered per (type, name), and an attribute already found safe is then read directly:
    a list of 100,000 names asks the same few questions once.
    """

    _STR_FORMAT = ("format", "format_map")  # always through Jinja, which sandboxes them
    template_class = _Template

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._verdicts: dict[tuple[type, str], bool] = {}
        # type -> the attributes found safe on it (str's format methods never: Jinja's own
        # path sandboxes them), which `getattr` reads directly: one set lookup, no key made.
        self._readable: dict[type, set[str]] = {}
        self._helpers: dict[int, Callable[..., Any]] = {}  # id -> the plain functions given to templates

    def add_helpers(self, **helpers) -> None:
        """Give templates these plain functions (safe: they take and return plain values).
        A call to one of them skips Jinja's search for a context argument: a long list calls
        them on every row."""
        self.globals.update(helpers)
        self._helpers.update((id(function), function) for function in helpers.values())

    def call(self, context, obj, /, *args, **kwargs):
        helper = self._helpers.get(id(obj))
        if helper is not None and helper is obj:
            kwargs.pop("_loop_vars", None)
            kwargs.pop("_block_vars", None)
            return helper(*args, **kwargs)
        return super().call(context, obj, *args, **kwargs)

    def is_safe_attribute(self, obj, attr, value) -> bool:
        key = (type(obj), attr)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = super().is_safe_attribute(obj, attr, value)
            if verdict and attr not in self._STR_FORMAT:
                self._readable.setdefault(type(obj), set()).add(attr)
        return verdict

    def getattr(self, obj, attribute):
        readable = self._readable.get(type(obj))
        if readable is not None and attribute in readable:
            try:
                return getattr(obj, attribute)
            except AttributeError:
                pass
        if attribute.startswith("_"):
            return self.unsafe_undefined(obj, attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj, argument):
        if isinstance(argument, str) and argument.startswith("_"):
            return self.unsafe_undefined(obj, argument)
        return super().getitem(obj, argument)


def environment(templates: Path) -> _Sandbox:
    """The Jinja environment for a templates folder (a preview keeps one while the templates
    stay the same: memo.PublishMemo; each Renderer gives it the site's own globals)."""
    env = _Sandbox(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # No constant folding when a template is compiled: a fifth of the compile time of
        # every template on every build, for expressions our templates hardly have.
        optimized=False,
        # A template once loaded is used as it is: every page of a build from the same
        # templates even if one is saved meanwhile, and no look at its file's time for every
        # page and include (a preview makes a new environment when the templates change:
        # memo.PublishMemo).
        auto_reload=False,
    )
    env.filters["date"] = format_date
    template_cache.attach(env)
    return env


class Renderer:
    def __init__(self, site: Site, templates: Path, static: Path, base_url: str,
                 env: _Sandbox | None = None):
        self.base_path = base_path(base_url)
        # Templates get closures over plain values: nothing they can climb back to the site.
        self.url = url_helper(self.base_path)
        self.static_url = static_helper(self.base_path, static)
        self.env = env if env is not None else environment(templates)
        self.env._helpers.clear()  # a kept environment: the last Renderer's helpers go
        self.env.globals.update(site=site.public, paths=TEMPLATE_PATHS, interpunct=INTERPUNCT_VARIANTS,
                                objection_hint=OBJECTION_HINT)
        self.env.add_helpers(url=self.url, static=self.static_url, objection_link=objection_link,
                             objection_body=encoded_objection_body,
                             pinyin_text=pinyin_text, order_note=order_note)

    def render(self, page: Page) -> str:
        try:
            template = self.env.get_template(page.template)
            return template.render(page=page, title=page.title, **page.context)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateProblem(Finding(
                "V001", Severity.ERROR, f"模板语法错误：{exc.message}。",
                Location(f"templates/{exc.name or page.template}", exc.lineno or 0),
                "请对照 Jinja2 语法检查这一行的 {{ }}、{% %} 是否成对、拼写是否正确。")) from exc
        except jinja2.exceptions.SecurityError as exc:
            raise TemplateProblem(Finding(
                "V003", Severity.ERROR, f"模板试图访问程序内部的{_forbidden(exc)}，已拒绝，本次不发布。",
                _template_location(exc, page.template),
                "模板只能使用页面数据的公开字段（见 gongshi/site/pages.py），不能使用以“_”开头的属性、"
                "也不能修改数据。请删去或改写这一处。")) from exc
        except jinja2.UndefinedError as exc:
            raise TemplateProblem(Finding(
                "V002", Severity.ERROR, f"模板用到了不存在的变量：{exc.message}。",
                _template_location(exc, page.template),
                "请检查变量名拼写；模板可用的变量见 gongshi/site/pages.py。")) from exc


_UNSAFE_ATTRIBUTE = re.compile(r"access to attribute '([^']*)' of '([^']*)' object is unsafe")


def _forbidden(exc: Exception) -> str:
    """What a sandbox refusal was about, in words for the message."""
    match = _UNSAFE_ATTRIBUTE.search(str(exc))
    if match:
        return f"属性“{shorten(match.group(1))}”（{shorten(match.group(2))} 对象）"
    return "内容（不安全的调用）"


class TemplateProblem(Exception):
    """A template that cannot render; carries the finding that names file and line."""

    def __init__(self, finding: Finding):
        super().__init__(finding.message)
        self.finding = finding


def _template_location(exc: BaseException, fallback: str) -> Location:
    """The template file and line where rendering failed, from the traceback."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".html"):
            relative = frame.filename.rsplit("/templates/", 1)[-1]
            return Location(f"templates/{relative}", frame.lineno or 0)
    return Location(f"templates/{fallback}")
