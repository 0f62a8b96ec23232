#!/usr/bin/env bash
# workspaces: chaining's JSONPath (RFC 9535) and the OpenAPI importer's YAML
# are runtime dependencies (pyproject.toml); installed here too so a fresh
# machine's test run has them even before the editable install is refreshed.
set -euo pipefail
vpip install -q "jsonpath-rfc9535>=1.0" "pyyaml>=6.0"
