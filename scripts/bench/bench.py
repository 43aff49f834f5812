#!/usr/bin/env python
"""The benchmark of edge.cloudfront: our plugins side by side with what users would use instead.

usage: python scripts/bench/bench.py [--parts 1,2,3,4] [--repeats N] [--json PATH] [--quick]

Run it through scripts/bench.sh (which finds the venv, the AWS CLI and the installed collection).
Everything talks to 127.0.0.1 only: the project's CloudFront emulator (tests/emulator/cloudfront_emulator.py,
in a process of its own, so its CPU is never counted) and, for amazon.aws.aws_caller_info, a tiny fake
STS/IAM responder (scripts/bench/fake_sts.py). Every measured command is a child process; its wall
time comes from time.monotonic() and its CPU (user + system, itself and every descendant it reaped:
ansible-playbook's workers and module processes) from os.wait4()'s rusage.

Method: medians over repeated runs; compared commands are interleaved (A B C D, A B C D, ...) and
ratios are computed pair by pair within one round, then their median is reported. Nothing here is a
test: a missed target is printed as MISSED and the exit status stays 0 (unless the benchmark itself
breaks, e.g. a command fails or returns wrong results).
"""

import argparse
import json
import math
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import datetime

HERE = os.path.dirname(os.path.abspath(__file__))
PLAYBOOKS = os.path.join(HERE, "playbooks")
LATENCY_MS = 20
TENANT_PAGE = 100  # the module lists 100 tenants per ListDistributionTenants page

# ---------------------------------------------------------------------------------------------
# processes
# ---------------------------------------------------------------------------------------------


class Proc:
    """A child process whose wall time and CPU (rusage of it and its reaped descendants) are measured."""

    def __init__(self, name, cmd, env, cwd, timeout):
        self.name = name
        self.cmd = cmd
        self.out = tempfile.TemporaryFile()
        self.err = tempfile.TemporaryFile()
        self.started = time.monotonic()
        self.started_wall = time.time()
        self.popen = subprocess.Popen(  # pylint: disable=consider-using-with
            cmd, stdout=self.out, stderr=self.err, stdin=subprocess.DEVNULL, env=env, cwd=cwd, start_new_session=True
        )
        self.timed_out = False
        self.timer = threading.Timer(timeout, self._kill)
        self.timer.daemon = True
        self.timer.start()

    def _kill(self):
        try:  # exited already (a zombie not reaped yet): not a timeout
            if os.waitid(os.P_PID, self.popen.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
                return
        except ChildProcessError:
            return
        self.timed_out = True
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)  # our own child's session only
        except OSError:
            pass

    def finish(self):
        dummy, status, usage = os.wait4(self.popen.pid, 0)
        self.wall = time.monotonic() - self.started
        self.ended = time.monotonic()
        self.timer.cancel()
        self.popen.returncode = self.rc = os.waitstatus_to_exitcode(status)
        self.cpu = usage.ru_utime + usage.ru_stime
        self.out.seek(0)
        self.err.seek(0)
        self.stdout = self.out.read().decode("utf-8", "replace")
        self.stderr = self.err.read().decode("utf-8", "replace")
        self.out.close()
        self.err.close()
        return self

    def check(self, ok=True, what=""):
        if self.timed_out or self.rc != 0 or not ok:
            tail = (self.stdout[-1500:] + "\n" + self.stderr[-1500:]).strip()
            raise BenchError(
                f"{self.name} {'timed out' if self.timed_out else 'failed'} (rc {self.rc}) {what}\n"
                f"command: {' '.join(self.cmd)}\n{tail}"
            )
        return self


class BenchError(Exception):
    pass


class Server:
    """A helper server process (emulator or fake STS) that writes its URL to a file."""

    def __init__(self, cmd, env, workdir, name):
        self.url_file = os.path.join(workdir, name + ".url")
        self.log = open(os.path.join(workdir, name + ".log"), "wb")  # pylint: disable=consider-using-with
        self.popen = subprocess.Popen(  # pylint: disable=consider-using-with
            cmd + ["--url-file", self.url_file], stdout=self.log, stderr=self.log, env=env, start_new_session=True
        )
        deadline = time.monotonic() + 20
        while not os.path.exists(self.url_file):
            if self.popen.poll() is not None or time.monotonic() > deadline:
                raise BenchError(f"{name} did not start (see {self.log.name})")
            time.sleep(0.05)
        with open(self.url_file, encoding="utf-8") as handle:
            self.url = handle.read().strip()

    def stop(self):
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(10)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(5)
        self.log.close()


class Emulator(Server):
    def __init__(self, python, env, workdir):
        script = os.path.join(HERE, "..", "..", "tests", "emulator", "cloudfront_emulator.py")
        super().__init__([python, script, "--port", "0"], env, workdir, "emulator")

    def _call(self, method, path, data=None, timeout=60):
        body = None if data is None else json.dumps(data).encode()
        request = urllib.request.Request(self.url + "/_emulator/" + path, data=body, method=method)
        request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read().decode() or "null")

    def load(self, scenario):
        """Load a scenario; returns the monotonic time of the emulator's clock zero (+- the request's duration)."""
        before = time.monotonic()
        self._call("POST", "scenario", scenario)
        after = time.monotonic()
        self.zero = (before + after) / 2
        self.ids = {t["id"]: t for t in self._call("GET", "tenants")}
        return self.zero

    def requests(self):
        return self._call("GET", "requests")

    def clear(self):
        self._call("DELETE", "requests")

    def set_status(self, tenant, status):
        self._call("POST", f"tenants/{tenant}/status", {"status": status})

    def add_faults(self, faults):
        self._call("POST", "faults", faults)

    def clear_faults(self):
        self._call("DELETE", "faults")


