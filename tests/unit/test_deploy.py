"""compose.yaml, the Dockerfile, the NATS and proxy configs, checked statically (no Docker
here; tests/integration/test_deploy_configs.py has nats-server and caddy check the configs,
and tests/e2e/test_cluster.py runs the world setup's NATS config live)."""

from __future__ import annotations

import argparse
import re

import pytest

from services.tools.cli import parser
from shared.plumbing.connections import nats_servers
from shared.plumbing.settings import Settings
from tests.support.deploy import DEPLOY, ROOT, compose, services
from tests.support.people import demo

PINNED = r"[a-z0-9/._-]+:\d+\.\d+\.\d+(-[a-z0-9]+)?"
PODIUM = {"intake", "ranking-a", "ranking-b", "broadcast"}
SERVERS = {"nats", "nats-1", "nats-2", "nats-3", "redis", "redis-replica"}
PROFILES = {"venue": {"nats"}, "world": {"nats-1", "nats-2", "nats-3", "redis-replica"}}
# The port each service listens on, by default, which its healthcheck must ask.
PORTS = {
    "intake": Settings().intake_port,
    "ranking": Settings().ranking_port,
    "broadcast": Settings().broadcast_port,
}


def env_file(name: str) -> dict[str, str]:
    lines = (DEPLOY / name).read_text().splitlines()
    pairs = [line.split("=", 1) for line in lines if line.strip() and not line.startswith("#")]
    return {key: value for key, value in pairs}


def default_of(value: str) -> str:
    """The default in a compose `${VAR:-default}`."""
    match = re.fullmatch(r"\$\{\w+:-(.*)\}", value)
    assert match, value
    return match.group(1)


def cli_commands() -> set[str]:
    sub = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    return set(sub.choices)


def test_compose_runs_every_part_from_a_pinned_image() -> None:
    assert set(services()) == PODIUM | SERVERS | {"proxy"}
    for name, service in services().items():
        assert re.fullmatch(PINNED, service["image"]), (name, service["image"])
    official = {name: s["image"].split(":")[0] for name, s in services().items()}
    assert {official[name] for name in SERVERS} == {"nats", "redis"}
    assert official["proxy"] == "caddy"


def test_every_service_has_a_healthcheck_on_its_own_port() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    for name, service in services().items():
        if name in PODIUM:
            # The image's HEALTHCHECK asks the port the service names in PODIUM_HEALTH_PORT.
            assert "healthcheck" not in service, name
            assert "HEALTHCHECK" in dockerfile and "PODIUM_HEALTH_PORT" in dockerfile
            port = PORTS[service["command"][0]]
            assert service["environment"]["PODIUM_HEALTH_PORT"] == str(port), name
        else:
            assert service["healthcheck"]["test"][0] in ("CMD", "CMD-SHELL"), name


def test_the_services_run_the_podium_image_by_its_command() -> None:
    for name in PODIUM:
        service = services()[name]
        assert service["build"]["dockerfile"] == "deploy/Dockerfile"
        assert service["image"] == services()["intake"]["image"]
        [command] = service["command"]
        assert command in cli_commands() and name.startswith(command)


def test_the_services_start_once_the_servers_they_need_are_healthy() -> None:
    for name, service in services().items():
        for dependency, condition in service.get("depends_on", {}).items():
            assert dependency in services(), (name, dependency)
            assert condition["condition"] == "service_healthy", (name, dependency)
            # A dependency that only one profile starts must not be required by the other.
            profiled = "profiles" in services()[dependency]
            assert condition.get("required", True) is not profiled, (name, dependency)
    for name in PODIUM:
        assert {"redis", "nats", "nats-1", "nats-2", "nats-3"} <= set(
            services()[name]["depends_on"]
        )
    assert "redis-replica" in services()["broadcast"]["depends_on"]
    assert set(services()["proxy"]["depends_on"]) == {"broadcast"}


def test_required_settings_are_marked_and_none_is_written_down() -> None:
    for name in PODIUM:
        environment = services()[name]["environment"]
        for setting in ("PODIUM_SECRET", "PODIUM_NATS_URL", "PODIUM_STREAM_REPLICAS"):
            assert environment[setting].startswith(f"${{{setting}:?"), (name, setting)
        assert environment["PODIUM_CHAMPIONSHIP"] == "/etc/podium/championship.json"
        assert services()[name]["configs"][0]["target"] == environment["PODIUM_CHAMPIONSHIP"]
    assert services()["broadcast"]["environment"]["PODIUM_REDIS_URL"].startswith(
        "${PODIUM_BROADCAST_REDIS_URL:?"
    )
    championship = ROOT / default_of(compose()["configs"]["championship"]["file"])
    assert championship.resolve() == (ROOT / "shared/data/turkicskills-2025.json").resolve()


@pytest.mark.parametrize(("profile", "replicas"), [("venue", 1), ("world", 3)])
def test_each_env_file_starts_its_profile_and_points_at_its_servers(
    profile: str, replicas: int
) -> None:
    settings = env_file(f"{profile}.env")
    assert settings["COMPOSE_PROFILES"] == profile
    profiled = {name for name, s in services().items() if profile in s.get("profiles", [])}
    assert profiled == PROFILES[profile]
    urls = nats_servers(settings["PODIUM_NATS_URL"])
    nats_hosts = {re.sub(r"nats://([^:]+):4222", r"\1", url) for url in urls}
    assert nats_hosts == {name for name in profiled if name.startswith("nats")}
    assert settings["PODIUM_STREAM_REPLICAS"] == str(replicas) == str(len(nats_hosts))
    redis_host = re.fullmatch(r"redis://([^:]+):6379/0", settings["PODIUM_BROADCAST_REDIS_URL"])
    assert redis_host and redis_host.group(1) in {"redis"} | profiled


