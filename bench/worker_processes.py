"""What the worker benchmarks share: PostgreSQL databases made from a template, real
`fordring worker` processes (started, watched through /proc, stopped by SIGTERM), and
queries of the database the benchmarks read their times from (the queue's own events,
the run log, the delivery log), never the internals that other work is changing."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from fordring.adapters.db.engine import forget_database

sys.path.insert(0, str(Path(__file__).parent.parent))  # tests.processes: the same /proc reading
from tests.processes import descendants as descendants
from tests.processes import fordring as fordring
from tests.processes import listening_on as listening_on
from tests.processes import wait_for as wait_for

POSTGRES = os.environ.get(
    "FORDRING_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/"
)
BENCH = Path(__file__).parent
OUT = BENCH / "out"
PROC = Path("/proc")


def database_name(suffix: str) -> str:
    """A database of this benchmark; FORDRING_BENCH_DATABASE keeps worktrees apart."""
    return f"{os.environ.get('FORDRING_BENCH_DATABASE', 'fordring_bench')}_{suffix}"


def admin(statement: str) -> None:
    engine = create_engine(POSTGRES + "postgres", isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


def database_exists(name: str) -> bool:
    engine = create_engine(POSTGRES + "postgres")
    try:
        with engine.connect() as connection:
            found = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
            ).first()
    finally:
        engine.dispose()
    return found is not None


def copy_of(template: str, name: str) -> str:
    """A new database `name`, a copy of `template` (PostgreSQL copies its files: seconds)."""
    drop(name)
    admin(f"CREATE DATABASE {name} TEMPLATE {template}")
    url = POSTGRES + name
    forget_database(url)
    return url


def drop(name: str) -> None:
    admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def scalar(url: str, query: str, **params: Any) -> Any:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(query), params).scalar()
    finally:
        engine.dispose()


class Database:
    """One open connection for polling (autocommit: each query sees the latest commits)."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url, isolation_level="AUTOCOMMIT")
        self.connection = self.engine.connect()

    def scalar(self, query: str, **params: Any) -> Any:
        return self.connection.execute(text(query), params).scalar()

    def row(self, query: str, **params: Any) -> Any:
        return self.connection.execute(text(query), params).one()

    def close(self) -> None:
        self.connection.close()
        self.engine.dispose()


def _kb(pid: int, field: str) -> int:
    """A field of /proc/PID/status in kB (VmRSS, VmHWM); 0 when the process is gone."""
    try:
        for line in (PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far (0 when it is gone)."""
    try:
        line = (PROC / str(pid) / "stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    fields = line[line.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


class CpuMeter:
    """The CPU time of processes seen over a while: each pid's last reading is kept, so a
    process that ended counts with what it had used when last seen."""

    def __init__(self) -> None:
        self.seen: dict[int, float] = {}
        self.before: dict[int, float] = {}

    def start(self, pids: Iterable[int]) -> None:
        """Count from now: what `pids` had used already is left out."""
        for pid in pids:
            self.before[pid] = self.seen[pid] = cpu_seconds(pid)

    def read(self, pids: Iterable[int]) -> None:
        for pid in pids:
            self.seen[pid] = max(self.seen.get(pid, 0.0), cpu_seconds(pid))

    @property
    def total(self) -> float:
        return sum(used - self.before.get(pid, 0.0) for pid, used in self.seen.items())


class Workers:
    """`fordring worker` processes (or `argv` standing for one) in `folder`, each with its
    log `folder/NAME.log` and the outbox `folder/outbox`; memory sampled by `sample()`."""

    def __init__(self, url: str, folder: Path, argv: Callable[[str], list[str]] | None = None):
        self.url, self.folder = url, folder
        self.argv = argv or (lambda name: [*fordring(), "--db", url, "worker", "--name", name])
        self.processes: dict[str, subprocess.Popen[str]] = {}
        self.peak_tree_kb: dict[str, int] = {}  # the worker and its render processes
        self.peak_own_kb: dict[str, int] = {}  # the worker process alone (VmHWM)
        self.cpu = CpuMeter()  # the workers and their render processes
        folder.mkdir(parents=True, exist_ok=True)

    def start(self, name: str, *extra: str) -> subprocess.Popen[str]:
        log = (self.folder / f"{name}.log").open("w")
        process = subprocess.Popen(
            [*self.argv(name), *extra],
            cwd=self.folder,
            env={**os.environ, "FORDRING_OUTBOX": str(self.folder / "outbox")},
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.processes[name] = process
        return process

    def sample(self) -> None:
        alive = {n: p for n, p in self.processes.items() if p.poll() is None}
        trees = {p.pid: descendants(p.pid) for p in alive.values()}
        for name, process in alive.items():
            own = _kb(process.pid, "VmHWM")
            tree = _kb(process.pid, "VmRSS") + sum(_kb(c, "VmRSS") for c in trees[process.pid])
            self.peak_own_kb[name] = max(self.peak_own_kb.get(name, 0), own)
            self.peak_tree_kb[name] = max(self.peak_tree_kb.get(name, 0), tree)
            self.cpu.read([process.pid, *trees[process.pid]])

    def kill(self, name: str) -> None:
        self.processes[name].send_signal(signal.SIGKILL)
        self.processes[name].wait(30)

    def stop(self) -> None:
        """SIGTERM to each: it finishes its running jobs, then exits."""
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for name, process in self.processes.items():
            try:
                process.wait(120)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(30)
                print(f"worker {name} did not stop within 120 s: killed", file=sys.stderr)

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text()

    def logs(self, last: int = 40) -> str:
        out = []
        for log in sorted(self.folder.glob("*.log")):
            out += [f"--- {log.name}", *log.read_text().splitlines()[-last:]]
        return "\n".join(out)


def backends(db: Database) -> list[int]:
    """The PostgreSQL server processes serving the database now (on this machine)."""
    return [
        int(pid)
        for pid in db.connection.execute(
            text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        ).scalars()
    ]


def workers_ready(db: Database, count: int, timeout: float = 120.0) -> bool:
    """Whether `count` workers have registered with the queue (procrastinate_workers)."""
    return wait_for(
        lambda: db.scalar("SELECT count(*) FROM procrastinate_workers") >= count, timeout
    )


def migrated_template(label: str) -> str:
    """An empty fordring database (`fordring init`'s schema, the queue's too), built once
    per set of migrations, to copy."""
    from fordring import bootstrap

    versions = Path(bootstrap.__file__).parent / "adapters" / "db" / "migrations" / "versions"
    key = hashlib.sha256(" ".join(sorted(p.name for p in versions.glob("*.py"))).encode())
    name = database_name(f"{label}_t_{key.hexdigest()[:10]}")
    if not database_exists(name):
        drop(name + "_building")
        admin(f"CREATE DATABASE {name}_building")
        url = POSTGRES + name + "_building"
        forget_database(url)
        bootstrap.migrate(url)
        forget_database(url)
        admin(f"ALTER DATABASE {name}_building RENAME TO {name}")
    return name


def bench_worker(url: str) -> Callable[[str], list[str]]:
    """The command line of a `fordring worker` that also knows bench_tasks.py's tasks."""
    script = str(BENCH / "bench_tasks.py")
    return lambda name: [sys.executable, script, "--db", url, "worker", "--name", name]


def exit_on_sigterm() -> None:
    """SIGTERM to the benchmark ends it through its `finally`s: its workers are stopped and
    not left running on their own."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
