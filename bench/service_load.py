"""Load test of the HTTP service on loopback: throughput, latency, a list swap mid-run, memory per worker.

What a deployment sizes on: how many yente-style `/match` requests `clearance serve`
answers per second on this machine's two cores, at what latency, and whether a list
swap under load (an operator's roll-back through `POST /admin/activate/{id}`) costs
any request. The home holds every real list of the shared mirror and two UN
snapshots, with the index of both list versions kept before the run, so the swap
measures the swap and not an index build.

The client must not take the workers' CPU: it is one process, asyncio (uvloop when
installed) over raw HTTP/1.1 keep-alive connections, one per concurrent slot, with
every request's bytes built before the clock starts; its own CPU time is reported.
Names are drawn with a fixed seed from the party dev set (`party_devset.py`):
listed persons (their listed names, real aliases and made variants) and synthetic
non-listed people of OpenSanctions' fixtures, in a child process, so the client's
heap stays small.

    .venv/bin/python bench/service_load.py [--workers 2] [--requests 20000] [--concurrency 8]
        [--endpoint match|party] [--home DIR] [--py-spy]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Callable, Coroutine
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
CACHE = BENCH / ".cache"
LISTS = BENCH.parents[1] / "shared" / "data" / "lists"
OLDER_UN = LISTS / "un" / "UN_consolidated_2025-11-20.xml"
PEERS = tuple(
    BENCH.parents[1] / "shared" / "data" / "peers" / "opensanctions" / "screening-fixtures" / name
    for name in ("negatives_global.csv", "negatives_us.csv")
)
"""OpenSanctions' synthetic people on no list: 25,000 of every script and 50,000 US-style."""
CLI = str(Path(sys.executable).with_name("clearance"))
SEED = 20261205
YENTE_SCALING = "https://yente.followthemoney.tech/deploy/scaling/"
YENTE_PER_VCPU = 4.0
"""yente's rough figure for /match with logic-v2 and YENTE_MATCH_CANDIDATES=10 on one GCE N4 vCPU."""
TARGETS = {"throughput": 500.0, "p99_ms": 50.0, "errors": 0, "worker_mb": 300.0}

try:
    import orjson

    loads: Callable[[bytes], Any] = orjson.loads
except ImportError:  # the standard library parses the same bodies, a little slower
    loads = json.loads


# --- the home -------------------------------------------------------------------------------------------------------


