"""Environment files: ``http-client.env.json``, its private twin, ``.env``.

The IDE layout: one JSON object whose keys are environment names, each an
object of variables; ``$shared`` holds variables every environment sees::

    {"$shared": {"api": "v1"}, "dev": {"host": "localhost:8080"}}

Values that are not strings (numbers, booleans) become their JSON text;
objects (JetBrains' ``Security`` settings) are skipped.  Pure: text in,
dicts out; errors name the file, line and column.
"""

from __future__ import annotations

import json
import re

from reqlab.formats.httpfile._model import HttpFileError

SHARED = "$shared"
_DOTENV = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][\w.-]*)\s*=\s*(.*?)\s*$")

Environments = dict[str, dict[str, str]]


def _value(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float) or value is None:
        return json.dumps(value)
    return None


def parse_env_json(text: str, path: str) -> Environments:
    """Environments in ``text``; HttpFileError with line/column when malformed."""
    if not text.strip():
        return {}
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise HttpFileError(path, exc.lineno, exc.colno, f"invalid JSON: {exc.msg}") from None
    if not isinstance(doc, dict):
        raise HttpFileError(path, 1, 1, 'an object of environments ({"dev": {...}})')
    envs: Environments = {}
    for name, variables in doc.items():
        if not isinstance(variables, dict):
            raise HttpFileError(path, _line_of(text, name), 1, f"{name!r} must be an object")
        values = {k: v for k, v in ((k, _value(v)) for k, v in variables.items()) if v is not None}
        envs[name] = values
    return envs


def _line_of(text: str, key: str) -> int:
    at = text.find(json.dumps(key))
    return text.count("\n", 0, at) + 1 if at >= 0 else 1


def write_env_json(envs: Environments) -> str:
    return json.dumps(envs, indent=2, ensure_ascii=False) + "\n"


def parse_dotenv(text: str) -> dict[str, str]:
    """``KEY=value`` lines (``export`` and quotes allowed, ``#`` comments)."""
    values: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _DOTENV.match(line)
        if m is None:
            continue
        value = m.group(2)
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
            if m.group(2)[0] == '"':
                value = value.replace("\\n", "\n").replace('\\"', '"')
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        values[m.group(1)] = value
    return values
