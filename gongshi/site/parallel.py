"""The build on two cores: a second process (`Helper`) that makes part of the published files.

It is a new Python (`HELPER_COMMAND`, on every system alike), so it shares nothing with the
build's process but what it is sent over its standard input and output (channel.Channel). The
command line starts it as soon as it knows the project (`start`). For a large project
(LARGE_LIST_BYTES) it sends the helper the bytes of the list files read last (up to HELPER_SHARE
of them): the helper parses those while the first process imports the build and reads the rest,
and answers each with its value as soon as it is parsed (which the first process takes only for
the very bytes it reads then: yamlfile.parsed_elsewhere). The helper imports the modules that
publish (for a large project numpy for the search index's postings too, never pydantic) while
the first process reads the project. Once it is read, the first process of a large project
sends the names of the lists the helper did not parse, and the helper reads them and its own in
pinyin while the first process orders the project (`_warm_until_the_site`). The first process
then sends it the ordered site, pickled (`pickled`: without what only the checks read), with
the day and base URL, and checks the site meanwhile. The helper makes the same plan of pages
(publish.Publisher) from that very site, says it is ready, sends the pinyin of every name
(which the first process's pages then need not make: search.take_forms), makes the search
index's files at once (the largest task, which it is handed first), takes tasks
(publish.tasks) and writes their files into the same staging folder; the first process merges
what they found in its own order. Told to stop, the helper ends at once
(process.end_process), as the first process does. Everything it makes is what the first process
would make, byte for byte (tests/test_parallel.py builds both ways and compares), and it never
reads the project's data itself, so a file saved during the build cannot make the two differ.

A helper that fails, dies or says it cannot do a task costs nothing but time: the first process
does that work itself, and so reports any problem exactly as a one-process build would. Small
projects (MIN_LIST_BYTES) are built in one process (starting Python again would cost more than
it saves); the environment variable GONGSHI_WORKERS=1 or 2 forces one way or the other.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import io
import os
import pickle
import queue
import re
import sys
import threading
from operator import attrgetter
from pathlib import Path
from typing import NoReturn

from ..process import end_process
from ..urls import SLUG_PATTERN

WORKERS_VARIABLE = "GONGSHI_WORKERS"
# Lists (data/*/recipients/*.yaml) smaller than this build in one process (about 300 names):
# below it, starting Python again costs more than the helper saves. Two processes paired
# against one (the peer benchmark's lists, 15-21 pairs each, 2-core VM): 60 names (6 KB) 1.05,
# 200 names (20 KB) 0.98-1.07, 300 names (31 KB) 0.92, 500 names (50 KB) 0.91, the bundled
# project (83 KB) 0.86-0.88.
MIN_LIST_BYTES = 30_000
# From this size (about 2,000 names) the helper also parses some of the list files while the
# first process starts, and imports numpy for the search index's postings (ARRAY_MIN_RECORDS)
# before the site comes. A smaller project is read faster than the helper starts, and its
# postings need no numpy: the helper then imports only what publishes. (Bytes stand for names
# here: a list of organisations alone, with shorter rows, may pass ARRAY_MIN_RECORDS below
# this size; the helper then imports numpy when its search index needs it.)
LARGE_LIST_BYTES = 150_000
OUTSTANDING = 2  # tasks the helper holds at once: one running, one waiting
# The share of the list files' bytes the helper parses (the files read last; the first always
# stays). More than half: the first process imports the build and also validates every record
# before it reaches them. At 100,000 names (the benchmark's five files) 0.7 gives the helper
# 58 % of the bytes and the site leaves at 2.6 s (with half: 2.8 s; with 0.8, 75 %, the first
# process waits 0.8 s for answers and the site leaves at 3.2 s).
HELPER_SHARE = 0.7


def pickled(site: object) -> bytes:
    """The site as the helper receives it: each recipient without its internal facts (what the
    checks read, never published) and its place in the list file (for findings only), and each
    announcement without its rules (thresholds the checks apply), none of which publishing
    reads. What only the checks may see stays in the first process, and there is less to write
    and read; and the helper never imports pydantic, whose models are only the data files'
    shape (0.09 s it would spend before it can take the site). A list of recipients goes as
    columns (`_Columns`)."""
    from msgspec.structs import astuple

    from ..findings import Location
    from ..load.model import NO_FACTS, Announcement, Decision, Recipient

    unknown = Location("")
    # A record pickles as its class and its fields' values in order (msgspec.Struct.__reduce__):
    # these are the same, with the fields the helper must not have replaced.
    recipient_fields = Recipient.__struct_fields__
    facts_at, location_at = recipient_fields.index("facts"), recipient_fields.index("location")
    rules_at = Announcement.__struct_fields__.index("rules")
    listed_at: dict[type, int] = {kind: kind.__struct_fields__.index("recipients") for kind in (Announcement, Decision)}

    class Publishing(pickle.Pickler):
        def reducer_override(self, obj):
            kind = type(obj)
            if kind is Announcement or kind is Decision:
                values = list(astuple(obj))
                if kind is Announcement:
                    values[rules_at] = None
                at = listed_at[kind]
                if all(type(recipient) is Recipient for recipient in values[at]):
                    values[at] = _Columns(values[at])
                return kind, tuple(values)
            if kind is _Columns:
                return obj.reduced()
            if kind is Recipient:  # in a list that is not all Recipients (never, today), or elsewhere
                values = list(astuple(obj))
                values[facts_at], values[location_at] = NO_FACTS, unknown
                return Recipient, tuple(values)
            return NotImplemented

    buffer = io.BytesIO()
    Publishing(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(site)
    return buffer.getvalue()


class _Columns:
    """A list of recipients as `pickled` writes it: the published fields of all of them, one
    list a field, with their categories and units once each (and as the very objects the
    announcement lists, which the pickle then writes once), instead of one record at a time,
    each a call back into Python (reducer_override). At 100,000 names the site is pickled in
    0.15 s instead of 0.18-0.23 (at the same moment), 6.5 MB instead of 8.7, in the first
    process while the helper waits for it. Unpickled by `_recipients_from`, with no facts
    and no place in the file, as `pickled` says (the fields in Recipient's order: a test
    keeps them so)."""

    def __init__(self, recipients: tuple):
        self.recipients = recipients

    def reduced(self) -> tuple:
        recipients = self.recipients
        categories, category_at = _distinct(list(map(attrgetter("category"), recipients)))
        units, unit_at = _distinct(list(map(attrgetter("unit"), recipients)))
        return _recipients_from, (categories, units, category_at, unit_at,
                                  *(list(map(attrgetter(field), recipients)) for field in _COLUMNS))


_COLUMNS = ("name", "title", "gender", "ethnicity")  # the fields _Columns writes of each recipient


def _distinct(objects: list) -> tuple[list, list[int]]:
    """The distinct objects of `objects` (by identity, in order of first appearance), and each
    one's place among them."""
    identities = list(map(id, objects))
    by_identity = dict(zip(identities, objects))  # in order of first appearance
    place = {identity: index for index, identity in enumerate(by_identity)}
    return list(by_identity.values()), list(map(place.__getitem__, identities))


