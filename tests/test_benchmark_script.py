"""scripts/benchmark.py's own helpers (its figures are measured, never asserted)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from conftest import REPO


def _benchmark():
    spec = importlib.util.spec_from_file_location("benchmark_script", REPO / "scripts" / "benchmark.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_machine_line_says_how_fast_python_and_file_creation_are_and_leaves_nothing(tmp_path):
    benchmark = _benchmark()
    assert benchmark.python_loop_seconds(1000) > 0
    assert benchmark.file_creation_ms(tmp_path, files=20) > 0
    line = benchmark.machine_line(tmp_path)
    assert line.startswith("此刻的速度：1000 万次加法 ") and f"在 {tmp_path} 中建 600 个 8 KB 的文件 " in line
    assert list(tmp_path.iterdir()) == []  # the files it made are gone


def test_file_creation_removes_its_folder_when_writing_fails(tmp_path, monkeypatch):
    benchmark = _benchmark()
    written = []
    real_write = Path.write_bytes

    def fails_on_the_third(path, data):
        if len(written) == 2:
            raise OSError(28, "No space left on device")
        written.append(path)
        return real_write(path, data)

    monkeypatch.setattr(Path, "write_bytes", fails_on_the_third)
    with pytest.raises(OSError):
        benchmark.file_creation_ms(tmp_path, files=5)
    assert list(tmp_path.iterdir()) == []