# ---------------------------------------------------------------------------------------------
# the benchmark
# ---------------------------------------------------------------------------------------------


def median(values):
    return statistics.median(values) if values else float("nan")


def generated(count, prefix, distribution_id, certificate):
    return {"count": count, "name_prefix": prefix, "distribution_id": distribution_id, "certificate": certificate}


ISSUED = {"validation_token_host": "cloudfront", "statuses": ["issued"]}
PENDING = {"validation_token_host": "self-hosted", "statuses": ["pending-validation"]}


class Bench:
    def __init__(self, args):
        self.args = args
        self.python = sys.executable
        self.bindir = os.path.dirname(self.python)
        self.aws = args.aws
        self.workdir = tempfile.mkdtemp(prefix="edge-bench-")
        self.rows = []  # (part, what, measured, reference, ratio, target, verdict)
        self.results = {"machine": machine(), "started": datetime.now().isoformat(timespec="seconds"), "parts": {}}
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ANSIBLE_", "BOTO_"))}
        env.update(
            AWS_ACCESS_KEY_ID="AKIDBENCH0000000000",
            AWS_SECRET_ACCESS_KEY="bench-dummy-secret",
            AWS_DEFAULT_REGION="us-east-1",
            AWS_EC2_METADATA_DISABLED="true",
            AWS_CONFIG_FILE=os.devnull,
            AWS_SHARED_CREDENTIALS_FILE=os.devnull,
            ANSIBLE_COLLECTIONS_PATH=args.collections_path,
            ANSIBLE_LOCALHOST_WARNING="false",
            ANSIBLE_INVENTORY_UNPARSED_WARNING="false",
            ANSIBLE_NOCOLOR="1",
            ANSIBLE_RETRY_FILES_ENABLED="false",
            ANSIBLE_HOME=os.path.join(self.workdir, "ansible-home"),
            ANSIBLE_LOCAL_TEMP=os.path.join(self.workdir, "ansible-tmp"),
            ANSIBLE_PYTHON_INTERPRETER=self.python,
            PATH=self.bindir + os.pathsep + os.environ.get("PATH", ""),
            PYTHONDONTWRITEBYTECODE="1",
        )
        self.env = env
        self.play_env = dict(env, ANSIBLE_STDOUT_CALLBACK="ansible.posix.json")
        self.emulator = Emulator(self.python, env, self.workdir)
        self.sts = Server(
            [self.python, os.path.join(HERE, "fake_sts.py"), "--latency-ms", str(LATENCY_MS)], env, self.workdir, "fake-sts"
        )
        self.url = self.emulator.url

    def close(self):
        self.emulator.stop()
        self.sts.stop()

    # ---- helpers ---------------------------------------------------------------------------------
    def start(self, name, cmd, timeout=300, play=False):
        return Proc(name, cmd, self.play_env if play else self.env, self.workdir, timeout)

    def run(self, name, cmd, timeout=300, play=False):
        return self.start(name, cmd, timeout, play).finish()

    def playbook(self, name, extra_vars, verbose=False):
        cmd = [os.path.join(self.bindir, "ansible-playbook"), os.path.join(PLAYBOOKS, name), "-e", json.dumps(extra_vars)]
        return cmd + (["-v"] if verbose else [])

    @staticmethod
    def play_result(proc):
        """The json callback's document: the task results by task name, and the task durations."""
        text = proc.stdout
        index = text.find("{\n")
        while index > 0 and text[index - 1] != "\n":
            index = text.find("{\n", index + 1)
        document = json.loads(text[index:])
        tasks = {}
        for play in document["plays"]:
            for task in play["tasks"]:
                tasks[task["task"]["name"]] = {
                    "result": task["hosts"].get("localhost", {}),
                    "start": parse_time(task["task"]["duration"]["start"]),
                    "end": parse_time(task["task"]["duration"]["end"]),
                }
        return tasks, text[:index]

    def row(self, part, what, measured, reference="", ratio="", target="", verdict=""):
        self.rows.append((part, what, measured, reference, ratio, target, verdict))
        print(f"  {what}: {measured}  {reference}  {ratio}  {target} {verdict}".rstrip(), flush=True)

    def verdict(self, name, met, note):
        self.results.setdefault("targets", []).append({"target": name, "met": bool(met), "note": note})
        return "met" if met else "MISSED"

    # ---- part 1 ----------------------------------------------------------------------------------
    def part1(self):
        print("== 1. one certificate read (ad hoc), 20 ms latency", flush=True)
        self.emulator.load({
            "latency_ms": LATENCY_MS,
            "tenants": [{"name": "bench-one", "distribution_id": "EBENCHONE", "domains": ["one.example.com"],
                         "certificate": PENDING}],
        })
        ansible = os.path.join(self.bindir, "ansible")
        commands = {
            "ours": ([ansible, "localhost", "-m", "edge.cloudfront.cloudfront_managed_certificate_info",
                      "-a", f"identifier=bench-one region=us-east-1 endpoint_url={self.url}"], "pending-validation"),
            "caller_info": ([ansible, "localhost", "-m", "amazon.aws.aws_caller_info",
                             "-a", f"region=us-east-1 endpoint_url={self.sts.url}"], "123456789012"),
            "awscli": ([self.aws, "cloudfront", "get-managed-certificate-details", "--identifier", "bench-one",
                        "--endpoint-url", self.url, "--region", "us-east-1", "--output", "json"], "pending-validation"),
            "boto3": ([self.python, os.path.join(HERE, "raw_read.py"), self.url, "bench-one"], "pending-validation"),
        }
        walls = {name: [] for name in commands}
        cpus = {name: [] for name in commands}
        for round_number in range(self.args.repeats1 + 1):  # round 0 warms caches, not counted
            for name, (cmd, expect) in commands.items():
                proc = self.run(name, cmd, timeout=60)
                proc.check(expect in proc.stdout, f"(expected {expect!r} in its output)")
                if round_number:
                    walls[name].append(proc.wall)
                    cpus[name].append(proc.cpu)
        ratio = {name: median([a / b for a, b in zip(walls["ours"], walls[name])]) for name in commands}
        part = self.results["parts"]["1"] = {
            "repeats": self.args.repeats1,
            "wall_median": {n: median(v) for n, v in walls.items()},
            "cpu_median": {n: median(v) for n, v in cpus.items()},
            "ours_over": ratio,
            "walls": walls,
        }
        wm = part["wall_median"]
        met = ratio["caller_info"] <= 1.10
        self.row("1", "ad hoc edge...cloudfront_managed_certificate_info", f"{wm['ours']:.2f} s",
                 f"aws_caller_info {wm['caller_info']:.2f} s", f"{ratio['caller_info']:.2f}x", "<= 1.10x",
                 self.verdict("1 read vs aws_caller_info floor", met, f"{ratio['caller_info']:.2f}x"))
        self.row("1", "  (floor: ad hoc amazon.aws.aws_caller_info, fake STS+IAM, 2 requests)", f"{wm['caller_info']:.2f} s")
        self.row("1", "  aws cloudfront get-managed-certificate-details (CLI v1)", f"{wm['awscli']:.2f} s", "",
                 f"ours {ratio['awscli']:.2f}x")
        self.row("1", "  raw boto3 script", f"{wm['boto3']:.2f} s", "", f"ours {ratio['boto3']:.2f}x")

    # ---- part 2 + 4 ------------------------------------------------------------------------------
    def fleet_scenario(self):
        return {
            "latency_ms": LATENCY_MS,
            "generate": [generated(200, "small-", "EFLEET200", ISSUED), generated(1000, "large-", "EFLEET1000", ISSUED)],
        }

    def fleet_run(self, dist, count, prefix, conc, label):
        self.emulator.clear()
        proc = self.run(label, self.playbook("fleet.yml", {
            "endpoint": self.url, "dist": dist, "conc": conc, "expected": count, "prefix": prefix,
        }), timeout=240, play=True).check(what="(fleet read)")
        log = self.emulator.requests()
        tasks, dummy = self.play_result(proc)
        task = tasks["Read every managed certificate of the distribution"]
        span = (max(e["t"] + (e["duration"] or 0) for e in log) - min(e["t"] for e in log)) if log else 0.0
        return {"wall": proc.wall, "cpu": proc.cpu, "task": task["end"] - task["start"], "requests": len(log),
                "api_span": span, "entries": task["result"].get("managed_certificates"),
                "faulted": sum(1 for e in log if e.get("fault"))}

    def raw_fleet(self, dist, count, conc):
        command = [self.python, os.path.join(HERE, "raw_fleet.py"), self.url, dist, str(conc)]
        proc = self.run(f"raw boto3 fleet {count} c{conc}", command, timeout=120).check()
        summary = json.loads(proc.stdout)
        if summary["count"] != count or summary["issued"] != count:
            raise BenchError(f"raw boto3 fleet read returned {summary}")
        return summary["api"]

    def part2(self):
        print("== 2. fleet fact gathering (listing mode), 20 ms latency", flush=True)
        self.emulator.load(self.fleet_scenario())
        sizes = [(200, "EFLEET200", "small-"), (1000, "EFLEET1000", "large-")]
        concs = [1, 4, 16]
        runs = {}
        base = []
        self.fleet_run("EEMPTY", 0, "none-", 4, "warm-up")
        for round_number in range(self.args.repeats2):
            b = self.fleet_run("EEMPTY", 0, "none-", 4, "startup")
            # the module's startup: its task with one request (the empty listing), minus that request
            base.append({"module": b["task"] - LATENCY_MS / 1000.0, "playbook": b["wall"] - LATENCY_MS / 1000.0})
            for count, dist, prefix in sizes:
                for conc in concs:
                    if count == 1000 and conc == 1 and round_number >= self.args.repeats2_slow:
                        continue
                    r = self.fleet_run(dist, count, prefix, conc, f"fleet {count} c{conc}")
                    r["startup"] = base[-1]
                    if conc > 1:
                        r["raw_boto3"] = self.raw_fleet(dist, count, conc)
                    runs.setdefault((count, conc), []).append(r)
        loops = []
        for dummy in range(self.args.repeats_loop):
            b = self.fleet_run("EEMPTY", 0, "none-", 4, "startup")
            proc = self.run("loop 20", self.playbook("loop.yml", {"endpoint": self.url, "count": 20, "prefix": "large-"}),
                            timeout=240, play=True).check(what="(loop)")
            loops.append({"wall20": proc.wall, "startup_run": b["wall"], "per_item": (proc.wall - b["wall"]) / 19,
                          "cpu20": proc.cpu})
        per_item = median([x["per_item"] for x in loops])
        startup = {key: median([b[key] for b in base]) for key in ("module", "playbook")}
        part = self.results["parts"]["2"] = {"startup": startup, "fleet": {}, "loop": loops, "loop_per_item": per_item}
        self.row("2", "startup: ansible-playbook run with the module listing 0 tenants, minus its 1 request",
                 f"{startup['playbook']:.2f} s", f"of which the module task {startup['module']:.2f} s")
        for (count, conc), rs in sorted(runs.items()):
            pages = math.ceil(count / TENANT_PAGE)
            limit = (pages + math.ceil(count / conc)) * LATENCY_MS / 1000.0
            if any(r["requests"] != pages + count for r in rs):
                raise BenchError(f"fleet {count} c{conc}: {[r['requests'] for r in rs]} requests, expected {pages + count}")
            entry = part["fleet"][f"{count}/c{conc}"] = {
                "raw": median([r["wall"] for r in rs]),
                "net": median([r["task"] - r["startup"]["module"] for r in rs]),
                "ratio": median([(r["task"] - r["startup"]["module"]) / limit for r in rs]),
                "raw_minus_playbook_startup": median([r["wall"] - r["startup"]["playbook"] for r in rs]),
                "limit": limit, "api_span": median([r["api_span"] for r in rs]), "requests": rs[0]["requests"],
                "cpu": median([r["cpu"] for r in rs]), "runs": len(rs),
            }
            target, verdict = "", ""
            if conc > 1:
                entry["raw_boto3"] = median([r["raw_boto3"] for r in rs])
                entry["raw_boto3_ratio"] = median([r["raw_boto3"] / limit for r in rs])
                target = "<= 1.3x"
                verdict = self.verdict(f"2 fleet {count} c{conc} vs limit", entry["ratio"] <= 1.3, f"{entry['ratio']:.2f}x")
            self.row("2", f"listing {count} tenants, max_concurrency {conc} ({entry['requests']} requests)",
                     f"{entry['raw']:.2f} s raw, {entry['net']:.2f} s net", f"limit {limit:.2f} s",
                     f"{entry['ratio']:.2f}x net/limit", target, verdict)
            if conc > 1:
                self.row("2", "  same reads, raw boto3 script (API time only) / module's API span",
                         f"{entry['raw_boto3']:.2f} s / {entry['api_span']:.2f} s", f"limit {limit:.2f} s",
                         f"{entry['raw_boto3_ratio']:.2f}x / {entry['api_span'] / limit:.2f}x")
        for count in (200, 1000):
            loop_time = startup["playbook"] + LATENCY_MS / 1000.0 + (count - 1) * per_item
            part[f"loop_{count}"] = loop_time
            for conc in (4, 16):
                ours = part["fleet"][f"{count}/c{conc}"]["raw"]
                speedup = loop_time / ours
                part["fleet"][f"{count}/c{conc}"]["loop_speedup"] = speedup
                target, verdict = "", ""
                if count == 1000:
                    target = ">= 100x"
                    verdict = self.verdict(f"2 fleet {count} c{conc} vs loop", speedup >= 100, f"{speedup:.0f}x")
                self.row("2", f"loop: over the module, {count} tenants (extrapolated from 20 items)", f"{loop_time:.0f} s",
                         f"listing c{conc} {ours:.2f} s raw", f"{speedup:.0f}x faster", target, verdict)
        self.row("2", "  loop: cost per item, measured on 20 items", f"{per_item:.2f} s")

    def part4(self):
        print("== 4. fleet read of 1,000 tenants with 10% of requests throttled", flush=True)
        self.emulator.load(self.fleet_scenario())
        self.fleet_run("EEMPTY", 0, "none-", 4, "warm-up")
        pairs = []
        for dummy in range(self.args.repeats4):
            for conc in (4, 16):
                self.emulator.clear_faults()
                clean = self.fleet_run("EFLEET1000", 1000, "large-", conc, f"clean c{conc}")
                self.emulator.add_faults([{"kind": "throttling", "every": 10}])
                faulty = self.fleet_run("EFLEET1000", 1000, "large-", conc, f"throttled c{conc}")
                self.emulator.clear_faults()
                if faulty["entries"] != clean["entries"]:
                    raise BenchError(f"throttled run at c{conc} returned different results from the clean run")
                pairs.append({"conc": conc, "clean": clean["wall"], "faulty": faulty["wall"],
                              "extra": faulty["wall"] - clean["wall"], "throttled": faulty["faulted"],
                              "requests": faulty["requests"]})
        part = self.results["parts"]["4"] = {"pairs": pairs}
        for conc in (4, 16):
            ps = [p for p in pairs if p["conc"] == conc]
            extra = median([p["extra"] for p in ps])
            part[f"c{conc}"] = {"extra": extra, "clean": median([p["clean"] for p in ps]),
                                "faulty": median([p["faulty"] for p in ps]),
                                "throttled": median([p["throttled"] for p in ps]),
                                "requests": median([p["requests"] for p in ps])}
            self.row("4", f"1,000 tenants, 10% throttled, max_concurrency {conc}",
                     f"{part[f'c{conc}']['faulty']:.2f} s, results identical",
                     f"clean {part[f'c{conc}']['clean']:.2f} s",
                     f"+{extra:.2f} s ({part[f'c{conc}']['throttled']:.0f} throttled of {part[f'c{conc}']['requests']:.0f})",
                     "correct", self.verdict(f"4 throttled c{conc} correct", True, f"+{extra:.2f} s"))

    # ---- part 3 ----------------------------------------------------------------------------------
    def part3a(self):
        print("== 3a. detection latency: one tenant flips to issued, sleep 2", flush=True)
        trials = self.args.trials3a
        self.emulator.load({
            "latency_ms": LATENCY_MS,
            "tenants": [{"name": f"flip-{k}", "distribution_id": "EFLIP", "domains": [f"flip{k}.example.com"],
                         "certificate": PENDING} for k in range(trials)],
        })
        zero = self.emulator.zero
        detected, returned = [], []
        for k in range(trials):
            proc = self.start(f"wait flip-{k}", self.playbook("wait_one.yml", {
                "endpoint": self.url, "tenant": f"flip-{k}", "sleep": 2, "wait_timeout": 60}), timeout=90, play=True)
            # flip at a moment spread over the poll cycle: startup (~1-2 s) + 2 s + k/trials of the 2 s sleep
            flip_at = proc.started + 3.0 + 2.0 * k / trials
            time.sleep(max(0.0, flip_at - time.monotonic()))
            flip_mono, flip_wall = time.monotonic(), time.time()
            self.emulator.set_status(f"flip-{k}", "issued")
            flip_mono = (flip_mono + time.monotonic()) / 2
            proc.finish().check(what="(wait_for one)")
            tasks, dummy = self.play_result(proc)
            result = tasks["Wait until the certificate is issued"]
            if result["result"].get("managed_certificate_details", {}).get("certificate_status") != "issued":
                raise BenchError(f"wait_for flip-{k} did not return issued")
            tenant_id = [i for i, t in self.emulator.ids.items() if t["name"] == f"flip-{k}"][0]
            polls = [e for e in self.emulator.requests()
                     if e["operation"] == "GetManagedCertificateDetails" and e["path_identifier"] in (f"flip-{k}", tenant_id)]
            # a poll that arrived just before the flip may still be answered after it (the emulator's
            # latency comes first), so what counts is when the answer left
            after = [zero + e["t"] + e["duration"] for e in polls if zero + e["t"] + e["duration"] >= flip_mono]
            if not after:
                raise BenchError(f"no poll of flip-{k} after its flip")
            detected.append(min(after) - flip_mono)
            returned.append(result["end"] - flip_wall)
        part = self.results["parts"]["3a"] = {"detected": detected, "returned": returned}
        worst = max(returned)
        self.row("3a", f"wait_for sleep 2: poll answered 'issued' after the flip ({trials} trials)",
                 f"median {median(detected):.2f} s, max {max(detected):.2f} s")
        self.row("3a", "wait_for sleep 2: task returned after the flip",
                 f"median {median(returned):.2f} s, max {worst:.2f} s", "bound: sleep 2 s", "",
                 "max <= 3 s", self.verdict("3a detection latency", worst <= 3.0, f"max {worst:.2f} s"))

    def part3bc(self):
        print("== 3b/3c. CPU of waiting (60 s, sleep 2) and a 500-tenant wait (sleep 15); run side by side", flush=True)
        fleet = self.args.fleet3c
        flip_from, flip_to = 45.0, 75.0
        rng = random.Random(7)
        flips = sorted(round(rng.uniform(flip_from, flip_to), 2) for dummy in range(fleet))
        tenants = [
            {"name": "cpu-ours", "distribution_id": "ECPU", "domains": ["cpu-ours.example.com"], "certificate": PENDING},
            {"name": "cpu-raw", "distribution_id": "ECPU", "domains": ["cpu-raw.example.com"], "certificate": PENDING},
            {"name": "cpu-issued", "distribution_id": "ECPU", "domains": ["cpu-issued.example.com"], "certificate": ISSUED},
            {"name": "until-1", "distribution_id": "ECPU", "domains": ["until-1.example.com"],
             "certificate": {"validation_token_host": "cloudfront", "statuses": ["issued"]}},
            {"name": "until-6", "distribution_id": "ECPU", "domains": ["until-6.example.com"],
             "certificate": {"validation_token_host": "cloudfront", "statuses": ["pending-validation"] * 5 + ["issued"]}},
        ]
        for group, dist in (("ours", "EWAITOURS"), ("raw", "EWAITRAW")):
            for index, flip in enumerate(flips):
                tenants.append({
                    "name": f"w{group}-{index + 1:04d}", "distribution_id": dist, "domains": [f"w{group}-{index + 1:04d}.example.com"],
                    "certificate": {"validation_token_host": "self-hosted",
                                    "timeline": [{"status": "pending-validation", "until": flip}, {"status": "issued"}]},
                })
        zero = self.emulator.load({"latency_ms": LATENCY_MS, "tenants": tenants})
        long_procs = {
            "fleet ours": self.start("wait_for 500", self.playbook("wait_fleet.yml", {
                "endpoint": self.url, "dist": "EWAITOURS", "sleep": 15, "wait_timeout": 150, "expected": fleet}, verbose=True),
                timeout=200, play=True),
            "fleet raw": self.start(
                "raw boto3 wait 500",
                [self.python, os.path.join(HERE, "raw_wait.py"), self.url,
                 "--distribution-id", "EWAITRAW", "--sleep", "15", "--timeout", "150"],
                timeout=200,
            ),
        }
        time.sleep(1.0)
        long_procs["floor"] = self.start("ansible floor 60 s", self.playbook("idle.yml", {"seconds": 60}), timeout=120,
                                         play=True)
        long_procs["cpu ours"] = self.start("wait_for 60 s", self.playbook("wait_one.yml", {
            "endpoint": self.url, "tenant": "cpu-ours", "sleep": 2, "wait_timeout": 120}, verbose=True), timeout=180, play=True)
        long_procs["cpu raw"] = self.start("raw boto3 wait 60 s", [
            self.python, os.path.join(HERE, "raw_wait.py"), self.url, "--identifier", "cpu-raw", "--sleep", "2",
            "--timeout", "120"], timeout=180)
        flip_cpu_at = time.monotonic() + 60.0
        # short runs one after the other, while the long ones sleep: 1-poll waits and the until: loops
        short = {}
        time.sleep(2.0)
        short["ours 1 poll"] = self.run("wait_for 1 poll", self.playbook("wait_one.yml", {
            "endpoint": self.url, "tenant": "cpu-issued", "sleep": 2, "wait_timeout": 60}), timeout=90, play=True).check()
        short["raw 1 poll"] = self.run("raw 1 poll", [self.python, os.path.join(HERE, "raw_wait.py"), self.url,
                                                      "--identifier", "cpu-issued", "--sleep", "2", "--timeout", "60"],
                                       timeout=90).check()
        short["until 1"] = self.run("until 1 attempt", self.playbook("until.yml", {
            "endpoint": self.url, "tenant": "until-1", "retries": 10, "delay": 2}), timeout=90, play=True).check()
        short["until 6"] = self.run("until 6 attempts", self.playbook("until.yml", {
            "endpoint": self.url, "tenant": "until-6", "retries": 10, "delay": 2}), timeout=120, play=True).check()
        time.sleep(max(0.0, flip_cpu_at - time.monotonic()))
        self.emulator.set_status("cpu-ours", "issued")
        self.emulator.set_status("cpu-raw", "issued")
        done = {name: proc.finish() for name, proc in long_procs.items()}
        for name, proc in done.items():
            proc.check(what=f"({name})")
        log = self.emulator.requests()
        names = {i: t["name"] for i, t in self.emulator.ids.items()}

        def polls_of(name):
            return [e for e in log if e["operation"] == "GetManagedCertificateDetails"
                    and names.get(e["path_identifier"], e["path_identifier"]) == name]

        # 3b
        p_ours, p_raw = len(polls_of("cpu-ours")), len(polls_of("cpu-raw"))
        ours_total = done["cpu ours"].cpu / p_ours
        raw_total = done["cpu raw"].cpu / p_raw
        ours_marginal = (done["cpu ours"].cpu - short["ours 1 poll"].cpu) / (p_ours - 1)
        raw_marginal = (done["cpu raw"].cpu - short["raw 1 poll"].cpu) / (p_raw - 1)
        until_polls = len(polls_of("until-6"))
        if until_polls != 6 or len(polls_of("until-1")) != 1:
            raise BenchError(f"until: loop made {until_polls} polls, expected 6")
        until_marginal = (short["until 6"].cpu - short["until 1"].cpu) / 5
        until_period = (short["until 6"].wall - short["until 1"].wall) / 5
        until_n60 = max(1, int(60.0 / until_period))
        until_total = (short["until 1"].cpu + (until_n60 - 1) * until_marginal) / until_n60
        rounds_cpu = done["cpu ours"].stdout.count("wait_for round ")
        part = self.results["parts"]["3b"] = {
            "ours": {"cpu": done["cpu ours"].cpu, "polls": p_ours, "wall": done["cpu ours"].wall, "rounds": rounds_cpu,
                     "cpu_1poll": short["ours 1 poll"].cpu, "per_poll": ours_total, "marginal": ours_marginal},
            "raw": {"cpu": done["cpu raw"].cpu, "polls": p_raw, "wall": done["cpu raw"].wall,
                    "cpu_1poll": short["raw 1 poll"].cpu, "per_poll": raw_total, "marginal": raw_marginal},
            "until": {"cpu1": short["until 1"].cpu, "cpu6": short["until 6"].cpu, "wall1": short["until 1"].wall,
                      "wall6": short["until 6"].wall, "marginal": until_marginal, "polls_in_60s": until_n60,
                      "per_poll": until_total},
        }
        self.row("3b", f"wait_for, 60 s wait, sleep 2: CPU per poll ({p_ours} polls, {rounds_cpu} module rounds)",
                 f"{ours_total * 1000:.0f} ms", f"raw boto3 loop {raw_total * 1000:.0f} ms ({p_raw} polls)",
                 f"{ours_total / raw_total:.1f}x", "<= 3x",
                 self.verdict("3b CPU per poll vs raw boto3", ours_total / raw_total <= 3, f"{ours_total / raw_total:.1f}x"))
        floor = done["floor"].cpu / p_ours
        part["floor"] = {"cpu": done["floor"].cpu, "per_poll": floor}
        self.row("3b", "  Ansible's own floor: one-task playbook `command: sleep 60`, same poll count",
                 f"{floor * 1000:.0f} ms", f"raw boto3 loop {raw_total * 1000:.0f} ms", f"{floor / raw_total:.1f}x")
        above = (done["cpu ours"].cpu - done["floor"].cpu) / p_ours
        part["above_floor_per_poll"] = above
        self.row("3b", "  wait_for above that floor (its own module rounds and polls)", f"{above * 1000:.0f} ms",
                 f"raw boto3 loop {raw_total * 1000:.0f} ms", f"{above / raw_total:.1f}x")
        self.row("3b", "  marginal CPU per extra poll (60 s wait minus a 1-poll wait)",
                 f"{ours_marginal * 1000:.1f} ms", f"raw boto3 {raw_marginal * 1000:.1f} ms",
                 f"{ours_marginal / raw_marginal:.1f}x")
        self.row("3b", "until: on the info module, CPU per poll (60 s extrapolated from 1 and 6 attempts)",
                 f"{until_total * 1000:.0f} ms", f"wait_for {ours_total * 1000:.0f} ms",
                 f"wait_for {until_total / ours_total:.0f}x lower", ">= 10x",
                 self.verdict("3b CPU per poll vs until:", until_total / ours_total >= 10, f"{until_total / ours_total:.0f}x"))
        self.row("3b", "  until: marginal CPU per retry", f"{until_marginal * 1000:.0f} ms",
                 f"wait_for {ours_marginal * 1000:.1f} ms", f"{until_marginal / ours_marginal:.0f}x")

        # 3c
        def fleet_stats(group, dist, proc):
            mine = {i: t["name"] for i, t in self.emulator.ids.items() if t["distribution_id"] == dist}
            flip_of = {f"w{group}-{index + 1:04d}": flip for index, flip in enumerate(flips)}
            polls = {}
            for e in log:
                if e["operation"] == "GetManagedCertificateDetails" and e["path_identifier"] in mine:
                    polls.setdefault(mine[e["path_identifier"]], []).append(e["t"])
            lists = [e for e in log if e["operation"] == "ListDistributionTenants" and dist in (e.get("body") or "")]
            details = sum(len(times) for times in polls.values())
            # steady-state rate: each tenant's mean interval between its polls, summed over the fleet
            rate = sum(60.0 * (len(t) - 1) / (t[-1] - t[0]) for t in polls.values() if len(t) > 1)
            intervals = sorted(b - a for t in polls.values() for a, b in zip(t, t[1:]))
            # a poll is wasted when an earlier poll already saw the tenant issued (50 ms margin after the flip)
            wasted = sum(max(0, sum(1 for x in t if x >= flip_of[name] + 0.05) - 1) for name, t in polls.items())
            minutes = proc.wall / 60.0
            return {"cpu": proc.cpu, "wall": proc.wall, "details": details, "lists": len(lists), "tenants_polled": len(polls),
                    "steady_requests_per_minute": rate, "wasted": wasted,
                    "min_interval": intervals[0] if intervals else None,
                    "median_interval": median(intervals) if intervals else None,
                    "requests_per_minute": (details + len(lists)) / minutes,
                    "cpu_per_minute": proc.cpu / minutes, "cpu_per_request": proc.cpu / (details + len(lists)),
                    "rounds": proc.stdout.count("wait_for round ")}

        ours = fleet_stats("ours", "EWAITOURS", done["fleet ours"])
        raw = fleet_stats("raw", "EWAITRAW", done["fleet raw"])
        tasks, dummy = self.play_result(done["fleet ours"])
        ours["attempts"] = tasks["Wait until every certificate of the distribution is issued"]["result"].get("attempts")
        bound = fleet * 60 / 15
        self.results["parts"]["3c"] = {"ours": ours, "raw": raw, "bound_per_minute": bound, "tenants": fleet,
                                       "flips": [flip_from, flip_to]}
        met = ours["steady_requests_per_minute"] <= bound * 1.001 and ours["wasted"] == 0
        self.row("3c", f"wait_for {fleet} tenants, sleep 15: polls per minute (steady state), wasted polls",
                 f"{ours['steady_requests_per_minute']:.0f}/min, {ours['wasted']} wasted",
                 f"bound {bound:.0f}/min; raw boto3 {raw['steady_requests_per_minute']:.0f}/min, {raw['wasted']} wasted",
                 f"+{ours['lists']} list pages once", f"<= {bound:.0f}, 0 wasted",
                 self.verdict("3c requests per minute", met,
                              f"{ours['steady_requests_per_minute']:.0f}/min, {ours['wasted']} wasted"))
        self.row("3c", "  average over the whole wait (listing included)",
                 f"{ours['requests_per_minute']:.0f} req/min, {ours['cpu_per_minute']:.1f} CPU s/min, {ours['wall']:.0f} s",
                 f"raw boto3 {raw['requests_per_minute']:.0f} req/min, {raw['cpu_per_minute']:.1f} CPU s/min")
        for stats, startup in ((ours, short["ours 1 poll"].cpu), (raw, short["raw 1 poll"].cpu)):
            requests = stats["details"] + stats["lists"]
            stats["startup_cpu"] = startup
            stats["steady_cpu_per_request"] = (stats["cpu"] - startup) / (requests - 1)
            stats["steady_cpu_per_minute"] = (stats["cpu"] - startup) / (stats["wall"] / 60.0)
        total_ratio = ours["cpu_per_request"] / raw["cpu_per_request"]
        ratio = ours["steady_cpu_per_request"] / raw["steady_cpu_per_request"]
        self.row("3c", f"  CPU per request, whole run ({ours['rounds']} module rounds)",
                 f"{ours['cpu_per_request'] * 1000:.1f} ms", f"raw boto3 {raw['cpu_per_request'] * 1000:.1f} ms",
                 f"{total_ratio:.1f}x")
        self.row("3c", "  CPU per request, startup excluded (each side minus its own 1-poll run)",
                 f"{ours['steady_cpu_per_request'] * 1000:.1f} ms", f"raw boto3 {raw['steady_cpu_per_request'] * 1000:.1f} ms",
                 f"{ratio:.1f}x", "<= 2x", self.verdict("3c CPU per request vs raw boto3", ratio <= 2, f"{ratio:.1f}x"))

    # ---- report ----------------------------------------------------------------------------------
    def table(self):
        header = ("part", "what", "measured", "compared with", "ratio", "target", "")
        rows = [header] + [tuple(str(c) for c in r) for r in self.rows]
        widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
        lines = []
        for index, r in enumerate(rows):
            lines.append("  ".join(c.ljust(widths[i]) for i, c in enumerate(r)).rstrip())
            if index == 0:
                lines.append("  ".join("-" * w for w in widths))
        return "\n".join(lines)


