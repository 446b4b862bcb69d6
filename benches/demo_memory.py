#!/usr/bin/env python3
"""Scripted measurement: peak memory of the interactive `convo --demo` after
paging through 20 pages of the list and opening 50 conversations.

    python3 benches/demo_memory.py [--runs 3] [--page-size 15] [--no-build]

It builds the release binary (unless --no-build), then for each run starts
`target/release/convo --demo` in a detached tmux session (120x40, private
socket), drives it with send-keys, waiting for the screen to answer each key
(never fixed sleeps), and reads the convo process's peak resident set size
(`VmHWM` in /proc/PID/status; the process is the child of the pane's shell).
It prints each run's figure and the median. The demo server runs inside the
same process, so its data is part of the figure.

The demo holds 300 conversations; with 15 a page that is 20 distinct pages,
all fetched once on the way forward (`]` x19) and again on the way back (`[` x19).
Then the first conversation is opened (Enter) and `J` walks to the next 49,
crossing pages, each one's transcript fetched and rendered before the next key.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

WIDTH, HEIGHT = 120, 40
SESSION = "bench"
STEP_DEADLINE = 15.0
SPINNER = set("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")
QUIET = 0.4


def loading(screen):
    """Whether the screen shows a request in flight (the spinner, or a loading note)."""
    return bool(SPINNER & set(screen)) or "loading" in screen.lower()


class Pane:
    """One tmux server on a private socket with convo in its pane."""

    def __init__(self, binary, page_size, workdir):
        self.socket = f"convo-bench-{os.getpid()}-{time.monotonic_ns()}"
        self.workdir = workdir
        status = os.path.join(workdir, "status")
        log = os.path.join(workdir, "convo.log")
        env = (f"-u AGENTSIGHT_API_KEY -u AGENTSIGHT_API_ENDPOINT -u CONVO_PROFILE -u CONVO_CONFIG "
               f"XDG_CONFIG_HOME='{workdir}/config' XDG_DATA_HOME='{workdir}/data'")
        command = (f"env {env} '{binary}' --demo --page-size {page_size} --log-file '{log}'; "
                   f"echo $? > '{status}'; exec sleep 600")
        self.tmux("-f", "/dev/null", "new-session", "-d", "-s", SESSION, "-x", str(WIDTH),
                  "-y", str(HEIGHT), command)

    def tmux(self, *args):
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"tmux {args[0]} failed: {done.stderr.strip()}")
        return done.stdout

    def keys(self, *keys):
        self.tmux("send-keys", "-t", SESSION, *keys)

    def screen(self):
        return self.tmux("capture-pane", "-p", "-t", SESSION)

    def exited(self):
        return os.path.exists(os.path.join(self.workdir, "status"))

    def wait(self, what, ready):
        """Polls the screen until ready(screen) holds; fails after STEP_DEADLINE."""
        deadline = time.monotonic() + STEP_DEADLINE
        while time.monotonic() < deadline:
            if self.exited():
                self.fail(f"convo exited while waiting for {what}")
            screen = self.screen()
            if ready(screen):
                return screen
            time.sleep(0.03)
        self.fail(f"waited {STEP_DEADLINE:.0f} s for {what}")

    def settled_change(self, before):
        """Waits until the screen differs from `before`, shows nothing loading,
        and has stayed the same for QUIET seconds (longer than the ~150 ms the
        selection must rest before its transcript is fetched)."""
        deadline = time.monotonic() + STEP_DEADLINE
        last, since = None, time.monotonic()
        while time.monotonic() < deadline:
            if self.exited():
                self.fail("convo exited while waiting for the screen to settle")
            screen = self.screen()
            now = time.monotonic()
            if screen != last:
                last, since = screen, now
            elif screen != before and not loading(screen) and now - since >= QUIET:
                return screen
            time.sleep(0.03)
        self.fail(f"waited {STEP_DEADLINE:.0f} s for the screen to change and settle")

    def fail(self, why):
        sys.exit(f"{why}\n---- screen ----\n{self.screen().rstrip()}")

    def convo_pid(self):
        shell = int(self.tmux("display-message", "-p", "-t", SESSION, "#{pane_pid}").strip())
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as f:
                    stat = f.read()
            except OSError:
                continue
            comm = stat[stat.index("(") + 1:stat.rindex(")")]
            parent = int(stat[stat.rindex(")") + 1:].split()[1])
            if parent == shell and comm == "convo":
                return int(entry)
        self.fail("no convo process under the pane's shell")

    def close(self):
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


def peak_rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/PID/status")


def open_conversation(pane, screen):
    """The id of the conversation the detail pane shows, checking its
    transcript is on screen (a `HH:MM:SS sender` line) and that it is the
    list's selected row."""
    selected = re.search(r"▶.*?(conv-[0-9a-f]+)", screen)
    lines = screen.splitlines()
    header = re.search(r"(conv-[0-9a-f]+)", lines[3].split("││")[-1]) if len(lines) > 3 else None
    if not (selected and header and selected.group(1) == header.group(1)):
        pane.fail("the detail pane does not show the selected conversation")
    if not re.search(r"\d\d:\d\d:\d\d \S", screen):
        pane.fail("no transcript on screen")
    return header.group(1)


