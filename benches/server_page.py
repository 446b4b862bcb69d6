#!/usr/bin/env python3
"""Timed scenario: how fast `convo serve` answers one list page of 100 lean rows
(`/api/conversations/?full=false&page_size=100&page=N`) out of a generated data
set, and how much memory the server holds. Reports the median, minimum and
maximum of each request's wall time, measured from a client on loopback.

    python3 benches/server_page.py [--count 50000] [--requests 60]

It builds the release binary first.
"""
import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

DEMO_KEY = "ags_00000000000000000000000000000000_000000"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(base, path):
    request = urllib.request.Request(base + path, headers={"Authorization": "Api-Key " + DEMO_KEY,
                                                           "Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return answer.read()


def wait_ready(base, server, limit=300.0):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("convo serve exited early")
        try:
            get(base, "/api/me/")
            return
        except OSError:
            time.sleep(0.2)
    sys.exit("convo serve did not come up")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=root, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(root, "target"))
    binary = os.path.join(target, "release", "convo")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([binary, "serve", "--generate", str(args.count), "--seed", "1",
                               "--addr", f"127.0.0.1:{port}"], stderr=subprocess.DEVNULL)
    try:
        wait_ready(base, server)
        pages = max(1, args.count // 100 - 1)
        times = []
        for i in range(args.requests):
            page = 1 + (i * 37) % pages
            start = time.perf_counter()
            body = get(base, f"/api/conversations/?full=false&page_size=100&page={page}")
            times.append((time.perf_counter() - start) * 1000)
            if b'"results"' not in body:
                sys.exit("not a list page")
        with open(f"/proc/{server.pid}/status") as status:
            rss = next(line.split()[1] for line in status if line.startswith("VmRSS:"))
        print(f"list page of 100 lean rows out of {args.count} conversations, {args.requests} requests")
        print(f"  median {statistics.median(times):.2f} ms  (min {min(times):.2f}, max {max(times):.2f})")
        print(f"  server RSS: {int(rss) / 1024:.0f} MB")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
