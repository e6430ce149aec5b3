"""The benchmark's processes seen from outside: their cores, CPU time and memory (Linux /proc).

`plan_cores` splits the machine between the harness (load client, provider stand-in) and
the service under test with its Postgres, so that the harness, which stands for other
machines, does not queue the service behind itself (see benchmarks/load_standin.py).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CoreSplit:
    harness: frozenset[int]
    service: frozenset[int]

    def __str__(self) -> str:
        return (
            f"harness (client, stand-in) on cores {_cores(self.harness)}, "
            f"service and Postgres on cores {_cores(self.service)}"
        )


def _cores(cores: frozenset[int]) -> str:
    return ",".join(str(core) for core in sorted(cores))


def plan_cores(enabled: bool) -> CoreSplit | None:
    """The first half of this process's cores for the harness, the rest for the service;
    None when pinning is off, unsupported, or there is a single core to share."""
    if not enabled or not hasattr(os, "sched_setaffinity"):
        return None
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < 2:
        return None
    half = len(cores) // 2
    return CoreSplit(frozenset(cores[:half]), frozenset(cores[half:]))


def tree(pid: int) -> list[int]:
    """A process and all its descendants."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        pending.extend(int(child) for child in children)
    return found


def pin_tree(pid: int, cores: frozenset[int]) -> int:
    """Move every thread of a process and of its descendants to `cores` (children forked
    later inherit it). Returns how many processes were moved."""
    moved = 0
    for current in tree(pid):
        try:
            threads = [int(t) for t in os.listdir(f"/proc/{current}/task")]
        except FileNotFoundError:
            continue
        for thread in threads:
            try:
                os.sched_setaffinity(thread, cores)
            except (ProcessLookupError, PermissionError):
                continue
        moved += 1
    return moved


def postmaster_pid(pgdata: Path) -> int | None:
    """The embedded Postgres's main process, from its data directory's postmaster.pid."""
    try:
        return int((pgdata / "postmaster.pid").read_text().splitlines()[0])
    except (FileNotFoundError, ValueError, IndexError):
        return None


def lower_priority(pid: int) -> bool:
    """Whether any process of `pid`'s tree is nicer (runs at a lower priority) than this one."""
    mine = os.getpriority(os.PRIO_PROCESS, 0)
    for current in tree(pid):
        try:
            if os.getpriority(os.PRIO_PROCESS, current) > mine:
                return True
        except ProcessLookupError:
            continue
    return False


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process and its descendants, in seconds."""
    ticks = 0
    for current in tree(pid):
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB."""
    total = 0
    for current in tree(pid):
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(
                next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1]
            )
        except (FileNotFoundError, StopIteration, ProcessLookupError):
            continue
    return total / 1024
