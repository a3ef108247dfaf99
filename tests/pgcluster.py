"""A throwaway PostgreSQL cluster for the export tests: initdb in a temporary folder, the
server on a Unix socket in that folder (no TCP port), stopped and removed at the end.

As root (CI runs as root), initdb refuses to run: the cluster then belongs to the
``postgres`` user (Debian's package makes it), else ``nobody``, and runs through runuser.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def pg_bindir() -> Path | None:
    """Where initdb and pg_ctl are: on PATH, else Debian's /usr/lib/postgresql/<v>/bin."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    for bindir in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(bindir) / "initdb").exists() and (Path(bindir) / "pg_ctl").exists():
            return Path(bindir)
    return None


def _owner() -> str | None:
    """The user the cluster runs as: None (this one) unless this is root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise RuntimeError("running as root, and neither a postgres nor a nobody user exists")


def _run(owner: str | None, *args: str) -> None:
    cmd = list(args) if owner is None else ["runuser", "-u", owner, "--", *args]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}")


@contextmanager
def cluster(bindir: Path) -> Iterator[str]:
    """A running cluster; yields the URL of its ``postgres`` database (user ``safeplan``)."""
    owner = _owner()
    # Not under pytest's tmp_path: that folder is private to this user, and a socket's
    # path must stay short (about 100 bytes).
    base = Path(tempfile.mkdtemp(prefix="safeplan-pg-"))
    if owner is not None:
        entry = pwd.getpwnam(owner)
        os.chown(base, entry.pw_uid, entry.pw_gid)
    data = base / "data"
    started = False
    try:
        _run(
            owner,
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "safeplan",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )
        options = f"-k {base} -c listen_addresses='' -F -c max_connections=20"
        _run(
            owner,
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(base / "log"),
            "-w",
            "-t",
            "60",
            "start",
        )
        started = True
        yield f"postgresql://safeplan@/postgres?host={base}"
    finally:
        if started:
            _run(owner, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(base, ignore_errors=True)
