"""Exports on unlucky file systems: nothing that relcoord did not write is destroyed, every
failure is one line with exit status 1, and nothing is left behind (issue 17, item 2)."""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

import relcoord
from relcoord.atomic_files import MARKER, atomic_path, write_bytes_atomic
from relcoord.cli import cli
from relcoord.errors import OutputError
from relcoord.example import load_example

REPO = Path(__file__).resolve().parents[1]


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def run(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result.exit_code, result.stderr


def one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


@pytest.fixture
def study_file(tmp_path: Path) -> Path:
    path = tmp_path / "in" / "s.json"
    path.parent.mkdir()
    relcoord.dump(load_example(), path)
    return path


# --- folders the user made are never replaced -------------------------------------------------

@pytest.mark.parametrize("to", ["csv", "figures"])
def test_export_refuses_a_folder_of_the_users_own_files(study_file: Path, tmp_path: Path,
                                                         to: str) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.docx").write_text("two years of work")
    code, stderr = run("export", study_file, "--to", to, "-o", mine)
    assert code == 1
    assert "not written by relcoord" in one_error_line(stderr)
    assert listing(mine) == ["thesis.docx"]
    assert listing(tmp_path) == ["in", "mine"]


def test_export_replaces_its_own_folder_and_fills_an_empty_one(study_file: Path,
                                                               tmp_path: Path) -> None:
    out = tmp_path / "tables"
    out.mkdir()
    assert run("export", study_file, "--to", "csv", "-o", out)[0] == 0
    assert MARKER in listing(out)
    assert "roles.csv" in listing(out)
    (out / "roles.csv").write_text("edited by hand")
    assert run("export", study_file, "--to", "csv", "-o", out)[0] == 0
    assert (out / "roles.csv").read_text() != "edited by hand"
    assert listing(tmp_path) == ["in", "tables"]


def test_a_folder_that_gained_a_foreign_file_between_check_and_swap_is_kept(
        tmp_path: Path) -> None:
    out = tmp_path / "tables"
    with atomic_path(out, directory=True) as temporary:
        (temporary / "a.csv").write_text("a")
    (out / MARKER).unlink()
    (out / "mine.txt").write_text("mine")
    with pytest.raises(OutputError, match="not written by relcoord"), \
            atomic_path(out, directory=True):
        pass
    assert listing(out) == ["a.csv", "mine.txt"]
    assert listing(tmp_path) == ["tables"]


# --- special files are streams, never replaced ----------------------------------------------

def test_dev_null_is_written_to_and_stays_a_device(study_file: Path) -> None:
    before = os.stat("/dev/null")
    assert run("convert", study_file, "/dev/null", "--to", "json")[0] == 0
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


def test_dev_null_as_a_folder_output_is_refused(study_file: Path) -> None:
    code, stderr = run("export", study_file, "--to", "csv", "-o", "/dev/null")
    assert code == 1
    assert "not a folder" in one_error_line(stderr)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_fifo_receives_the_output_as_a_stream(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_bytes_atomic(fifo, b"through the pipe")
    reader.join(timeout=10)
    assert received == [b"through the pipe"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert listing(tmp_path) == ["pipe"]


# --- the input is never the output ----------------------------------------------------------

def test_convert_onto_its_own_input_is_refused_and_keeps_the_study(study_file: Path) -> None:
    before = study_file.read_bytes()
    code, stderr = run("convert", study_file, study_file, "-O", "respondent_ids=omit")
    assert code == 1
    assert "never replaces the data it reads" in one_error_line(stderr)
    assert study_file.read_bytes() == before
    assert listing(study_file.parent) == ["s.json"]


def test_export_onto_the_folder_holding_its_input_is_refused(tmp_path: Path) -> None:
    tables = tmp_path / "tables"
    relcoord.plugins.write(load_example(), tables, format="csv")
    before = {p.name: p.read_bytes() for p in tables.iterdir()}
    code, stderr = run("export", tables / "roles.csv", "--from", "csv", "--to", "csv",
                       "-o", tables)
    assert code == 1
    one_error_line(stderr)
    assert {p.name: p.read_bytes() for p in tables.iterdir()} == before


# --- names, signals and the file system -----------------------------------------------------

def test_a_name_near_name_max_gets_a_temporary_name_that_fits(tmp_path: Path) -> None:
    name = "æ" * 120 + ".json"  # 245 bytes in UTF-8: the temporary name must be cut
    assert len(name.encode()) <= 255
    destination = tmp_path / name
    with atomic_path(destination) as temporary:
        assert len(temporary.name.encode()) <= 255
        temporary.write_text("x")
    assert listing(tmp_path) == [name]
    with atomic_path(tmp_path / ("ø" * 125), directory=True) as temporary:
        assert len(temporary.name.encode()) <= 255
    with atomic_path(tmp_path / ("ø" * 125), directory=True) as temporary:  # and the aside
        (temporary / "a").write_text("a")
    assert sorted(listing(tmp_path)) == sorted([name, "ø" * 125])


def test_a_name_longer_than_name_max_is_one_line(study_file: Path, tmp_path: Path) -> None:
    code, stderr = run("convert", study_file, tmp_path / ("x" * 300 + ".json"))
    assert code == 1
    assert "too long" in one_error_line(stderr)
    assert listing(tmp_path) == ["in"]


def test_output_dot_is_one_line(study_file: Path, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for args in (("convert", study_file, ".", "--to", "json"),
                 ("export", study_file, "--to", "csv", "-o", ".")):
        code, stderr = run(*args)
        assert code == 1
        one_error_line(stderr)
    assert listing(tmp_path) == ["in"]


@pytest.mark.parametrize("failure", [errno.EROFS, errno.EACCES])
def test_a_folder_that_cannot_be_written_is_one_line(study_file: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     failure: int) -> None:
    real_open = os.open

    def refusing_open(path: object, flags: int, *args: int) -> int:
        if str(path).endswith(".tmp") and flags & os.O_CREAT:
            raise OSError(failure, os.strerror(failure), str(path))
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refusing_open)
    code, stderr = run("convert", study_file, tmp_path / "out.json")
    assert code == 1
    assert "not writable" in one_error_line(stderr)
    assert listing(tmp_path) == ["in"]


def test_a_full_disk_while_writing_is_one_line(study_file: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    def full(self: Path, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))

    monkeypatch.setattr(Path, "write_bytes", full)
    code, stderr = run("convert", study_file, tmp_path / "out.json")
    assert code == 1
    assert "no space left" in one_error_line(stderr)
    assert listing(tmp_path) == ["in"]


def test_a_file_size_limit_is_one_line_and_leaves_nothing(study_file: Path,
                                                          tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
        from relcoord.cli import main
        sys.argv = ["relcoord", "convert", {str(study_file)!r}, {str(tmp_path / 'o.json')!r}]
        main()
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert done.returncode == 1, done.stderr
    assert "larger than allowed" in one_error_line(done.stderr)
    assert listing(tmp_path) == ["in"]


_SLOW_WRITER = """
import signal, sys, time
from pathlib import Path
from relcoord.atomic_files import atomic_path
# as in a terminal: a launcher (nohup, a background job) may have left these ignored, and an
# ignored signal is one the writer rightly leaves ignored
signal.signal(signal.SIGHUP, signal.SIG_DFL)
signal.signal(signal.SIGTERM, signal.SIG_DFL)
signal.signal(signal.SIGINT, signal.default_int_handler)
destination = Path(sys.argv[1])
with atomic_path(destination, directory=sys.argv[2] == "folder") as temporary:
    if sys.argv[2] == "folder":
        (temporary / "part.csv").write_text("half")
    else:
        temporary.write_text("half")
    print("writing", flush=True)
    time.sleep(60)
"""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
@pytest.mark.parametrize("kind", ["file", "folder"])
def test_a_signal_during_a_write_leaves_no_temporary(tmp_path: Path, signum: int,
                                                     kind: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with subprocess.Popen(
            [sys.executable, "-c", _SLOW_WRITER, str(out / "report.docx"), kind],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}) as writer:
        assert writer.stdout is not None
        assert writer.stdout.readline() == "writing\n"
        writer.send_signal(signum)
        writer.wait(timeout=30)
    assert writer.returncode != 0
    assert listing(out) == []


#: A writer process: eight folders (or twenty files) written over one destination.  Run as a
#: script in a new interpreter rather than through multiprocessing, which would have to
#: import this test module by name in the child (pytest imports it by path) and hangs when
#: it cannot; each run is bounded by a timeout.
_REPEATED_WRITER = """
import sys, time
from relcoord.atomic_files import atomic_path, write_bytes_atomic
destination, kind, worker = sys.argv[1], sys.argv[2], int(sys.argv[3])
if kind == "folder":
    for round_ in range(8):
        with atomic_path(destination, directory=True) as temporary:
            for name in ("roles.csv", "ties.csv", "study.csv"):
                (temporary / name).write_text(f"{worker} {round_} {name}")
            time.sleep(0.001 * worker)
else:
    for round_ in range(20):
        write_bytes_atomic(destination, f"{worker} {round_} ".encode() * 5000)
"""


def _run_writers(destination: Path, kind: str) -> list[str]:
    """Three writer processes at once over ``destination``; the errors each printed."""
    writers = [subprocess.Popen(
        [sys.executable, "-c", _REPEATED_WRITER, str(destination), kind, str(worker)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}) for worker in range(3)]
    errors = []
    for writer in writers:
        _, stderr = writer.communicate(timeout=120)
        errors.append(stderr.strip() if writer.returncode else "")
    return errors


def test_concurrent_writers_of_one_folder_end_with_one_complete_folder(tmp_path: Path) -> None:
    destination = tmp_path / "tables"
    assert _run_writers(destination, "folder") == ["", "", ""]
    assert listing(tmp_path) == ["tables"]
    assert listing(destination) == [MARKER, "roles.csv", "study.csv", "ties.csv"]
    writers = {(destination / n).read_text().split()[:2][0] for n in ("roles.csv", "ties.csv")}
    assert len(writers) == 1  # one writer's whole folder, not a mix


def test_the_sigterm_handler_is_restored_after_a_write(tmp_path: Path) -> None:
    before = signal.getsignal(signal.SIGTERM)
    with atomic_path(tmp_path / "x.txt") as temporary:
        assert signal.getsignal(signal.SIGTERM) is not before or before not in (
            signal.SIG_DFL, None)
        temporary.write_text("x")
    assert signal.getsignal(signal.SIGTERM) == before


def test_concurrent_writers_of_one_file_end_with_one_complete_file(tmp_path: Path) -> None:
    destination = tmp_path / "study.json"
    assert _run_writers(destination, "file") == ["", "", ""]
    assert listing(tmp_path) == ["study.json"]
    words = destination.read_text().split()
    assert len(words) == 10_000
    assert len(set(zip(words[::2], words[1::2], strict=True))) == 1  # one writer's file


def test_export_onto_its_own_zip_input_is_refused(tmp_path: Path) -> None:
    tables = tmp_path / "tables.csv.zip"
    relcoord.plugins.write(load_example(), tables, format="csv-zip",
                           analysis=relcoord.analyze(load_example()))
    before = tables.read_bytes()
    code, stderr = run("export", tables, "-o", tables)
    assert code == 1
    assert "never replaces the data it reads" in one_error_line(stderr)
    assert tables.read_bytes() == before


def test_a_symbolic_link_to_a_relcoord_folder_is_replaced_without_litter(
        tmp_path: Path) -> None:
    real = tmp_path / "real"
    with atomic_path(real, directory=True) as temporary:
        (temporary / "a.csv").write_text("a")
    link = tmp_path / "link"
    link.symlink_to(real)
    with atomic_path(link, directory=True) as temporary:
        (temporary / "b.csv").write_text("b")
    assert listing(tmp_path) == ["link", "real"]
    assert listing(link) == [MARKER, "b.csv"]
    assert listing(real) == [MARKER, "a.csv"]  # the link's old target is kept
