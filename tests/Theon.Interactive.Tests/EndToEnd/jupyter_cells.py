"""Runs C# cells in Theon's kernel through a real Jupyter client and prints every cell's IOPub messages as JSON.

Input (stdin, JSON): {"theon": path to the theon executable, or "argv": another kernel's command line with
"{connection_file}", "cwd": the kernel's working directory,
"cells": [code, ...], "timeout": seconds per cell, "linger": seconds to keep reading after the last cell}.
Output (stdout, JSON): [{"status": ..., "messages": [{"type": ..., "content": ...}, ...]}, ...].
"""
import json
import os
import queue
import subprocess
import sys
import tempfile
import time

from jupyter_client.manager import start_new_kernel


def collect(kc, msg_id, timeout, linger=0.0):
    messages, idle = [], False
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            if idle:
                return messages
            raise SystemExit(f"no idle status for a cell within {timeout}s: {[m['type'] for m in messages]}")
        try:
            msg = kc.get_iopub_msg(timeout=max(0.05, remaining))
        except queue.Empty:
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        messages.append({"type": msg["msg_type"], "content": msg["content"]})
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle" and not idle:
            idle = True
            deadline = time.monotonic() + linger


def main():
    request = json.load(sys.stdin)
    with tempfile.TemporaryDirectory(prefix="theon-kernelspec-") as prefix:
        data = os.path.join(prefix, "share", "jupyter")
        if "theon" in request:
            subprocess.run([request["theon"], "install", "--prefix", prefix], check=True, stdout=subprocess.DEVNULL)
            name = "theon"
        else:
            name = "under-test"
            os.makedirs(os.path.join(data, "kernels", name))
            with open(os.path.join(data, "kernels", name, "kernel.json"), "w") as spec:
                json.dump({"argv": request["argv"], "display_name": name, "language": "C#"}, spec)
        os.environ["JUPYTER_PATH"] = data
        km, kc = start_new_kernel(kernel_name=name, startup_timeout=120, cwd=request["cwd"],
                                  stdout=subprocess.DEVNULL)
        try:
            results = []
            cells = request["cells"]
            for i, code in enumerate(cells):
                msg_id = kc.execute(code)
                linger = request.get("linger", 0.0) if i == len(cells) - 1 else 0.0
                messages = collect(kc, msg_id, request.get("timeout", 120), linger)
                reply = kc.get_shell_msg(timeout=30)
                while reply["parent_header"].get("msg_id") != msg_id:
                    reply = kc.get_shell_msg(timeout=30)
                results.append({"status": reply["content"]["status"], "reply": reply["content"], "messages": messages})
            json.dump(results, sys.stdout)
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)


if __name__ == "__main__":
    main()