def _recipients_from(categories: list, units: list, category_at: list[int], unit_at: list[int],
                     names: list, titles: list, genders: list, ethnicities: list) -> tuple:
    """The recipients `_Columns` wrote: each with no facts and no place in a file."""
    from itertools import repeat

    from ..findings import Location
    from ..load.model import NO_FACTS, Recipient

    return tuple(map(Recipient, map(categories.__getitem__, category_at), map(units.__getitem__, unit_at),
                     names, titles, genders, ethnicities, repeat(Location("")), repeat(NO_FACTS)))


def forced() -> bool | None:
    """GONGSHI_WORKERS=2: always two processes (and the helper is waited for: the tests use
    it); =1: always one; otherwise None."""
    value = os.environ.get(WORKERS_VARIABLE, "").strip()
    return {"1": False, "2": True}.get(value)


def start(root: Path) -> Helper | None:
    """The second process for a build of the project at `root`, when it is large enough
    (`wanted`); None when it is not, or when no process can be started here. Started as early
    as the command line knows the project (cli.main), so that it has imported what it needs by
    the time the first process has read the project. Whether it is wanted is judged by the
    list files of every folder in data/ (`every_list_file`): data/site.yaml, which says
    which are read, is read only once the helper is starting (PyYAML is not imported yet), and
    an unlisted folder's lists (an old announcement kept there) can only make the judgement err
    towards a helper: a few milliseconds of a small build at worst."""
    every = every_list_file(root)
    if not wanted(every):
        return None
    try:
        return Helper(root, patient=bool(forced()))
    except OSError:  # no second process here (a sandbox, limits): build in one
        return None