def page_shown(screen):
    found = re.search(r"page (\d+)/(\d+)", screen)
    return (int(found.group(1)), int(found.group(2))) if found else None


def one_run(binary, page_size):
    with tempfile.TemporaryDirectory() as workdir:
        pane = Pane(binary, page_size, workdir)
        try:
            screen = pane.wait("the list", lambda s: page_shown(s) is not None and "conv-" in s)
            pid = pane.convo_pid()
            pages = page_shown(screen)[1]
            if pages < 20:
                pane.fail(f"only {pages} pages; lower --page-size")
            for n in range(2, 21):
                pane.keys("]")
                pane.wait(f"page {n}", lambda s, n=n: (page_shown(s) or (0,))[0] == n and not loading(s))
            for n in range(19, 0, -1):
                pane.keys("[")
                pane.wait(f"page {n}", lambda s, n=n: (page_shown(s) or (0,))[0] == n and not loading(s))
            before = pane.screen()
            pane.keys("Enter")
            screen = pane.settled_change(before)
            opened = [open_conversation(pane, screen)]
            for _ in range(49):
                pane.keys("J")
                screen = pane.settled_change(screen)
                opened.append(open_conversation(pane, screen))
            if len(set(opened)) != 50:
                pane.fail(f"opened {len(set(opened))} distinct conversations, not 50")
            peak = peak_rss_mb(pid)
            pane.keys("Escape")
            pane.keys("q")
            deadline = time.monotonic() + STEP_DEADLINE
            while not pane.exited() and time.monotonic() < deadline:
                time.sleep(0.05)
            with open(os.path.join(workdir, "status")) as f:
                status = f.read().strip()
            if status != "0":
                pane.fail(f"convo exited with status {status}")
            return peak
        finally:
            pane.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--page-size", type=int, default=15)
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()
    if subprocess.run(["tmux", "-V"], capture_output=True).returncode != 0:
        sys.exit("tmux is required: apt-get install tmux")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=root, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(root, "target"))
    binary = os.path.join(target, "release", "convo")
    peaks = []
    for run in range(1, args.runs + 1):
        peak = one_run(binary, args.page_size)
        peaks.append(peak)
        print(f"run {run}: peak RSS {peak:.1f} MB", flush=True)
    print(f"convo --demo, 20 pages of {args.page_size} paged through and back, 50 conversations opened, "
          f"{args.runs} runs")
    print(f"  peak RSS (VmHWM): median {statistics.median(peaks):.1f} MB  "
          f"(min {min(peaks):.1f}, max {max(peaks):.1f})")


if __name__ == "__main__":
    main()
