"""Legacy Word 97-2003 ``.doc`` (OLE2) extractor: convert with LibreOffice, read as DOCX.

No maintained pure-Python reader handles the binary Word format with tables and
numbering, so the file is converted by LibreOffice headless into a private
temporary folder and the DOCX extractor reads the result. Each conversion gets
its own LibreOffice profile (``-env:UserInstallation``): parallel workers that
shared the default profile would block on its lock or fail at random.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from vanban import budgets
from vanban.budgets import die_with_parent
from vanban.errors import ExtractionError, ResourceLimitError, UnsupportedFormatError
from vanban.schemas.blocks import RawDocument

CONVERT_TIMEOUT_S = 180
_BINARIES = ("soffice", "libreoffice")
# soffice.bin exits with this code after creating a fresh profile and asks to be started again.
_RESTART = 81
INSTALL_HINT = "install LibreOffice (apt-get install libreoffice-writer-nogui) or save the file as .docx"


def find_soffice() -> str | None:
    """Path of the LibreOffice command, or None when it is not installed."""
    for name in _BINARIES:
        found = shutil.which(name)
        if found:
            return found
    return None


def extract(path: Path, *, source: str | None = None, timeout: float = CONVERT_TIMEOUT_S) -> RawDocument:
    """Convert a ``.doc`` file to DOCX with LibreOffice and read it with the DOCX extractor.

    Provenance names the original file (``source``); the temporary DOCX is removed.
    """
    from vanban.extractors import docx

    source = source or str(path)
    binary = find_soffice()
    if binary is None:
        raise ExtractionError(
            source, f"legacy Word .doc file and LibreOffice is not available: {INSTALL_HINT}"
        )
    check_word_stream(path, source)
    with tempfile.TemporaryDirectory(prefix="vanban-doc-") as tmp:
        converted = convert_to_docx(path, Path(tmp), binary=binary, source=source, timeout=timeout)
        return docx.extract(converted, source=source)


# The directory of a .doc may sit anywhere in the file; it is searched up to this size.
_OLE2_SCAN = 64 * 1024 * 1024


def check_word_stream(path: Path, source: str) -> None:
    """Refuse an OLE2 container without a ``WordDocument`` stream (Excel, Outlook, random or damaged).

    Directory entries store stream names in UTF-16LE and a Word file always
    has ``WordDocument``; checked first so LibreOffice never opens what is not
    Word (it would turn a random OLE2 file into an empty document). RTF has no
    such container and is passed through.
    """
    with path.open("rb") as handle:
        data = handle.read(_OLE2_SCAN)
    if data.startswith(b"\xd0\xcf\x11\xe0") and "WordDocument".encode("utf-16-le") not in data:
        raise UnsupportedFormatError(
            source,
            "OLE2 file without a WordDocument stream: not a Word .doc (an Excel or Outlook file, or damaged)",
        )


def convert_to_docx(
    path: Path, workdir: Path, *, binary: str, source: str, timeout: float = CONVERT_TIMEOUT_S
) -> Path:
    """Run LibreOffice headless on ``path``; return the DOCX it wrote inside ``workdir``."""
    outdir = workdir / "out"
    outdir.mkdir()
    # A plain ASCII input name: LibreOffice mishandles some names (leading dashes, odd bytes).
    staged = workdir / "input.doc"
    shutil.copyfile(path, staged)
    command = [
        binary,
        f"-env:UserInstallation={(workdir / 'profile').resolve().as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        "docx:MS Word 2007 XML",
        "--outdir",
        str(outdir),
        str(staged),
    ]
    env = {**os.environ, "HOME": str(workdir)}
    # The launcher script forks soffice.bin, which would outlive a killed launcher: run
    # soffice.bin itself, so it dies with this process (PR_SET_PDEATHSIG) and a fresh
    # profile's restart request is handled here.
    real = _real_binary(binary)
    command[0] = real
    deadline = time.monotonic() + timeout
    for _attempt in range(3):
        returncode, stderr = _run(command, env, source, max(1.0, deadline - time.monotonic()), timeout)
        if returncode != _RESTART or real == binary:
            break
    process_returncode = returncode
    converted = outdir / "input.docx"
    if process_returncode != 0 or not converted.exists():
        detail = stderr.decode("utf-8", "replace").strip().splitlines()
        reason = detail[-1] if detail else f"exit status {process_returncode}"
        # OLE2 also holds .xls, .ppt and .msg files: what LibreOffice cannot load
        # or export as a Word document is not a (readable) .doc.
        raise UnsupportedFormatError(
            source,
            f"LibreOffice could not convert this OLE2 file as a Word .doc (damaged or not a .doc): {reason}",
        )
    return converted


def _real_binary(binary: str) -> str:
    """``soffice.bin`` beside the resolved ``soffice`` launcher, when there is one."""
    candidate = Path(os.path.realpath(binary)).with_name("soffice.bin")
    return str(candidate) if candidate.is_file() and os.access(candidate, os.X_OK) else binary


def _run(
    command: list[str], env: dict[str, str], source: str, wait_s: float, timeout: float
) -> tuple[int, bytes]:
    """Run LibreOffice once in its own session, registered with the sandbox; ``(returncode, stderr)``."""
    try:
        # A new session so a timeout can end LibreOffice and any helper it spawns.
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=True,
            preexec_fn=die_with_parent,
        )
    except OSError as err:
        raise ExtractionError(source, f"cannot start LibreOffice ({err}): {INSTALL_HINT}") from err
    budgets.child_started(process.pid)
    try:
        _, stderr = process.communicate(timeout=wait_s)
    except subprocess.TimeoutExpired as err:
        _kill_group(process)
        raise ResourceLimitError(
            source, f"LibreOffice did not convert the .doc file within {timeout:.0f} s"
        ) from err
    finally:
        budgets.child_ended(process.pid)
    return process.returncode, stderr


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()
    process.communicate()
