"""The pipe between a build's two processes (gongshi/site/channel.py): whole messages, in
order, polled without blocking, the other side's end read as EOFError."""

from __future__ import annotations

import contextlib
import io
import os
import threading
import time

import pytest

from gongshi.site.channel import Channel, pair


@pytest.fixture
def ends():
    ours, theirs = pair()
    yield ours, theirs
    ours.close()
    theirs.close()


def test_messages_arrive_whole_and_in_order_however_large(ends):
    ours, theirs = ends
    large = os.urandom(3 * 1024 * 1024)  # far more than a pipe holds
    sent = [("parsed", "a.yaml", large), b"", {"forms": list(range(1000))}, ("stop",)]

    def send():
        for message in sent:
            if isinstance(message, bytes):
                theirs.send_bytes(message)
            else:
                theirs.send(message)

    sender = threading.Thread(target=send)
    sender.start()
    got = [ours.recv(), ours.recv_bytes(), ours.recv(), ours.recv()]
    sender.join(10)
    assert got == sent


def test_poll_says_whether_a_message_is_there_and_waits_only_as_asked(ends):
    ours, theirs = ends
    assert ours.poll() is False
    started = time.monotonic()
    assert ours.poll(0.2) is False
    assert time.monotonic() - started >= 0.15
    threading.Timer(0.1, theirs.send, args=(("ready",),)).start()
    assert ours.poll(None) is True  # as long as it takes
    assert ours.poll() is True  # still there until it is read
    assert ours.recv() == ("ready",)
    assert ours.poll() is False


def test_the_other_sides_end_is_the_end_of_the_messages(ends):
    ours, theirs = ends
    theirs.send(("done", 1))
    theirs.close()
    assert ours.recv() == ("done", 1)  # what came before the end is read first
    assert ours.poll(5) is True  # the end is there to read, as multiprocessing's poll says
    with pytest.raises(EOFError):
        ours.recv()
    with pytest.raises(EOFError):
        ours.recv_bytes()


def test_a_message_cut_off_partway_is_no_message():
    """What a process that died while it wrote leaves: the length and part of the bytes."""
    read_end, write_end = os.pipe()
    unused_read, unused_write = os.pipe()
    ours = Channel(open(read_end, "rb"), open(unused_write, "wb"))
    with open(write_end, "wb") as writer:
        writer.write(b"gs" + (100).to_bytes(6, "little") + b"only ten b")
    try:
        with pytest.raises(EOFError):
            ours.recv_bytes()
    finally:
        ours.close()
        os.close(unused_read)


def test_bytes_that_are_no_message_end_the_messages_instead_of_being_read_as_one(monkeypatch):
    """What a library might print to the helper's standard output after all (here a line of
    text, whose first bytes read as a length would be 8 PB): the messages end there, at once,
    and the reading thread ends without an error."""
    failures: list[object] = []
    monkeypatch.setattr(threading, "excepthook", failures.append)
    read_end, write_end = os.pipe()
    unused_read, unused_write = os.pipe()
    ours = Channel(open(read_end, "rb"), open(unused_write, "wb"))
    writer = Channel(open(os.open(os.devnull, os.O_RDONLY), "rb"), open(write_end, "wb"))
    try:
        writer.send(("parsed", "a.yaml", b"x"))
        writer._outgoing.write(b"warning: something\n")
        writer._outgoing.flush()
        with contextlib.suppress(OSError):  # the reader may have ended already: a broken pipe
            writer.send(("ready",))
        assert ours.recv() == ("parsed", "a.yaml", b"x")
        with pytest.raises(EOFError):
            ours.recv()
    finally:
        writer.close()
        ours.close()
        os.close(unused_read)
    assert failures == []


def test_a_message_arrives_whole_over_a_stream_that_writes_part_of_it_at_a_time():
    """An unbuffered standard output (python -u, PYTHONUNBUFFERED: the helper's pipe then is
    a raw file) writes what it can and says how much, part of a large message when a signal
    comes (a profiler's, here a stream that takes 1,000 bytes a call): the rest is written
    after it, so the message is whole."""

    class Partial(io.RawIOBase):
        def __init__(self, target):
            self.target = target

        def writable(self):
            return True

        def write(self, data):
            piece = bytes(data[:1000])
            self.target.write(piece)
            self.target.flush()
            return len(piece)

    read_end, write_end = os.pipe()
    unused_read, unused_write = os.pipe()
    ours = Channel(open(read_end, "rb"), open(unused_write, "wb"))
    theirs = Channel(open(os.open(os.devnull, os.O_RDONLY), "rb"), Partial(open(write_end, "wb")))
    large = os.urandom(300_000)
    sender = threading.Thread(target=lambda: [theirs.send(("parsed", "a.yaml", large)), theirs.send(("ready",))])
    sender.start()
    try:
        assert ours.poll(10)  # the whole message (without the rest it never comes)
        assert ours.recv() == ("parsed", "a.yaml", large)
        assert ours.poll(10)
        assert ours.recv() == ("ready",)
    finally:
        sender.join(10)
        theirs._outgoing.target.close()
        ours.close()
        os.close(unused_read)


def test_two_threads_sending_at_once_never_interleave_their_bytes(ends):
    ours, theirs = ends
    messages = {name: [name * 70_000 + str(i) for i in range(20)] for name in "ab"}  # each over a pipe's buffer

    def send(name):
        for message in messages[name]:
            theirs.send(message)

    senders = [threading.Thread(target=send, args=(name,)) for name in messages]
    for sender in senders:
        sender.start()
    got = [ours.recv() for _ in range(40)]
    for sender in senders:
        sender.join(10)
    assert [m for m in got if m[0] == "a"] == messages["a"]  # each whole, each sender's in order
    assert [m for m in got if m[0] == "b"] == messages["b"]


def test_writing_after_closing_fails_as_a_closed_pipe_does(ends):
    _, theirs = ends
    theirs.close()
    with pytest.raises((OSError, ValueError)):
        theirs.send(("task", 1))
