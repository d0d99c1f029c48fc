#!/usr/bin/env python3
"""Cairn vs Apache Kafka: one broker of each on loopback, identical workloads, medians and ratios.

Started by bench/vs-kafka.sh, which builds Cairn, resolves Kafka from Maven Central into
bench/work/ and compiles the two small Kafka-side helpers first. Standard library only.

Both brokers run for the whole benchmark with the same JVM flags and heap. Every workload runs at
1 and 8 partitions; its repetitions alternate the systems (Kafka, Cairn, Kafka, Cairn, ...) and the
tables report medians. Around every measured client run a sampler reads the broker's CPU time
(utime+stime from /proc/<pid>/stat) and its resident set (VmRSS from /proc/<pid>/status, every
100 ms) to give broker CPU per record and the peak RSS of that run.

Everything is bounded: each client run, broker start and stop has a timeout; the brokers are
stopped by pid on exit, failure or Ctrl-C (and bench/vs-kafka.sh kills any pid still listed in
the run's pid file).
"""

import argparse
import datetime
import json
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BENCH = REPO / "bench"
WORK = BENCH / "work"
RESULTS = BENCH / "results"
DOCS = REPO / "docs" / "benchmarks.md"

KAFKA_BROKER_LIB = WORK / "kafka-broker-lib"
KAFKA_TOOLS_LIB = WORK / "kafka-tools-lib"
KAFKA_BENCH_CLASSES = WORK / "kafka-bench-classes"

# The JVM flags Kafka's own start scripts give a broker (kafka-server-start.sh, kafka-run-class.sh),
# used unchanged for both brokers so that neither gets a better-tuned JVM.
BROKER_JVM = [
    "-Xms1g", "-Xmx1g",
    "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-XX:InitiatingHeapOccupancyPercent=35",
    "-XX:+ExplicitGCInvokesConcurrent", "-XX:MaxInlineLevel=15", "-Djava.awt.headless=true",
]
# Every client (perf tool) JVM of either system.
CLIENT_JVM = ["-Xms1g", "-Xmx1g", "-XX:+UseG1GC", "-Djava.awt.headless=true"]

PARTITIONS = (1, 8)
E2E_RATE = 10_000
CLK_TCK = os.sysconf("SC_CLK_TCK")

# Record counts per profile. Full: sized so that each measured run lasts several seconds after the
# JVM's warm-up and the whole run takes about 25 minutes on 2 quiet cores.
PROFILES = {
    "full": dict(reps=3, produce_small=1_500_000, produce_large=600_000, durable=200_000,
                 consume=600_000, e2e=100_000, e2e_warmup=20_000, compressed=1_000_000,
                 warmup=300_000, client_timeout_s=300, delete_topics=True),
    "quick": dict(reps=1, produce_small=200_000, produce_large=50_000, durable=50_000,
                  consume=50_000, e2e=30_000, e2e_warmup=5_000, compressed=200_000,
                  warmup=50_000, client_timeout_s=120, delete_topics=False),
}


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


class BenchError(Exception):
    """A step of the benchmark failed; the message says which and where its output is."""


# --------------------------------------------------------------------------- workloads

class Workload:
    """One row group of the report: what is sent, how, and which metrics are compared."""

    def __init__(self, key, title, kind, record_size, acks="1", compression="none", linger_ms=5,
                 kafka_topic_configs=(), metrics=(), targets=None):
        self.key = key
        self.title = title
        self.kind = kind                  # produce | consume | e2e
        self.record_size = record_size
        self.acks = acks
        self.compression = compression
        self.linger_ms = linger_ms
        self.batch_size = 65536
        self.kafka_topic_configs = list(kafka_topic_configs)
        self.metrics = list(metrics)      # (metric key, label, higher is better)
        self.targets = targets or {}      # metric key -> (op, factor) on the Cairn/Kafka ratio


def workloads():
    rps = ("records_per_s", "records/s", True)
    mbps = ("mb_per_s", "MB/s", True)
    return [
        Workload("produce_100b", "Produce 100 B records, acks=1", "produce", 100,
                 metrics=[rps, mbps], targets={"records_per_s": (">=", 1.5)}),
        Workload("produce_1k", "Produce 1 KiB records, acks=1", "produce", 1024,
                 metrics=[mbps, rps], targets={"mb_per_s": (">=", 1.3)}),
        Workload("durable", "Durable produce 100 B records, acks=all, fsync before acknowledgement",
                 "produce", 100, acks="all", kafka_topic_configs=["flush.messages=1"],
                 metrics=[rps, mbps], targets={"records_per_s": (">=", 2.0)}),
        Workload("consume", "Consume 1 KiB records from the start (data in page cache)", "consume", 1024,
                 metrics=[mbps, rps], targets={"mb_per_s": (">=", 1.3)}),
        Workload("e2e", f"End-to-end latency at {E2E_RATE:,} records/s, 100 B records, acks=1", "e2e", 100,
                 linger_ms=0,
                 metrics=[("p50_ms", "p50 ms", False), ("p99_ms", "p99 ms", False),
                          ("p999_ms", "p99.9 ms", False)],
                 targets={"p99_ms": ("<=", 0.7)}),
        Workload("lz4", "Produce 100 B records, acks=1, lz4", "produce", 100, compression="lz4",
                 metrics=[rps]),
        Workload("zstd", "Produce 100 B records, acks=1, zstd", "produce", 100, compression="zstd",
                 metrics=[rps]),
    ]


def record_count(workload, profile):
    return {
        "produce_100b": profile["produce_small"], "produce_1k": profile["produce_large"],
        "durable": profile["durable"], "consume": profile["consume"], "e2e": profile["e2e"],
        "lz4": profile["compressed"], "zstd": profile["compressed"],
    }[workload.key]


