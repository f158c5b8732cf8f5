"""What a build never imports: modules that cost start-up time and that it has no use for.

Each import below would be compiled or run at the start of every build, before anything else
can happen (about 0.1 s in all at 500 names). The bundled project is built in a fresh
interpreter, in one process, and the modules it imported are read at the end.
"""

from __future__ import annotations

import ast
import datetime as dt
import os
import subprocess
import sys

from conftest import REPO

NEVER = {
    "gongshi.site.memo": "a preview's memo (pipeline.Kept), which a build has not",
    "gongshi.site.search_delta": "the preview's way of remaking the search index",
    "pydantic": "the data files are read by files.quick; the models only when one is unusual",
    "pydantic_core": "the same",
    "importlib.metadata": "Markdown extensions are given as objects, not looked up by name "
                          "among every installed package's entry points",
}


def test_a_build_never_imports_what_it_has_no_use_for(project, tmp_path):
    script = f"""
import datetime as dt, sys
from pathlib import Path
from gongshi.pipeline import BuildOptions, build_project
result = build_project(Path({str(project)!r}), BuildOptions(output=Path({str(tmp_path / "out")!r}),
                                                           today=dt.date.fromisoformat({dt.date(2018, 11, 7).isoformat()!r})))
assert result.written, [f.message for f in result.findings.items]
print(sorted(m for m in sys.modules if m in {sorted(NEVER)!r}))
"""
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO,
                         env={**os.environ, "GONGSHI_WORKERS": "1"})
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "[]", {name: NEVER[name] for name in ast.literal_eval(ran.stdout)}
