#!/usr/bin/env bash
# Peer graph builders for benchmarks/graph_build.py, in benchmarks/work/peers-venv (git-ignored).
# pyvalhalla and osrm-bindings ship cp312 wheels only (see shared/reference/peers.md).
set -euo pipefail
cd "$(dirname "$0")"
PY312="${PY312:-$HOME/.pyenv/versions/3.12.1/bin/python3}"
mkdir -p work
[ -x work/peers-venv/bin/python ] || "$PY312" -m venv work/peers-venv
work/peers-venv/bin/pip install -q pyvalhalla==3.9.1 osrm-bindings==26.10.0 osmnx
