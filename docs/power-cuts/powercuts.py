#!/usr/bin/env python3
"""Power cuts against the agent jar, as shipped: how many readings are lost or counted twice.

The agent drains a seeded Sync Database into a strict Client System (in this process) while
running under the powercut shim (LD_PRELOAD). At a random moment it is killed with SIGKILL, the
files are rolled back as a power cut would leave them (powercut-restore: every unsynced write
lost, or a random half of the unsynced 4 KiB pages kept), and it is started again, with another
batch size, so that a batch the gateway forgot would come back under another Idempotency-Key.
After the last cut the agent drains to the end and the ledger is checked.

  python3 docs/power-cuts/powercuts.py --powercut=/work/pc --jar=sync-examples/target/meter-sync-agent.jar \
      --work=/tmp/powercuts --modes=sqlite-wal-full --models=full,half --runs=2 --cuts=10
  python3 docs/power-cuts/powercuts.py --table=/tmp/powercuts/results.jsonl

Every result is one JSON line in WORK/results.jsonl; --table turns them into the markdown table of
docs/power-cuts.md. Standard library only; needs java, and sqlite3 for the SQLite modes.
"""

import argparse
import collections
import gzip
import http.server
import json
import os
import random
import re
import shutil
import signal
import struct
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
KEY = "powercut-key"
TOKEN = "powercut-token"
SQLITE_DB = "meter-sync.db"

# The SQLite settings go in the URL: sqlite-jdbc applies them on every connection it opens.
MODES = {
    # No SYNC_DB_URL: the agent's own default, ./data/meter-sync.db with the library's PRAGMAs.
    "sqlite-default": "",
    "sqlite-wal-full": "journal_mode=WAL&synchronous=FULL",
    "sqlite-wal-normal": "journal_mode=WAL&synchronous=NORMAL",
    "sqlite-delete-full": "journal_mode=DELETE&synchronous=FULL",
    "sqlite-delete-extra": "journal_mode=DELETE&synchronous=EXTRA",
    # The agent's H2 URL of before issue 21, without AUTO_SERVER.
    "h2": None,
}
H2_PARAMS = ";NON_KEYWORDS=VALUE;DB_CLOSE_DELAY=-1;WRITE_DELAY=0;CACHE_SIZE=4096"
MODELS = {"full": None, "half": 0.5}


def url_for(mode, db_dir):
    if mode == "h2":
        return "jdbc:h2:file:" + os.path.join(db_dir, "meter-sync") + H2_PARAMS
    if mode == "sqlite-default":
        return "jdbc:sqlite:" + os.path.join(db_dir, SQLITE_DB)
    return ("jdbc:sqlite:" + os.path.join(db_dir, SQLITE_DB) + "?" + MODES[mode]
            + "&busy_timeout=5000")


def expected_value(i):
    return "%d.%03d" % (i, i % 1000)


class UndoWatch:
    """Follows the shim's undo logs as they grow: which tracked files hold unsynced writes now."""

    HEADER = 24
    REC = struct.Struct("<IBBHHHIQQQQQQQ")  # the shim's 72-byte record header

    def __init__(self, log_dir):
        self.log_dir = log_dir
        self.offsets = {}
        self.pending = {}  # path -> timestamps of writes no sync covers yet

    def update(self):
        for name in os.listdir(self.log_dir):
            path = os.path.join(self.log_dir, name)
            at = self.offsets.get(name, self.HEADER)
            with open(path, "rb") as f:
                f.seek(at)
                data = f.read()
            pos = 0
            while pos + self.REC.size <= len(data):
                (_, kind, _, plen, p2len, _, _, _, ts, _, old_len, _, sync_ts,
                 _) = self.REC.unpack_from(data, pos)
                end = pos + self.REC.size + plen + p2len + old_len
                if end > len(data):
                    break  # a record still being written
                file = data[pos + self.REC.size:pos + self.REC.size + plen].decode(errors="replace")
                kind = chr(kind)
                if kind in "WC":
                    self.pending.setdefault(file, []).append(ts)
                elif kind == "S":
                    self.pending[file] = [t for t in self.pending.get(file, []) if t >= sync_ts]
                elif kind == "A":
                    self.pending = {f: [t for t in v if t >= sync_ts]
                                    for f, v in self.pending.items()}
                elif kind == "D":
                    self.pending.pop(file, None)
                pos = end
            self.offsets[name] = at + pos

    def unsynced(self):
        """Database files with unsynced writes: not SQLite's shared-memory index (rebuilt after a
        crash), not the drainer's lock files (their contents never matter)."""
        return sorted(f for f, v in self.pending.items()
                      if v and not f.endswith(("-shm", ".lock")) and ".locks/" not in f)


