#!/usr/bin/python3
"""bmil on Dask (Debian's python3-distributed): a local cluster of 2 worker processes, on the
loopback only, runs `bmil batch shard_i.jsonl --partial part_i.bmilpart -q` for 4 consecutive
shards of 2,000 generated companies; the client gathers the parts' paths in shard order and
runs `bmil merge`. The merged results must equal one `bmil batch` over the whole file
("summary" and "analyzers"). docs/scaling.md shows the same code, simplified.

Usage: dask_merge_test.py --bmil PATH --root REPO
The last line reads "N passed, M failed"; exit status 0 when nothing failed.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile

SHARDS = 4
COMPANIES = 2000
TIMEOUT = 180  # seconds for the whole test; each bmil call has its own below


def run_shard(bmil, shard, part):
    """Runs on a worker process: one shard into one partial result."""
    env = dict(os.environ)
    env.pop("BMIL_PLUGIN_PATH", None)
    run = subprocess.run([bmil, "batch", shard, "--partial", part, "-q"], capture_output=True,
                         text=True, env=env, timeout=120)
    return {"part": part, "exit": run.returncode, "stderr": run.stderr, "pid": os.getpid()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bmil", required=True)
    parser.add_argument("--root", required=True)
    args = parser.parse_args()
    bmil = os.path.abspath(args.bmil)
    env = dict(os.environ)
    env.pop("BMIL_PLUGIN_PATH", None)
    passed = failed = 0

    def check(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
            print("ok: " + what)
        else:
            failed += 1
            print("FAIL: " + what)
        return ok

    def done():
        print("%d passed, %d failed" % (passed, failed))
        return 0 if failed == 0 else 1

    # A hung cluster must not hang the test suite.
    def on_alarm(signum, frame):
        print("FAIL: the test took more than %d s" % TIMEOUT)
        print("%d passed, %d failed" % (passed, failed + 1))
        os._exit(1)

    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(TIMEOUT)

    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as e:
        check(False, "import dask.distributed (python3-distributed; scripts/install-deps.sh): %s"
              % e)
        return done()

    with tempfile.TemporaryDirectory() as tmp:
        cases = os.path.join(tmp, "cases.jsonl")
        subprocess.run([sys.executable, os.path.join(args.root, "bench", "generate_cases.py"),
                        "--companies", str(COMPANIES), "--seed", "5", "-o", cases],
                       check=True, timeout=120)
        single = subprocess.run([bmil, "batch", cases, "-q"], capture_output=True, text=True,
                                env=env, timeout=120)
        if not check(single.returncode == 0,
                     "one run over the whole file exits 0 " + single.stderr.strip()):
            return done()
        expected = json.loads(single.stdout)

        # Consecutive shards of whole lines.
        with open(cases, "rb") as f:
            lines = f.readlines()
        shards, parts = [], []
        for i in range(SHARDS):
            shard = os.path.join(tmp, "shard_%d.jsonl" % i)
            with open(shard, "wb") as f:
                f.writelines(lines[i * len(lines) // SHARDS:(i + 1) * len(lines) // SHARDS])
            shards.append(shard)
            parts.append(os.path.join(tmp, "part_%d.bmilpart" % i))

        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address=None,
                               local_directory=os.path.join(tmp, "dask"), silence_logs=40)
        try:
            with Client(cluster, timeout=60) as client:
                futures = client.map(run_shard, [bmil] * SHARDS, shards, parts, pure=False)
                results = client.gather(futures, errors="raise")  # in shard order
        finally:
            cluster.close(timeout=30)

        for i, r in enumerate(results):
            check(r["exit"] == 0, "shard %d: bmil batch --partial exits 0 %s" % (i, r["stderr"].strip()))
        check(all(r["pid"] != os.getpid() for r in results),
              "the shards ran in worker processes, not in the client")
        check([r["part"] for r in results] == parts, "the parts come back in shard order")

        merged = subprocess.run([bmil, "merge"] + [r["part"] for r in results],
                                capture_output=True, text=True, env=env, timeout=120)
        if not check(merged.returncode == 0, "bmil merge exits 0 " + merged.stderr.strip()):
            return done()
        result = json.loads(merged.stdout)
        check(result["summary"] == expected["summary"],
              "the merged summary equals the single run's: %s" % result["summary"])
        check(result["summary"]["records_read"] == COMPANIES,
              "every company was read once (%d)" % result["summary"]["records_read"])
        check(result["analyzers"] == expected["analyzers"],
              "the merged analyzers' results equal the single run's")
    return done()


if __name__ == "__main__":
    sys.exit(main())