def list_files(root: Path) -> list[tuple[Path, int]]:
    """The project's list files in the order the loader reads them (the announcements
    data/site.yaml lists, in its order; each one's recipients/ as `recipient_files` has it),
    with their sizes; none when they cannot be listed (the load will say what is wrong)."""
    from ..files.datafiles import recipient_files

    try:
        return [(path, path.stat().st_size) for slug in _listed_announcements(root)
                for path in recipient_files(root / "data" / slug / "recipients")]
    except OSError:
        return []


def every_list_file(root: Path) -> list[tuple[Path, int]]:
    """The list files of every folder in data/, by name, with their sizes, without reading
    data/site.yaml: a folder or file that cannot be read is left out (the load never reads an
    unlisted one, and a listed one's problem is the load's to say)."""
    from ..files.datafiles import is_ignored, recipient_files

    try:
        folders = sorted(p for p in (root / "data").iterdir() if not is_ignored(p.name))
    except OSError:
        return []
    found: list[tuple[Path, int]] = []
    for folder in folders:
        try:
            paths = recipient_files(folder / "recipients") if folder.is_dir() else []
        except OSError:
            continue
        for path in paths:
            try:
                found.append((path, path.stat().st_size))
            except OSError:
                continue
    return found


def _listed_announcements(root: Path) -> list[str]:
    """The announcements data/site.yaml lists, once each, in its order: what the loader reads
    (its own reading of the file says what is wrong with it; here nothing is then listed)."""
    import yaml

    try:
        text = (root / "data" / "site.yaml").read_text(encoding="utf-8-sig")
        listed = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)).get("announcements")
    except Exception:  # noqa: BLE001 - unreadable, not YAML, not a mapping: the load reports it
        return []
    if not isinstance(listed, list):
        return []
    return list(dict.fromkeys(slug for slug in listed if isinstance(slug, str) and re.fullmatch(SLUG_PATTERN, slug)))


def helper_lists(lists: list[tuple[Path, int]]) -> list[Path]:
    """The list files the helper parses: the last ones read (never the first), as many as fit
    in HELPER_SHARE of all the lists' bytes, in the order the loader reads them."""
    chosen: list[Path] = []
    if not large(lists):
        return chosen
    share, most = 0, sum(size for _, size in lists) * HELPER_SHARE
    for path, size in reversed(lists[1:]):
        if share + size > most:
            break
        chosen.append(path)
        share += size
    return chosen[::-1]


def large(lists: list[tuple[Path, int]]) -> bool:
    """Whether the helper parses list files and readies numpy (LARGE_LIST_BYTES)."""
    return sum(size for _, size in lists) >= LARGE_LIST_BYTES


def wanted(lists: list[tuple[Path, int]]) -> bool:
    """Whether to build with a helper: by GONGSHI_WORKERS, else by the size of the lists."""
    if forced() is not None:
        return bool(forced())
    if (os.cpu_count() or 1) < 2:
        return False
    return sum(size for _, size in lists) >= MIN_LIST_BYTES


