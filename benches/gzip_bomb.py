#!/usr/bin/env python3
"""Scripted measurement: peak memory and time to the error of `convo list` and of
the browser against an answer that inflates to 4 GiB.

    python3 benches/gzip_bomb.py [--runs 3] [--no-build]

A stand-in server on 127.0.0.1 answers every request with a gzip body of 4 GiB
of zeros, compressed as it is sent (about 4 MB on the wire). `convo list` runs
as a child polled every 5 ms for `VmHWM` until it exits; the browser runs in a
detached tmux session (100x30, private socket), polled the same way until its
status line shows the error. Prints each run and the medians.
"""
import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zlib

KEY = "ags_00000000000000000000000000000000_000000"
ERROR = "larger than"
DEADLINE = 20.0


def serve_bombs(listener):
    def answer(conn):
        try:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                         b"Content-Encoding: gzip\r\nConnection: close\r\n\r\n")
            deflate = zlib.compressobj(9, zlib.DEFLATED, 31)
            block = b"\0" * (1 << 20)
            for _ in range(4096):
                conn.sendall(deflate.compress(block))
            conn.sendall(deflate.flush())
        except OSError:
            pass
        finally:
            conn.close()
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=answer, args=(conn,), daemon=True).start()


def peak_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def environment(endpoint, workdir):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AGENTSIGHT_", "CONVO_"))}
    env.update(AGENTSIGHT_API_ENDPOINT=endpoint, AGENTSIGHT_API_KEY=KEY,
               XDG_CONFIG_HOME=f"{workdir}/config", XDG_DATA_HOME=f"{workdir}/data")
    return env


def headless(binary, endpoint, workdir):
    start = time.monotonic()
    child = subprocess.Popen([binary, "list"], env=environment(endpoint, workdir),
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while child.poll() is None:
        peak = max(peak, peak_kib(child.pid))
        if time.monotonic() - start > DEADLINE:
            child.kill()
            sys.exit("convo list did not end")
        time.sleep(0.005)
    took = time.monotonic() - start
    stderr = child.stderr.read().decode()
    if child.returncode != 1 or ERROR not in stderr:
        sys.exit(f"convo list: exit {child.returncode}, {stderr!r}")
    return peak / 1024, took


def browser(binary, endpoint, workdir):
    sock = f"convo-bomb-{os.getpid()}-{time.monotonic_ns()}"
    tmux = lambda *a: subprocess.run(["tmux", "-L", sock, *a], capture_output=True, text=True).stdout
    env = " ".join(f"{k}='{v}'" for k, v in environment(endpoint, workdir).items()
                   if k.startswith(("AGENTSIGHT_", "XDG_")))
    try:
        start = time.monotonic()
        tmux("-f", "/dev/null", "new-session", "-d", "-s", "b", "-x", "100", "-y", "30",
             f"env {env} '{binary}'; exec sleep 600")
        pid, peak = None, 0
        while True:
            if time.monotonic() - start > DEADLINE:
                sys.exit("the browser never showed the error:\n" + tmux("capture-pane", "-p", "-t", "b"))
            if pid is None:
                shell = tmux("display-message", "-p", "-t", "b", "#{pane_pid}").strip()
                found = subprocess.run(["pgrep", "-P", shell, "convo"], capture_output=True, text=True).stdout.split()
                pid = int(found[0]) if found else None
            if pid is not None:
                peak = max(peak, peak_kib(pid))
            if ERROR in tmux("capture-pane", "-p", "-t", "b"):
                took = time.monotonic() - start
                if pid is not None:
                    peak = max(peak, peak_kib(pid))
                tmux("send-keys", "-t", "b", "?")
                time.sleep(0.3)
                if "help" not in tmux("capture-pane", "-p", "-t", "b").lower():
                    sys.exit("the browser stopped answering keys after the error")
                return peak / 1024, took
            time.sleep(0.005)
    finally:
        subprocess.run(["tmux", "-L", sock, "kill-server"], capture_output=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--locked"], cwd=root, check=True)
    binary = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(root, "target")), "release", "convo")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    threading.Thread(target=serve_bombs, args=(listener,), daemon=True).start()
    endpoint = f"http://127.0.0.1:{listener.getsockname()[1]}"
    results = {"convo list": [], "browser": []}
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as workdir:
            for name, measure in (("convo list", headless), ("browser", browser)):
                peak, took = measure(binary, endpoint, workdir)
                results[name].append((peak, took))
                print(f"run {run + 1}: {name}: peak {peak:.1f} MB, error after {took:.2f} s")
    for name, runs in results.items():
        print(f"{name}: median peak {statistics.median(p for p, _ in runs):.1f} MB, "
              f"median time to the error {statistics.median(t for _, t in runs):.2f} s")


if __name__ == "__main__":
    main()
