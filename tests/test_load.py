from __future__ import annotations

from pathlib import Path

import pytest

from fidelity.errors import FidelityInputError
from fidelity.io import load_path

RUSSIAN = "Директор Службы внешней разведки России Сергей Нарышкин заявил, что боевики могут проникнуть."
ARABIC = "قال مدير جهاز المخابرات الخارجية الروسية سيرغي ناريشكين إن المسلحين قد يتسللون إلى روسيا."


def test_utf8_text_is_read_as_is(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Hello «мир».\n", encoding="utf-8")
    loaded = load_path(path)
    assert loaded.text == "Hello «мир».\n"
    assert loaded.encoding == "utf-8"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [(RUSSIAN, "cp1251"), (ARABIC, "cp1256"), (RUSSIAN, "utf-16"), (RUSSIAN, "koi8_r")],
)
def test_legacy_encodings_are_detected(tmp_path: Path, text: str, encoding: str) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode(encoding))
    assert load_path(path).text == text


def test_crlf_is_normalised_so_offsets_are_stable(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"One.\r\nTwo.\r\n")
    assert load_path(path).text == "One.\nTwo.\n"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"   \n\n ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "binary"),
        (bytes(range(128, 256)) * 8, "cannot be decoded"),
        (b"12345 67890\n", "no words"),
    ],
)
def test_bad_files_are_refused_with_reason(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(FidelityInputError) as error:
        load_path(path)
    assert reason in str(error.value)
    assert str(path) in str(error.value)


def test_missing_file_and_folder_are_refused(tmp_path: Path) -> None:
    with pytest.raises(FidelityInputError, match="no such file"):
        load_path(tmp_path / "nope.txt")
    with pytest.raises(FidelityInputError, match="folder"):
        load_path(tmp_path)


def test_files_over_the_limit_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FIDELITY_MAX_BYTES", "100")
    path = tmp_path / "big.txt"
    path.write_text("word " * 100, encoding="utf-8")
    with pytest.raises(FidelityInputError, match="larger than"):
        load_path(path)


def test_markdown_markup_is_blanked_keeping_offsets(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    source = "# Title\n\nSome **bold** claim and a [link](http://x.org).\n"
    path.write_text(source, encoding="utf-8")
    text = load_path(path).text
    assert len(text) == len(source)
    assert "#" not in text and "**" not in text and "http" not in text
    assert text[text.index("bold") : text.index("bold") + 4] == "bold"


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_devices_stop_at_the_limit_on_bytes_read(device: str, monkeypatch) -> None:
    monkeypatch.setenv("FIDELITY_MAX_BYTES", "100000")
    with pytest.raises(FidelityInputError, match="larger than the limit of 100,000 bytes"):
        load_path(device)


def test_an_endless_pipe_stops_at_the_limit(tmp_path: Path, monkeypatch) -> None:
    import os
    import threading

    monkeypatch.setenv("FIDELITY_MAX_BYTES", "100000")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    def feed() -> None:
        try:
            with open(fifo, "wb") as pipe:
                while True:
                    pipe.write(b"y\n" * 4096)
        except BrokenPipeError:
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    with pytest.raises(FidelityInputError, match="FIDELITY_MAX_BYTES"):
        load_path(fifo)
    writer.join(timeout=5)


def test_a_bad_limit_setting_is_a_one_line_error(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FIDELITY_MAX_BYTES", "lots")
    path = tmp_path / "a.txt"
    path.write_text("Some words.", encoding="utf-8")
    with pytest.raises(FidelityInputError, match="FIDELITY_MAX_BYTES must be a positive"):
        load_path(path)
