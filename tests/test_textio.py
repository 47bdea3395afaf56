from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from saywho import textio
from saywho.textio import (
    BinaryInput,
    DecodeError,
    InputError,
    NotARegularFile,
    Source,
    TooLarge,
    expand,
    read_article,
)

ARTICLE = (
    "“No tax without a vote,” Roe told the paper.\r\nShe said last week that it could not be “ruled out”.\n"
)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_reads_utf8_unchanged_keeping_crlf(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", ARTICLE.encode())
    assert read_article(path) == ARTICLE


def test_strips_utf8_bom_only(tmp_path: Path) -> None:
    path = write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + ARTICLE.encode())
    assert read_article(path) == ARTICLE


def test_other_encoding_by_option(tmp_path: Path) -> None:
    path = write(tmp_path, "utf16.txt", ARTICLE.encode("utf-16"))  # BOM + NUL-rich bytes
    assert read_article(path, encoding="utf-16") == ARTICLE
    latin = write(tmp_path, "latin.txt", "Le ministre a déclaré « non ».".encode("latin-1"))
    assert read_article(latin, encoding="latin-1") == "Le ministre a déclaré « non »."


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", b"\xef\xbb\xbf\n"])
def test_empty_or_blank_is_not_an_error(tmp_path: Path, data: bytes) -> None:
    assert read_article(write(tmp_path, "e.txt", data)) == ""


def test_nul_bytes_are_binary(tmp_path: Path) -> None:
    path = write(tmp_path, "x.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(BinaryInput, match="binary"):
        read_article(path)


def test_control_characters_are_binary(tmp_path: Path) -> None:
    path = write(tmp_path, "ctl.txt", bytes(range(1, 9)) * 20 + b"some words")
    with pytest.raises(BinaryInput, match="control characters"):
        read_article(path)


def test_a_few_control_characters_are_text(tmp_path: Path) -> None:
    text = "Page break\x0cthen a bell\x07 in a long enough article about taxes. " * 3
    assert read_article(write(tmp_path, "ok.txt", text.encode())) == text


def test_invalid_utf8_names_the_byte_offset(tmp_path: Path) -> None:
    path = write(tmp_path, "latin.txt", "Roe said: café".encode("latin-1"))
    with pytest.raises(DecodeError) as err:
        read_article(path)
    message = str(err.value)
    assert "byte 13" in message and "0xe9" in message and "--encoding" in message
    assert "\n" not in message


def test_too_large_by_size_without_reading(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", b"word " * 30)
    with pytest.raises(TooLarge, match="150 bytes, the limit is 100"):
        read_article(path, max_bytes=100)
    assert read_article(path, max_bytes=150).startswith("word")


def test_default_limit_is_ten_megabytes() -> None:
    assert textio.DEFAULT_MAX_BYTES == 10_000_000


def test_directory_and_missing_are_not_regular_files(tmp_path: Path) -> None:
    with pytest.raises(NotARegularFile, match="is a directory"):
        read_article(tmp_path)
    with pytest.raises(NotARegularFile, match="no such file"):
        read_article(tmp_path / "gone.txt")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(NotARegularFile, match="not a regular file"):
        read_article(fifo)


def test_stdin(tmp_path: Path) -> None:
    assert read_article(Source("-", None), stdin=io.BytesIO(ARTICLE.encode())) == ARTICLE
    assert read_article("-", stdin=io.BytesIO(b"\xef\xbb\xbfHi.")) == "Hi."
    with pytest.raises(TooLarge, match="standard input"):
        read_article("-", stdin=io.BytesIO(b"x" * 11), max_bytes=10)


def test_non_english_goes_through(tmp_path: Path) -> None:
    text = "«Мы не отступим», — заявил министр. 财政部长说：“不征税”。"
    assert read_article(write(tmp_path, "ru.txt", text.encode())) == text


def test_errors_carry_exit_code_one_and_one_line() -> None:
    for cls in (BinaryInput, DecodeError, TooLarge, NotARegularFile):
        assert issubclass(cls, InputError)
        assert cls("x").exit_code == 1
    assert InputError("x", exit_code=4).exit_code == 4


def test_expand_recurses_sorted_over_txt(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt", "notes.md", "sub/z.txt", "sub/deeper/c.txt", "A/x.txt"):
        write(tmp_path, name, b"text")
    found = expand([str(tmp_path / "sub" / "z.txt"), str(tmp_path), "-"])
    labels = [os.path.relpath(s.label, tmp_path) if s.path else s.label for s in found]
    assert labels == ["sub/z.txt", "A/x.txt", "a.txt", "b.txt", "sub/deeper/c.txt", "sub/z.txt", "-"]
    assert found[-1].is_stdin and found[0].label == str(tmp_path / "sub" / "z.txt")


def test_expand_missing_path_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        expand([str(tmp_path / "nope")])


def test_unknown_encoding_is_a_lookup_error() -> None:
    with pytest.raises(LookupError):
        textio.check_encoding("no-such-codec")
    assert textio.check_encoding("UTF8") == "utf-8"
