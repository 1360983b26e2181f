"""The world setup on loopback: a NATS cluster from deploy/nats/cluster.conf, a Redis replica,
and podium services as their own processes with the settings the containers get."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import httpx

from services.tools.stack.servers import binary
from tests.support.eventually import eventually_sync
from tests.support.servers import Server, free_port

ROOT = Path(__file__).parents[2]
CLUSTER_CONF = ROOT / "deploy" / "nats" / "cluster.conf"
HEALTHY_WITHIN_S = 30.0


@dataclass
class NatsNode:
    name: str
    server: Server
    http_port: int
    cluster_port: int

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.server.port}"


def nats_cluster(root: Path, size: int = 3) -> list[NatsNode]:
    """Nodes that run deploy/nats/cluster.conf itself, the file compose mounts.

    nats-server expands the file's $NATS_* references from the environment; compose sets
    container values, and here each node gets loopback ports and a store in its own temp
    dir. `env` sets them and then execs nats-server, so the pid (and a kill) is the node's.
    """
    names = [f"nats-{n}" for n in range(1, size + 1)]
    ports = {name: (free_port(), free_port(), free_port()) for name in names}
    routes = ", ".join(f"nats-route://127.0.0.1:{cluster}" for _, _, cluster in ports.values())
    nodes = []
    for name, (port, http_port, cluster_port) in ports.items():
        store = root / name
        store.mkdir(parents=True)
        variables = {
            "NATS_NAME": name,
            "NATS_HOST": "127.0.0.1",
            "NATS_PORT": str(port),
            "NATS_HTTP_PORT": str(http_port),
            "NATS_CLUSTER_PORT": str(cluster_port),
            "NATS_ROUTES": f"[{routes}]",
            "NATS_STORE": str(store / "jetstream"),
        }
        argv = ["env", *(f"{k}={v}" for k, v in variables.items())]
        argv += [binary("nats-server"), "-c", str(CLUSTER_CONF)]
        server = Server(name, argv, port, store / "nats.log")
        nodes.append(NatsNode(name, server, http_port, cluster_port))
    return nodes


def wait_healthy(nodes: list[NatsNode]) -> None:
    """Until every node's /healthz says 200, as compose's healthcheck asks: in the cluster,
    with JetStream ready."""
    for node in nodes:
        eventually_sync(
            functools.partial(healthy, node),
            within=HEALTHY_WITHIN_S,
            every=0.2,
            ignoring=(httpx.HTTPError,),
            what=f"{node.name} healthy (see {node.server.log})",
        )


def healthy(node: NatsNode) -> bool:
    return httpx.get(f"http://127.0.0.1:{node.http_port}/healthz").status_code == 200


def redis_replica(data_dir: Path, primary: Server) -> Server:
    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    argv = [binary("redis-server"), "--port", str(port), "--bind", "127.0.0.1"]
    argv += ["--replicaof", "127.0.0.1", str(primary.port)]
    argv += ["--dir", str(data_dir), "--save", "", "--appendonly", "no"]
    return Server("redis-replica", argv, port, data_dir / "redis.log")