def all_stopped(pid):
    try:
        for task in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/stat" % (pid, task)) as f:
                if f.read().rsplit(")", 1)[1].split()[0] not in ("T", "t"):
                    return False
    except (FileNotFoundError, ProcessLookupError):
        return False
    return True


class Ledger:
    """What the Client System received: every batch by key, every reading by id."""

    def __init__(self):
        self.lock = threading.Lock()
        self.batches = {}          # key -> (content digest, answer bytes)
        self.keys_by_id = {}       # reading id -> set of keys it arrived under
        self.wrong_values = 0      # readings whose value differs from the one seeded
        self.conflicts = 0         # a known key with other content
        self.posts = 0             # batch uploads received, replays included

    def record(self, key, body):
        readings = body.get("readings", [])
        content = json.dumps(readings, sort_keys=True)
        with self.lock:
            self.posts += 1
            if key in self.batches:
                if self.batches[key][0] != content:
                    self.conflicts += 1
                    return 409, b'{"error":"idempotency key reused with other content"}'
                return 200, self.batches[key][1]
            for r in readings:
                rid = int(r["id"])
                self.keys_by_id.setdefault(rid, set()).add(key)
                if str(r.get("value")) != expected_value(rid):
                    self.wrong_values += 1
            answer = json.dumps({"batchId": key, "accepted": len(readings),
                                 "rejected": []}).encode()
            self.batches[key] = (content, answer)
            return 200, answer

    def snapshot(self):
        with self.lock:
            return self.posts, len(self.keys_by_id)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    ledger = None
    max_delay = 0.0

    def log_message(self, *args):
        pass

    def handle(self):
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _send(self, status, body=b""):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the agent was cut while it waited for this answer

    def _body(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.headers.get("Content-Encoding", "") == "gzip":
            raw = gzip.decompress(raw)
        # Values stay the decimal text the gateway sent: 1234.500 must not become 1234.5.
        return json.loads(raw.decode("utf-8"), parse_float=str, parse_int=str) if raw else {}

    def do_GET(self):
        if self.path.endswith("/v1/health"):
            self._send(200, b'{"status":"ok"}')
        elif re.search(r"/v1/gateways/[^/]+/config$", self.path):
            if self.headers.get("If-None-Match") == '"1"':
                self._send(304)
            else:
                self.send_response(200)
                body = b'{"version":"1"}'
                self.send_header("ETag", '"1"')
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
        else:
            self._send(404)

    def do_POST(self):
        body = self._body()
        if self.path.endswith("/v1/auth/token"):
            if self.headers.get("X-Api-Key") != KEY:
                return self._send(401)
            return self._send(200, json.dumps({"accessToken": TOKEN, "tokenType": "Bearer",
                                               "expiresIn": 3600}).encode())
        if self.headers.get("Authorization") != "Bearer " + TOKEN:
            return self._send(401)
        if self.path.endswith("/v1/readings/batches"):
            key = self.headers.get("Idempotency-Key", "")
            if not key or body.get("batchId") != key:
                return self._send(400, b'{"error":"batchId must equal Idempotency-Key"}')
            status, answer = self.ledger.record(key, body)
            # Recorded first, answered later: a cut in between leaves a batch the server has and
            # the gateway has not settled, the case the journal is for.
            time.sleep(random.uniform(0, self.max_delay))
            return self._send(status, answer)
        if re.search(r"/v1/gateways/[^/]+/heartbeat$", self.path):
            return self._send(204)
        self._send(404)


def start_server(ledger, max_delay):
    handler = type("RunHandler", (Handler,), {"ledger": ledger, "max_delay": max_delay})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class Run:
    def __init__(self, args, mode, model, index):
        self.args = args
        self.mode = mode
        self.model = model
        self.seed = args.seed * 1000 + index
        self.rng = random.Random(self.seed)
        name = "%s-%s-%s%d" % (mode, model, "aimed-" if args.aim else "", index)
        self.root = os.path.join(os.path.abspath(args.work), name)
        shutil.rmtree(self.root, ignore_errors=True)
        # The default mode's agent runs in root and finds ./data/meter-sync.db there.
        self.db_dir = os.path.join(self.root, "data" if mode == "sqlite-default" else "db")
        self.undo_dir = os.path.join(self.root, "undo")
        self.log_dir = os.path.join(self.root, "logs")
        for d in (self.db_dir, self.undo_dir, self.log_dir):
            os.makedirs(d)
        self.url = url_for(mode, self.db_dir)
        self.ledger = Ledger()
        self.server = start_server(self.ledger, args.server_delay)
        self.api = "http://127.0.0.1:%d/api" % self.server.server_address[1]
        self.starts = 0

    def env(self, batch_size, shim):
        env = dict(os.environ)
        env.update({"CLIENT_API_URL": self.api, "CLIENT_API_KEY": KEY, "GATEWAY_ID": "gw-powercut",
                    "SYNC_INTERVAL_MINUTES": "0.05", "BATCH_SIZE": str(batch_size),
                    "LOG_LEVEL": "info"})
        env.pop("SYNC_DB_URL", None)
        if self.mode != "sqlite-default":
            env["SYNC_DB_URL"] = self.url
        if shim:
            env.update({"LD_PRELOAD": os.path.join(self.args.powercut, "libpowercut.so"),
                        "POWERCUT_DIR": self.db_dir, "POWERCUT_LOG": self.undo_dir})
        return env

    def start_agent(self, batch_size, shim=True):
        self.starts += 1
        log = open(os.path.join(self.log_dir, "agent-%02d.log" % self.starts), "wb")
        proc = subprocess.Popen(["java", "-Xmx128m", "-jar", self.args.jar],
                                env=self.env(batch_size, shim), stdout=log,
                                stderr=subprocess.STDOUT, cwd=self.root)
        proc.log_path = log.name
        log.close()
        return proc

    def log_text(self, proc):
        with open(proc.log_path, "r", errors="replace") as f:
            return f.read()

    def seed_database(self):
        # The agent creates its own schema; the readings go in afterwards with a plain client, as
        # a collector would, and that client closes the file cleanly (the cuts start from there).
        proc = self.start_agent(100, shim=False)
        deadline = time.time() + 60
        # "Syncing" is logged once the schema is in place.
        while "Syncing " not in self.log_text(proc) and time.time() < deadline:
            if proc.poll() is not None:
                raise SystemExit("the agent exited %s before creating the schema:\n%s"
                                 % (proc.returncode, self.log_text(proc)))
            time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)
        n = self.args.readings
        if self.mode == "h2":
            sql = ("INSERT INTO meter_readings (meter_id, read_at, value, unit) SELECT "
                   "'meter-' || MOD(X, 100), TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00' "
                   "+ (X / 100) * INTERVAL '15' MINUTE, CAST(X AS VARCHAR) || '.' || "
                   "LPAD(CAST(MOD(X, 1000) AS VARCHAR), 3, '0'), 'kWh' "
                   "FROM SYSTEM_RANGE(1, %d)" % n)
            subprocess.run(["java", "-cp", self.args.jar, "org.h2.tools.Shell", "-url", self.url,
                            "-sql", sql], check=True, stdout=subprocess.DEVNULL)
        else:
            sql = ("WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < %d) "
                   "INSERT INTO meter_readings (meter_id, read_at, value, unit) "
                   "SELECT 'meter-' || (i %% 100), strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', "
                   "1767225600 + (i / 100) * 900, 'unixepoch'), printf('%%d.%%03d', i, i %% 1000), "
                   "'kWh' FROM c;" % n)
            subprocess.run(["sqlite3", os.path.join(self.db_dir, SQLITE_DB), sql], check=True)
        self.check_ids_match_seed()

    def check_ids_match_seed(self):
        if self.mode == "h2":
            return  # SYSTEM_RANGE gives ids 1..N on the fresh table the agent created
        out = subprocess.run(["sqlite3", os.path.join(self.db_dir, SQLITE_DB),
                              "SELECT MIN(id), MAX(id), COUNT(*) FROM meter_readings"],
                             check=True, capture_output=True, text=True).stdout.strip()
        if out != "1|%d|%d" % (self.args.readings, self.args.readings):
            raise SystemExit("seeded ids are not 1..N: " + out)

    def pragmas(self):
        """The settings a connection of this URL has in force, read through sqlite-jdbc."""
        if self.mode == "h2":
            return {}
        if self.mode == "sqlite-default":
            # The library sets them on its own connections; the journal mode is kept in the file.
            out = subprocess.run(["sqlite3", os.path.join(self.db_dir, SQLITE_DB),
                                  "PRAGMA journal_mode"], check=True, capture_output=True,
                                 text=True).stdout.strip()
            return {"journal_mode (in the file)": out}
        scratch = os.path.join(self.root, "pragma-check")
        os.makedirs(scratch, exist_ok=True)
        url = url_for(self.mode, scratch)
        out = subprocess.run(["java", "-cp", self.args.jar,
                              os.path.join(HERE, "PragmaCheck.java"), url],
                             check=True, capture_output=True, text=True).stdout
        return json.loads(out)

    def restore(self):
        cmd = [os.path.join(self.args.powercut, "powercut-restore"), self.undo_dir]
        if MODELS[self.model] is not None:
            cmd += ["--keep-fraction", str(MODELS[self.model]),
                    "--seed", str(self.rng.randrange(1 << 30))]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip()
        return out

    def integrity(self):
        """PRAGMA integrity_check on a copy, so that the check's own recovery changes nothing."""
        if self.mode == "h2":
            return "n/a"
        copy = os.path.join(self.root, "check")
        shutil.rmtree(copy, ignore_errors=True)
        os.makedirs(copy)
        for name in os.listdir(self.db_dir):
            if name.startswith(SQLITE_DB) and os.path.isfile(os.path.join(self.db_dir, name)):
                shutil.copy(os.path.join(self.db_dir, name), copy)
        res = subprocess.run(["sqlite3", os.path.join(copy, SQLITE_DB), "PRAGMA integrity_check"],
                             capture_output=True, text=True)
        return (res.stdout + res.stderr).strip()

    def aimed_cut(self, proc):
        """Freezes the agent (SIGSTOP) again and again until a file holds unsynced writes, and
        kills it there: a cut at the moment that instant's power loss would roll something back.
        False when no such moment came within --aim-seconds (the caller kills it anyway)."""
        watch = UndoWatch(self.undo_dir)
        deadline = time.time() + self.args.aim_seconds
        while time.time() < deadline and proc.poll() is None:
            os.kill(proc.pid, signal.SIGSTOP)
            frozen_by = time.time() + 0.5
            while not all_stopped(proc.pid) and time.time() < frozen_by:
                time.sleep(0.0005)
            watch.update()
            if watch.unsynced():
                proc.kill()
                return True
            os.kill(proc.pid, signal.SIGCONT)
            time.sleep(self.rng.uniform(0, 0.01))
        return False

    def wait_for_progress(self, proc, posts_before, timeout):
        """'ok' once the restarted agent uploads (or finds nothing left), else why not."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if proc.poll() is not None:
                return "exited %d" % proc.returncode
            posts, received = self.ledger.snapshot()
            if posts > posts_before:
                return "ok"
            if received >= self.args.readings and "run SUCCEEDED" in self.log_text(proc):
                return "ok"
            time.sleep(0.05)
        return "stalled"

    def execute(self):
        t0 = time.time()
        self.seed_database()
        pragmas = self.pragmas()
        result = {"mode": self.mode, "model": self.model, "seed": self.seed, "url": self.url,
                  "pragmas": pragmas, "readings": self.args.readings, "cuts": 0,
                  "restarts_ok": 0, "restarts_failed": [], "corrupted": 0, "integrity": [],
                  "batch_sizes": []}
        batch = self.rng.choice(self.args.batch_sizes)
        result["batch_sizes"].append(batch)
        proc = self.start_agent(batch)
        state = self.wait_for_progress(proc, 0, 90)
        if state != "ok":
            raise SystemExit("the first start did not upload (%s): %s" % (state, proc.log_path))
        result["aimed_hits"] = 0
        for cut in range(self.args.cuts):
            time.sleep(self.rng.uniform(0, self.args.max_cut_delay))
            if self.args.aim and self.aimed_cut(proc):
                result["aimed_hits"] += 1
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            result["cuts"] += 1
            result["restore_" + str(cut)] = self.restore()
            check = self.integrity()
            if check not in ("ok", "n/a"):
                result["corrupted"] += 1
                result["integrity"].append(check[:300])
            # Never the same size twice in a row: a batch the gateway forgot cannot come back
            # identical by luck, and so unnoticed.
            batch = self.rng.choice([b for b in self.args.batch_sizes if b != batch])
            result["batch_sizes"].append(batch)
            last = cut == self.args.cuts - 1
            posts_before = self.ledger.snapshot()[0]
            # The restart after the last cut is the final drain: no shim, no more cuts.
            proc = self.start_agent(batch, shim=not last)
            state = self.wait_for_progress(proc, posts_before, 60)
            if state == "ok":
                result["restarts_ok"] += 1
            else:
                result["restarts_failed"].append({"after_cut": cut + 1, "state": state,
                                                  "log": proc.log_path})
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
                if re.search(r"corrupt|malformed", self.log_text(proc), re.I):
                    result["corrupted"] += 1
                break
        result["drain"] = self.final_drain(proc)
        self.server.shutdown()
        self.server.server_close()
        received = self.ledger.keys_by_id
        n = self.args.readings
        result["received"] = len([i for i in received if 1 <= i <= n])
        result["lost"] = len([i for i in range(1, n + 1) if i not in received])
        result["in_two_batches"] = len([i for i, keys in received.items() if len(keys) > 1])
        result["unknown_ids"] = len([i for i in received if not 1 <= i <= n])
        result["wrong_values"] = self.ledger.wrong_values
        result["conflicts"] = self.ledger.conflicts
        result["uploads"] = self.ledger.posts
        result["batches"] = len(self.ledger.batches)
        result["seconds"] = round(time.time() - t0, 1)
        return result

    def final_drain(self, proc):
        deadline = time.time() + self.args.drain_timeout
        outcome = "timeout"
        while time.time() < deadline:
            if proc.poll() is not None:
                outcome = "exited %d" % proc.returncode
                break
            if self.ledger.snapshot()[1] >= self.args.readings and re.search(
                    r"run SUCCEEDED \| state=IDLE \| pending=0 ", self.log_text(proc)):
                outcome = "drained"
                break
            time.sleep(0.2)
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        status = subprocess.run(["java", "-jar", self.args.jar, "status", "--json"],
                                env=self.env(100, False), capture_output=True, text=True,
                                cwd=self.root)
        try:
            pending = json.loads(status.stdout).get("pending")
        except ValueError:
            pending = "status exited %d: %s" % (status.returncode,
                                                (status.stdout + status.stderr).strip()[-300:])
        return {"outcome": outcome, "agent_exit": proc.returncode, "pending_after": pending}


def cut_table(path):
    """Where the cuts fell: how many rolled back unsynced writes of each file."""
    rows = {}
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            agg = rows.setdefault((r["mode"], r["model"]), collections.Counter())
            for key, value in r.items():
                if not key.startswith("restore_"):
                    continue
                agg["cuts"] += 1
                for file in json.loads(value)["files"]:
                    if file.get("pendingRecords", 0) > 0:
                        name = os.path.basename(file["path"])
                        name = re.sub(r"^(meter-sync\.db|meter-sync)", "", name) or "database"
                        agg[name] += 1
    print("| mode | roll-back model | cuts | cuts that rolled back unsynced writes, by file |")
    print("| --- | --- | --- | --- |")
    order = list(MODES)
    for (mode, model), agg in sorted(rows.items(), key=lambda kv: (order.index(kv[0][0]),
                                                                   kv[0][1])):
        files = ", ".join("%s %d" % (k, v) for k, v in sorted(agg.items()) if k != "cuts")
        print("| %s | %s | %d | %s |" % (mode, model, agg["cuts"], files or "none"))


def table(path):
    rows = {}
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            key = (r["mode"], r["model"])
            agg = rows.setdefault(key, {"runs": 0, "cuts": 0, "lost": 0, "two": 0, "ok": 0,
                                        "corrupt": 0, "wrong": 0, "url": r["url"]})
            agg["runs"] += 1
            agg["cuts"] += r["cuts"]
            agg["lost"] += r["lost"]
            agg["two"] += r["in_two_batches"]
            agg["ok"] += r["restarts_ok"]
            agg["corrupt"] += r["corrupted"]
            agg["wrong"] += r["wrong_values"] + r["conflicts"] + r["unknown_ids"]
            agg["replayed"] = agg.get("replayed", 0) + r["uploads"] - r["batches"] - r["conflicts"]
    cut_table(path)
    print()
    print("| mode | roll-back model | runs | cuts | lost | in two batches | restarts OK | "
          "corruptions | wrong or conflicting | uploads replayed under their key |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    order = list(MODES)
    for (mode, model), a in sorted(rows.items(), key=lambda kv: (order.index(kv[0][0]),
                                                                  kv[0][1])):
        print("| %s | %s | %d | %d | %d | %d | %d of %d | %d | %d | %d |" % (
            mode, "all unsynced writes lost" if model == "full" else "random half of unsynced pages kept",
            a["runs"], a["cuts"], a["lost"], a["two"], a["ok"], a["cuts"], a["corrupt"],
            a["wrong"], a["replayed"]))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--jar", default="sync-examples/target/meter-sync-agent.jar")
    p.add_argument("--powercut", default="/work/pc", help="a built copy of shared/powercut")
    p.add_argument("--work", default="/tmp/powercuts")
    p.add_argument("--modes", default=",".join(m for m in MODES if m != "sqlite-default"),
                   help="any of " + ", ".join(MODES))
    p.add_argument("--models", default="full,half")
    p.add_argument("--runs", type=int, default=2, help="runs per mode and model")
    p.add_argument("--cuts", type=int, default=10, help="cuts per run")
    p.add_argument("--readings", type=int, default=20000)
    p.add_argument("--batch-sizes", default="50,80,120",
                   help="each start draws another, so a forgotten batch comes back under a new key")
    p.add_argument("--server-delay", type=float, default=0.15,
                   help="the longest pause, in seconds, between recording a batch and answering")
    p.add_argument("--max-cut-delay", type=float, default=1.5,
                   help="a cut falls this many seconds at most after the first upload")
    p.add_argument("--aim", action="store_true",
                   help="after the random delay, cut only at a moment with unsynced writes")
    p.add_argument("--aim-seconds", type=float, default=5,
                   help="how long --aim looks for such a moment before cutting anyway")
    p.add_argument("--drain-timeout", type=float, default=120)
    p.add_argument("--seed", type=int, default=21)
    p.add_argument("--table", help="print the table of a results.jsonl and stop")
    args = p.parse_args()
    if args.table:
        table(args.table)
        return
    args.jar = os.path.abspath(args.jar)
    args.powercut = os.path.abspath(args.powercut)
    args.batch_sizes = [int(b) for b in args.batch_sizes.split(",")]
    os.makedirs(args.work, exist_ok=True)
    results = os.path.join(args.work, "results.jsonl")
    index = 0
    for run in range(args.runs):
        for mode in args.modes.split(","):
            for model in args.models.split(","):
                index += 1
                r = Run(args, mode, model, index).execute()
                with open(results, "a") as f:
                    f.write(json.dumps(r) + "\n")
                print("%-20s %-4s cuts=%d lost=%d two=%d restarts_ok=%d corrupted=%d drain=%s "
                      "(%.0f s)" % (mode, model, r["cuts"], r["lost"], r["in_two_batches"],
                                    r["restarts_ok"], r["corrupted"], r["drain"], r["seconds"]),
                      flush=True)
    table(results)


if __name__ == "__main__":
    main()
