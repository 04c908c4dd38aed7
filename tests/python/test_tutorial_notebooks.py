"""The tutorial notebooks in notebooks/: their committed form, and a fresh run of each two ways.

Each notebook runs with `theon run` and with Debian's nbclient through the installed kernelspec; a cell error
or a failed Check fails the test. The executed copies and the wall times go to TestResults/notebooks/.
THEON_MLP_EPOCHS (read by 07) shortens the MLP run for a quick pass.
"""
import json
import os
import re
import subprocess
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
RESULTS = REPO / "TestResults" / "notebooks"
CELL_TIMEOUT_S = 600

# What each notebook must print (stdout of its code cells), besides running without an error.
EXPECTED_STDOUT = {
    "01-basics": [r"sqr\(x\)"],
    "02-neuron": [r"(The output for x1=\S+ \| x2=\S+ is .+\n){4}.*(The output for x1=\S+ \| x2=\S+ is 0\.\d\d\n){4}"],
    "03-xnor": [r"The outputs of the NN are:\n(The output for .* is 0\.\d\d\n){4}"],
    "04-mlp-momentum": [r"accuracy after 100 iterations: \d+\.\d %"],
    "05-logistic-regression": [r"best validation error \d+\.\d\d %, test error \d+\.\d\d %"],
    "06-dynamic-depth": [],
    "07-mlp-fashion-mnist": [r"test accuracy \d+\.\d\d %", r"training loop wall time: \d+\.\d s for \d+ epochs"],
    "08-lenet": [r"AbstractConv2d\{convdim=2, border_mode='valid', subsample=\(1, 1\), filter_flip=True",
                 r"Pool\{ignore_border=True, mode='max', ndim=2\}",
                 r"test accuracy \d+\.\d\d %", r"training loop wall time: \d+\.\d s for \d+ epochs"],
    "09-scan": [r"\[ 0  1  3  6 10 15 21 28 36 45\]", r"Inner graphs of the scan ops:",
                r"training cost after \d+ iterations: \d+\.\d+", r"test cost \d+\.\d+; repeating the noisy input"],
    "10-denoising-autoencoder": [r"training epoch 1, reconstruction cost \d+\.\d\d", r"untrained: \d+\.\d\d; last epoch: \d+\.\d\d",
                                 r"pixels zeroed by the mask: \d+\.\d %"],
}
# How many display outputs (plots, progress bars, graphs) each notebook must show at least.
EXPECTED_DISPLAYS = {"02-neuron": 1, "03-xnor": 2, "04-mlp-momentum": 3, "05-logistic-regression": 2,
                     "07-mlp-fashion-mnist": 2, "08-lenet": 6, "09-scan": 2, "10-denoising-autoencoder": 4}



def test_every_tutorial_is_present_and_checked():
    assert [p.stem for p in NOTEBOOKS] == sorted(EXPECTED_STDOUT)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_form(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert (nb.nbformat, nb.nbformat_minor) == (4, 5)
    assert nb.metadata.kernelspec == {"name": "theon", "display_name": "C# (Theon)", "language": "csharp"}
    assert nb.metadata.language_info.name == "csharp"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    for previous, cell in zip(nb.cells, nb.cells[1:]):
        if cell.cell_type == "code":
            assert previous.cell_type == "markdown", f"{path.name}: cell {cell.id} has no explanation before it"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: cell {cell.id} has outputs"


def stdout_of(nb):
    return "".join(out.text for cell in nb.cells if cell.cell_type == "code"
                   for out in cell.outputs if out.output_type == "stream" and out.name == "stdout")


def displays_of(nb):
    return sum(1 for cell in nb.cells if cell.cell_type == "code"
               for out in cell.outputs if out.output_type in ("display_data", "execute_result"))


def check_executed(nb, name):
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1))
    errors = [out for cell in code for out in cell.outputs if out.output_type == "error"]
    if errors:
        pytest.fail(f"{name}: {errors[0].ename}: {errors[0].evalue}")
    printed = stdout_of(nb)
    for pattern in EXPECTED_STDOUT[name]:
        assert re.search(pattern, printed, re.DOTALL), f"{name}: stdout lacks /{pattern}/:\n{printed[-2000:]}"
    assert displays_of(nb) >= EXPECTED_DISPLAYS.get(name, 0)
    check_results(name, printed)


def percent(pattern, printed):
    return float(re.search(pattern, printed).group(1)) / 100


