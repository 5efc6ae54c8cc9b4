"""Every failure ends in one line and a meaningful exit status: 2 for what the user can fix,
3 for a bug (with a request to report it), never a traceback and never 1 (drift found)."""

from __future__ import annotations

import builtins
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fidelity.cli import app

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()
EN = "The ministry said exports may fall by a third next year. Talks will resume in May.\n"
FR = ("Le ministère a déclaré que les exportations pourraient baisser d'un tiers l'an "
      "prochain. Les négociations reprendront en mai.\n")
RU = "Министерство заявило, что экспорт может сократиться на треть.\n"
EN_RU = "The ministry said exports will fall by a third.\n"


@pytest.fixture
def pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_text(EN, encoding="utf-8")
    Path("b.txt").write_text(FR, encoding="utf-8")
    return "a.txt", "b.txt"


def _fidelity(*args: str, cwd: Path, env: dict[str, str] | None = None, **options):
    """The installed console script's entry point, in a fresh process."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src"), **(env or {})}
    return subprocess.run(
        [sys.executable, "-c", "from fidelity.cli import main; main()", *args],
        cwd=cwd, env=environment, capture_output=True, timeout=120, **options,
    )


def _one_line(stderr: str | bytes) -> str:
    text = stderr.decode() if isinstance(stderr, bytes) else stderr
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


# ----------------------------------------------------------------------------- bugs: exit 3


def test_a_bug_is_one_line_with_exit_3_asking_for_a_report(
    pair: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args, **_kwargs):
        raise RuntimeError("the impossible happened")

    monkeypatch.setattr("fidelity.api.check", broken)
    result = runner.invoke(app, ["check", *pair])
    assert result.exit_code == 3
    line = _one_line(result.stderr)
    assert line.startswith("fidelity: internal error (a bug): RuntimeError: the impossible")
    assert "please report it" in line and "with the command you ran" in line

    monkeypatch.setenv("FIDELITY_DEBUG", "1")
    result = runner.invoke(app, ["check", *pair])
    assert result.exit_code == 3
    assert "Traceback" in result.stderr


def test_the_console_script_turns_an_escaped_bug_into_exit_3(tmp_path: Path) -> None:
    code = (
        "import fidelity.cli as cli\n"
        "def boom(*a, **k):\n    raise KeyError('x')\n"
        "cli.app = boom\ncli.main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")}, timeout=60,
    )
    assert result.returncode == 3
    assert "internal error (a bug): KeyError" in _one_line(result.stderr)


# ----------------------------------------------------------------------------- the probe's cases


def test_closed_stdin_is_a_one_line_error(pair: tuple[str, str], tmp_path: Path) -> None:
    result = _fidelity("check", "-", "b.txt", cwd=tmp_path, preexec_fn=lambda: os.close(0))
    assert result.returncode == 2
    assert "standard input is closed" in _one_line(result.stderr)


def test_a_file_name_too_long_is_a_one_line_error(pair: tuple[str, str]) -> None:
    result = runner.invoke(app, ["check", "x" * 300 + ".txt", "b.txt"])
    assert result.exit_code == 2
    assert "File name too long" in _one_line(result.stderr)


def test_a_file_in_an_unreadable_folder_is_a_one_line_error(
    pair: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # As root, chmod cannot provoke EACCES: the operating system's answer is simulated at
    # the two places a path meets it (opening and inspecting).
    Path("locked").mkdir()
    Path("locked/a.txt").write_text(EN, encoding="utf-8")
    real_open, real_stat = builtins.open, Path.stat

    def refuse(path: object) -> None:
        if "locked" in Path(os.fsdecode(path)).parts:  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", os.fsdecode(path))  # type: ignore

    def fake_open(file, *args, **kwargs):
        if isinstance(file, (str, bytes, os.PathLike)):
            refuse(file)
        return real_open(file, *args, **kwargs)

    def fake_stat(self: Path, *args, **kwargs):
        refuse(self)
        return real_stat(self, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", fake_open)
    monkeypatch.setattr(Path, "stat", fake_stat)
    result = runner.invoke(app, ["check", "locked/a.txt", "b.txt"])
    assert result.exit_code == 2
    line = _one_line(result.stderr)
    assert line.startswith("fidelity: error: locked/a.txt: ") and "Permission denied" in line


def test_a_file_name_that_is_not_utf8_reaches_a_json_report(tmp_path: Path) -> None:
    name = os.fsencode(tmp_path) + b"/\xff-original.txt"
    with open(name, "wb") as handle:
        handle.write(EN.encode())
    (tmp_path / "b.txt").write_text(FR, encoding="utf-8")
    out = tmp_path / "out.json"
    result = _fidelity(
        "check", os.fsdecode(name), "b.txt", "-f", "json", "-o", str(out), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["original"]["path"].endswith("\\xff-original.txt")


def test_an_ascii_only_output_stream_still_gets_the_whole_report(tmp_path: Path) -> None:
    (tmp_path / "ru.txt").write_text(RU, encoding="utf-8")
    (tmp_path / "en.txt").write_text(EN_RU, encoding="utf-8")
    result = _fidelity("check", "ru.txt", "en.txt", cwd=tmp_path,
                       env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 1, result.stderr
    assert b"Traceback" not in result.stderr
    assert b"\\u041c" in result.stdout or b"\\u043c" in result.stdout  # Cyrillic, escaped
    assert b"FAIL" in result.stdout


def test_rich_markup_and_emoji_codes_in_a_file_name_print_literally(
    pair: tuple[str, str],
) -> None:
    result = runner.invoke(app, ["check", ":x:[bold]a.txt", "b.txt"])
    assert result.exit_code == 2
    assert _one_line(result.stderr) == "fidelity: error: :x:[bold]a.txt: no such file"


def test_the_settings_file_used_is_named_in_the_signature(pair: tuple[str, str]) -> None:
    result = runner.invoke(app, ["check", *pair, "-f", "json"])
    assert "|settings-file:none|" in json.loads(result.stdout)["signature"]
    Path("desk.toml").write_text('skip-checks = ["entity"]\n')
    result = runner.invoke(app, ["check", *pair, "-f", "json", "--config", "desk.toml"])
    assert "|settings-file:desk.toml|" in json.loads(result.stdout)["signature"]


# ----------------------------------------------------------------------------- network


def test_a_model_not_on_this_machine_is_refused_without_touching_the_network(
    pair: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    for switch in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
        monkeypatch.delenv(switch, raising=False)
    monkeypatch.setenv("HF_HUB_CACHE", str(Path("hub-cache").resolve()))  # empty
    attempts: list[object] = []

    def connect(self, address):
        attempts.append(address)
        raise OSError("the network is not allowed in this test")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: connect(None, a))
    for command in (["check", *pair], ["align", *pair]):
        result = runner.invoke(app, [*command, "--model", "some-org/some-model"])
        assert result.exit_code == 2, result.output
        line = _one_line(result.stderr)
        assert "not found on this machine; pass --allow-network to download it" in line
    assert attempts == []
    assert os.environ["HF_HUB_OFFLINE"] == "1" and os.environ["TRANSFORMERS_OFFLINE"] == "1"
    assert os.environ["HF_DATASETS_OFFLINE"] == "1"


# ----------------------------------------------------------------------------- damaged caches


def _damage(path: Path, offset: int) -> None:
    with open(path, "r+b") as handle:
        handle.seek(offset)
        handle.write(b"\xde\xad" * 4096)


def test_a_damaged_embedding_cache_is_set_aside_and_rebuilt_with_one_warning(
    pair: tuple[str, str], tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    env = {"FIDELITY_CACHE_DIR": str(cache)}
    assert _fidelity("check", *pair, cwd=tmp_path, env=env).returncode == 0
    database = cache / "embeddings.sqlite3"
    _damage(database, 4096)  # past the header: "database disk image is malformed"
    result = _fidelity("check", *pair, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    warning = _one_line(result.stderr)
    assert warning.startswith("fidelity: warning: ") and "embedding cache was damaged" in warning
    assert len(list(cache.glob("embeddings.sqlite3.corrupt-*"))) == 1
    again = _fidelity("check", *pair, cwd=tmp_path, env=env)
    assert again.returncode == 0 and again.stderr == b""  # rebuilt: nothing more to say

    database.write_bytes(os.urandom(3000))  # not a database at all
    result = _fidelity("check", *pair, cwd=tmp_path, env=env)
    assert result.returncode == 0
    assert "embedding cache was damaged" in _one_line(result.stderr)
    assert len(list(cache.glob("embeddings.sqlite3.corrupt-*"))) == 2


def test_a_truncated_language_model_copy_is_rebuilt(
    pair: tuple[str, str], tmp_path: Path
) -> None:
    cache = tmp_path / "lang-cache"
    env = {"FIDELITY_CACHE_DIR": str(cache)}
    assert _fidelity("check", *pair, cwd=tmp_path, env=env).returncode == 0
    (model,) = cache.glob("py3langid-*-model.npz")
    size = model.stat().st_size
    with open(model, "r+b") as handle:
        handle.truncate(size // 3)
    result = _fidelity("check", *pair, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert "cached language model was damaged" in _one_line(result.stderr)
    assert model.stat().st_size == size
    _damage(model, size // 2)  # a bad CRC inside one array
    result = _fidelity("check", *pair, cwd=tmp_path, env=env)
    assert result.returncode == 0 and "rebuilt" in _one_line(result.stderr)


def test_a_usage_mistake_is_one_line_with_exit_2_through_the_console_script(
    pair: tuple[str, str], tmp_path: Path
) -> None:
    for arguments, expected in (
        (["check", *pair, "--bogus"], "No such option: --bogus"),
        (["check", *pair, "--mode", "sometimes"], "Invalid value for '--mode'"),
        (["check"], "Missing argument"),
    ):
        result = _fidelity(*arguments, cwd=tmp_path)
        assert result.returncode == 2, arguments
        line = _one_line(result.stderr)
        assert line.startswith("fidelity: error: ") and expected in line
    assert _fidelity("--version", cwd=tmp_path).returncode == 0
    assert _fidelity("check", *pair, cwd=tmp_path).returncode == 0


def test_a_reader_that_goes_away_ends_the_run_quietly(
    pair: tuple[str, str], tmp_path: Path
) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader (`| head`) is gone before anything is written
    try:
        result = subprocess.run(
            [sys.executable, "-c", "from fidelity.cli import main; main()", "check", *pair],
            cwd=tmp_path, stdout=write_end, stderr=subprocess.PIPE, timeout=120,
            env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        )
    finally:
        os.close(write_end)
    assert result.returncode == 141
    assert result.stderr == b""
