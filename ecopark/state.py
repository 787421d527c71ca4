"""OUTDIR's own state files: the writer's lock, temporary files, the sources journal and
the hash cache. Each is written so that a kill, a full disk or a second run cannot leave
it unreadable, and each read says what it had to repair.

- ``.ecopark.lock``   an exclusive ``flock``: one writer per OUTDIR;
- temporary files     ``.<name>.<pid>.<random>.tmp``: a run removes only its own, and
  those of runs that are dead (their pid is gone);
- ``sources.jsonl``   every input path and the key of the content it held, appended;
  read line by line as bytes, so a torn last line (a kill, a full disk, a cut UTF-8
  sequence) is dropped and cut off, never fatal;
- ``.hashes.json``    sha256 per path, trusted only while size, mtime, ctime and inode
  are unchanged.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import re
import secrets
import stat
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

LOCK_NAME = ".ecopark.lock"
SOURCES = "sources.jsonl"
HASH_CACHE = ".hashes.json"
_TEMP = re.compile(r"^\..+\.(\d+)\.[0-9a-f]{8}\.tmp(\.wal)?$")
_HASH_CHUNK = 1 << 20


class RunError(Exception):
    """A run cannot go on; ``str(err)`` is the one-line message, ``exit_code`` the CLI's."""

    exit_code = 1


class OutdirLocked(RunError):
    exit_code = 3


class OutdirWriteError(RunError):
    """OUTDIR could not be written (disk full, permissions); nothing written is lost."""


def write_error(path: Path, err: OSError) -> OutdirWriteError:
    why = "no space left on the device" if err.errno == errno.ENOSPC else err.strerror or err
    return OutdirWriteError(
        f"cannot write {path}: {why}; what was recorded so far is kept, run again when "
        "it can be written"
    )


@contextmanager
def outdir_lock(outdir: Path) -> Iterator[None]:
    """Hold OUTDIR's writer lock, or raise OutdirLocked naming the holder."""
    path = outdir / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = _holder(fd)
        os.close(fd)
        raise OutdirLocked(
            f"another ecopark run (pid {holder}) is writing to {outdir}: wait for it to "
            "finish, or use another output folder"
        ) from None
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    except OSError:
        pass  # the pid is only for the message; a full disk must not stop the lock
    try:
        yield
    finally:
        os.close(fd)  # releases the lock; the file stays (unlinking it would race)


def _holder(fd: int) -> str:
    """The pid the lock's holder wrote, or ?. The holder writes it just after taking the
    lock: a run that finds the lock taken in between waits that moment for it (under load
    the message had read "pid ?")."""
    for _ in range(HOLDER_READS):
        holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
        if holder:
            return holder
        time.sleep(HOLDER_WAIT_S)
    return "?"


HOLDER_READS, HOLDER_WAIT_S = 20, 0.025  # up to half a second for the holder's pid