def test_the_ranking_replicas_own_every_skill_of_the_demo_once() -> None:
    groups = [
        default_of(services()[name]["environment"]["PODIUM_RANKING_SKILLS"]).split(",")
        for name in ("ranking-a", "ranking-b")
    ]
    owned = [skill for group in groups for skill in group]
    assert sorted(owned) == sorted(skill.id for skill in demo().skills)


def test_each_nats_node_keeps_its_jetstream_store_on_its_own_volume() -> None:
    volumes = set(compose()["volumes"])
    stores = []
    for name in ("nats", "nats-1", "nats-2", "nats-3"):
        mounts = dict(v.split(":", 1) for v in services()[name]["volumes"])
        [store] = [source for source, target in mounts.items() if target == "/data"]
        assert store in volumes
        stores.append(store)
    assert len(set(stores)) == 4
    for name in ("nats-1", "nats-2", "nats-3"):
        assert services()[name]["environment"]["NATS_STORE"] == "/data"
        assert services()[name]["environment"]["NATS_NAME"] == name
        assert services()[name]["stop_signal"] == "SIGUSR2"  # lame duck mode


def test_broadcast_scales_behind_the_proxy_and_only_the_proxy_is_published() -> None:
    broadcast = services()["broadcast"]
    assert broadcast["deploy"]["replicas"] >= 2
    assert "ports" not in broadcast
    published = {name for name, s in services().items() if "ports" in s}
    assert published == {"intake", "proxy"}
    caddyfile = (DEPLOY / "proxy" / "Caddyfile").read_text()
    mounts = services()["proxy"]["volumes"]
    assert "./deploy/proxy/Caddyfile:/etc/caddy/Caddyfile:ro" in mounts
    upstream = re.search(r"dynamic a \{\$\w+:(\S+)\} \{\$\w+:(\d+)\}", caddyfile)
    assert upstream and upstream.groups() == ("broadcast", str(PORTS["broadcast"]))
    assert ":8081" in caddyfile and "8081/proxy-healthz" in str(services()["proxy"]["healthcheck"])
    # Behind the proxy, the feed's per-address limit must see the screens' addresses.
    assert broadcast["environment"]["PODIUM_TRUSTED_PROXIES"] == "*"


def test_the_dockerfile_builds_in_two_stages_and_runs_as_a_user_with_a_healthcheck() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    bases = re.findall(r"^FROM (\S+)", dockerfile, re.MULTILINE)
    assert len(bases) == 2 and "COPY --from=build" in dockerfile
    assert all(re.fullmatch(r"python:\d+\.\d+\.\d+-slim-\w+", b) for b in bases)
    assert re.search(r"^RUN useradd --system --uid [1-9]\d* .* podium$", dockerfile, re.MULTILINE)
    assert re.search(r"^USER podium$", dockerfile, re.MULTILINE)
    [healthcheck] = re.findall(r"^HEALTHCHECK .*\n.*$", dockerfile, re.MULTILINE)
    # The slim base has neither curl nor wget.
    assert "curl" not in healthcheck and "wget" not in healthcheck and "urllib" in healthcheck
    assert 'ENTRYPOINT ["podium"]' in dockerfile


def test_the_image_installs_exactly_the_lock_with_a_uv_pinned_by_hash() -> None:
    """The image holds what uv.lock names, as `make install` does: no resolving at build."""
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    installs = re.findall(r"^RUN (.*(?:pip|uv) .*)$", dockerfile, re.MULTILINE)
    assert installs, "the Dockerfile installs nothing"
    for install in installs:
        if install.startswith("pip "):
            assert "--require-hashes -r deploy/uv-requirements.txt" in install, install
        else:
            assert install.startswith("uv sync --frozen --no-dev"), install
            assert "--extra" not in install and "--all-extras" not in install, install
    assert re.search(r"^COPY pyproject.toml uv.lock ", dockerfile, re.MULTILINE)
    pins = (DEPLOY / "uv-requirements.txt").read_text()
    assert re.search(r"^uv==\d+\.\d+\.\d+ \\$", pins, re.MULTILINE)
    assert pins.count("--hash=sha256:") >= 10  # a wheel for each platform


def test_every_file_in_deploy_nats_is_run_by_compose() -> None:
    mounted = {v.split(":")[0] for s in services().values() for v in s.get("volumes", [])}
    for conf in (DEPLOY / "nats").iterdir():
        assert f"./{conf.relative_to(ROOT)}" in mounted, conf


def test_a_comma_separated_nats_url_names_every_node_of_the_cluster() -> None:
    assert nats_servers("nats://nats:4222") == ["nats://nats:4222"]
    world = env_file("world.env")["PODIUM_NATS_URL"]
    assert nats_servers(world) == [f"nats://nats-{n}:4222" for n in (1, 2, 3)]
    assert nats_servers(" nats://a:1 ,nats://b:2, ") == ["nats://a:1", "nats://b:2"]
