"""A workspace's environments: the env JSON files and ``.env`` on disk,
layered for one request (precedence in :mod:`reqlab.formats.httpfile.variables`)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from reqlab.formats.httpfile import HttpFileError
from reqlab.formats.httpfile.envfiles import SHARED, Environments, parse_dotenv, parse_env_json
from reqlab.formats.httpfile.variables import Layer

PUBLIC = "http-client.env.json"
PRIVATE = "http-client.private.env.json"
GITIGNORE_LINES = (PRIVATE, ".env")


class WorkspaceEnvironments:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.errors: list[HttpFileError] = []
        self.public = self._read(PUBLIC)
        self.private = self._read(PRIVATE)
        self._dotenv: dict[str, str] | None = None
        self._layers: dict[str | None, list[Layer]] = {}

    def _read(self, name: str) -> Environments:
        path = self.root / name
        if not path.is_file():
            return {}
        try:
            return parse_env_json(path.read_text(encoding="utf-8"), name)
        except HttpFileError as exc:
            self.errors.append(exc)
            return {}

    @property
    def names(self) -> list[str]:
        return sorted({*self.public, *self.private} - {SHARED})

    @property
    def dotenv(self) -> dict[str, str]:
        if self._dotenv is None:
            path = self.root / ".env"
            self._dotenv = parse_dotenv(path.read_text("utf-8")) if path.is_file() else {}
        return self._dotenv

    def layers(self, env: str | None) -> list[Layer]:
        """private env, env, private $shared, $shared (cached per name)."""
        cached = self._layers.get(env)
        if cached is not None:
            return cached
        if env is not None and env not in self.public and env not in self.private:
            known = ", ".join(self.names) or "none defined"
            raise HttpFileError(PUBLIC, 1, 1, f"unknown environment {env!r} (known: {known})")
        layers = []
        if env is not None:
            layers += [
                Layer("private", self.private.get(env, {}), secret=True),
                Layer("env", self.public.get(env, {})),
            ]
        layers += [
            Layer("private", self.private.get(SHARED, {}), secret=True),
            Layer("shared", self.public.get(SHARED, {})),
        ]
        layers = [layer for layer in layers if layer.values]
        self._layers[env] = layers
        return layers

    def process_env(self) -> Mapping[str, str]:
        return os.environ


def ensure_gitignore(root: Path) -> None:
    """A ``.gitignore`` that keeps the private environment and ``.env`` out
    of git; lines already there are left alone."""
    path = root / ".gitignore"
    text = path.read_text("utf-8") if path.is_file() else ""
    have = {line.strip() for line in text.splitlines()}
    missing = [line for line in GITIGNORE_LINES if line not in have]
    if not missing:
        return
    if text and not text.endswith("\n"):
        text += "\n"
    head = "" if text else "# secrets stay on this machine (written by reqlab)\n"
    path.write_text(text + head + "".join(f"{line}\n" for line in missing), "utf-8")