def temp_path(path: Path) -> Path:
    """A temporary name beside ``path`` that no other process uses."""
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` exists (one we may not signal counts as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temps(folder: Path) -> int:
    """Remove the temporary files of dead runs in ``folder`` (never a live one's)."""
    n = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        m = _TEMP.match(entry.name)
        if m and int(m.group(1)) != os.getpid() and not pid_alive(int(m.group(1))):
            try:
                os.unlink(entry.path)
                n += 1
            except OSError:
                pass
    return n


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write via our own temporary file and rename: readers see all of it or none."""
    tmp = temp_path(path)
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise write_error(path, err) from err


# --- the sources journal ---------------------------------------------------------------


@dataclass
class Sources:
    """The journal's lines in order: (resolved path, key). The last line of a path is
    its current content; earlier ones are its history."""

    entries: list[tuple[str, str]] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)

    def current(self) -> dict[str, str]:
        return dict(self.entries)  # later lines win

    def by_key(self) -> dict[str, list[str]]:
        """key → the paths whose current content it is, first seen first."""
        current = self.current()
        out: dict[str, list[str]] = {}
        seen: set[str] = set()
        for path, _ in self.entries:
            if path in seen:
                continue
            seen.add(path)
            out.setdefault(current[path], []).append(path)
        return out

    def keys_ever(self) -> set[str]:
        return {k for _, k in self.entries}


def _parse_line(raw: bytes) -> tuple[str, str] | None:
    try:
        item = json.loads(raw.decode("utf-8", "surrogatepass"))
        path, key = item["path"], item["key"]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(path, str) or not isinstance(key, str):
        return None
    return path, key


def read_sources(outdir: Path, repair: bool = False) -> Sources:
    """Every readable line of ``sources.jsonl``. A torn last line is dropped and, with
    ``repair``, cut off the file; each repair is said in ``repairs``."""
    out = Sources()
    path = outdir / SOURCES
    try:
        fh = path.open("rb")
    except OSError:
        return out
    bad = 0
    torn_at: int | None = None
    missing_newline = False
    with fh:
        offset = 0
        for raw in fh:  # line by line: memory stays flat in the journal's length
            start, offset = offset, offset + len(raw)
            item = _parse_line(raw)
            if raw.endswith(b"\n"):
                if item is None:
                    bad += raw.strip() != b""
                else:
                    out.entries.append(item)
            elif item is None:
                torn_at = start  # the last line, cut mid-write
            else:
                out.entries.append(item)  # whole but for its newline
                missing_newline = True
    if bad:
        out.repairs.append(f"{SOURCES}: {bad} unreadable line(s) ignored")
    if torn_at is not None:
        out.repairs.append(
            f"{SOURCES}: a torn last line ({offset - torn_at} bytes, cut by a kill or a full "
            "disk) was dropped"
        )
    if repair and (torn_at is not None or missing_newline):
        try:
            with path.open("r+b") as wh:
                if torn_at is not None:
                    wh.truncate(torn_at)
                else:
                    wh.seek(0, os.SEEK_END)
                    wh.write(b"\n")
        except OSError as err:
            raise write_error(path, err) from err
    return out


def append_sources(outdir: Path, pairs: Sequence[tuple[str, str]]) -> None:
    """Append lines, whole ones only as far as the disk allows (fsync'd); the caller has
    repaired the journal's end (``read_sources(repair=True)``) under the lock."""
    if not pairs:
        return
    data = "".join(
        json.dumps({"path": p, "key": k}, ensure_ascii=False) + "\n" for p, k in pairs
    ).encode("utf-8", "surrogatepass")
    path = outdir / SOURCES
    try:
        with path.open("ab") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as err:
        raise write_error(path, err) from err


# --- the hash cache --------------------------------------------------------------------


def sha256_file(path: Path) -> str | None:
    h = hashlib.sha256()
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return None  # a pipe would block; the reader says what it is
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(_HASH_CHUNK), b""):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


def _signature(st: os.stat_result) -> list[int]:
    # ctime cannot be set by a user: a file rewritten and then given back its size and
    # mtime still shows a new ctime; a file replaced by a rename shows a new inode.
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


def hash_inputs(
    outdir: Path, paths: Sequence[Path], verify: bool = False
) -> tuple[dict[Path, str | None], list[str]]:
    """sha256 per path; cached by signature unless ``verify`` (re-hash every file)."""
    cache_file = outdir / HASH_CACHE
    notes: list[str] = []
    cache: dict[str, list[object]] = {}
    if cache_file.exists() and not verify:
        try:
            loaded = json.loads(cache_file.read_bytes())
            if isinstance(loaded, dict):
                cache = loaded
        except (OSError, ValueError):
            notes.append(f"{HASH_CACHE}: unreadable, every input is hashed again")
    out: dict[Path, str | None] = {}
    changed = False
    for p in paths:
        k = os.fsdecode(p)
        try:
            st = os.stat(k)
        except OSError:
            out[p] = None
            continue
        sig = _signature(st)
        hit = cache.get(k)
        if isinstance(hit, list) and hit[:-1] == sig and isinstance(hit[-1], str):
            out[p] = hit[-1]
            continue
        sha = sha256_file(p)
        out[p] = sha
        if sha:
            cache[k] = [*sig, sha]
            changed = True
    if changed or verify:
        atomic_write_bytes(cache_file, json.dumps(cache).encode())
    return out, notes
