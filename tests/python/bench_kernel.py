"""Benchmark, not a test: theon next to ipykernel, measured in the same run on the same machine.

  /usr/bin/python3 tests/python/bench_kernel.py [--starts 5] [--round-trips 500]

Prints, per kernel: start to kernel_info_reply (launch of the process to the first reply), start to the first
result (launch to the execute_result of `1+1` sent as soon as kernel_info_reply came, as a notebook does), the
kernel's resident memory after that first cell, and the round trip of
`1+1` (execute_request sent to execute_reply and idle received) as p50/p99 in milliseconds; theon compiles `1+1`
once and reuses it, so the round trip of a new cell each time (`0+1`, `1+1`, ...) is shown too.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from jupyter_client.manager import KernelManager

REPO = Path(__file__).resolve().parents[2]


def install_theon(prefix):
    binary = REPO / "kernel" / "bin" / "Release" / "net10.0" / "theon"
    subprocess.run(["dotnet", "build", str(REPO / "kernel" / "Theon.Kernel.csproj"), "-c", "Release", "--nologo",
                    "-v", "quiet"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([str(binary), "install", "--prefix", prefix], check=True, stdout=subprocess.DEVNULL)
    os.environ["JUPYTER_PATH"] = os.path.join(prefix, "share", "jupyter")


def start_to_kernel_info(name):
    """Seconds from launching the kernel to its first kernel_info_reply (ZeroMQ queues the request until it binds)."""
    km = KernelManager(kernel_name=name)
    started = time.perf_counter()
    km.start_kernel(stderr=subprocess.DEVNULL)
    kc = km.client()
    kc.start_channels()
    msg_id = kc.kernel_info()
    while kc.get_shell_msg(timeout=60)["parent_header"].get("msg_id") != msg_id:
        pass
    elapsed = time.perf_counter() - started
    kc.wait_for_ready(timeout=60)
    return km, kc, elapsed, started


def first_result(kc, started):
    """Seconds from launching the kernel to the execute_result of the first cell, `1+1`."""
    msg_id = kc.execute("1+1")
    while True:
        msg = kc.get_iopub_msg(timeout=60)
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "execute_result":
            return time.perf_counter() - started


def resident_mb(km):
    with open(f"/proc/{km.provisioner.process.pid}/status") as status:
        kb = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    return kb / 1024


def round_trip(kc, code="1+1"):
    started = time.perf_counter()
    msg_id = kc.execute(code)
    while True:
        reply = kc.get_shell_msg(timeout=30)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    while True:
        msg = kc.get_iopub_msg(timeout=30)
        if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status"
                and msg["content"]["execution_state"] == "idle"):
            return time.perf_counter() - started


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def measure(name, starts, trips):
    start_times, first_times, memory = [], [], []
    for _ in range(starts):
        km, kc, elapsed, started = start_to_kernel_info(name)
        start_times.append(elapsed)
        first_times.append(first_result(kc, started))
        memory.append(resident_mb(km))
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    km, kc, _, _ = start_to_kernel_info(name)
    for _ in range(20):
        round_trip(kc)
    times = [round_trip(kc) for _ in range(trips)]
    distinct = [round_trip(kc, f"{i}+1") for i in range(trips // 5)]
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    return {
        "start_median_ms": statistics.median(start_times) * 1000,
        "start_max_ms": max(start_times) * 1000,
        "first_median_ms": statistics.median(first_times) * 1000,
        "first_max_ms": max(first_times) * 1000,
        "rss_mb": statistics.median(memory),
        "rt_p50_ms": percentile(times, 50) * 1000,
        "rt_p99_ms": percentile(times, 99) * 1000,
        "distinct_p50_ms": percentile(distinct, 50) * 1000,
        "distinct_p99_ms": percentile(distinct, 99) * 1000,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--round-trips", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as prefix:
        install_theon(prefix)
        results = {name: measure(name, args.starts, args.round_trips) for name in ("theon", "python3")}
    print(f"{'kernel':10} {'start→kernel_info (median, max)':>34} {'start→first result (median, max)':>34}"
          f" {'RSS after':>10} {'1+1 round trip p50':>20} {'p99':>10} {'new cell i+1 p50':>18} {'p99':>10}")
    for name, r in results.items():
        label = "theon" if name == "theon" else "ipykernel"
        print(f"{label:10} {r['start_median_ms']:>20.0f} ms, {r['start_max_ms']:>6.0f} ms"
              f" {r['first_median_ms']:>20.0f} ms, {r['first_max_ms']:>6.0f} ms {r['rss_mb']:>7.0f} MB"
              f" {r['rt_p50_ms']:>17.2f} ms {r['rt_p99_ms']:>7.2f} ms"
              f" {r['distinct_p50_ms']:>15.2f} ms {r['distinct_p99_ms']:>7.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
