#!/usr/bin/env python3
"""Counts the fsyncs a drain costs per batch, by file, under strace.

One benchmark worker (the harness's BenchWorker, in the tools jar) per setting: it queues the
readings, then drains them, either through the source alone (a gateway that accepts at once) or
through the engine and HTTP to a loopback server here that accepts everything. strace records
every fsync and fdatasync with its time and file; only those between the drain's start and end
(which the worker reports) count, so the load's own syncs do not.

  python3 docs/power-cuts/count-fsyncs.py --jar=sync-examples/target/meter-sync-tools.jar \
      --readings=100000 --settings="journal_mode=WAL&synchronous=FULL&busy_timeout=5000"

Needs strace and java.
"""

import argparse
import collections
import gzip
import http.server
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading

SETTINGS = [
    "journal_mode=WAL&synchronous=FULL&busy_timeout=5000",
    "journal_mode=WAL&synchronous=NORMAL&busy_timeout=5000",
    "journal_mode=DELETE&synchronous=FULL&busy_timeout=5000",
    "journal_mode=DELETE&synchronous=EXTRA&busy_timeout=5000",
    "h2",
]
H2_PARAMS = ";NON_KEYWORDS=VALUE;WRITE_DELAY=0;CACHE_SIZE=4096"
LINE = re.compile(r"^(\d+)\s+(\d+\.\d+)\s+(fsync|fdatasync)\((\d+)<([^>]*)>\)\s+=\s+(-?\d+)")


class AcceptAll(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path.endswith("/v1/auth/token"):
            body = {"accessToken": "t", "tokenType": "Bearer", "expiresIn": 3600}
        elif self.path.endswith("/v1/readings/batches"):
            if self.headers.get("Content-Encoding") == "gzip":
                raw = gzip.decompress(raw)
            readings = json.loads(raw)["readings"]
            body = {"batchId": self.headers["Idempotency-Key"], "accepted": len(readings),
                    "rejected": []}
        else:
            body = {}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()


def kind(path, scratch, base):
    if path == scratch:
        return "directory"
    name = os.path.basename(path)
    if os.path.dirname(path) != scratch or not name.startswith(base):
        return path
    return name[len(base):] or "database"


def measure(args, settings, scenario, server):
    scratch = tempfile.mkdtemp(prefix="fsyncs-", dir=args.work)
    if settings == "h2":
        url, base = "jdbc:h2:file:" + os.path.join(scratch, "bench") + H2_PARAMS, "bench"
    else:
        url, base = "jdbc:sqlite:" + os.path.join(scratch, "bench.db") + "?" + settings, "bench.db"
    trace = os.path.join(scratch, "trace")
    cmd = ["strace", "--seccomp-bpf", "-f", "-ttt", "-y", "-e", "trace=fsync,fdatasync", "-o",
           trace, "java", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", args.jar,
           "com.meterit.sync.examples.tools.bench.BenchWorker", "scenario=" + scenario, "db=" + url,
           "readings=%d" % args.readings, "batch=%d" % args.batch, "warmup=0"]
    if scenario == "drain":
        cmd.append("server=%s" % server)
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    result = json.loads([l for l in out.splitlines() if l.startswith("RESULT ")][0][7:])
    start, end = result["startEpochMillis"] / 1000.0, result["endEpochMillis"] / 1000.0
    counts = collections.Counter()
    with open(trace) as f:
        for line in f:
            m = LINE.match(line)
            if m and start <= float(m.group(2)) <= end:
                counts[kind(m.group(5), scratch, base)] += 1
    shutil.rmtree(scratch, ignore_errors=True)
    return result, counts


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--jar", default="sync-examples/target/meter-sync-tools.jar")
    p.add_argument("--readings", type=int, default=100000)
    p.add_argument("--batch", type=int, default=1000)
    p.add_argument("--settings", default=",".join(SETTINGS),
                   help="comma-separated SQLite URL settings, or h2")
    p.add_argument("--scenarios", default="jdbc,drain", help="jdbc (queue alone), drain")
    p.add_argument("--work", default=tempfile.gettempdir())
    args = p.parse_args()
    args.jar = os.path.abspath(args.jar)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), AcceptAll)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = "http://127.0.0.1:%d/api" % server.server_address[1]
    print("| settings | measurement | batches | fsyncs in the drain | per batch | by file |")
    print("| --- | --- | --- | --- | --- | --- |")
    for settings in args.settings.split(","):
        for scenario in args.scenarios.split(","):
            result, counts = measure(args, settings, scenario, url)
            total = sum(counts.values())
            batches = result["batches"]
            print("| %s | %s | %d | %d | %.2f | %s |" % (
                "H2 `WRITE_DELAY=0`" if settings == "h2" else "`%s`" % settings.replace(
                    "&busy_timeout=5000", ""),
                "queue alone" if scenario == "jdbc" else "drain",
                batches, total, total / max(1, batches),
                ", ".join("%s %d" % kv for kv in sorted(counts.items())) or "none"), flush=True)


if __name__ == "__main__":
    main()
