#!/usr/bin/env bash
# The prepared GPU check (see ../shared/gpu/README.md): run on the device machine from the repository root, after
#   bash ../shared/gpu/pack.sh tests/Theon.CudaProbe/Theon.CudaProbe.csproj tests/Theon.Tests/Theon.Tests.csproj
# here, with the device tool's carry [".gpu"]:  bash tests/gpu/check.sh
# Correctness first (the CUDA tests, the probe's comparisons with the CPU), then timings, then PyTorch's peers, all
# into one log under $OUT.
set -uo pipefail
log=${OUT:-/tmp}/log.txt
{
  nvidia-smi --query-gpu=name,driver_version,utilization.gpu,memory.used --format=csv
  bash .gpu/run.sh Theon.Tests.dll -namespace Theon.Tests.Cuda -noColor | grep -vE "^\s+Theon.*\[SKIP\]$" | tail -40
  bash .gpu/run.sh Theon.CudaProbe.dll --all
  PYTHONUNBUFFERED=1 python3 tests/gpu/torch_peers.py
} 2>&1 | tee "$log"
