#!/usr/bin/env python3
"""Timed scenario: `convo export --full` of 10,000 generated conversations from
`convo serve` on loopback. Reports the median wall time and peak memory (max
RSS) of the export process over several runs, and the output size.

    python3 benches/export_10k.py [--runs 5] [--count 10000]

It builds the release binary first. The server is a separate process, so its
memory is not counted in the export's figure.
"""
import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

DEMO_KEY = "ags_00000000000000000000000000000000_000000"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(base, server, limit=60.0):
    deadline = time.monotonic() + limit
    request = urllib.request.Request(base + "/api/me/", headers={"Authorization": "Api-Key " + DEMO_KEY})
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("convo serve exited early")
        try:
            with urllib.request.urlopen(request, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    sys.exit("convo serve did not come up")


def run_export(binary, base, out_path):
    """One export, measured by /usr/bin/time: (wall seconds, max RSS in MB) of that process alone."""
    env = dict(os.environ, AGENTSIGHT_API_KEY=DEMO_KEY, AGENTSIGHT_API_ENDPOINT=base)
    done = subprocess.run(["/usr/bin/time", "-f", "%e %M", binary, "export", "--full", "--include-deleted", "yes", "--output", out_path],
                          env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.exit("export failed: " + done.stderr)
    wall, peak_kb = done.stderr.strip().splitlines()[-1].split()
    return float(wall), int(peak_kb) / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--count", type=int, default=10_000)
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
        walls, peaks = [], []
        with tempfile.TemporaryDirectory() as tmp:
            out_path = os.path.join(tmp, "export.jsonl")
            for _ in range(args.runs):
                wall, peak = run_export(binary, base, out_path)
                walls.append(wall)
                peaks.append(peak)
            with open(out_path, "rb") as f:
                lines = sum(1 for _ in f)
            size_mb = os.path.getsize(out_path) / 1e6
        print(f"export --full of {lines} conversations ({size_mb:.1f} MB JSONL), {args.runs} runs")
        print(f"  wall: median {statistics.median(walls):.2f} s  (min {min(walls):.2f}, max {max(walls):.2f})")
        print(f"  peak RSS of the export process: median {statistics.median(peaks):.1f} MB  (max {max(peaks):.1f})")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