# The helper's Python: told where this one imports from, it imports the helper's side and runs
# it (helper_main); one that cannot ends without a word (the first process builds alone). Not
# multiprocessing's spawn, which imports multiprocessing in both processes and runs the build's
# main script again in the helper: 3-4 % of the CPU time of a 500-name build.
HELPER_COMMAND = ("import sys\n"
                  "sys.path[:] = {path!r}\n"
                  "try:\n"
                  "    from gongshi.site.parallel import helper_main\n"
                  "except BaseException:\n"
                  "    sys.exit(1)\n"
                  "helper_main({root!r})\n")


def _helper_arguments(root: Path) -> list[str]:
    """The command line of the helper's Python: this Python, with its options (-X utf8, -O…:
    as multiprocessing passes them), running HELPER_COMMAND."""
    import subprocess

    options: list[str] = getattr(subprocess, "_args_from_interpreter_flags", list)()  # multiprocessing's way
    path = [entry for entry in sys.path if isinstance(entry, str)]
    return [sys.executable, *options, "-c", HELPER_COMMAND.format(path=path, root=str(root))]


class Helper:
    """The first process's side of the second one (see the module docstring)."""

    def __init__(self, root: Path, patient: bool = False):
        """`patient`: the first process waits until the helper is ready (or gone) before it
        starts; otherwise it starts alone and the helper joins in when it is ready. Once it is
        started, the project's list files are listed as the loader reads them (`list_files`):
        whether the project is large, and which of them the helper parses, is judged on those."""
        import subprocess  # here: a build small enough for one process never needs it

        from .channel import Channel

        self.patient = patient
        self._process = subprocess.Popen(_helper_arguments(root), stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self._process.stdin is not None and self._process.stdout is not None
        self._conn = Channel(self._process.stdout, self._process.stdin)
        # -> ready (has the site), usable (knows the folder), stopping (told to stop: finish),
        # or gone
        self._state = "starting"
        self._sender: threading.Thread | None = None
        self._send_failed = False
        self._outstanding: list[tuple] = []
        self._done: list[tuple[tuple, object]] = []
        # List files it parses while this process starts: name -> SHA-256 of the bytes sent;
        # its answers read so far (name -> the pickled value, or None), and how many are still
        # to come: one message a file, in the order sent, which is the loader's (see `parsed`).
        self._ahead: dict[str, bytes] = {}
        self._answers: dict[str, bytes | None] = {}
        self._unanswered = 0
        read = list_files(root)
        batch = (large(read), self._lists_to_parse(root, read))  # a small project's: nothing to parse
        self._send_in_background(pickle.dumps(batch, pickle.HIGHEST_PROTOCOL))

    # -- while the first process starts, the helper parses some of the list files

    def _lists_to_parse(self, root: Path, lists: list[tuple[Path, int]]) -> list[tuple[str, bytes]]:
        """The list files `helper_lists` chooses, in the order the loader reads them, as (name
        as the loader shows it, bytes)."""
        from ..findings import relative_name

        batch: list[tuple[str, bytes]] = []
        for path in helper_lists(lists):
            try:
                raw = path.read_bytes()
            except OSError:
                continue
            shown = relative_name(path, root)
            self._ahead[shown] = hashlib.sha256(raw).digest()
            batch.append((shown, raw))
        self._unanswered = len(batch)
        return batch

    def parsed(self, shown_as: str, digest: bytes) -> object | None:
        """The value of a list file the helper parsed from these very bytes (yamlfile.
        parsed_elsewhere), or None: parse it here. Waits only for that file's answer: the
        helper answers each file as soon as it has parsed it, in the loader's order."""
        if self._ahead.get(shown_as) != digest:
            return None
        while shown_as not in self._answers and self._unanswered and self._state != "gone":
            self._read_one_answer()
        payload = self._answers.get(shown_as)
        return pickle.loads(payload) if payload is not None else None

    def _read_answers(self) -> None:
        """All the helper's answers to the list files it was sent (read before anything else
        it says: it sends nothing more until they are read). Also with none to read, the pipe
        is this thread's only once the list files are written (`_sent`)."""
        self._sent(wait=True)
        while self._unanswered and self._state != "gone":
            self._read_one_answer()

    def _read_one_answer(self) -> None:
        self._sent(wait=True)
        if self._state == "gone":
            return
        try:
            message = self._conn.recv()
        except Exception:  # noqa: BLE001 - closed, or not a message (a helper that failed while it wrote): build alone
            self._lose()
            return
        if message[0] == "parsed":
            self._answers[message[1]] = message[2]
            self._unanswered -= 1
        else:
            self._lose()

    # -- the first process sends the names, the site, where to write, and the download links

    def send_names(self, site: object) -> None:
        """The recipients' names of the site just loaded, each with whether it is a person's,
        as the search index will ask for their pinyin (search.recipients_forms), but those of
        the list files the helper parsed itself (it reads those already): the helper reads them
        in pinyin while this process orders the site (`_warm_pinyin`; 10,000 names: 0.968,
        11 pairs). Only to a helper that has answered a list file it was given (a large
        project; `parsed`): it is running, and its channel's thread reads its pipe, so the
        names are written at once. The helper of a project that is not large may still be
        starting, and a message larger than the pipe's buffer (a few KB on Windows) would
        wait for it: the site is written from a thread for that reason (`send_site`), and
        these names are not worth a second one (500 names: 17 ms of the helper's pinyin,
        0.991 paired)."""
        if self._state == "gone" or not self._answers:
            return
        names = list(dict.fromkeys((recipient.name, recipient.category.is_person)
                                   for announcement in site.announcements  # type: ignore[attr-defined]
                                   for recipient in announcement.recipients
                                   if recipient.location.file not in self._ahead))
        if names:
            self._sent(wait=True)  # the pipe is the sender thread's until it is done
            if self._state != "gone":
                self._send(("names", names))

    def send_site(self, site: object, today: dt.date, base_url: str | None) -> None:
        """The ordered site, as the first process will check and publish it, and the day and
        base URL it is built for. Pickled here and written to the pipe by a thread, so that a
        helper still starting never holds up the checks; the pipe is not otherwise used until
        the thread is done."""
        self._read_answers()
        try:
            payload = pickled(site)
        except Exception:  # noqa: BLE001 - something in it cannot be pickled: build alone
            self._lose()
            return
        self._send(("build", today, base_url))
        if self._state != "gone":
            self._send_in_background(payload)

    def _send_in_background(self, payload: bytes) -> None:
        """Write `payload` to the pipe from a thread (the pipe is the thread's until it is done)."""
        self._sender = threading.Thread(target=self._send_payload, args=(payload,),
                                        name="gongshi-send", daemon=True)
        self._sender.start()

    def _send_payload(self, payload: bytes) -> None:
        try:
            self._conn.send_bytes(payload)
        except (OSError, EOFError, ValueError):
            self._send_failed = True

    def begin(self, folder: Path | None, previous: Path | None = None) -> None:
        self._folders = (str(folder) if folder is not None else None,  # what "begin" tells the helper
                         str(previous) if previous is not None else None)
        self._poll()

    def send_links(self, links: dict[str, dict[str, list]]) -> None:
        self._links = links
        if self._state == "usable":
            self._send(("links", links))

    # -- tasks

    def wait_ready(self) -> None:
        """Block until the helper can take tasks or is gone."""
        self._sent(wait=True)
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

    def finish(self) -> None:
        """Its files are all written once this returns. With no task outstanding it is told to
        stop and left to exit while the first process goes on (`close` waits for it);
        otherwise it is stopped now (`close`)."""
        self._poll()
        if self._state == "usable" and not self._outstanding and self._running():
            self._send(("stop",))
            if self._state == "usable":
                self._state = "stopping"
                return
        self.close()

    def close(self) -> None:
        """Stop the helper and wait until it has exited; its files are all written once this
        returns."""
        import subprocess

        if self._running() and self._state in ("usable", "stopping") and not self._outstanding:
            if self._state == "usable":
                self._send(("stop",))
            try:
                self._process.wait(5)
            except subprocess.TimeoutExpired:
                pass
        if self._running():
            self._process.terminate()
        self._process.wait()
        if self._sender is not None:
            self._sender.join(5)  # the pipe's far end is closed: a write in progress fails
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
            if self._running():
                self._process.terminate()

    def _running(self) -> bool:
        return self._process.poll() is None

    def _sent(self, wait: bool) -> bool:
        """Whether what the thread was writing (`_send_in_background`) is written (waiting for
        it with `wait`); the pipe is the thread's until then. A failed write loses the helper."""
        if self._sender is not None:
            if wait:
                self._sender.join()
            elif self._sender.is_alive():
                return False
            self._sender = None
            if self._send_failed:
                self._lose()
        return True

    def _poll(self) -> None:
        if self._unanswered and self._state != "gone":
            self._read_answers()
        if not self._sent(wait=False):
            return  # the site is still being sent: the pipe is the sender's meanwhile
        while self._state in ("starting", "ready", "usable"):
            try:
                if not self._conn.poll():
                    break
                message = self._conn.recv()
            except Exception:  # noqa: BLE001 - as in _read_one_answer
                self._lose()
                break
            kind = message[0]
            if kind == "ready":
                self._state = "ready"
            elif kind == "forms" and self._state != "starting":
                from .search import take_forms

                take_forms(message[1])
            elif kind == "done" and self._outstanding:
                task = self._outstanding.pop(0)
                self._done.append((task, message[1]))
            else:  # "failed", "redo", or something out of turn
                self._lose()
        if self._state == "ready" and hasattr(self, "_folders"):
            self._state = "usable"
            self._send(("begin", *self._folders))
            if hasattr(self, "_links"):
                self._send(("links", self._links))


def _names_in(value: object) -> list[tuple[str, bool]]:
    """The recipients' names in a parsed list file, each with whether the record has a title
    (a person's has, an organisation's has not); what is not a list file's shape is skipped."""
    records = value.get("recipients") if isinstance(value, dict) else None
    if not isinstance(records, list):
        return []
    return [(record["name"], "title" in record) for record in records
            if isinstance(record, dict) and isinstance(record.get("name"), str)]


def _warm_pinyin(names: list[tuple[str, bool]], conn, batch: int = 500) -> int:
    """While the helper waits for the site: the pinyin of the names it parsed and of those the
    first process sends (Helper.send_names), as the search index will ask for them
    (search.pinyin_forms keeps them), a batch at a time, until a message comes; how many were
    made. At 100,000 names the helper waits ~0.6 s and makes 46,809 names' pinyin in 0.4 s of
    it, which the index then finds made; when the site is there already, this does nothing.
    A guess that is wrong (a name the loader normalises otherwise, a person without a title)
    only costs its own time."""
    from ..zh.names import normalise_name
    from .search import pinyin_forms

    for start in range(0, len(names), batch):
        if conn.poll():
            return start
        for name, person in names[start:start + batch]:
            pinyin_forms(normalise_name(name), surname=person)
    return len(names)


def _warm_until_the_site(names: list[tuple[str, bool]], conn, batch: int = 500) -> tuple:
    """`_warm_pinyin` of `names` and of every list of names the first process sends, until it
    sends the site: its first message ("build", day, base URL)."""
    while True:
        names = names[_warm_pinyin(names, conn, batch):]
        message = conn.recv()
        if message[0] != "names":
            return message
        names += message[1]


class _Outbox:
    """Everything the helper says, written to the pipe in the order it is said, by a thread of
    its own: the helper parses, imports and works on while a large message (the list files'
    answers, the pinyin) waits for the first process to read it, and two messages never
    interleave. `flush` returns once all said so far is written, or writing failed (`failed`:
    then nothing more is written)."""

    def __init__(self, conn):
        self._conn = conn
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self.failed: BaseException | None = None
        self._thread = threading.Thread(target=self._write, name="gongshi-helper-send", daemon=True)
        self._thread.start()

    def say(self, message: tuple) -> None:
        if self.failed is not None:
            raise OSError("the pipe to the first process failed") from self.failed
        self._queue.put(message)

    def flush(self) -> None:
        written = threading.Event()
        self._queue.put(written)
        written.wait()

    def close(self) -> None:
        """Write what is still to be written, then end the thread."""
        self._queue.put(None)
        self._thread.join()

    def _write(self) -> None:
        while (item := self._queue.get()) is not None:
            if isinstance(item, threading.Event):
                item.set()
            elif self.failed is None:
                try:
                    self._conn.send(item)
                except BaseException as exc:  # noqa: BLE001 - closed, or failed: the helper ends (_work)
                    self.failed = exc


def _work(conn, root: str) -> None:
    """The helper process: take the site, say it is ready, then run tasks until told to stop."""
    gc.disable()  # as in the first process (pipeline.collector_paused)
    outbox = _Outbox(conn)
    try:
        # Whether the project is large (LARGE_LIST_BYTES), and some of its list files, parsed
        # while the first process starts (Helper.parsed), each answered as soon as it is
        # parsed: a file that fails is parsed again there, which reports its problem. The first
        # process reads an answer only when its load reaches that file, and meanwhile this one
        # parses on, then imports what publishes. (A project that is not large sends no file:
        # nor is the parser imported then.)
        large, files = pickle.loads(conn.recv_bytes())
        if files:
            from ..files.yamlfile import parse_bytes
        names: list[tuple[str, bool]] = []  # (name, has a title: a person), for _warm_pinyin
        for shown_as, raw in files:
            try:
                value = parse_bytes(raw, shown_as)
                payload = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
            except Exception:  # noqa: BLE001 - any problem is the first process's to report
                outbox.say(("parsed", shown_as, None))
                continue
            outbox.say(("parsed", shown_as, payload))  # one answer a file, whatever happens next
            names += _names_in(value)
        from .publish import Publisher  # while the first process reads the project
        from .search import recipients_forms
        from .search_index import prepare_postings

        if large:
            prepare_postings()
        outbox.flush()
        if outbox.failed is not None:  # the first process sees the pipe close, and builds alone
            return
        _, today, base_url = _warm_until_the_site(names, conn)
        site = pickle.loads(conn.recv_bytes())
        publisher = Publisher(Path(root), site, today, base_url or site.base_url)
        outbox.say(("ready",))
        # The pinyin of every name, which the search index makes first anyway (the first
        # process reads it when it next looks, as it starts publishing, before its downloads),
        # so that the pages it renders need none made again (search.take_forms).
        outbox.say(("forms", recipients_forms(site)))
        publisher.prepare_search()  # the largest task, while the first process checks the site
        while True:
            message = conn.recv()
            kind = message[0]
            if kind == "stop":
                conn.close()
                # Without freeing everything it made one by one (0.2 s of a 100,000-name
                # build's end, which waits for it), as the first process ends.
                end_process(0)
            if kind == "begin":
                publisher.begin(*(Path(path) if path is not None else None for path in message[1:]))
            elif kind == "links":
                publisher.set_links(message[1])
            elif kind == "task":
                try:
                    result = publisher.run(message[1])
                except Exception:  # noqa: BLE001 - the first process redoes it and reports
                    outbox.say(("redo",))
                    return
                outbox.say(("done", result))
    except (KeyboardInterrupt, EOFError, OSError):
        return
    except Exception:  # noqa: BLE001 - never a traceback from here: the first process carries on
        outbox.say(("failed",))
    finally:
        outbox.close()  # what was said is written (a closed pipe fails it at once) before closing
        conn.close()


def helper_main(root: str) -> NoReturn:
    """The helper process (HELPER_COMMAND runs it): its pipe to the first process is its
    standard input and output; anything printed goes to its standard error instead, so
    nothing but messages is ever written to the pipe. It ends as `_work` returns, at once:
    the thread reading the pipe may be waiting for the next message (a normal exit would
    wait on it, and fail)."""
    from .channel import Channel

    incoming, outgoing = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr
    try:
        _work(Channel(incoming, outgoing), root)
    finally:
        end_process(0)
