"""The build on two cores: a second process (`Helper`) that makes part of the published files.

It is started with the spawn method on every system (as Windows must), so it shares nothing with
the build's process but what it is sent: the project folder, the day and the base URL. It reads
and orders the project itself while the first process reads and checks it, makes the same plan
of pages (publish.Publisher), and says it is ready with a fingerprint of every file it read;
unless that fingerprint is the first process's own (a file saved in between), it is not used.
Then it takes tasks (publish.tasks) and writes their files into the same staging folder; the
first process merges what they found in its own order. Everything it makes is what the first
process would make, byte for byte (tests/test_parallel.py builds both ways and compares).

A helper that fails, dies or says it cannot do a task costs nothing but time: the first process
does that work itself, and so reports any problem exactly as a one-process build would. Small
projects are built in one process (starting Python again would cost more than it saves); the
environment variable GONGSHI_WORKERS=1 or 2 forces one way or the other.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

WORKERS_VARIABLE = "GONGSHI_WORKERS"
# Lists (data/*/recipients/*.yaml) smaller than this build in one process (about 2,000 names).
MIN_LIST_BYTES = 150_000
OUTSTANDING = 2  # tasks the helper holds at once: one running, one waiting


def fingerprint(reads: Iterable[tuple[str, bytes]]) -> bytes:
    """One digest of the files a load read: (name, SHA-256) in the order read."""
    digest = hashlib.sha256()
    for name, sha in reads:
        digest.update(name.encode("utf-8") + b"\0" + sha)
    return digest.digest()


def forced() -> bool | None:
    """GONGSHI_WORKERS=2: always two processes (and the helper is waited for: the tests use
    it); =1: always one; otherwise None."""
    value = os.environ.get(WORKERS_VARIABLE, "").strip()
    return {"1": False, "2": True}.get(value)


def wanted(root: Path) -> bool:
    """Whether to build with a helper: by GONGSHI_WORKERS, else by the size of the lists."""
    if forced() is not None:
        return bool(forced())
    if (os.cpu_count() or 1) < 2:
        return False
    total = 0
    try:
        for folder in (root / "data").iterdir():
            lists = folder / "recipients"
            if lists.is_dir():
                total += sum(entry.stat().st_size for entry in lists.iterdir() if entry.is_file())
    except OSError:
        return False  # the load will say what is wrong
    return total >= MIN_LIST_BYTES


class Helper:
    """The first process's side of the second one (see the module docstring)."""

    def __init__(self, root: Path, today: dt.date, base_url: str | None, patient: bool = False):
        """`patient`: the first process waits until the helper is ready (or gone) before it
        starts; otherwise it starts alone and the helper joins in when it is ready."""
        import multiprocessing  # here: a build small enough for one process never needs it

        self.patient = patient
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_work, args=(child, str(root), today, base_url),
                                        name="gongshi-helper", daemon=True)
        self._process.start()
        child.close()
        self._state = "starting"  # -> ready (fingerprint known), usable, or gone
        self._fingerprint: bytes | None = None
        self._expected: bytes | None = None
        self._outstanding: list[tuple] = []
        self._done: list[tuple[tuple, object]] = []

    # -- the first process says what it read, where to write, and the download links

    def expect(self, reads: Iterable[tuple[str, bytes]]) -> None:
        """What the first process read: the helper is used only if it read the same."""
        self._expected = fingerprint(reads)

    def begin(self, folder: Path | None) -> None:
        self._folder = str(folder) if folder is not None else None
        self._poll()

    def send_links(self, links: dict[str, dict[str, list]]) -> None:
        self._links = links
        if self._state == "usable":
            self._send(("links", links))

    # -- tasks

    def wait_ready(self) -> None:
        """Block until the helper can take tasks or is gone."""
        while self._state == "starting":
            try:
                self._conn.poll(None)
            except (OSError, EOFError):
                self._lose()
            self._poll()

    def has_room(self) -> bool:
        self._poll()
        return self._state == "usable" and len(self._outstanding) < OUTSTANDING

    def busy(self) -> bool:
        self._poll()
        return bool(self._outstanding)

    def alive(self) -> bool:
        """Whether it is taking tasks or may yet (not failed, stopped or out of date)."""
        self._poll()
        return self._state != "gone"

    def submit(self, task: tuple) -> None:
        self._outstanding.append(task)
        self._send(("task", task))

    def collect(self) -> list[tuple[tuple, object]]:
        """Tasks finished since the last call, each with its result, or None: do it yourself."""
        self._poll()
        done, self._done = self._done, []
        return done

    def wait(self) -> None:
        """Block until the helper finishes a task (or is gone)."""
        if self._state == "usable" and self._outstanding:
            try:
                self._conn.poll(None)
            except (OSError, EOFError):
                pass
        self._poll()

    def close(self) -> None:
        """Stop the helper; its files are all written once this returns."""
        if self._process.is_alive() and self._state == "usable" and not self._outstanding:
            try:
                self._send(("stop",))
                self._process.join(5)
            except (OSError, EOFError):
                pass
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._conn.close()
        self._state = "gone"

    # -- the pipe

    def _send(self, message: tuple) -> None:
        try:
            self._conn.send(message)
        except (OSError, EOFError, ValueError):
            self._lose()

    def _lose(self) -> None:
        """The helper is gone or of no use: its outstanding tasks come back to be redone."""
        self._done += [(task, None) for task in self._outstanding]
        self._outstanding = []
        if self._state != "gone":
            self._state = "gone"
            if self._process.is_alive():
                self._process.terminate()

    def _poll(self) -> None:
        while self._state in ("starting", "ready", "usable"):
            try:
                if not self._conn.poll():
                    break
                message = self._conn.recv()
            except (OSError, EOFError):
                self._lose()
                break
            kind = message[0]
            if kind == "ready":
                self._fingerprint = message[1]
                self._state = "ready"
            elif kind == "done" and self._outstanding:
                task = self._outstanding.pop(0)
                self._done.append((task, message[1]))
            else:  # "failed", "redo", or something out of turn
                self._lose()
        if self._state == "ready" and self._expected is not None and hasattr(self, "_folder"):
            if self._fingerprint != self._expected:
                self._lose()
            else:
                self._state = "usable"
                self._send(("begin", self._folder))
                if hasattr(self, "_links"):
                    self._send(("links", self._links))


