"""The GPU probe (tests/Theon.CudaProbe) rehearsed on the CUDA emulation, so that the check a GPU session runs
(tests/gpu/check.sh) does not rot between GPU sessions: every graph and training step must match the CPU, and a
steady step with CUDA graphs on must be one replay."""
import os
import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CONFIGURATION = os.environ.get("CONFIGURATION", "Release")
PROBE = REPO / "tests" / "Theon.CudaProbe" / "bin" / CONFIGURATION / "net10.0" / "Theon.CudaProbe.dll"


def test_the_probe_runs_on_the_emulation_and_agrees_with_the_cpu():
    assert PROBE.exists(), f"{PROBE} was not built"
    result = subprocess.run(["dotnet", str(PROBE), "--emulated"], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    correct = [line for line in result.stdout.splitlines() if line.startswith("correct:")]
    assert len(correct) >= 9, result.stdout
    assert all(" ok (" in line for line in correct), "\n".join(correct)
    assert "host fallbacks: none" in result.stdout
    for step in ("MLP 784-500-10", "XNOR walkthrough"):
        line = next(l for l in result.stdout.splitlines() if l.startswith(f"step: {step}") and "graphs on" in l)
        assert re.search(r"0 allocations, .* 0 launches, 1 replays, 1 waits", line), line