# --------------------------------------------------------------------------- processes

def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def java_pid(pid):
    """The JVM's pid: pid itself, or its java descendant when a launcher script did not exec."""
    frontier = [pid]
    for _ in range(4):
        nxt = []
        for p in frontier:
            try:
                if Path(f"/proc/{p}/comm").read_text().strip() == "java":
                    return p
                for task in Path(f"/proc/{p}/task").iterdir():
                    children = (task / "children").read_text().split()
                    nxt.extend(int(c) for c in children)
            except OSError:
                continue
        frontier = nxt
    return pid


def cpu_seconds(pid):
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime (fields 14, 15)


def loadavg():
    """The 1-, 5- and 15-minute load averages: how busy the machine was around a measured run."""
    return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]


def status_kb(pid, key):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


class BrokerSampler:
    """Samples one broker process around a client run; owned by the thread that calls start/stop."""

    def __init__(self, pid, interval_s=0.1):
        self.pid = pid
        self.interval_s = interval_s
        self.peak_rss_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self.cpu_start = cpu_seconds(self.pid)
        self.peak_rss_kb = status_kb(self.pid, "VmRSS")
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.wait(self.interval_s):
            try:
                self.peak_rss_kb = max(self.peak_rss_kb, status_kb(self.pid, "VmRSS"))
            except OSError:
                return

    def stop(self):
        self._stop.set()
        self._thread.join(timeout=5)
        self.peak_rss_kb = max(self.peak_rss_kb, status_kb(self.pid, "VmRSS"))
        return dict(cpu_s=cpu_seconds(self.pid) - self.cpu_start, peak_rss_kb=self.peak_rss_kb)


class Broker:
    """A broker process of either system: started, checked, stopped by pid."""

    name = "?"

    def __init__(self, run_dir, pid_file):
        self.run_dir = run_dir
        self.pid_file = pid_file
        self.proc = None
        self.pid = None
        self.port = None

    def bootstrap(self):
        return f"127.0.0.1:{self.port}"

    def _spawn(self, cmd, log_path, env=None):
        log(f"{self.name}: starting: {' '.join(cmd[:3])} ...")
        out = open(log_path, "ab")
        self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     cwd=self.run_dir, env=env, start_new_session=True)
        out.close()
        with open(self.pid_file, "a") as f:
            f.write(f"{self.proc.pid}\n")

    def _await_ready(self, log_path, ready_re, timeout_s):
        deadline = time.monotonic() + timeout_s
        pattern = re.compile(ready_re)
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BenchError(f"{self.name} exited with {self.proc.returncode} during start-up; see {log_path}")
            text = Path(log_path).read_text(errors="replace") if Path(log_path).exists() else ""
            if pattern.search(text) and port_open(self.port):
                self.pid = java_pid(self.proc.pid)
                log(f"{self.name}: ready on {self.bootstrap()} (pid {self.pid})")
                return
            time.sleep(0.2)
        raise BenchError(f"{self.name} not ready after {timeout_s} s (no /{ready_re}/ in {log_path})")

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout_s=60):
        if not self.alive():
            return
        pids = {self.proc.pid, self.pid or self.proc.pid}
        log(f"{self.name}: stopping pid {sorted(pids)}")
        for p in pids:
            try:
                os.kill(p, signal.SIGTERM)
            except ProcessLookupError:
                pass
        try:
            self.proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            log(f"{self.name}: no exit {timeout_s} s after SIGTERM, sending SIGKILL")
            for p in pids:
                try:
                    os.kill(p, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            self.proc.wait(timeout=30)


def run_tool(cmd, log_path, timeout_s, env=None, what="tool"):
    """Runs a client command to completion; returns its stdout. Output is also kept in log_path."""
    with open(log_path, "ab") as lf:
        lf.write(("$ " + " ".join(cmd) + "\n").encode())
        try:
            done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                  timeout=timeout_s, env=env)
        except subprocess.TimeoutExpired as e:
            lf.write(e.stdout or b"")
            raise BenchError(f"{what} timed out after {timeout_s} s; see {log_path}") from None
        lf.write(done.stdout)
        text = done.stdout.decode(errors="replace")
        if done.returncode != 0:
            tail = "\n".join(text.splitlines()[-15:])
            raise BenchError(f"{what} exited with {done.returncode}; see {log_path}\n{tail}")
        return text


def sync_disks():
    """Writes back dirty pages left by earlier runs so they do not land on the next measured run."""
    try:
        subprocess.run(["sync"], timeout=120, check=False)
    except subprocess.TimeoutExpired:
        log("sync did not finish within 120 s; continuing")


# --------------------------------------------------------------------------- Apache Kafka

def classpath(*parts):
    return os.pathsep.join(str(p) for p in parts)