def _work(conn, root: str, today: dt.date, base_url: str | None) -> None:
    """The helper process: read the project, say it is ready, then run tasks until told to stop."""
    gc.disable()  # as in the first process (pipeline.collector_paused)
    try:
        from ..files.yamlfile import recording_reads
        from ..findings import Findings
        from ..load.loader import load_site
        from ..load.ordering import order_site
        from .publish import Publisher

        project = Path(root)
        with recording_reads() as reads:
            loaded = load_site(project)
        if loaded.site is None:
            conn.send(("failed",))
            return
        site = order_site(loaded.site, project, Findings())
        publisher = Publisher(project, site, today, base_url or site.base_url)
        conn.send(("ready", fingerprint(reads)))
        while True:
            message = conn.recv()
            kind = message[0]
            if kind == "stop":
                return
            if kind == "begin":
                publisher.begin(Path(message[1]) if message[1] is not None else None)
            elif kind == "links":
                publisher.set_links(message[1])
            elif kind == "task":
                try:
                    result = publisher.run(message[1])
                except Exception:  # noqa: BLE001 - the first process redoes it and reports
                    conn.send(("redo",))
                    return
                conn.send(("done", result))
    except (KeyboardInterrupt, EOFError, OSError):
        return
    except Exception:  # noqa: BLE001 - never a traceback from here: the first process carries on
        try:
            conn.send(("failed",))
        except (OSError, EOFError):
            pass
    finally:
        conn.close()
