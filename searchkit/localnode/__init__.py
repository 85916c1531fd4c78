"""A local OpenSearch cluster for searchkit's tests and for users without one: build the launcher in
``launcher/`` with Maven (the server jars come from Maven Central, cached in ``~/.m2``) and run one or two
nodes on 127.0.0.1, each in its own JVM, with the REST API and no security plugin.

Measured on a 2-core machine: the first build downloads ~110 MB in ~20 s; a node answers ~6 s after
its JVM starts. A node stops when its starter closes its standard input or dies (it never outlives it).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import EngineUnavailable

SOURCE = Path(__file__).resolve().parent / "launcher"
MAIN_CLASS = "org.searchkit.node.Launcher"
JAR = "searchkit-opensearch-node-1.0.jar"
#: Java heap of each node; ``SEARCHKIT_OPENSEARCH_HEAP`` overrides (e.g. ``2g`` for millions of paragraphs).
HEAP = "1g"
START_TIMEOUT = 120.0


def cache_root() -> Path:
    """Where built launchers live: ``$SEARCHKIT_CACHE`` or ``~/.cache/searchkit`` (never the source tree)."""
    return Path(os.environ.get("SEARCHKIT_CACHE") or Path.home() / ".cache" / "searchkit")


def _source_digest() -> str:
    digest = hashlib.sha1()
    for path in sorted([SOURCE / "pom.xml", *SOURCE.joinpath("src").rglob("*.java")]):
        digest.update(path.relative_to(SOURCE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def missing_tools() -> list[str]:
    """The programs a local node needs that are not on PATH (``java``, ``mvn``)."""
    return [tool for tool in ("java", "mvn") if shutil.which(tool) is None]


def _folder() -> Path:
    return cache_root() / f"opensearch-node-{_source_digest()}"


def is_built() -> bool:
    """True when this launcher source is built already (``build`` then only finds it)."""
    return (_folder() / JAR).is_file() and (_folder() / "lib").is_dir()


def build(quiet: bool = True) -> Path:
    """The folder holding the built launcher and its jars, building it first when the source changed.

    The build goes to a folder named by a digest of the launcher's source, so a changed launcher is
    rebuilt and an unchanged one is reused (a build with every jar cached takes ~10 s).
    """
    missing = missing_tools()
    if missing:
        raise EngineUnavailable(
            f"a local OpenSearch node needs {' and '.join(missing)} on PATH (Java 17 and Maven); install them, "
            "or point searchkit at an existing cluster with --url / SEARCHKIT_OPENSEARCH_URL"
        )
    folder = _folder()
    if is_built():
        return folder
    command = ["mvn", "-B", "-f", str(SOURCE / "pom.xml"), f"-Dbuild.dir={folder}", "package"]
    if quiet:
        command.insert(1, "-q")
    done = subprocess.run(command, capture_output=quiet, text=True)
    if done.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        tail = " ".join((done.stdout + done.stderr).split()[-40:]) if quiet else ""
        raise EngineUnavailable(f"building the OpenSearch launcher failed (mvn exit {done.returncode}): {tail}")
    return folder


def free_port(span: int = 1) -> int:
    """A free port on 127.0.0.1 whose next ``span - 1`` ports are free too (node i serves on port + i)."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            first = sock.getsockname()[1]
        if first + span <= 65535 and all(_bindable(first + i) for i in range(1, span)):
            return first


def _bindable(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


@dataclass
class LocalNode:
    """One running node: its process, ports and name."""

    name: str
    http_port: int
    transport_port: int
    process: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 60.0) -> None:
        """Stop the node cleanly (close its standard input), or kill it when it does not stop in time."""
        if self.process.stdin and not self.process.stdin.closed:
            self.process.stdin.close()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@dataclass
