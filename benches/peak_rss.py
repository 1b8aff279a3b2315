#!/usr/bin/env python3
"""Run a command and report the peak resident memory of it and of its worker processes, sampled
every 50 ms from /proc (Linux): `parent`, the largest `worker`, and `both` (the largest sum at
one moment). GNU time's "Maximum resident set size" is the largest single process; `both` is
what the machine actually had to hold.

    benches/peak_rss.py COMMAND [ARGS...]     (the report goes to stderr, one line)
"""
import subprocess, sys, time, os
cmd = sys.argv[1:]
p = subprocess.Popen(cmd)
peak = {}
total_peak = 0
def rss(pid):
    try:
        for l in open(f"/proc/{pid}/status"):
            if l.startswith("VmRSS:"): return int(l.split()[1])
    except OSError: return 0
    return 0
def children(pid):
    out = []
    try:
        for t in os.listdir(f"/proc/{pid}/task"):
            try: out += [int(x) for x in open(f"/proc/{pid}/task/{t}/children").read().split()]
            except OSError: pass
    except OSError: pass
    return out
while p.poll() is None:
    pids = [p.pid] + children(p.pid)
    tot = 0
    for q in pids:
        r = rss(q); tot += r
        key = "parent" if q == p.pid else "worker"
        peak[key] = max(peak.get(key, 0), r)
    total_peak = max(total_peak, tot)
    time.sleep(0.05)
print(f"peak RSS MB: parent {peak.get('parent',0)/1024:.0f}, worker {peak.get('worker',0)/1024:.0f}, both at once {total_peak/1024:.0f}", file=sys.stderr)