class KafkaBroker(Broker):
    name = "kafka"

    def start(self):
        self.port = free_port()
        controller_port = free_port()
        data = self.run_dir / "data"
        props = self.run_dir / "server.properties"
        # Kafka's shipped config/server.properties for a single combined node, with ports and
        # directories of this run; everything not named here is Kafka's default.
        props.write_text("\n".join([
            "process.roles=broker,controller",
            "node.id=1",
            f"controller.quorum.voters=1@127.0.0.1:{controller_port}",
            f"listeners=PLAINTEXT://127.0.0.1:{self.port},CONTROLLER://127.0.0.1:{controller_port}",
            f"advertised.listeners=PLAINTEXT://127.0.0.1:{self.port}",
            "inter.broker.listener.name=PLAINTEXT",
            "controller.listener.names=CONTROLLER",
            "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
            "num.network.threads=3",
            "num.io.threads=8",
            "socket.send.buffer.bytes=102400",
            "socket.receive.buffer.bytes=102400",
            "socket.request.max.bytes=104857600",
            f"log.dirs={data}",
            "num.partitions=1",
            "num.recovery.threads.per.data.dir=1",
            "offsets.topic.replication.factor=1",
            "share.coordinator.state.topic.replication.factor=1",
            "share.coordinator.state.topic.min.isr=1",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "log.retention.hours=168",
            "log.segment.bytes=1073741824",
            "log.retention.check.interval.ms=300000",
            "group.initial.rebalance.delay.ms=0",
            "auto.create.topics.enable=false",
            "",
        ]))
        cp = classpath(KAFKA_BROKER_LIB / "*")
        log4j = f"-Dlog4j2.configurationFile={BENCH / 'kafka' / 'log4j2-broker.properties'}"
        logs = f"-Dkafka.logs.dir={self.run_dir}"
        cluster_id = run_tool(["java", "-cp", cp, log4j, logs, "kafka.tools.StorageTool", "random-uuid"],
                              self.run_dir / "format.log", 120, what="kafka random-uuid").strip().splitlines()[-1]
        run_tool(["java", "-cp", cp, log4j, logs, "kafka.tools.StorageTool", "format",
                  "--config", str(props), "--cluster-id", cluster_id],
                 self.run_dir / "format.log", 120, what="kafka storage format")
        self._spawn(["java", *BROKER_JVM, log4j, logs, "-cp", cp, "kafka.Kafka", str(props)],
                    self.run_dir / "stdout.log")
        self._await_ready(self.run_dir / "server.log", r"Kafka Server started", 180)


class KafkaClient:
    """Kafka's perf tools (kafka-tools and its own kafka-clients) plus the fixed-rate e2e helper."""

    system = "kafka"

    def __init__(self, broker, log_dir):
        self.broker = broker
        self.log_dir = log_dir
        self.cp = classpath(KAFKA_BENCH_CLASSES, KAFKA_TOOLS_LIB / "*")
        self.jvm = ["java", *CLIENT_JVM,
                    f"-Dlog4j2.configurationFile={BENCH / 'kafka' / 'log4j2-tools.properties'}", "-cp", self.cp]

    def create_topics(self, topics, partitions, workload):
        run_tool([*self.jvm, "io.cairn.bench.kafka.Topics", self.broker.bootstrap(), "create", str(partitions),
                  ",".join(topics), *workload.kafka_topic_configs],
                 self.log_dir / "kafka-admin.log", 120, what="kafka create topics")

    def delete_topics(self, topics):
        run_tool([*self.jvm, "io.cairn.bench.kafka.Topics", self.broker.bootstrap(), "delete", ",".join(topics)],
                 self.log_dir / "kafka-admin.log", 120, what="kafka delete topics")

    def producer_props(self, w):
        return [f"bootstrap.servers={self.broker.bootstrap()}", f"acks={w.acks}", f"batch.size={w.batch_size}",
                f"linger.ms={w.linger_ms}", f"compression.type={w.compression}", "enable.idempotence=false"]

    def produce(self, w, topic, records, timeout_s, log_path):
        out = run_tool([*self.jvm, "org.apache.kafka.tools.ProducerPerformance", "--topic", topic,
                        "--num-records", str(records), "--record-size", str(w.record_size), "--throughput", "-1",
                        "--command-property", *self.producer_props(w)],
                       log_path, timeout_s, what=f"kafka produce {topic}")
        m = None
        for m in re.finditer(r"(\d+) records sent, ([\d.]+) records/sec \(([\d.]+) MB/sec\), ([\d.]+) ms avg latency,"
                             r" ([\d.]+) ms max latency, (\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th,"
                             r" (\d+) ms 99.9th", out):
            pass
        if m is None:
            raise BenchError(f"no final summary from ProducerPerformance in {log_path}")
        sent = int(m.group(1))
        if sent != records:
            raise BenchError(f"kafka produce sent {sent} of {records} records; see {log_path}")
        return dict(records=sent, records_per_s=float(m.group(2)))

    def consume(self, w, topic, records, timeout_s, log_path):
        out = run_tool([*self.jvm, "org.apache.kafka.tools.ConsumerPerformance",
                        "--bootstrap-server", self.broker.bootstrap(), "--topic", topic,
                        "--num-records", str(records), "--timeout", "30000",
                        "--group", f"bench-{uuid.uuid4().hex[:12]}"],
                       log_path, timeout_s, what=f"kafka consume {topic}")
        lines = [l for l in out.splitlines() if l.strip()]
        header_idx = next((i for i, l in enumerate(lines) if l.startswith("start.time")), None)
        if header_idx is None or header_idx + 1 >= len(lines):
            raise BenchError(f"no result row from ConsumerPerformance in {log_path}")
        header = [h.strip() for h in lines[header_idx].split(",")]
        row = [v.strip() for v in lines[header_idx + 1].split(",")]
        values = dict(zip(header, row))
        consumed = int(values["data.consumed.in.nMsg"])
        if consumed < records:
            raise BenchError(f"kafka consume read {consumed} of {records} records; see {log_path}")
        # fetch.* excludes the group join, like the fetch phase Cairn's tool reports.
        return dict(records=consumed, records_per_s=float(values["fetch.nMsg.sec"]))

    def e2e(self, w, topic, records, warmup, timeout_s, log_path):
        props = [f"acks={w.acks}", f"batch.size={w.batch_size}", f"linger.ms={w.linger_ms}",
                 f"compression.type={w.compression}", "enable.idempotence=false"]
        cmd = [*self.jvm, "io.cairn.bench.kafka.FixedRateLatency", "--bootstrap-server", self.broker.bootstrap(),
               "--topic", topic, "--records", str(records), "--throughput", str(E2E_RATE),
               "--record-size", str(w.record_size), "--warmup-records", str(warmup)]
        for p in props:
            cmd += ["--producer-prop", p]
        out = run_tool(cmd, log_path, timeout_s, what=f"kafka e2e {topic}")
        result = parse_result_json(out, log_path)
        return dict(records=records, p50_ms=result["p50Ms"], p99_ms=result["p99Ms"], p999_ms=result["p999Ms"],
                    records_per_s=result["recordsPerSec"])