class LocalCluster:
    """Nodes started together on 127.0.0.1; the first is cluster manager, the others hold data only."""

    nodes: list[LocalNode] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.nodes[0].url

    def stop(self) -> None:
        for node in reversed(self.nodes):
            node.stop()

    def __enter__(self) -> LocalCluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start(
    data: Path | str,
    http_port: int = 9200,
    nodes: int = 1,
    cluster: str = "searchkit",
    heap: str | None = None,
    timeout: float = START_TIMEOUT,
    settings: dict[str, str] | None = None,
) -> LocalCluster:
    """Build if needed, start ``nodes`` nodes with their data under ``data`` and wait until the cluster
    has them all and is green or yellow. Node i serves HTTP on ``http_port + i``; ``settings`` are extra
    node settings (``{"thread_pool.write.queue_size": "2"}``)."""
    folder = build()
    data = Path(data).resolve()
    data.mkdir(parents=True, exist_ok=True)
    transports = [free_port() for _ in range(nodes)]
    names = [f"searchkit-{i + 1}" for i in range(nodes)]
    started = LocalCluster()
    try:
        for i in range(nodes):
            args = ["--http-port", str(http_port + i), "--transport-port", str(transports[i])]
            args += ["--data", str(data), "--name", names[i], "--cluster", cluster]
            if nodes > 1:
                args += ["--seeds", ",".join(f"127.0.0.1:{p}" for p in transports), "--managers", names[0]]
                args += ["--role", "cluster_manager" if i == 0 else "data"]
            for key, value in (settings or {}).items():
                args += ["--setting", f"{key}={value}"]
            started.nodes.append(_spawn(folder, names[i], http_port + i, transports[i], data, args, heap))
        wait_ready(started.url, nodes, timeout, started.nodes)
    except BaseException:
        started.stop()
        raise
    return started


def start_anywhere(data: Path | str, nodes: int = 1, attempts: int = 3, **options: Any) -> LocalCluster:
    """``start`` on free ports (tests, benchmarks). A port found free can be taken before the node binds
    it (another process's outgoing connection gets it from the same range): then new ports are tried."""
    for attempt in range(1, attempts + 1):
        folder = Path(data) if attempt == 1 else Path(data) / f"retry-{attempt}"  # no half-made cluster state
        try:
            return start(folder, http_port=free_port(nodes), nodes=nodes, **options)
        except EngineUnavailable as exc:
            if attempt == attempts or "bind" not in str(exc).lower():
                raise
    raise AssertionError("unreachable")


def _spawn(
    folder: Path, name: str, http_port: int, transport_port: int, data: Path, args: list[str], heap: str | None
) -> LocalNode:
    if _answers(f"http://127.0.0.1:{http_port}"):
        raise EngineUnavailable(f"port {http_port} already serves something; choose another with --port")
    heap = heap or os.environ.get("SEARCHKIT_OPENSEARCH_HEAP") or HEAP
    log = data / f"{name}.log"
    classpath = os.pathsep.join([str(folder / JAR), str(folder / "lib" / "*")])
    command = ["java", f"-Xms{heap}", f"-Xmx{heap}", "-XX:+UseG1GC", "-cp", classpath, MAIN_CLASS, *args]
    with open(log, "ab") as out:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=out, stderr=subprocess.STDOUT)
    return LocalNode(name, http_port, transport_port, process, log)


def wait_ready(url: str, nodes: int = 1, timeout: float = START_TIMEOUT, watched: Sequence[LocalNode] = ()) -> dict:
    """Wait until the cluster at ``url`` has ``nodes`` nodes and is green or yellow; its health document."""
    deadline = time.monotonic() + timeout
    query = f"{url}/_cluster/health?wait_for_nodes={nodes}&wait_for_status=yellow&timeout=5s"
    while True:
        for node in watched:
            if not node.running():
                tail = node.log.read_text("utf-8", "replace")[-600:] if node.log.exists() else ""
                raise EngineUnavailable(f"OpenSearch node {node.name} exited while starting: {tail.strip()}")
        health = _answers(query)
        if health and not health.get("timed_out") and health.get("status") in ("green", "yellow"):
            return health
        if time.monotonic() > deadline:
            raise EngineUnavailable(f"OpenSearch at {url} was not ready after {timeout:.0f} s")
        time.sleep(0.5)


def _answers(url: str) -> dict | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return json.loads(response.read())
    except (urllib.error.URLError, OSError, ValueError):
        return None
