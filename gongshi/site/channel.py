"""The pipe between a build's two processes: whole messages, in order, over two byte streams.

A message is a pickle (or bytes as they are) written after a header: two marker bytes and its
length (6 bytes, little-endian). A header without the marker (bytes some library wrote to the
helper's standard output after all) ends the messages there, rather than being read as a length.
A thread reads the other side's messages as they come and keeps them in order, so that asking
whether one has come (`poll`) never blocks and works alike on every system's pipes (a Windows
pipe cannot be waited on as a socket can); reading one (`recv`) waits for it. The other side's
end (it closed its stream, or its process ended) is read as the end of the messages: `poll` then
says a message is there, and `recv` raises EOFError, as multiprocessing's Connection does, whose
methods these are.

Writing is not threaded: a message is written whole by the thread that sends it, under a lock,
so two threads never interleave their bytes, and to its last byte over a stream that writes part
of it at a time (`_write_all`).
"""

from __future__ import annotations

import collections
import os
import pickle
import threading
from typing import IO, Any

_MARKER = b"gs"
_HEADER_BYTES = 8  # the marker and the length


class Channel:
    """Both ends of one side: `incoming` is read by a thread of this Channel, `outgoing`
    written by `send` and `send_bytes`."""

    def __init__(self, incoming: IO[bytes], outgoing: IO[bytes]):
        self._incoming, self._outgoing = incoming, outgoing
        self._messages: collections.deque[bytes] = collections.deque()
        self._arrived = threading.Condition()
        self._ended = False  # no message will come any more (the other side's end, or a failure)
        self._writing = threading.Lock()
        self._reader = threading.Thread(target=self._read, name="gongshi-channel-read", daemon=True)
        self._reader.start()

    # -- reading

    def _read(self) -> None:
        try:
            while (header := _exactly(self._incoming, _HEADER_BYTES)) is not None:
                if not header.startswith(_MARKER):  # not a message: nothing after it can be read
                    break
                message = _exactly(self._incoming, int.from_bytes(header[len(_MARKER):], "little"))
                if message is None:  # cut off inside a message: what came is no message
                    break
                with self._arrived:
                    self._messages.append(message)
                    self._arrived.notify_all()
        except Exception:  # noqa: BLE001 - failed or closed here (or no memory for it): no more messages
            pass
        finally:
            with self._arrived:
                self._ended = True
                self._arrived.notify_all()
            try:
                self._incoming.close()
            except OSError:
                pass

    def poll(self, timeout: float | None = 0.0) -> bool:
        """Whether a message (or the end of them) is there to `recv`, waiting up to `timeout`
        seconds for one (None: as long as it takes)."""
        with self._arrived:
            return self._arrived.wait_for(lambda: bool(self._messages) or self._ended, timeout)

    def recv_bytes(self) -> bytes:
        """The next message as it was sent; EOFError when there are no more."""
        with self._arrived:
            self._arrived.wait_for(lambda: self._messages or self._ended)
            if not self._messages:
                raise EOFError("the other process has closed the pipe")
            return self._messages.popleft()

    def recv(self) -> Any:
        return pickle.loads(self.recv_bytes())

    # -- writing

    def send_bytes(self, data: bytes) -> None:
        """Write one message (OSError or ValueError: the pipe is closed or broken)."""
        with self._writing:
            _write_all(self._outgoing, _MARKER + len(data).to_bytes(_HEADER_BYTES - len(_MARKER), "little"))
            _write_all(self._outgoing, data)
            self._outgoing.flush()

    def send(self, message: object) -> None:
        self.send_bytes(pickle.dumps(message, pickle.HIGHEST_PROTOCOL))

    def close(self) -> None:
        """Close what this side writes: the other side reads the end of the messages. (What it
        reads ends with the other side's end: its thread closes it then.) A message being
        written meanwhile by another thread fails there."""
        try:
            self._outgoing.close()
        except OSError:  # the other side is gone already: what was buffered cannot go
            pass


def _write_all(stream: IO[bytes], data: bytes) -> None:
    """Write all of `data`: a buffered stream does, but an unbuffered one (standard output
    under `python -u` or PYTHONUNBUFFERED, as some tools and containers run Python) may write
    part of it when a signal comes, and says how much."""
    view = memoryview(data)
    while view:
        view = view[stream.write(view) or 0:]  # None: nothing written yet (a stream that would block)


def _exactly(stream: IO[bytes], size: int) -> bytes | None:
    """`size` bytes from `stream`, or None at its end (also partway)."""
    data = stream.read(size)
    if len(data) == size:
        return data
    parts, got = [data], len(data)
    while got < size:
        more = stream.read(size - got)
        if not more:
            return None
        parts.append(more)
        got += len(more)
    return b"".join(parts)


def pair() -> tuple[Channel, Channel]:
    """Two connected channels in this process, over two pipes (the tests run the helper's
    side on a thread with one of them)."""
    a_read, b_write = os.pipe()
    b_read, a_write = os.pipe()
    return (Channel(open(a_read, "rb"), open(a_write, "wb")),
            Channel(open(b_read, "rb"), open(b_write, "wb")))
