#!/usr/bin/env bash
# workspaces: chaining's JSONPath (RFC 9535) and the OpenAPI/Insomnia
# importers' YAML are runtime dependencies (pyproject.toml), installed here
# for a machine whose venv predates them; types-PyYAML for mypy --strict.
set -euo pipefail
$PY -c 'import jsonpath_rfc9535, yaml' 2>/dev/null || vpip 'jsonpath-rfc9535>=1.0' 'pyyaml>=6.0'
$PY -c 'import importlib.util, sys; sys.exit(importlib.util.find_spec("yaml-stubs") is None)' 2>/dev/null \
  || vpip 'types-PyYAML>=6.0'