def cli(home: Path, *args: str, ok: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess[str]:
    """One `clearance` command on the home; a failure stops the bench with the command's own message."""
    env = {**os.environ, "CLEARANCE_HOME": str(home), "CLEARANCE_LIST_DIR": str(LISTS)}
    done = subprocess.run([CLI, *args], env=env, capture_output=True, text=True, check=False)
    if done.returncode not in ok:
        raise SystemExit(f"clearance {' '.join(args)}: exit {done.returncode}\n{done.stderr.strip()}")
    return done


def un_snapshots(home: Path) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads(cli(home, "lists", "snapshots", "un", "--json").stdout)
    return found


@dataclass
class Home:
    path: Path
    serving_snapshot: int
    """The active UN snapshot when the run starts."""
    swap_snapshot: int
    """The other UN snapshot, activated at half the run."""
    versions: dict[str, str] = field(default_factory=dict)
    """List-version digest -> the index file kept for it, for both versions."""
    prepared_s: float = 0.0


def prepare_home(path: Path, fresh: bool) -> Home:
    """Every list of the mirror, two UN snapshots, and the kept index of the version with each.

    Activating a snapshot keeps its version's index (built once, then found), so activating
    the other UN snapshot and the serving one again leaves both indexes on disk.
    """
    started = time.perf_counter()
    if fresh or not (path / "lists.sqlite").exists():
        cli(path, "lists", "load", "un", str(OLDER_UN))
        cli(path, "lists", "update")
    elif len(un_snapshots(path)) < 2:  # an older file is stored but held back (exit 4): all the run needs
        cli(path, "lists", "load", "un", str(OLDER_UN), ok=(0, 4))
    snapshots = un_snapshots(path)
    active = next(s["id"] for s in snapshots if s["active"])
    other = max(s["id"] for s in snapshots if not s["active"])
    cli(path, "lists", "activate", str(other))
    cli(path, "lists", "activate", str(active))
    with ProcessPoolExecutor(max_workers=1) as pool:
        versions = pool.submit(kept_indexes, path, (active, other)).result()
    return Home(path, active, other, versions, time.perf_counter() - started)


def kept_indexes(home: Path, un_ids: tuple[int, ...]) -> dict[str, str]:
    """The digest and index file of the list version with each UN snapshot (the others as active); run in a child."""
    from clearance.matching.persisted import index_path
    from clearance.store import ListStore
    from clearance.store.list_version import ListVersion

    found = {}
    with ListStore(home / "lists.sqlite", create=False) as store:
        active = ListVersion.active(store)
        for un in un_ids:
            snapshots = tuple(store.snapshot(un) if s.source == "un" else s for s in active.snapshots)
            version = ListVersion(snapshots)
            path = index_path(store, version)
            if not path.is_file():
                raise SystemExit(f"no kept index for list version {version.digest} (UN snapshot {un}): {path}")
            found[version.digest] = path.name
    return found


# --- the names ------------------------------------------------------------------------------------------------------


def draw_names(count: int, listed_share: float, seed: int) -> tuple[list[tuple[str, bool]], dict[str, int]]:
    """`count` (name, listed) pairs: listed persons' names and dev-set variants, and non-listed synthetic people.

    Persons only, as the requests say `"schema": "Person"`. Run in a child process: the lists parsed
    here would otherwise stay in the client's heap, and its garbage collections in its CPU time.
    """
    sys.path.insert(0, str(BENCH))
    import party_devset as devset
    from clearance.model import EntityKind, NameQuality

    entities = devset.load_entities(LISTS)
    positives = [q for q in devset.positives(entities, seed) if q.kind == EntityKind.PERSON.value]
    sampled = {q.expected[0] for q in positives}
    primary = [
        n.full for e in entities if e.id in sampled for n in e.names if n.quality is NameQuality.PRIMARY
    ]  # the listed name itself, beside the dev set's aliases and variants of it
    listed = sorted({*primary, *(q.text for q in positives)})
    keys = devset.listed_keys(entities)
    people = [q for path in PEERS for q in devset.peer_negatives(path, seed)]
    others = sorted({q.text for q in people if keys.isdisjoint(devset.name_keys(q.text))})
    rng = random.Random(seed)
    drawn = [
        (rng.choice(listed), True) if rng.random() < listed_share else (rng.choice(others), False) for _ in range(count)
    ]
    return drawn, {"listed_pool": len(listed), "non_listed_pool": len(others)}


def request_bytes(endpoint: str, name: str, host: str, auth: str | None) -> bytes:
    if endpoint == "match":
        path = "/match/default"
        body: dict[str, Any] = {"queries": {"q": {"schema": "Person", "properties": {"name": [name]}}}}
    else:
        path = "/screen/party"
        body = {"name": name, "type": "person"}
    payload = json.dumps(body).encode()
    head = f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
    if auth:
        head += f"Authorization: ApiKey {auth}\r\n"
    return f"{head}Content-Length: {len(payload)}\r\n\r\n".encode() + payload


# --- the server -----------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def admin_key(home: Path) -> str | None:
    """An admin API key made in the home, once `clearance keys` exists; None before (the run then goes without)."""
    probe = subprocess.run([CLI, "keys", "--help"], capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        return None
    made = json.loads(
        cli(home, "keys", "create", "--role", "admin", "--label", "bench/service_load.py", "--json").stdout
    )
    for name in ("key", "api_key", "secret", "token"):
        if isinstance(made.get(name), str):
            key: str = made[name]
            return key
    raise SystemExit(f"clearance keys create --json: no key among {sorted(made)}")


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def worker_pids(server: int) -> list[int]:
    """The uvicorn workers: the server's spawned children, not multiprocessing's resource tracker."""
    found = []
    for pid in children(server):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"resource_tracker" not in command:
            found.append(pid)
    return sorted(found)


def get(port: int, path: str, auth: str | None, timeout: float = 5.0) -> tuple[int, dict[str, Any]]:
    """A GET outside the measured run (readiness, the versions served): the standard library will do."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    if auth:
        request.add_header("Authorization", f"ApiKey {auth}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def start_server(
    home: Path, port: int, workers: int, auth: str | None, log: Path, max_requests: int | None = None
) -> subprocess.Popen[bytes]:
    recycling = {"CLEARANCE_WORKER_MAX_REQUESTS": str(max_requests)} if max_requests is not None else {}
    env = {
        **os.environ,
        **recycling,
        "CLEARANCE_HOME": str(home),
        "CLEARANCE_LIST_DIR": str(LISTS),
        "CLEARANCE_RATE_LIMIT": "0",
        "CLEARANCE_SERVICE_AUTH": "1" if auth else "0",
    }
    with log.open("wb") as out:
        return subprocess.Popen(
            [CLI, "serve", "--port", str(port), "--workers", str(workers)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_ready(server: subprocess.Popen[bytes], port: int, workers: int, auth: str | None, log: Path) -> float:
    """Seconds until `/readyz` answers 200 and every worker is up."""
    started = time.perf_counter()
    while time.perf_counter() - started < 120:
        if server.poll() is not None:
            raise SystemExit(f"clearance serve exited {server.returncode}:\n{log.read_text()[-3000:]}")
        try:
            status, _ = get(port, "/readyz", auth, timeout=2)
        except (OSError, ValueError):
            status = 0
        if status == 200 and len(worker_pids(server.pid)) >= workers:
            return time.perf_counter() - started
        time.sleep(0.2)
    raise SystemExit(f"clearance serve not ready after 120 s:\n{log.read_text()[-3000:]}")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the server (uvicorn stops its workers); its process group, which this bench made, after 20 s."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def memory(pid: int) -> dict[str, float]:
    """MB from smaps_rollup: RSS counts the shared index file in full in every worker, PSS a share of it, USS none;
    empty for a worker that has been replaced meanwhile."""
    fields: dict[str, float] = {}
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return {}
    for line in rollup.splitlines()[1:]:
        name, _, rest = line.partition(":")
        fields[name] = int(rest.split()[0]) / 1024
    return {
        "rss_mb": fields.get("Rss", 0.0),
        "pss_mb": fields.get("Pss", 0.0),
        "uss_mb": fields.get("Private_Clean", 0.0) + fields.get("Private_Dirty", 0.0),
        "pss_anon_mb": fields.get("Pss_Anon", 0.0),
        "pss_file_mb": fields.get("Pss_File", 0.0),
    }


def cpu_seconds(pid: int) -> tuple[float, float]:
    """User and system CPU seconds of a process (system time includes the kernel's loopback TCP work); none for a
    worker that has been replaced meanwhile."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0, 0.0
    parts = stat[stat.rindex(")") + 2 :].split()
    tick = os.sysconf("SC_CLK_TCK")
    return int(parts[11]) / tick, int(parts[12]) / tick


def busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (every core, every process), from /proc/stat."""
    user, nice, system, _idle, _iowait, irq, softirq = (int(v) for v in Path("/proc/stat").read_text().split()[1:8])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def connection_owners(port: int, workers: list[int], ports: list[int]) -> dict[int, int]:
    """Client port -> the worker pid holding the other end: which worker each slot's connection landed on.

    uvicorn's workers accept from one shared socket, so the kernel decides, once per connection.
    """
    inodes = {}
    for pid in workers:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes[target[8:-1]] = pid
    owners = {}
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        cols = line.split()
        local, remote, inode = cols[1], cols[2], cols[9]
        client = int(remote.split(":")[1], 16)
        if int(local.split(":")[1], 16) == port and inode in inodes and client in ports:
            owners[client] = inodes[inode]
    return owners


# --- the client -----------------------------------------------------------------------------------------------------


@dataclass
class Swap:
    at_request: int
    snapshot_id: int
    sent_s: float = 0.0
    """Seconds into the run when the activation was sent."""
    took_ms: float = 0.0
    status: int = 0
    detail: str = ""


@dataclass
class Run:
    latencies_ms: list[float]
    done_s: list[float]
    """When each response completed, seconds into the run."""
    digests: list[str | None]
    statuses: list[int]
    bad: list[str]
    """Why a response was an error: its status or a body without results (first 20 kept)."""
    workers_of: list[int]
    """The worker pid each response came from (by its connection); 0 when not known."""
    owners: dict[int, int] = field(default_factory=dict)
    """Client port -> worker pid, for the connections opened first."""
    wall_s: float = 0.0
    errors: int = 0
    reconnects: int = 0
    connect_attempts: int = 0
    memory: list[tuple[float, int, float]] = field(default_factory=list)
    """(seconds into the run, worker pid, PSS MB), every 2 s: whether a worker's memory still grows."""


class Conn:
    """One keep-alive connection; a closed one is reopened and counted."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.local_port = 0

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.local_port = self.writer.get_extra_info("sockname")[1]

    async def exchange(self, payload: bytes) -> tuple[int, bytes]:
        """Send one request, read one response framed by Content-Length (or chunks)."""
        assert self.reader is not None and self.writer is not None
        self.writer.write(payload)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        lower = head.lower()
        at = lower.find(b"\r\ncontent-length:")
        if at >= 0:
            end = lower.index(b"\r\n", at + 2)
            body = await self.reader.readexactly(int(head[at + 17 : end]))
        elif b"transfer-encoding: chunked" in lower:
            parts = []
            while size := int((await self.reader.readuntil(b"\r\n"))[:-2].split(b";")[0], 16):
                parts.append((await self.reader.readexactly(size + 2))[:-2])
            await self.reader.readuntil(b"\r\n")
            body = b"".join(parts)
        else:
            raise ConnectionError("a response without Content-Length")
        if b"\r\nconnection: close" in lower:
            await self.close()
        return status, body

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except OSError:
                pass
        self.reader = self.writer = None


def check(endpoint: str, status: int, body: bytes) -> tuple[str | None, str | None]:
    """The list-version digest a response carries, and why it is an error (None when it is not)."""
    if status != 200:
        return None, f"status {status}: {body[:200]!r}"
    try:
        data = loads(body)
        if endpoint == "match":
            answer = data["responses"]["q"]
            if answer.get("status", 200) != 200:  # a query refused inside an answer that is 200 as a whole
                return None, f"query status {answer.get('status')}: {answer.get('detail')}"
            results = answer["results"]
        else:
            results = data["hits"]
        if not isinstance(results, list):
            return None, "results not a list"
        version = data.get("list_version")
        digest = version.get("digest") if isinstance(version, dict) else version
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        return None, f"bad body ({type(exc).__name__}: {exc}): {body[:200]!r}"
    return digest if isinstance(digest, str) else None, None


async def load(
    port: int,
    endpoint: str,
    payloads: list[bytes],
    concurrency: int,
    swap: Swap | None,
    auth: str | None,
    workers: list[int],
    balanced: bool = False,
    server: int | None = None,
) -> Run:
    """Send every payload over `concurrency` connections, each slot taking the next request when it has its answer;
    with `workers`, note which worker each connection landed on and sample their memory."""
    count = len(payloads)
    run = Run([0.0] * count, [0.0] * count, [None] * count, [0] * count, [], [0] * count)
    conns, owners, run.connect_attempts = await connect(port, concurrency, workers, balanced)
    run.owners = owners
    next_request = 0
    swap_task: asyncio.Task[None] | None = None
    started = time.perf_counter()

    async def activate() -> None:
        assert swap is not None
        conn = Conn(port)
        await conn.open()
        head = f"POST /admin/activate/{swap.snapshot_id} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\n"
        if auth:
            head += f"Authorization: ApiKey {auth}\r\n"
        swap.sent_s = time.perf_counter() - started
        status, body = await conn.exchange((head + "\r\n").encode())
        swap.took_ms = (time.perf_counter() - started - swap.sent_s) * 1000
        swap.status, swap.detail = status, body[:300].decode("utf-8", "replace")
        await conn.close()

    async def slot(conn: Conn) -> None:
        nonlocal next_request, swap_task
        worker = owners.get(conn.local_port, 0)
        while next_request < count:
            i = next_request
            next_request += 1
            if swap is not None and i == swap.at_request:
                swap_task = asyncio.create_task(activate())
            sent = time.perf_counter()
            try:
                if conn.writer is None:
                    await conn.open()
                    run.reconnects += 1
                    worker = 0
                status, body = await conn.exchange(payloads[i])
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
                status, body = 0, repr(exc).encode()
                await conn.close()
            done = time.perf_counter()
            run.latencies_ms[i] = (done - sent) * 1000
            run.done_s[i] = done - started
            run.statuses[i] = status
            run.workers_of[i] = worker
            digest, problem = check(endpoint, status, body)
            run.digests[i] = digest
            if problem is not None:
                run.errors += 1
                if len(run.bad) < 20:
                    run.bad.append(f"request {i}: {problem}")

    async def sample() -> None:
        """Every worker's PSS each second, replacements included (uvicorn replaces a worker after its
        `CLEARANCE_WORKER_MAX_REQUESTS`)."""
        while True:
            for pid in worker_pids(server) if server is not None else workers:
                if found := memory(pid):
                    run.memory.append((time.perf_counter() - started, pid, found["pss_mb"]))
            await asyncio.sleep(1.0)

    sampler = asyncio.create_task(sample())
    await asyncio.gather(*(slot(c) for c in conns))
    run.wall_s = time.perf_counter() - started
    sampler.cancel()
    if swap_task is not None:
        await swap_task
    await asyncio.gather(*(c.close() for c in conns))
    return run


async def connect(port: int, count: int, workers: list[int], balanced: bool) -> tuple[list[Conn], dict[int, int], int]:
    """`count` keep-alive connections opened one after another, each answered once (so a worker has accepted it),
    with the worker each landed on; and how many were opened.

    uvicorn's workers accept from one shared socket, so the kernel and the workers' accept loops decide where a
    connection goes, and one worker may take most of them. `balanced` closes a connection that lands on a worker
    holding its share already and opens another, as a proxy spreading its upstream connections would: the run then
    measures what the workers can do, not where the connections fell.
    """
    probe = f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    share = -(-count // len(workers)) if workers else count
    conns: list[Conn] = []
    owners: dict[int, int] = {}
    attempts = 0
    while len(conns) < count:
        conn = Conn(port)
        await conn.open()
        await conn.exchange(probe)
        attempts += 1
        owner = connection_owners(port, workers, [conn.local_port]).get(conn.local_port, 0) if workers else 0
        held = sum(1 for o in owners.values() if o == owner)
        if balanced and owner and held >= share and attempts < 100 * count:
            await conn.close()
            continue
        owners[conn.local_port] = owner
        conns.append(conn)
    return conns, owners, attempts


def run_loop(main: Coroutine[Any, Any, Run]) -> Run:
    try:
        import uvloop

        return uvloop.run(main)
    except ImportError:
        return asyncio.run(main)


# --- the report -----------------------------------------------------------------------------------------------------


def percentile(ordered: list[float], q: float) -> float:
    """Nearest rank: the value at or below which q of the values lie."""
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


def latency(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "p50_ms": percentile(ordered, 0.50),
        "p90_ms": percentile(ordered, 0.90),
        "p99_ms": percentile(ordered, 0.99),
        "max_ms": ordered[-1] if ordered else float("nan"),
        "n": len(ordered),
    }


def versions_seen(run: Run) -> dict[str, dict[str, float]]:
    """Per list version: responses, and when the first and last of them completed (seconds into the run)."""
    seen: dict[str, dict[str, float]] = {}
    for digest, done in zip(run.digests, run.done_s, strict=True):
        key = digest or "(none)"
        row = seen.setdefault(key, {"responses": 0, "first_s": done, "last_s": done})
        row["responses"] += 1
        row["first_s"] = min(row["first_s"], done)
        row["last_s"] = max(row["last_s"], done)
    return seen


def summarise_profile(path: Path, ms_per_request: float, top: int = 20) -> dict[str, list[tuple[str, float, float]]]:
    """Where a worker's time went, from py-spy's collapsed stacks: the functions running (self) and clearance's own
    functions with all they call (inclusive), each as a share of the samples and in ms per request.

    `ms_per_request`, the worker's CPU time per request, turns a share into milliseconds (py-spy samples a thread
    that runs or waits for a core alike, so on a busy machine this spreads the waits over the functions).
    """
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = stack.split(";")
        for frame in set(frames):
            inclusive[frame] += n
        own[frames[-1]] += n
    if not total:
        return {}

    def rows(counts: Counter[str], keep: Callable[[str], bool]) -> list[tuple[str, float, float]]:
        found = [(frame, n) for frame, n in counts.most_common() if keep(frame)][:top]
        return [(frame, 100 * n / total, n / total * ms_per_request) for frame, n in found]

    return {
        "self": rows(own, lambda frame: True),
        "inclusive": rows(inclusive, lambda frame: "clearance/" in frame or "fastapi/routing" in frame),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, help="a home with the lists loaded (default: a fresh one under /tmp)")
    parser.add_argument("--keep-home", action="store_true", help="keep the fresh home made under /tmp")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=1_000, help="requests sent first and not counted")
    parser.add_argument("--endpoint", choices=("match", "party"), default="match")
    parser.add_argument("--listed-share", type=float, default=0.5, help="share of names that are listed persons'")
    parser.add_argument("--no-swap", action="store_true", help="no list swap at half the requests")
    parser.add_argument(
        "--balanced",
        action="store_true",
        help="spread the connections evenly over the workers (re-opening those that land on a full one)",
    )
    parser.add_argument(
        "--max-requests",
        type=int,
        help="CLEARANCE_WORKER_MAX_REQUESTS for the service (default: the service's own; 0: never replace a worker)",
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--py-spy", action="store_true", help="profile every worker with py-spy during the run")
    parser.add_argument("--out", type=Path, default=CACHE / "service_load.json")
    args = parser.parse_args()
    CACHE.mkdir(parents=True, exist_ok=True)

    fresh = args.home is None
    home_path = Path(tempfile.mkdtemp(prefix="clearance-load-", dir="/tmp")) if fresh else args.home.resolve()
    with ProcessPoolExecutor(max_workers=1) as pool:  # names drawn while the home is made
        drawing = pool.submit(draw_names, args.warmup + args.requests, args.listed_share, args.seed)
        home = prepare_home(home_path, fresh)
        names, pools = drawing.result()
    auth = admin_key(home.path)
    port = free_port()
    host = f"127.0.0.1:{port}"
    payloads = [request_bytes(args.endpoint, name, host, auth) for name, _ in names]
    listed_count = sum(listed for _, listed in names[args.warmup :])
    print(
        f"home {home.path} ready in {home.prepared_s:.0f} s: UN snapshot {home.serving_snapshot} serving, "
        f"{home.swap_snapshot} to swap to; kept indexes {home.versions}",
        flush=True,
    )

    log = CACHE / "service_load.log"
    server = start_server(home.path, port, args.workers, auth, log, args.max_requests)
    report: dict[str, Any] = {}
    try:
        ready_s = wait_ready(server, port, args.workers, auth, log)
        workers = worker_pids(server.pid)
        probe = run_loop(load(port, args.endpoint, payloads[:1], 1, None, auth, []))
        if probe.errors:
            hint = " (no /match route yet? try --endpoint party)" if probe.statuses[0] == 404 else ""
            raise SystemExit(f"the first request failed{hint}: {probe.bad}")
        if args.warmup:
            warm = run_loop(load(port, args.endpoint, payloads[: args.warmup], args.concurrency, None, auth, []))
            print(f"warm-up: {args.warmup} requests in {warm.wall_s:.1f} s, {warm.errors} errors", flush=True)
        _, before = get(port, "/readyz", auth)
        swap = None if args.no_swap else Swap(args.requests // 2, home.swap_snapshot)
        profilers = []
        if args.py_spy:
            spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
            if not Path(spy).is_file():
                raise SystemExit("--py-spy: no py-spy here; `.venv/bin/pip install py-spy` first")
            profilers = [
                subprocess.Popen(
                    [spy, "record", "--pid", str(pid), "--rate", "200", "--nonblocking", "--format", "raw"]
                    + ["--output", str(CACHE / f"service_load_{pid}.txt")],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                for pid in workers
            ]
            time.sleep(1)
        memory_before = {pid: memory(pid) for pid in workers}
        cpu_before = {pid: cpu_seconds(pid) for pid in workers}
        machine_before = busy_seconds()
        gc.collect()
        gc.freeze()
        usage_before = resource.getrusage(resource.RUSAGE_SELF)
        run = run_loop(
            load(
                port,
                args.endpoint,
                payloads[args.warmup :],
                args.concurrency,
                swap,
                auth,
                workers,
                args.balanced,
                server.pid,
            )
        )
        usage_after = resource.getrusage(resource.RUSAGE_SELF)
        cpu_after = {pid: cpu_seconds(pid) for pid in workers}
        machine_busy = busy_seconds() - machine_before
        for profiler in profilers:  # py-spy writes its file when interrupted
            profiler.send_signal(signal.SIGINT)
            profiler.wait(timeout=60)
        time.sleep(0.5)
        memory_of = {pid: memory(pid) for pid in workers}
        after = [get(port, "/readyz", auth)[1] for _ in range(4 * args.workers)]
        job = get(port, "/lists", auth)[1].get("update")
        client_cpu = (usage_after.ru_utime - usage_before.ru_utime) + (usage_after.ru_stime - usage_before.ru_stime)
        report = build_report(args, home, pools, listed_count, ready_s, run, swap, before, after)
        report["client_cpu_s"] = client_cpu
        report["machine_busy_s"] = machine_busy
        if swap is not None:
            report["swap_job"] = job
        peaks: dict[int, float] = {}
        for _, pid, mb in run.memory:
            peaks[pid] = max(peaks.get(pid, 0.0), mb)
        report["peak_pss_mb"] = max(peaks.values(), default=0.0)
        report["worker_processes"] = {str(pid): round(mb, 1) for pid, mb in peaks.items()}
        report["replaced_workers"] = len(set(peaks) | set(workers)) - args.workers
        workers = [pid for pid in workers if memory_of[pid]]  # those not replaced during the run
        report["workers"] = {
            str(pid): {
                **memory_of[pid],
                "before_run": memory_before[pid],
                "pss_during_run": [(round(t, 1), round(mb, 1)) for t, w, mb in run.memory if w == pid],
                "cpu_s": sum(cpu_after[pid]) - sum(cpu_before[pid]),
                "cpu_sys_s": cpu_after[pid][1] - cpu_before[pid][1],
                "connections": sum(1 for owner in run.owners.values() if owner == pid),
                **latency([ms for ms, w in zip(run.latencies_ms, run.workers_of, strict=True) if w == pid]),
            }
            for pid in workers
        }
        report["server_parent"] = memory(server.pid)
        if profilers:
            report["profiles"] = {}
            for pid in workers:
                path = CACHE / f"service_load_{pid}.txt"
                row = report["workers"][str(pid)]
                if path.is_file():
                    report["profiles"][str(pid)] = summarise_profile(path, 1000 * row["cpu_s"] / max(1, row["n"]))

    finally:
        stop_server(server)
        if fresh and not args.keep_home:
            shutil.rmtree(home.path, ignore_errors=True)
        elif report.get("swap", {}).get("status") in (200, 202):
            cli(home.path, "lists", "activate", str(home.serving_snapshot))  # the home as it was given
    args.out.write_text(json.dumps(report, indent=2, default=str))
    print_report(report)
    print(f"-> {args.out}; server log {log}")


def build_report(
    args: argparse.Namespace,
    home: Home,
    pools: dict[str, int],
    listed: int,
    ready_s: float,
    run: Run,
    swap: Swap | None,
    before: dict[str, Any],
    after: list[dict[str, Any]],
) -> dict[str, Any]:
    overall = latency(run.latencies_ms)
    report: dict[str, Any] = {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "machine": {
            "cpus": os.cpu_count(),
            "affinity": len(os.sched_getaffinity(0)),
            "python": sys.version.split()[0],
            "load_average": os.getloadavg(),
        },
        "endpoint": args.endpoint,
        "workers_n": args.workers,
        "concurrency": args.concurrency,
        "requests": len(run.latencies_ms),
        "listed_requests": listed,
        "name_pools": pools,
        "warmup": args.warmup,
        "ready_s": ready_s,
        "wall_s": run.wall_s,
        "throughput": len(run.latencies_ms) / run.wall_s,
        "latency": overall,
        "errors": run.errors,
        "reconnects": run.reconnects,
        "balanced": args.balanced,
        "connect_attempts": run.connect_attempts,
        "statuses": dict(Counter(run.statuses)),
        "bad": run.bad,
        "versions": versions_seen(run),
        "kept_indexes": home.versions,
        "readyz_before": before,
        "readyz_after": sorted({json.dumps(a, sort_keys=True) for a in after}),
    }
    if swap is not None:
        report["swap"] = asdict(swap)
        report.update(swap_window(run, swap, before.get("list_version")))
    per_second: dict[int, list[float]] = defaultdict(list)
    for ms, done in zip(run.latencies_ms, run.done_s, strict=True):
        per_second[int(done)].append(ms)
    report["per_second"] = {
        s: {"n": len(v), "p99_ms": percentile(sorted(v), 0.99)} for s, v in sorted(per_second.items())
    }
    return report


def swap_window(run: Run, swap: Swap, old: str | None) -> dict[str, Any]:
    """The requests answered while the swap went on: from the activation request until 2 s after the later of
    the first answer from the new version and the last from the old one (when the slower worker swapped)."""
    rows = list(zip(run.done_s, run.latencies_ms, run.statuses, run.digests, strict=True))
    last_old = max((done for done, _, _, digest in rows if digest == old), default=swap.sent_s)
    first_new = min((done for done, _, _, digest in rows if digest not in (old, None)), default=None)
    end = max(last_old, first_new if first_new is not None else run.wall_s) + 2.0
    inside = [row for row in rows if swap.sent_s <= row[0] <= end]
    outside = [row for row in rows if not swap.sent_s <= row[0] <= end]
    return {
        "swap_first_new_s": first_new,
        "swap_last_old_s": last_old,
        "swap_window": {
            "from_s": swap.sent_s,
            "to_s": min(end, run.wall_s),
            **latency([ms for _, ms, _, _ in inside]),
            "errors": sum(1 for _, _, status, digest in inside if status != 200 or digest is None),
        },
        "outside_swap_window": latency([ms for _, ms, _, _ in outside]),
    }


def print_report(report: dict[str, Any]) -> None:
    if not report:
        return
    lat = report["latency"]
    rate = report["throughput"]
    cpus = report["machine"]["cpus"] or 1
    workers = report["workers"]
    print(
        f"\n{report['requests']:,} POST {'/match/default' if report['endpoint'] == 'match' else '/screen/party'}"
        f" ({report['listed_requests']:,} listed names), {report['workers_n']} workers, "
        f"{report['concurrency']} connections, {report['machine']['cpus']} CPUs"
    )
    print(f"throughput      {rate:,.0f} requests/s ({report['wall_s']:.1f} s)")
    print(
        f"latency         p50 {lat['p50_ms']:.1f} ms, p90 {lat['p90_ms']:.1f} ms, p99 {lat['p99_ms']:.1f} ms, "
        f"max {lat['max_ms']:.1f} ms"
    )
    print(f"errors          {report['errors']} (statuses {report['statuses']}, reconnects {report['reconnects']})")
    for line in report["bad"][:5]:
        print(f"                {line}")
    if "swap" in report:
        swap = report["swap"]
        window = report["swap_window"]
        job = report.get("swap_job") or {}
        first_new = report["swap_first_new_s"]
        seen = "none within the run" if first_new is None else f"at {first_new:.1f} s"
        print(
            f"swap            POST /admin/activate/{swap['snapshot_id']} at request {swap['at_request']:,} "
            f"({swap['sent_s']:.1f} s): {swap['status']} in {swap['took_ms']:.0f} ms, job {job.get('state')}; "
            f"first answer from the new version {seen}, last from the old at {report['swap_last_old_s']:.1f} s"
        )
        print(
            f"swap window     {window['from_s']:.1f} to {window['to_s']:.1f} s: {window['n']:,} requests, "
            f"p50 {window['p50_ms']:.1f} ms, p99 {window['p99_ms']:.1f} ms, max {window['max_ms']:.1f} ms, "
            f"{window['errors']} errors; outside it p99 {report['outside_swap_window']['p99_ms']:.1f} ms"
        )
    for digest, row in report["versions"].items():
        print(
            f"list version    {digest}: {row['responses']:,} responses, {row['first_s']:.1f} s to {row['last_s']:.1f} s"
        )
    print(f"readyz after    {', '.join(report['readyz_after'])}")
    for pid, row in workers.items():
        growth = 1000 * (row["pss_mb"] - row["before_run"]["pss_mb"]) / max(1, row["n"])
        print(
            f"worker {pid:<8} RSS {row['rss_mb']:.0f} MB, PSS {row['pss_mb']:.0f} MB (file {row['pss_file_mb']:.0f}), "
            f"USS {row['uss_mb']:.0f} MB (before the run: PSS {row['before_run']['pss_mb']:.0f}, "
            f"USS {row['before_run']['uss_mb']:.0f}; +{growth:.1f} MB PSS per 1,000 requests); "
            f"CPU {row['cpu_s']:.1f} s ({row['cpu_sys_s']:.1f} s system); "
            f"{row['connections']} connections, {row['n']:,} requests, "
            f"p50 {row['p50_ms']:.1f} ms, p99 {row['p99_ms']:.1f} ms"
        )
    print(
        f"memory          peak PSS of any worker process {report['peak_pss_mb']:.0f} MB; "
        f"{report['replaced_workers']} worker(s) replaced during the run (CLEARANCE_WORKER_MAX_REQUESTS)"
    )
    worker_cpu = sum(row["cpu_s"] for row in workers.values())
    client = report["client_cpu_s"]
    others = report["machine_busy_s"] - worker_cpu - client
    print(
        f"CPU             client {client:.1f} s ({100 * client / report['wall_s']:.0f} % of one core); "
        f"workers {worker_cpu:.1f} s ({1000 * worker_cpu / report['requests']:.2f} ms per request); "
        f"other processes {max(0.0, others):.1f} s of the {cpus * report['wall_s']:.0f} s the machine had"
    )
    per_vcpu = rate / cpus
    print(
        f"yente           {per_vcpu:,.0f} requests/s per vCPU here against yente's ~{YENTE_PER_VCPU:.0f} per vCPU "
        f"(logic-v2, YENTE_MATCH_CANDIDATES=10, one GCE N4 vCPU; {YENTE_SCALING}): "
        f"{per_vcpu / YENTE_PER_VCPU:,.0f}x; other hardware, and yente's figure leaves Elasticsearch out"
    )
    worst = max((row["pss_mb"] for row in workers.values()), default=0.0)
    verdicts = [
        ("throughput", rate >= TARGETS["throughput"], f"{rate:,.0f} >= {TARGETS['throughput']:.0f}/s"),
        ("p99", lat["p99_ms"] <= TARGETS["p99_ms"], f"{lat['p99_ms']:.1f} <= {TARGETS['p99_ms']:.0f} ms"),
        ("errors", report["errors"] == 0, f"{report['errors']} == 0"),
        ("memory", worst <= TARGETS["worker_mb"], f"PSS {worst:.0f} <= {TARGETS['worker_mb']:.0f} MB per worker"),
    ]
    if "swap" in report:
        served = len(report["versions"])
        verdicts.insert(
            3, ("swap", served == 2, f"{served} list versions served, {report['swap_window']['errors']} errors")
        )
    print("targets         " + "; ".join(f"{n} {'met' if ok else 'MISSED'} ({s})" for n, ok, s in verdicts))
    for pid, profile in report.get("profiles", {}).items():
        for kind, rows in profile.items():
            print(f"\npy-spy, worker {pid}, {kind}: share of samples, ms of CPU per request")
            for frame, share, ms in rows:
                print(f"  {share:5.1f} % {ms:6.3f} ms  {frame[:140]}")


if __name__ == "__main__":
    main()
