"""Crash safety: kill -9 an ingest in the middle, run it again, and every article is stored exactly once
with all of its statements. The ingest runs in a subprocess with the real extractor, in two worker
processes (the local engine), which must not outlive it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from saywho.extraction import Extractor
from saywho.store import open_db
from saywho.store.schema import articles, statements

N = 60
KILL_AFTER = 4  # articles committed
SPEAKERS = ["Jane Roe", "Tom Ash", "Marta Koss", "Piotr Vance", "Anna Berg", "Luc Marchetti"]


def _article(i: int) -> str:
    who = SPEAKERS[i % len(SPEAKERS)]
    other = SPEAKERS[(i + 1) % len(SPEAKERS)]
    return (
        f"The harbour council met for the {i}th time on Tuesday to discuss the dredging plan.\n\n"
        f"“We will not pay for dredging number {i} until the port authority shows us the accounts,” "
        f"{who} told reporters after the meeting.\n\n"
        f"{other} said the council had already waited {i + 2} months for the figures and that "
        f"patience was running out.\n"
    )


def _ingest(folder: Path, db: str) -> subprocess.Popen[bytes]:
    code = "from saywho.cli import main; main()"
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            code,
            "ingest",
            str(folder),
            "--db",
            db,
            "--batch-size",
            "2",
            "--published",
            "2024-03-08",
            "--workers",
            "2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux; empty elsewhere)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _committed(db: str) -> int:
    database = open_db(db)
    try:
        with database.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(articles)).scalar_one()
    finally:
        database.dispose()


def test_kill_9_mid_run_then_run_again(db_url: str, tmp_path: Path, extractor: Extractor) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    texts = {}
    for i in range(N):
        path = folder / f"{i:03d}.txt"
        path.write_text(_article(i), encoding="utf-8")
        texts[str(path)] = path.read_text(encoding="utf-8")
    open_db(db_url).dispose()  # the schema exists before the child starts: polling can begin at once

    proc = _ingest(folder, db_url)
    deadline = time.monotonic() + 120
    seen = 0
    while time.monotonic() < deadline and proc.poll() is None:
        seen = _committed(db_url)
        if seen >= KILL_AFTER:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the ingest ended before it could be killed: " + proc.stderr.read().decode()
    workers = _children(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    if sys.platform == "linux":
        assert workers, "the ingest had no worker processes"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in workers), "worker processes outlived the killed ingest"

    database = open_db(db_url)
    with database.engine.connect() as conn:
        partial = conn.execute(select(articles.c.id, articles.c.n_statements)).all()
        assert KILL_AFTER <= len(partial) < N  # killed in the middle
        for row in partial:  # nothing half-written: each stored article has all the statements it says
            n = conn.execute(
                select(func.count()).select_from(statements).where(statements.c.article_id == row.id)
            ).scalar_one()
            assert n == row.n_statements > 0
    database.dispose()

    proc = _ingest(folder, db_url)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()
    assert f"{N - len(partial)} new, {len(partial)} already known" in out.decode()

    expected = dict(zip(texts, extractor.pipe([(t, "2024-03-08", p) for p, t in texts.items()]), strict=True))
    database = open_db(db_url)
    with database.engine.connect() as conn:
        labels = conn.execute(select(articles.c.label)).scalars().all()
        assert sorted(labels) == sorted(texts)  # every article, exactly once
        for label in labels:
            rows = conn.execute(
                select(statements.c.content, statements.c.speaker_name)
                .join(articles, articles.c.id == statements.c.article_id)
                .where(articles.c.label == label)
                .order_by(statements.c.seq)
            ).all()
            want = [(st.content_text, st.speaker.name if st.speaker else None) for st in expected[label]]
            assert [tuple(r) for r in rows] == want, label
    database.dispose()
