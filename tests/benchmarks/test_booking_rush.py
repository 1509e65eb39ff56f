"""Benchmark: a deadline rush. CLIENTS parents, logged in through /portail/connexion/, reserve and cancel the same
few mornings (60 places) through the family API (`POST /api/v1/family/planning/`) at once, against gunicorn and
PostgreSQL, for a town of ~5,000 children. Reports throughput, p50/p95 latency and errors next to a trivial Django
view on the same server; asserts no error and no overbooked unit-day (checked by SQL after the run).

Run with `make bench`. It needs its own PostgreSQL: `PORTAIL_BENCH_DATABASE_URL=postgres://user:pw@127.0.0.1:5432/db`
(the database is emptied), or, as root with PostgreSQL 15 installed, a throwaway cluster `bench` on port 54341 is
created and started. `PORTAIL_BENCH_RUSH_FAMILIES` (2500), `PORTAIL_BENCH_RUSH_CLIENTS` (200) and
`PORTAIL_BENCH_RUSH_REQUESTS` (requests per client, 20) scale it.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.benchmark_town]

ROOT = Path(__file__).resolve().parents[2]
FAMILIES = int(os.environ.get("PORTAIL_BENCH_RUSH_FAMILIES", "2500"))
CLIENTS = int(os.environ.get("PORTAIL_BENCH_RUSH_CLIENTS", "200"))
REQUESTS = int(os.environ.get("PORTAIL_BENCH_RUSH_REQUESTS", "20"))
PASSWORD = "rush-portail-2026"
CLUSTER_PORT = 54341
CLUSTER_URL = f"postgres://bench:bench@127.0.0.1:{CLUSTER_PORT}/portail_bench"
PLANNING = "/api/v1/family/planning/"


def _family_api_exists() -> bool:
    from django.urls import Resolver404, resolve

    try:
        match = resolve(PLANNING)
    except Resolver404:
        return False
    return match.url_name != "wagtail_serve"  # the CMS answers any other path


def _sh(*args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, check=False, **kwargs)


def _throwaway_cluster() -> str | None:
    """Create (once) and start the `bench` cluster; None when this machine cannot."""
    if os.geteuid() != 0 or not shutil.which("pg_createcluster"):
        return None
    if "bench" not in _sh("pg_lsclusters", "-h").stdout:
        made = _sh(
            "pg_createcluster",
            "15",
            "bench",
            "--port",
            str(CLUSTER_PORT),
            "--",
            "--auth-local=trust",
            "--auth-host=md5",
        )
        if made.returncode:
            return None
    _sh("pg_ctlcluster", "15", "bench", "start")
    psql = ["su", "postgres", "-c"]
    _sh(*psql, f"psql -p {CLUSTER_PORT} -c \"CREATE ROLE bench LOGIN SUPERUSER PASSWORD 'bench'\"")
    _sh(*psql, f"psql -p {CLUSTER_PORT} -c 'DROP DATABASE IF EXISTS portail_bench'")
    created = _sh(*psql, f"createdb -p {CLUSTER_PORT} -O bench portail_bench")
    return CLUSTER_URL if created.returncode == 0 else None


@pytest.fixture(scope="module")
def database_url():
    if not _family_api_exists():
        pytest.skip(f"En attente de l'API famille ({PLANNING}) sur main.")
    url = os.environ.get("PORTAIL_BENCH_DATABASE_URL")
    if url:
        yield url
        return
    url = _throwaway_cluster()
    if not url:
        pytest.skip(
            "PostgreSQL indisponible : définissez PORTAIL_BENCH_DATABASE_URL (base vidée par le banc)."
        )
    yield url
    _sh("pg_ctlcluster", "15", "bench", "stop")


def _env(url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "tests.benchmarks.rush.settings",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "RUSH_CLIENTS": str(CLIENTS),
        "RUSH_PASSWORD": PASSWORD,
    }


def _manage(env: dict, *args, stdin: str | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="module")
def town(database_url):
    """The rush town: migrated, ~5,000 children, everyone enrolled, CLIENTS parent accounts."""
    import psycopg

    env = _env(database_url)
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
    _manage(env, "migrate", "--noinput", "-v", "0")
    _manage(env, "seed_demo", "--families", str(FAMILIES))
    out = _manage(env, "shell", stdin=(Path(__file__).parent / "rush" / "prepare.py").read_text())
    data = json.loads(next(line for line in out.splitlines() if line.startswith("RUSH "))[5:])
    assert data["days"], "aucun jour encore réservable dans les 60 prochains jours"
    return {**data, "env": env, "url": database_url}


@pytest.fixture(scope="module")
def server(town):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    workers = str(2 * (os.cpu_count() or 1) + 1)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "backoffice.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            workers,
            "--worker-class",
            "gthread",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=town["env"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    import requests

    try:
        for _ in range(120):
            try:
                if requests.get(f"{base}/bench/trivial/", timeout=10).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.5)
        else:
            pytest.fail("gunicorn ne répond pas sur /bench/trivial/")
        yield base
    finally:
        process.send_signal(signal.SIGINT)  # quick shutdown: the run is over
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def _login(base: str, email: str):
    import requests

    session = requests.Session()
    session.get(f"{base}/portail/connexion/", timeout=30)
    response = session.post(
        f"{base}/portail/connexion/",
        data={"username": email, "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": f"{base}/portail/connexion/"},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, (email, response.status_code)
    session.headers["X-CSRFToken"] = session.cookies["csrftoken"]
    return session


def _hammer(sessions, request) -> dict:
    """Every client sends REQUESTS requests at once (a barrier starts them together); latencies and statuses."""
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    lock = threading.Lock()
    barrier = threading.Barrier(len(sessions))

    def client(i, session):
        rng = random.Random(i)
        barrier.wait()
        for n in range(REQUESTS):
            started = time.perf_counter()
            try:
                status = str(request(session, i, n, rng).status_code)
            except Exception as exc:  # a dropped connection is an error of the run
                status = type(exc).__name__
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=client, args=(i, s)) for i, s in enumerate(sessions)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "seconds": wall,
        "throughput": len(latencies) / wall,
        "p50": statistics.median(latencies),
        "p95": latencies[int(0.95 * (len(latencies) - 1))],
        "statuses": statuses,
    }


OVERBOOKED = """
SELECT b.unit_id, b.date, COUNT(*), COALESCE(u.capacity, a.capacity)
FROM families_booking b JOIN families_unit u ON u.id = b.unit_id JOIN families_activity a ON a.id = u.activity_id
WHERE b.state = 'reserved'
GROUP BY b.unit_id, b.date, u.capacity, a.capacity
HAVING COUNT(*) > COALESCE(u.capacity, a.capacity)
"""


def test_deadline_rush(benchmark, town, server, capsys):
    sessions = [_login(server, c["email"]) for c in town["clients"]]
    children = [c["child"] for c in town["clients"]]

    def planning(session, i, n, rng):
        day = rng.choice(town["days"])
        action = "reserve" if n % 3 != 2 else "cancel"
        body = {"child": children[i], "changes": [{"date": day, "unit": town["unit"], "action": action}]}
        return session.post(f"{server}{PLANNING}", json=body, timeout=60)

    def trivial(session, i, n, rng):
        return session.get(f"{server}/bench/trivial/", timeout=60)

    results = {}

    def run():
        results["planning"] = _hammer(sessions, planning)

    benchmark.pedantic(run, rounds=1, iterations=1)
    results["trivial"] = _hammer(sessions, trivial)
    import psycopg

    with psycopg.connect(town["url"]) as conn:
        overbooked = conn.execute(OVERBOOKED).fetchall()
        reserved, waiting = conn.execute(
            "SELECT COUNT(*) FILTER (WHERE state = 'reserved'), COUNT(*) FILTER (WHERE state = 'waiting') "
            "FROM families_booking"
        ).fetchone()
    plan, floor = results["planning"], results["trivial"]
    # The family API answers a refused change (délai, closed day) with 400 and its reasons: an answer, reported in
    # the statuses; anything else than 2xx/400 (5xx, dropped connection) is an error.
    errors = {k: v for k, v in plan["statuses"].items() if not (k.startswith("2") or k == "400")}
    ratio = plan["throughput"] / floor["throughput"]
    benchmark.extra_info.update(
        {
            "children": town["children"],
            "clients": len(sessions),
            "planning": {k: round(v, 4) if isinstance(v, float) else v for k, v in plan.items()},
            "trivial": {k: round(v, 4) if isinstance(v, float) else v for k, v in floor.items()},
            "ratio": round(ratio, 3),
            "overbooked": len(overbooked),
            "reserved": reserved,
            "waiting": waiting,
        }
    )
    with capsys.disabled():
        for label, r in (("API planning", plan), ("vue triviale", floor)):
            print(
                f"\n[bench] ruée ({len(sessions)} clients × {REQUESTS}, {town['children']} enfants) {label} : "
                f"{r['throughput']:.0f} req/s, p50 {1000 * r['p50']:.0f} ms, p95 {1000 * r['p95']:.0f} ms, "
                f"statuts {r['statuses']}"
            )
        print(
            f"[bench]   débit planning / vue triviale : {ratio:.2f} ; {reserved} réservés, {waiting} en attente, "
            f"{len(overbooked)} unité-jour(s) en surréservation"
        )
    assert errors == {}
    assert overbooked == []
