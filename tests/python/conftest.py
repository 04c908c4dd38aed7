"""Fixtures that build theon, install its kernelspec into a temporary prefix, and start kernels over real sockets."""
import os
import queue
import signal
import subprocess
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# A shell that starts this suite in the background hands it SIGINT ignored, and an ignored signal stays ignored in
# every child process; restore the default so the kernels under test receive SIGINT as they would from Jupyter.
signal.signal(signal.SIGINT, signal.default_int_handler)
CONFIGURATION = os.environ.get("CONFIGURATION", "Release")


def theon_binary() -> Path:
    return REPO / "kernel" / "bin" / CONFIGURATION / "net10.0" / "theon"


@pytest.fixture(scope="session")
def theon() -> Path:
    """The theon executable, built once per session (a no-op when tests/run.sh already built it)."""
    if not os.environ.get("THEON_SKIP_BUILD"):
        subprocess.run(["dotnet", "build", str(REPO / "kernel" / "Theon.Kernel.csproj"), "-c", CONFIGURATION,
                        "--nologo", "-v", "quiet"], check=True, stdout=subprocess.DEVNULL)
    binary = theon_binary()
    assert binary.exists(), f"{binary} was not built"
    return binary


@pytest.fixture(scope="session")
def kernelspec(theon, tmp_path_factory) -> Path:
    """Installs the kernelspec into a temporary prefix and points JUPYTER_PATH at it."""
    prefix = tmp_path_factory.mktemp("prefix")
    subprocess.run([str(theon), "install", "--prefix", str(prefix)], check=True, stdout=subprocess.DEVNULL)
    data = prefix / "share" / "jupyter"
    os.environ["JUPYTER_PATH"] = str(data)
    return data / "kernels" / "theon"


def start_kernel(kernelspec, log=None):
    from jupyter_client.manager import start_new_kernel
    return start_new_kernel(kernel_name="theon", startup_timeout=60, stderr=log)


@pytest.fixture(scope="module")
def kernel(kernelspec):
    """A kernel shared by the tests of one module: (manager, client)."""
    km, kc = start_kernel(kernelspec)
    yield km, kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


@pytest.fixture
def fresh_kernel(kernelspec, tmp_path):
    """A kernel of its own, for tests that interrupt or stop it; its log is in km.log_path."""
    log_path = tmp_path / "kernel.log"
    with open(log_path, "w") as log:
        km, kc = start_kernel(kernelspec, log)
        km.log_path = log_path
        yield km, kc
        kc.stop_channels()
        if km.is_alive():
            km.shutdown_kernel(now=True)


def iopub_for(kc, msg_id, timeout=30.0):
    """The IOPub messages parented to msg_id, up to and including its idle status."""
    messages = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            msg = kc.get_iopub_msg(timeout=max(0.05, deadline - time.monotonic()))
        except queue.Empty:
            break
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        messages.append(msg)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return messages
    raise AssertionError(f"no idle status for {msg_id} within {timeout}s; got {[m['msg_type'] for m in messages]}")


def shell_reply(kc, msg_id, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        msg = kc.get_shell_msg(timeout=max(0.05, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg
    raise AssertionError(f"no reply for {msg_id}")


def execute(kc, code, timeout=30.0, **options):
    """Runs code; returns (reply content, [(msg_type, content)] of IOPub between busy and idle)."""
    msg_id = kc.execute(code, **options)
    reply = shell_reply(kc, msg_id, timeout)
    outputs = iopub_for(kc, msg_id, timeout)
    return reply["content"], [(m["msg_type"], m["content"]) for m in outputs]


def stdout_of(outputs, name="stdout"):
    return "".join(c["text"] for t, c in outputs if t == "stream" and c["name"] == name)