def parse_time(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def machine():
    info = {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            names = [line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")]
        info["cpu"] = names[0] if names else "?"
        with open("/proc/loadavg", encoding="utf-8") as handle:
            info["loadavg_at_start"] = handle.read().split()[:3]
    except OSError:
        pass
    try:
        import ansible  # pylint: disable=import-outside-toplevel
        import boto3  # pylint: disable=import-outside-toplevel
        import botocore  # pylint: disable=import-outside-toplevel

        info.update(ansible_core=ansible.__version__, boto3=boto3.__version__, botocore=botocore.__version__)
    except ImportError:
        pass
    return info


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--parts", default="1,2,4,3", help="comma-separated: 1, 2, 3 (3a+3b+3c), 3a, 3bc, 4")
    parser.add_argument("--collections-path", default=os.environ.get("ANSIBLE_COLLECTIONS_PATH", ""))
    parser.add_argument("--aws", default=os.environ.get("EDGE_AWS_CLI", "aws"))
    parser.add_argument("--json", help="write every measurement to this file")
    parser.add_argument("--repeats1", type=int, default=9)
    parser.add_argument("--repeats2", type=int, default=3)
    parser.add_argument("--repeats2-slow", type=int, default=1, help="rounds that include the slow 1,000 x c1 run")
    parser.add_argument("--repeats-loop", type=int, default=2)
    parser.add_argument("--repeats4", type=int, default=2)
    parser.add_argument("--trials3a", type=int, default=6)
    parser.add_argument("--fleet3c", type=int, default=500)
    parser.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run, not for publishing)")
    args = parser.parse_args()
    if args.quick:
        args.repeats1, args.repeats2, args.repeats2_slow, args.repeats_loop, args.repeats4, args.trials3a = 2, 1, 1, 1, 1, 2
    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    started = time.monotonic()
    bench = Bench(args)
    failed = None
    try:
        for p in parts:
            steps = {"1": [bench.part1], "2": [bench.part2], "4": [bench.part4], "3": [bench.part3a, bench.part3bc],
                     "3a": [bench.part3a], "3bc": [bench.part3bc]}[p]
            for step in steps:
                try:
                    step()
                except BenchError as e:
                    failed = failed or str(e)
                    print(f"BENCH ERROR in {step.__name__}: {e}", flush=True)
    finally:
        bench.close()
    total = time.monotonic() - started
    bench.results["wall_seconds"] = total
    bench.results["rows"] = bench.rows
    print()
    print(f"edge.cloudfront benchmark ({bench.results['machine'].get('cpus')} CPUs "
          f"{bench.results['machine'].get('cpu', '')}, emulated latency {LATENCY_MS} ms, {total:.0f} s)")
    print(bench.table())
    targets = bench.results.get("targets", [])
    met = [t for t in targets if t["met"]]
    missed = [t for t in targets if not t["met"]]
    summary = f"bench: {len(met)}/{len(targets)} targets met"
    if missed:
        summary += " (MISSED: " + "; ".join(f"{t['target']} {t['note']}" for t in missed) + ")"
    if failed:
        summary += " (BENCH ERROR: some parts did not run, see above)"
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(bench.results, handle, indent=1, default=str)
    print(summary)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
