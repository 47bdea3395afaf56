"""Reading articles safely: files, directories of ``*.txt`` and ``-`` for standard input.

:func:`read_article` returns the text that every offset saywho reports points
into. It is the file's bytes decoded, with a leading byte-order mark removed
and nothing else changed (``\\r\\n`` stays ``\\r\\n``). Input that cannot be
an article raises an :class:`InputError` whose message fits on one line.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

STDIN = "-"
DEFAULT_MAX_BYTES = 10_000_000  # 10 MB: far beyond any news article
DEFAULT_ENCODING = "utf-8"
# Share of control characters (other than \t \n \v \f \r and NEL) above which text is taken for binary data.
CONTROL_SHARE = 0.1
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")


class InputError(Exception):
    """An input that cannot be read as an article; ``str(error)`` is one line."""

    exit_code = 1

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code


class NotARegularFile(InputError):
    """A device, FIFO, socket or missing path where a file was expected."""


class UnreadableInput(InputError):
    """The operating system refused to read the file (permissions, I/O error)."""


class TooLarge(InputError):
    """The input exceeds the byte limit (``--max-bytes``)."""


class BinaryInput(InputError):
    """NUL bytes or mostly control characters: not text."""


class DecodeError(InputError):
    """The bytes are not valid in the chosen encoding (``--encoding``)."""


@dataclass(frozen=True, slots=True)
class Source:
    """One input as the user named it: ``label`` is the path as given (``-`` for stdin)."""

    label: str
    path: Path | None  # None for standard input

    @property
    def is_stdin(self) -> bool:
        return self.path is None


def check_encoding(encoding: str) -> str:
    """The codec's canonical name; ``LookupError`` for an unknown encoding."""
    return codecs.lookup(encoding).name


def expand(paths: Iterable[str]) -> list[Source]:
    """Inputs in order: a directory becomes its ``*.txt`` files (recursively, sorted).

    Raises ``FileNotFoundError`` for a path that does not exist; anything else
    (a device, a FIFO) is kept and fails later, in :func:`read_article`, on its own.
    """
    out: list[Source] = []
    for given in paths:
        if given == STDIN:
            out.append(Source(STDIN, None))
            continue
        path = Path(given)
        if not os.path.lexists(path):
            raise FileNotFoundError(given)
        if path.is_dir():
            out.extend(Source(str(p), p) for p in _txt_files(path))
        else:
            out.append(Source(given, path))
    return out


def _txt_files(root: Path) -> list[Path]:
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):  # does not follow symlinked folders: no loops
        dirs.sort()
        found.extend(Path(folder) / f for f in files if f.endswith(".txt"))
    return sorted(found)


def read_article(
    source: Source | str | Path,
    *,
    encoding: str = DEFAULT_ENCODING,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
) -> str:
    """The text of one article, or ``""`` when it is empty or only whitespace.

    Raises :class:`InputError` (a subclass naming the reason) for anything
    that is not a readable text file within ``max_bytes``.
    """
    if not isinstance(source, Source):
        source = Source(str(source), None) if str(source) == STDIN else Source(str(source), Path(source))
    if source.path is None:
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = stream.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise TooLarge(f"more than {max_bytes:,} bytes on standard input (see --max-bytes)")
    else:
        data = _read_file(source.path, max_bytes)
    return decode(data, encoding)


def _read_file(path: Path, max_bytes: int) -> bytes:
    try:
        st = path.stat()  # follows symlinks: a link to a file is a file
    except FileNotFoundError:
        raise NotARegularFile("no such file") from None
    except OSError as exc:
        raise UnreadableInput(_os_reason(exc)) from None
    if stat.S_ISDIR(st.st_mode):
        raise NotARegularFile("is a directory")
    if not stat.S_ISREG(st.st_mode):
        raise NotARegularFile("not a regular file (a device, pipe or socket)")
    if st.st_size > max_bytes:
        raise TooLarge(f"too large: {st.st_size:,} bytes, the limit is {max_bytes:,} (see --max-bytes)")
    try:
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise UnreadableInput(_os_reason(exc)) from None
    if len(data) > max_bytes:  # grew since stat()
        raise TooLarge(f"too large: more than {max_bytes:,} bytes (see --max-bytes)")
    return data


def _os_reason(exc: OSError) -> str:
    return f"cannot read: {exc.strerror or exc}".lower()


def decode(data: bytes, encoding: str = DEFAULT_ENCODING) -> str:
    """Bytes to article text: BOM removed, binary data and decoding errors refused."""
    codec = check_encoding(encoding)
    if codec == "utf-8" and data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        if b"\x00" in data:
            raise BinaryInput("binary data (NUL bytes), not text") from None
        bad = data[exc.start : exc.start + 1].hex()
        raise DecodeError(
            f"not valid {_codec_label(codec)} at byte {exc.start} (0x{bad}); "
            "use --encoding to read another encoding"
        ) from None
    if text.startswith("\ufeff"):  # a BOM decoded by utf-16/utf-32 or given in another codec
        text = text[1:]
    if "\x00" in text:
        raise BinaryInput("binary data (NUL bytes), not text")
    if _mostly_control(text):
        raise BinaryInput("binary data (too many control characters), not text")
    if not text.strip():
        return ""
    return text


def _codec_label(codec: str) -> str:
    return "UTF-8" if codec == "utf-8" else codec


def _mostly_control(text: str, sample: int = 65_536) -> bool:
    head = text[:sample]
    return bool(head) and len(_CONTROL.findall(head)) / len(head) > CONTROL_SHARE