# --------------------------------------------------------------------------- Cairn

def parse_result_json(out, log_path):
    last = None
    for line in out.splitlines():
        if line.startswith("RESULT "):
            last = line[len("RESULT "):]
    if last is None:
        raise BenchError(f"no RESULT line in {log_path}")
    try:
        return json.loads(last)
    except json.JSONDecodeError as e:
        raise BenchError(f"RESULT line in {log_path} is not JSON: {e}") from None


def cairn_env(jvm_flags):
    """The environment for bin/cairn: its JVM flags (the launcher's own -Xms/-Xmx come first, so
    the -Xms/-Xmx among these flags win) and no other CAIRN_* variable, which the broker would read
    as a setting."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAIRN_")}
    env["CAIRN_HEAP"] = "1g"
    env["CAIRN_JAVA_OPTS"] = " ".join(jvm_flags)
    return env


def pick(result, *names):
    """A value from a RESULT object by any of a few spellings (camelCase, snake_case)."""
    norm = {re.sub(r"[^a-z0-9]", "", k.lower()): v for k, v in result.items()}
    for name in names:
        key = re.sub(r"[^a-z0-9]", "", name.lower())
        if key in norm:
            return norm[key]
    raise KeyError(f"none of {names} in RESULT {result}")


class CairnBroker(Broker):
    name = "cairn"

    def start(self):
        self.port = free_port()
        metrics_port = free_port()
        self._spawn([str(REPO / "bin" / "cairn"), "broker", "--data-dir", str(self.run_dir / "data"),
                     "--host", "127.0.0.1", "--port", str(self.port), "--metrics-port", str(metrics_port)],
                    self.run_dir / "stdout.log", env=cairn_env(BROKER_JVM))
        self._await_ready(self.run_dir / "stdout.log", r"listening on [\w.-]+:\d+", 120)


class CairnClient:
    """The cairn CLI: topics and perf produce|consume|e2e."""

    system = "cairn"

    def __init__(self, broker, log_dir):
        self.broker = broker
        self.log_dir = log_dir
        self.env = cairn_env(CLIENT_JVM)
        self.cli = str(REPO / "bin" / "cairn")

    def create_topics(self, topics, partitions, workload):
        for topic in topics:
            run_tool([self.cli, "topics", "create", "--bootstrap", self.broker.bootstrap(), "--topic", topic,
                      "--partitions", str(partitions)],
                     self.log_dir / "cairn-admin.log", 120, env=self.env, what="cairn topics create")

    def delete_topics(self, topics):
        for topic in topics:
            run_tool([self.cli, "topics", "delete", "--bootstrap", self.broker.bootstrap(), "--topic", topic],
                     self.log_dir / "cairn-admin.log", 120, env=self.env, what="cairn topics delete")

    def common(self, w):
        return ["--bootstrap", self.broker.bootstrap(), "--acks", w.acks, "--batch-size", str(w.batch_size),
                "--linger-ms", str(w.linger_ms), "--compression", w.compression,
                "--producer-prop", "enable.idempotence=false"]

    def produce(self, w, topic, records, timeout_s, log_path):
        out = run_tool([self.cli, "perf", "produce", "--topic", topic, "--records", str(records),
                        "--record-size", str(w.record_size), "--throughput", "-1", *self.common(w)],
                       log_path, timeout_s, env=self.env, what=f"cairn perf produce {topic}")
        r = parse_result_json(out, log_path)
        sent = int(pick(r, "records", "recordsSent"))
        if sent != records:
            raise BenchError(f"cairn perf produce sent {sent} of {records} records; see {log_path}")
        return dict(records=sent, records_per_s=float(pick(r, "recordsPerSec", "recordsPerSecond")))

    def consume(self, w, topic, records, timeout_s, log_path):
        # As Kafka's ConsumerPerformance configures its consumer: check.crcs=false (both tools skip the
        # CRC check) and a 2 MiB socket receive buffer (its --socket-buffer-size default).
        out = run_tool([self.cli, "perf", "consume", "--bootstrap", self.broker.bootstrap(), "--topic", topic,
                        "--records", str(records), "--consumer-prop", "check.crcs=false",
                        "--consumer-prop", "receive.buffer.bytes=2097152"],
                       log_path, timeout_s, env=self.env, what=f"cairn perf consume {topic}")
        r = parse_result_json(out, log_path)
        consumed = int(pick(r, "records", "recordsConsumed"))
        if consumed < records:
            raise BenchError(f"cairn perf consume read {consumed} of {records} records; see {log_path}")
        return dict(records=consumed, records_per_s=float(pick(r, "recordsPerSec", "recordsPerSecond")))

    def e2e(self, w, topic, records, warmup, timeout_s, log_path):
        out = run_tool([self.cli, "perf", "e2e", "--topic", topic, "--records", str(records),
                        "--record-size", str(w.record_size), "--throughput", str(E2E_RATE),
                        "--warmup-records", str(warmup), *self.common(w)],
                       log_path, timeout_s, env=self.env, what=f"cairn perf e2e {topic}")
        r = parse_result_json(out, log_path)
        return dict(records=records, p50_ms=float(pick(r, "p50Ms", "latencyP50Ms")),
                    p99_ms=float(pick(r, "p99Ms", "latencyP99Ms")),
                    p999_ms=float(pick(r, "p999Ms", "p99_9Ms", "latencyP999Ms")),
                    records_per_s=float(pick(r, "recordsPerSec", "recordsPerSecond")))


# --------------------------------------------------------------------------- the run

class Run:
    def __init__(self, args):
        self.args = args
        self.profile_name = "quick" if args.quick else "full"
        self.profile = dict(PROFILES[self.profile_name])
        if args.reps:
            self.profile["reps"] = args.reps
        self.stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        base = Path(args.tmp_dir) if args.tmp_dir else None
        self.tmp = Path(tempfile.mkdtemp(prefix=f"cairn-vs-kafka-{self.stamp}-", dir=base))
        self.logs = self.tmp / "logs"
        self.logs.mkdir()
        self.pid_file = Path(args.pid_file) if args.pid_file else self.tmp / "brokers.pids"
        self.systems = [s for s in ("kafka", "cairn") if s in args.systems.split(",")]
        only = set(args.only.split(",")) if args.only else None
        self.workloads = [w for w in workloads() if only is None or w.key in only]
        self.partitions = [int(p) for p in args.partitions.split(",")]
        self.brokers = {}
        self.clients = {}
        self.runs = []          # one dict per measured client run
        self.stop_at = None
        if args.stop_at:
            hh, mm = (int(x) for x in args.stop_at.split(":"))
            now = datetime.datetime.now(datetime.timezone.utc)
            self.stop_at = now.replace(hour=hh, minute=mm, second=0, microsecond=0)
            if self.stop_at < now - datetime.timedelta(hours=12):
                self.stop_at += datetime.timedelta(days=1)
        self.failures = []

    def start_brokers(self):
        for system in self.systems:
            d = self.tmp / system
            d.mkdir()
            broker = KafkaBroker(d, self.pid_file) if system == "kafka" else CairnBroker(d, self.pid_file)
            self.brokers[system] = broker
            broker.start()
            client_cls = KafkaClient if system == "kafka" else CairnClient
            self.clients[system] = client_cls(broker, self.logs)

    def stop_brokers(self):
        for system, broker in self.brokers.items():
            try:
                rss = status_kb(broker.pid, "VmHWM") if broker.alive() and broker.pid else None
                if rss:
                    log(f"{system}: lifetime peak RSS (VmHWM) {rss / 1024:.0f} MiB")
                    self.lifetime_hwm = getattr(self, "lifetime_hwm", {})
                    self.lifetime_hwm[system] = rss
            except OSError:
                pass
            broker.stop()

    def warm_up(self):
        """JIT-warms each broker with one unmeasured produce and consume, then drops the topic."""
        w = workloads()[0]
        for system in self.systems:
            client = self.clients[system]
            topic = f"warmup-{system}"
            client.create_topics([topic], 8, w)
            log(f"{system}: warm-up, {self.profile['warmup']:,} records")
            client.produce(w, topic, self.profile["warmup"], self.profile["client_timeout_s"],
                           self.logs / f"warmup-{system}.log")
            client.consume(w, topic, self.profile["warmup"], self.profile["client_timeout_s"],
                           self.logs / f"warmup-{system}.log")
            client.delete_topics([topic])

    def measure(self, system, w, partitions, rep, topic, records):
        client = self.clients[system]
        broker = self.brokers[system]
        log_path = self.logs / f"{w.key}-p{partitions}-r{rep}-{system}.log"
        timeout_s = self.profile["client_timeout_s"]
        sync_disks()
        load_before = loadavg()
        sampler = BrokerSampler(broker.pid).start()
        # The client's CPU: the measured tool is the only child reaped in this window (the brokers
        # live on), so the children's rusage delta is that tool's JVM, user + system.
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.monotonic()
        try:
            if w.kind == "produce":
                result = client.produce(w, topic, records, timeout_s, log_path)
            elif w.kind == "consume":
                result = client.consume(w, topic, records, timeout_s, log_path)
            else:
                result = client.e2e(w, topic, records, self.profile["e2e_warmup"], timeout_s, log_path)
        finally:
            usage = sampler.stop()
        wall = time.monotonic() - t0
        children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        client_cpu_s = (children_after.ru_utime - children_before.ru_utime
                        + children_after.ru_stime - children_before.ru_stime)
        load_after = loadavg()
        result["mb_per_s"] = result["records_per_s"] * w.record_size / 1e6
        result.update(system=system, workload=w.key, partitions=partitions, rep=rep, wall_s=round(wall, 2),
                      broker_cpu_s=round(usage["cpu_s"], 3), broker_peak_rss_kb=usage["peak_rss_kb"],
                      load_before=load_before, load_after=load_after)
        result["broker_cpu_us_per_record"] = usage["cpu_s"] * 1e6 / max(1, result["records"])
        result["client_cpu_s"] = round(client_cpu_s, 3)
        result["client_cpu_us_per_record"] = client_cpu_s * 1e6 / max(1, result["records"])
        summary = ", ".join(f"{label} {result[k]:,.2f}" for k, label, _ in w.metrics)
        log(f"  {system:5} {w.key} p{partitions} rep {rep}: {summary}; broker cpu {usage['cpu_s']:.2f} s,"
            f" peak rss {usage['peak_rss_kb'] / 1024:.0f} MiB; client cpu {client_cpu_s:.2f} s;"
            f" load {load_before[0]:.2f} -> {load_after[0]:.2f}")
        self.runs.append(result)

    def run_workload(self, w, partitions):
        reps = self.profile["reps"]
        records = record_count(w, self.profile)
        if w.kind == "consume":
            topics = {s: [f"{w.key}-p{partitions}-{s}"] for s in self.systems}
        else:
            topics = {s: [f"{w.key}-p{partitions}-r{r}-{s}" for r in range(reps)] for s in self.systems}
        ready = []
        for s in self.systems:
            try:
                self.clients[s].create_topics(topics[s], partitions, w)
                if w.kind == "consume":
                    fill = next(x for x in workloads() if x.key == "produce_1k")
                    log(f"{s}: filling {topics[s][0]} with {records:,} records of {w.record_size} B")
                    self.clients[s].produce(fill, topics[s][0], records, self.profile["client_timeout_s"],
                                            self.logs / f"{w.key}-p{partitions}-fill-{s}.log")
                ready.append(s)
            except BenchError as e:
                self.fail(s, w, partitions, "setup", e)
        for rep in range(reps):
            for s in ready:             # A B A B: the systems alternate within the run
                topic = topics[s][0] if w.kind == "consume" else topics[s][rep]
                try:
                    self.measure(s, w, partitions, rep, topic, records)
                except BenchError as e:
                    self.fail(s, w, partitions, rep, e)
        if self.profile["delete_topics"] and not self.args.keep_data:
            for s in ready:
                try:
                    self.clients[s].delete_topics(topics[s])
                except BenchError as e:
                    log(f"{s}: could not delete {topics[s]}: {e}")

    def fail(self, system, w, partitions, rep, error):
        """Records a failed step; carries on unless the broker itself is gone."""
        log(f"  {system} {w.key} p{partitions} rep {rep} FAILED: {error}")
        self.failures.append(dict(system=system, workload=w.key, partitions=partitions, rep=rep, error=str(error)))
        if not self.brokers[system].alive():
            raise BenchError(f"{system} broker died during {w.key}; see {self.brokers[system].run_dir}") from error

    def execute(self):
        started = time.monotonic()
        log(f"profile {self.profile_name}: reps={self.profile['reps']}, systems={self.systems},"
            f" workloads={[w.key for w in self.workloads]}, partitions={self.partitions}; temp dir {self.tmp}")
        self.not_run = []      # (workload, partitions, why) left out by --stop-at or an interruption
        try:
            self.start_brokers()
            self.warm_up()
            todo = [(w, p) for w in self.workloads for p in self.partitions]
            for i, (w, p) in enumerate(todo):
                if self.stop_at is not None and datetime.datetime.now(datetime.timezone.utc) >= self.stop_at:
                    self.not_run += [(x.key, q, f"--stop-at {self.args.stop_at} UTC reached") for x, q in todo[i:]]
                    log(f"--stop-at {self.args.stop_at} UTC reached: not running {[f'{x.key}_p{q}' for x, q in todo[i:]]}")
                    break
                log(f"== {w.title}, {p} partition{'s' if p > 1 else ''}")
                try:
                    self.run_workload(w, p)
                except KeyboardInterrupt:
                    self.not_run += [(x.key, q, "interrupted") for x, q in todo[i:]]
                    log("interrupted: stopping the brokers and reporting what was measured")
                    break
        finally:
            self.stop_brokers()
            if not self.args.keep_data:     # the logs stay; the topics' data goes, also after a failure
                for s in self.systems:
                    shutil.rmtree(self.tmp / s / "data", ignore_errors=True)
        self.elapsed_s = time.monotonic() - started
        # A run cut short reports what it measured (its workloads at fewer repetitions are marked).
        report = Report(self)
        text = report.markdown()
        RESULTS.mkdir(exist_ok=True)
        md_path = RESULTS / f"{self.stamp}{'-quick' if self.args.quick else ''}.md"
        md_path.write_text(text)
        md_path.with_suffix(".json").write_text(json.dumps(dict(
            profile=self.profile_name, settings=self.profile, machine=report.machine, runs=self.runs,
            failures=self.failures, ratios=report.ratios), indent=2) + "\n")
        print(text)
        if self.args.update_docs:
            update_docs(report.docs_block(md_path))
            log(f"updated {DOCS}")
        print(report.ratios_line())
        log(f"results in {md_path} (raw: {md_path.with_suffix('.json')}); logs in {self.logs};"
            f" {self.elapsed_s / 60:.1f} min")
        if any(why == "interrupted" for _, _, why in self.not_run):
            return 130
        return 1 if self.failures else 0


# --------------------------------------------------------------------------- report

def machine_description(data_dir):
    def sh(cmd):
        try:
            return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30,
                                  text=True).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return "?"
    model = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem_kb = status_line_kb("/proc/meminfo", "MemTotal")
    java = sh(["java", "-version"]).splitlines()
    df = sh(["df", "-PT", str(data_dir)]).splitlines()
    disk = "?"
    if len(df) >= 2:
        f = df[1].split()
        disk = f"{f[0]} ({f[1]}), {int(f[2]) // (1024 * 1024)} GiB"
        dev = Path(f[0]).name
        rot = Path(f"/sys/block/{dev}/queue/rotational")
        if rot.exists():
            disk += f", queue/rotational={rot.read_text().strip()}"
    return {
        "cpus": os.cpu_count(),
        "cpu model": model,
        "memory": f"{mem_kb / (1024 * 1024):.1f} GiB",
        "kernel": os.uname().release,
        "jdk": java[1] if len(java) > 1 else (java[0] if java else "?"),
        "disk": disk,
        "load average at start": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
    }


def status_line_kb(path, key):
    for line in Path(path).read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def fmt(value):
    if value is None:
        return "–"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:.1f}"
    return f"{value:.2f}"


class Report:
    """Medians per (workload, partitions, system, metric), ratios Cairn/Kafka and their tables."""

    def __init__(self, run):
        self.run = run
        self.machine = machine_description(run.tmp)
        self.machine["load average at start"] = getattr(run, "load_at_start", self.machine["load average at start"])
        self.machine["load average at end"] = " ".join(f"{x:.2f}" for x in loadavg())
        self.ratios = {}
        self.rows = []   # (workload, partitions, label, kafka, cairn, ratio, target text, ok)
        for w in run.workloads:
            for p in run.partitions:
                metrics = list(w.metrics) + [("broker_cpu_us_per_record", "broker CPU µs/record", False),
                                             ("broker_peak_rss_mib", "broker peak RSS MiB", False),
                                             ("client_cpu_us_per_record", "client CPU µs/record", False)]
                for key, label, _ in metrics:
                    med = {s: self.median(w.key, p, s, key) for s in ("kafka", "cairn")}
                    ratio = None
                    if med["kafka"] and med["cairn"] is not None:
                        ratio = med["cairn"] / med["kafka"]
                    target, ok = self.target(w, key, ratio)
                    name = f"{w.key}_p{p}_{short(key)}"
                    if ratio is not None:
                        self.ratios[name] = round(ratio, 3)
                    self.rows.append((w, p, label, med["kafka"], med["cairn"], ratio, target, ok))

    def median(self, workload, partitions, system, key):
        values = []
        for r in self.run.runs:
            if r["workload"] == workload and r["partitions"] == partitions and r["system"] == system:
                if key == "broker_peak_rss_mib":
                    values.append(r["broker_peak_rss_kb"] / 1024)
                elif key in r:   # results written before client CPU was measured lack it
                    values.append(r[key])
        return statistics.median(values) if values else None

    @staticmethod
    def target(w, key, ratio):
        if key in w.targets:
            op, factor = w.targets[key]
        elif key in ("broker_cpu_us_per_record", "broker_peak_rss_mib"):
            op, factor = "<=", 1.0
        else:
            return "", None
        text = f"{'≥' if op == '>=' else '≤'} {factor:g}"
        if ratio is None:
            return text, None
        return text, (ratio >= factor if op == ">=" else ratio <= factor)

    def tables(self):
        out = []
        for w in self.run.workloads:
            out.append(f"#### {w.title}\n")
            out.append(settings_line(w, self.run.profile))
            out.append("")
            out.append(self.load_line(w))
            out.append("")
            out.append("| partitions | metric | Kafka | Cairn | Cairn/Kafka | target |")
            out.append("|---:|---|---:|---:|---:|---|")
            for (rw, p, label, k, c, ratio, target, ok) in self.rows:
                if rw is not w:
                    continue
                mark = "" if ok is None else (" ✓" if ok else " ✗")
                out.append(f"| {p} | {label} | {fmt(k)} | {fmt(c)} | {fmt(ratio) if ratio is not None else '–'} |"
                           f" {target}{mark} |")
            out.append("")
        return "\n".join(out)

    def load_line(self, w):
        """The machine's 1-minute load average before and after this workload's measured runs."""
        parts = []
        for p in self.run.partitions:
            runs = [r for r in self.run.runs if r["workload"] == w.key and r["partitions"] == p and "load_before" in r]
            if not runs:
                continue
            before = [r["load_before"][0] for r in runs]
            after = [r["load_after"][0] for r in runs]
            parts.append(f"{p} partition{'s' if p > 1 else ''}: before {min(before):.2f}–{max(before):.2f},"
                         f" after {min(after):.2f}–{max(after):.2f}")
        return ("Load average (1 min) around the measured runs (min–max over runs), " + "; ".join(parts) + "."
                if parts else "Load average: no measured runs.")

    def ratios_line(self):
        return "ratios: " + " ".join(f"{k}={v:.3f}" for k, v in self.ratios.items())

    def header(self):
        r = self.run
        lines = []
        if r.args.quick:
            lines.append("**SMOKE RUN (`--quick`): tiny record counts, one repetition, on a machine shared with"
                         " other work. These figures only show that the harness works end to end; they are not a"
                         " benchmark.**\n")
        lines.append(f"Run {r.stamp}, profile `{r.profile_name}`, {r.profile['reps']} repetition(s) per system"
                     f" (medians shown), {r.elapsed_s / 60:.1f} minutes.\n")
        lines.append("| machine | |")
        lines.append("|---|---|")
        for k, v in self.machine.items():
            lines.append(f"| {k} | {v} |")
        lines.append("")
        hwm = getattr(r, "lifetime_hwm", {})
        if hwm:
            lines.append("Broker peak RSS over the whole run (VmHWM at stop): "
                         + ", ".join(f"{s} {kb / 1024:.0f} MiB" for s, kb in hwm.items())
                         + (f" (Cairn/Kafka {hwm['cairn'] / hwm['kafka']:.2f})" if {"kafka", "cairn"} <= hwm.keys() else "")
                         + ".\n")
        if getattr(r, "not_run", None):
            lines.append("**Not run:** " + ", ".join(f"{k} at {p} partition{'s' if p > 1 else ''} ({why})"
                                                  for k, p, why in r.not_run) + ".\n")
        short_reps = sorted({(x["workload"], x["partitions"]) for x in r.runs
                             if sum(1 for y in r.runs if (y["workload"], y["partitions"], y["system"])
                                    == (x["workload"], x["partitions"], x["system"])) < r.profile["reps"]})
        if short_reps:
            lines.append("**Fewer repetitions than asked** (an interrupted or failed run): "
                         + ", ".join(f"{k} p{p}" for k, p in short_reps) + ".\n")
        if r.failures:
            lines.append("Failed runs (left out of the medians):\n")
            for f in r.failures:
                first = f["error"].splitlines()[0]
                lines.append(f"- {f['system']} {f['workload']} p{f['partitions']} rep {f['rep']}: {first}")
            lines.append("")
        return "\n".join(lines)

    def raw(self):
        out = ["#### Every run\n", "| workload | partitions | rep | system | records | records/s | MB/s | p99 ms |"
               " broker CPU s | peak RSS MiB | client CPU s | wall s | load before | load after |",
               "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"]
        for r in self.run.runs:
            p99 = fmt(r["p99_ms"]) if "p99_ms" in r else "–"
            out.append(f"| {r['workload']} | {r['partitions']} | {r['rep']} | {r['system']} | {r['records']:,} |"
                       f" {fmt(r['records_per_s'])} | {fmt(r['mb_per_s'])} | {p99} | {r['broker_cpu_s']:.2f} |"
                       f" {r['broker_peak_rss_kb'] / 1024:.0f} | {client_cpu_text(r)} | {r['wall_s']} |"
                       f" {load_text(r, 'load_before')} |"
                       f" {load_text(r, 'load_after')} |")
        return "\n".join(out) + "\n"

    def markdown(self):
        return "\n".join([f"### Results {self.run.stamp}\n", self.header(), self.tables(), self.raw(),
                          "```", self.ratios_line(), "```", ""])

    def docs_block(self, md_path):
        return "\n".join([f"**Latest run: {datetime.date.today().isoformat()}.**\n",
                          f"From `bench/vs-kafka.sh{' --quick' if self.run.args.quick else ''}`;"
                          f" the full output is `{md_path.relative_to(REPO)}`.\n",
                          self.header(), self.tables(), "```", self.ratios_line(), "```", ""])


def client_cpu_text(run):
    return f"{run['client_cpu_s']:.2f}" if "client_cpu_s" in run else "–"


def load_text(run, key):
    return " ".join(f"{x:.2f}" for x in run[key]) if key in run else "–"


def short(key):
    return {"records_per_s": "rps", "mb_per_s": "mbps", "p50_ms": "p50", "p99_ms": "p99", "p999_ms": "p999",
            "broker_cpu_us_per_record": "cpu", "broker_peak_rss_mib": "rss",
            "client_cpu_us_per_record": "ccpu"}[key]


def settings_line(w, profile):
    n = record_count(w, profile)
    if w.kind == "produce":
        return (f"{n:,} records of {w.record_size} B, acks={w.acks}, batch {w.batch_size // 1024} KiB,"
                f" linger {w.linger_ms} ms, compression {w.compression}"
                + (", Kafka topic flush.messages=1" if w.kafka_topic_configs else "") + ".")
    if w.kind == "consume":
        return f"{n:,} records of {w.record_size} B written first (unmeasured), then read from offset 0 by one consumer."
    return (f"{n:,} records of {w.record_size} B at {E2E_RATE:,} records/s, first {profile['e2e_warmup']:,} not counted;"
            f" acks={w.acks}, linger {w.linger_ms} ms; latency = consumer receive time − scheduled send time.")


BEGIN = "<!-- vs-kafka results: begin (generated by bench/vs-kafka.sh --update-docs) -->"
END = "<!-- vs-kafka results: end -->"


def update_docs(block):
    text = DOCS.read_text() if DOCS.exists() else ""
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        DOCS.write_text(head + BEGIN + "\n" + block + "\n" + END + tail)
    else:
        raise BenchError(f"{DOCS} has no '{BEGIN}' ... '{END}' markers; add them where the results belong")


def main():
    parser = argparse.ArgumentParser(description="Cairn vs Apache Kafka benchmark (see docs/benchmarks.md)")
    parser.add_argument("--quick", action="store_true", help="tiny record counts, 1 repetition: a smoke run")
    parser.add_argument("--reps", type=int, help="repetitions per system (default 3, quick 1)")
    parser.add_argument("--only", help="comma-separated workloads: " + ",".join(w.key for w in workloads()))
    parser.add_argument("--partitions", default=",".join(map(str, PARTITIONS)))
    parser.add_argument("--systems", default="kafka,cairn", help="kafka,cairn (one alone for debugging)")
    parser.add_argument("--tmp-dir", help="where the brokers' data directories go (default: system temp)")
    parser.add_argument("--pid-file", help="broker pids are appended here (read by vs-kafka.sh's exit trap)")
    parser.add_argument("--keep-data", action="store_true", help="keep topics and data directories")
    parser.add_argument("--update-docs", action="store_true", help="write the results into docs/benchmarks.md")
    parser.add_argument("--stop-at", metavar="HH:MM",
                        help="UTC time after which no further workload starts; the report says what was left out")
    args = parser.parse_args()
    run = Run(args)
    run.load_at_start = " ".join(Path("/proc/loadavg").read_text().split()[:3])

    def on_signal(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGTERM, on_signal)
    try:
        return run.execute()
    except BenchError as e:
        log(f"FAILED: {e}")
        return 2
    except KeyboardInterrupt:
        log("interrupted; brokers stopped")
        return 130


if __name__ == "__main__":
    sys.exit(main())
