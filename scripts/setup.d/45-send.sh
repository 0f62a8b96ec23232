#!/usr/bin/env bash
# reqlab send: the differential and session tests run HTTPie (the test extra,
# installed with the project); benchmarks/send_startup.py needs hyperfine.
set -euo pipefail
apt_install hyperfine
