"""Compiled templates kept between builds: Jinja's bytecode cache, in the user's cache folder.

Compiling the templates is about a sixth of a build of the bundled data (0.08 s of 0.5 s of
CPU), and the build's second process compiles them again. A cached template is named by its
template name alone (Jinja would add the project's path, leaving a set of files behind for every
folder ever built), and Jinja checks the checksum of its source, so an edited template, or
another project's, is compiled afresh and replaces it: the folder holds one file per template.
What else shapes the compiled code (Jinja's version, the environment's class, options, filters
and tests) is a signature in the cache file's name, so a gongshi or Jinja upgrade never loads
code compiled for another environment.

The cache is only a shortcut: a folder that cannot be made or written, or a file that cannot be
read or decoded, is passed over and the template compiled as if there were no cache. The pages
are the same bytes either way (tests/test_template_cache.py). The folder is the user's cache
folder of the system (platformdirs: ~/.cache/gongshi/templates, on Windows
%LOCALAPPDATA%\\gongshi\\Cache\\templates), never the project or its output.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket


def folder() -> Path:
    """Where compiled templates are kept for this user."""
    import platformdirs  # here: only a build that renders needs it

    return Path(platformdirs.user_cache_dir("gongshi", appauthor=False)) / "templates"


def signature(env: jinja2.Environment) -> str:
    """A digest of everything besides a template's source that the compiled code depends on."""
    shape = (jinja2.__version__, type(env).__module__, type(env).__qualname__,
             repr(env.autoescape), env.undefined.__qualname__, env.trim_blocks, env.lstrip_blocks,
             env.keep_trailing_newline, env.optimized, env.newline_sequence,
             env.block_start_string, env.block_end_string, env.variable_start_string,
             env.variable_end_string, env.comment_start_string, env.comment_end_string,
             env.line_statement_prefix, env.line_comment_prefix,
             sorted(env.filters), sorted(env.tests), sorted(env.extensions),
             sorted(getattr(env, "intercepted_binops", ())), sorted(getattr(env, "intercepted_unops", ())))
    return hashlib.sha256(repr(shape).encode("utf-8")).hexdigest()[:16]


class TemplateCache(jinja2.FileSystemBytecodeCache):
    """Jinja's file cache that never makes a build fail."""

    def __init__(self, directory: Path, env_signature: str):
        super().__init__(str(directory), f"gongshi-{env_signature}-%s.cache")

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(name)  # not by file: see the module docstring

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError):  # damaged: compile
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:  # a full disk, a folder we may not write: next time, compile again
            pass


def attach(env: jinja2.Environment) -> None:
    """Give `env`, fully set up (filters and all), a cache of its compiled templates, if the
    user's cache folder can be made."""
    directory = folder()
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    env.bytecode_cache = TemplateCache(directory, signature(env))