def check_results(name, printed):
    """The headline numbers of issue 6, read from what the notebook printed (its Checks test them too)."""
    if name == "05-logistic-regression":
        assert percent(r"test error (\d+\.\d\d) %", printed) < 0.17
    if name == "07-mlp-fashion-mnist":
        if not os.environ.get("THEON_MLP_EPOCHS"):
            assert percent(r"test accuracy (\d+\.\d\d) %", printed) >= 0.87
    if name == "08-lenet":
        full_run = os.environ.get("CI") != "true" and not os.environ.get("THEON_LENET_EPOCHS")
        assert percent(r"test accuracy (\d+\.\d\d) %", printed) >= (0.91 if full_run else 0.80)


def record(name, way, seconds, nb):
    """Keeps the executed notebook and its wall time. Times are recorded, not asserted: issue 6's limits (05 under
    2 minutes, 07's loop under 5) are measured and written to docs/PERFORMANCE.md, never checked by a timed test."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, RESULTS / f"{name}.{way}.ipynb")
    timings = RESULTS / "timings.jsonl"
    last_lines = stdout_of(nb).strip().splitlines()[-2:]
    with timings.open("a") as out:
        entry = {"notebook": name, "way": way, "wall_s": round(seconds, 1), "last_lines": last_lines}
        out.write(json.dumps(entry) + "\n")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_runs_with_theon_run(path, theon, tmp_path):
    executed = tmp_path / path.name
    start = time.monotonic()
    result = subprocess.run([str(theon), "run", str(path), "--output", str(executed)], cwd=path.parent,
                            capture_output=True, text=True, timeout=CELL_TIMEOUT_S * 2)
    seconds = time.monotonic() - start
    assert result.returncode == 0, f"theon run {path.name} failed:\n{result.stderr[-4000:]}"
    nb = nbformat.read(executed, as_version=4)
    nbformat.validate(nb)
    record(path.stem, "theon-run", seconds, nb)
    check_executed(nb, path.stem)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_runs_with_nbclient(path, kernelspec):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name="theon", timeout=CELL_TIMEOUT_S, startup_timeout=120,
                            resources={"metadata": {"path": str(path.parent)}})
    RESULTS.mkdir(parents=True, exist_ok=True)
    kernel_log = RESULTS / f"{path.stem}.nbclient.kernel.log"
    start = time.monotonic()
    with kernel_log.open("w") as log:
        try:
            client.execute(stderr=log)
        except CellExecutionError as error:
            pytest.fail(f"nbclient {path.name}: {error}")
        except Exception as error:  # a dead or unreachable kernel: show what it wrote before it went
            pytest.fail(f"nbclient {path.name}: {type(error).__name__}: {error}\n"
                        f"kernel stderr:\n{kernel_log.read_text()[-4000:]}")
    seconds = time.monotonic() - start
    record(path.stem, "nbclient", seconds, nb)
    check_executed(nb, path.stem)


CUDA_NOTEBOOKS = [p for p in NOTEBOOKS if p.stem in
                  ("03-xnor", "04-mlp-momentum", "05-logistic-regression", "07-mlp-fashion-mnist")]
# scan's loop and RandomStreams' draws on the emulation: 09 about 11-21 s and 10 about 21-26 s under CI=true
# (docs/PERFORMANCE.md), neither with a host fallback.
CUDA_NOTEBOOKS += [p for p in NOTEBOOKS if p.stem in ("09-scan", "10-denoising-autoencoder")]
# LeNet's conv and pooling kernels on the emulation: about 51 s under CI=true at load 4 (docs/PERFORMANCE.md).
CUDA_NOTEBOOKS += [p for p in NOTEBOOKS if p.stem == "08-lenet"]


@pytest.mark.parametrize("path", CUDA_NOTEBOOKS, ids=lambda p: p.stem)
def test_runs_unchanged_on_the_cuda_backend(path, theon, tmp_path):
    """`theon run --backend cuda` on the CUDA backend's CPU emulation (no GPU here): the device runtime, the generated
    kernels and the shared values' residency carry the notebook to the CPU's results."""
    executed = tmp_path / path.name
    env = dict(os.environ, THEON_CUDA_DEVICE="emulated")
    start = time.monotonic()
    result = subprocess.run([str(theon), "run", "--backend", "cuda", str(path), "--output", str(executed)],
                            cwd=path.parent, capture_output=True, text=True, timeout=CELL_TIMEOUT_S * 2, env=env)
    seconds = time.monotonic() - start
    assert result.returncode == 0, f"theon run --backend cuda {path.name} failed:\n{result.stderr[-4000:]}"
    nb = nbformat.read(executed, as_version=4)
    record(path.stem, "theon-run-cuda-emulated", seconds, nb)
    check_executed(nb, path.stem)
