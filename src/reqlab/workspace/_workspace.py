"""``reqlab.Workspace``: a directory of ``.http`` files, its environments,
and the responses of the requests sent through it (for chaining).

    ws = reqlab.Workspace("api")
    ws.refs()                              # ["auth.http#login", "users/list.http#1", ...]
    ws.search("post users")                # entries whose method/url/name match
    ws.resolve("auth.http#login", env="dev", vars={"user": "ada"})  -> reqlab.Request
    ws.send("auth.http#login", env="dev")  # sends, records the response as "login"
    ws.send("users/list.http#1", env="dev")   # may use {{login.response.body.$.token}}
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from reqlab.formats.httpfile import HttpFile, HttpFileError
from reqlab.formats.httpfile.resolve import Resolved, resolve_template
from reqlab.formats.httpfile.variables import Layer, Scope
from reqlab.formats.response_query import RecordedResponse
from reqlab.model import Request
from reqlab.workspace._auth import WorkspaceAuth
from reqlab.workspace._chain import needed, provider
from reqlab.workspace._env import PRIVATE, PUBLIC, WorkspaceEnvironments, ensure_gitignore
from reqlab.workspace._index import Entry, entries_of, find_files, load_file, search

if TYPE_CHECKING:
    from reqlab.client import AsyncClient, Client, Response


def _read_file(path: str) -> bytes:
    return Path(path).read_bytes()


class Workspace:
    """Load every ``.http`` file under ``path`` (or only ``files``, relative
    paths); a file in ``loaded`` (relative path -> parsed file) is not read again."""

    def __init__(
        self,
        path: str | Path,
        *,
        files: list[str] | None = None,
        loaded: Mapping[str, HttpFile] | None = None,
    ) -> None:
        self.root = Path(path).resolve()
        if not self.root.is_dir():
            raise HttpFileError(str(path), 1, 1, "not a directory")
        self.files: dict[str, HttpFile] = {}
        self.errors: list[HttpFileError] = []
        self.entries: list[Entry] = []
        self.environments = WorkspaceEnvironments(self.root)
        self.errors += self.environments.errors
        # auth configurations (Security.Auth), _folder.http defaults, the token cache
        self.auth = WorkspaceAuth(self.root, PUBLIC, PRIVATE)
        self.responses: dict[str, RecordedResponse] = {}
        self.secrets: dict[str, str] = {}  # every secret value resolved so far
        for rel in files if files is not None else find_files(self.root):
            try:
                file = loaded[rel] if loaded and rel in loaded else load_file(self.root, rel)
            except HttpFileError as exc:
                self.errors.append(exc)
                continue
            except OSError as exc:  # unreadable (permissions, vanished): the rest loads
                self.errors.append(HttpFileError(rel, 1, 1, exc.strerror or str(exc)))
                continue
            self.files[rel] = file
            self.entries += entries_of(file)
        self._dirs: dict[str, str] = {}  # file -> its absolute directory, for body files
        self._layers: dict[tuple[str, str | None], list[Layer]] = {}
        self._by_ref = {e.ref: e for e in self.entries}
        for e in self.entries:  # the position always works too: file.http#2
            self._by_ref.setdefault(f"{e.path}#{e.index + 1}", e)

    # ---------------------------------------------------------- finding
    def refs(self) -> list[str]:
        return [e.ref for e in self.entries]

    def search(self, text: str) -> list[Entry]:
        return search(self.entries, text)

    def entry(self, ref: str) -> Entry:
        """The request ``ref`` names: ``path#name``, ``path#N``, or a path
        holding exactly one request."""
        found = self._by_ref.get(ref.removeprefix("./"))
        if found is not None:
            return found
        path = ref.removeprefix("./").partition("#")[0]
        in_file = [e for e in self.entries if e.path == path]
        if len(in_file) == 1 and "#" not in ref:
            return in_file[0]
        if in_file:
            choices = ", ".join(e.ref for e in in_file)
            what = "holds several requests" if "#" not in ref else "has no such request"
            raise HttpFileError(path, 1, 1, f"{what}; one of: {choices}")
        broken = next((e for e in self.errors if e.path == path), None)
        if broken is not None:
            raise broken
        raise HttpFileError(path, 1, 1, "no such request file in the workspace")

    # -------------------------------------------------------- resolving
    def scope(
        self, entry: Entry, env: str | None = None, vars: Mapping[str, str] | None = None
    ) -> Scope:
        key = (entry.ref, env)
        layers = self._layers.get(key)
        if layers is None:  # file and environment layers are the same on every send
            layers = [Layer("file", entry.variables)] if entry.variables else []
            layers += self.environments.layers(env)
            self._layers[key] = layers
        if vars:
            layers = [Layer("cli", vars), *layers]
        return Scope(
            layers,
            dotenv=_Lazy(self.environments, entry.path.rpartition("/")[0]),
            process_env=self.environments.process_env(),
            responses=self.responses,
        )

    def resolve_full(
        self, ref: str, env: str | None = None, vars: Mapping[str, str] | None = None
    ) -> Resolved:
        """The request with its secrets (value -> name) and warnings."""
        entry = self.entry(ref)
        base = self._dirs.get(entry.path)
        if base is None:
            base = self._dirs[entry.path] = str((self.root / entry.path).parent)
        resolved = self.resolve_entry(entry, env, vars, base_dir=base, read_file=_read_file)
        self.secrets.update(resolved.secrets)
        return resolved

    def resolve_entry(
        self,
        entry: Entry,
        env: str | None,
        vars: Mapping[str, str] | None = None,
        *,
        base_dir: str,
        read_file: Callable[[str], bytes],
    ) -> Resolved:
        """``entry`` (perhaps edited, as the page sends it) resolved, with its
        auth: the request's own, else its folders', else the environment's."""
        scope = self.scope(entry, env, vars)
        template, tokens = self.auth.prepare(entry.template)
        resolved = resolve_template(
            template, scope, path=entry.path, base_dir=base_dir, read_file=read_file
        )
        return self.auth.apply(resolved, template, entry.path, env, scope, tokens)

    def resolve(
        self, ref: str, env: str | None = None, vars: Mapping[str, str] | None = None
    ) -> Request:
        return self.resolve_full(ref, env, vars).request

    # ---------------------------------------------------------- sending
    def record(self, ref: str, response: Response) -> None:
        """Keep ``response`` for ``{{name.response...}}`` in later requests."""
        entry = self.entry(ref)
        recorded = RecordedResponse(
            response.status_code,
            tuple(response.headers.items()),
            response.content,
            response.reason_phrase,
        )
        for key in {entry.template.label, entry.name} - {None}:
            self.responses[str(key)] = recorded

    def missing(self, ref: str) -> list[Entry]:
        """The requests ``ref`` quotes (``{{login.response...}}``) that have
        no recorded response yet, in the order to send them."""
        entry = self.entry(ref)
        out = []
        for name in needed(entry, entry.variables):
            if name in self.responses:
                continue
            found = provider(self.entries, entry, name)
            if found is not None and found is not entry:
                out.append(found)
        return out

    def send(
        self,
        ref: str,
        env: str | None = None,
        vars: Mapping[str, str] | None = None,
        client: Client | None = None,
        *,
        chain: bool = True,
    ) -> Response:
        """Send ``ref``; with ``chain``, first the requests whose responses
        it quotes and that were not sent yet (recursively)."""
        from reqlab.client import Client

        own = client is None
        active = Client() if client is None else client
        try:
            if chain:
                self.send_missing(ref, env, vars, active)
            response = active.send(self.resolve(ref, env, vars))
        finally:
            if own:
                active.close()
        self.record(ref, response)
        return response

    def send_missing(
        self,
        ref: str,
        env: str | None,
        vars: Mapping[str, str] | None,
        client: Client,
        _path: tuple[str, ...] = (),
    ) -> None:
        """Send what ``ref`` needs (see :meth:`missing`), each once."""
        for dep in self.missing(ref):
            if dep.ref in _path or dep.template.label in self.responses:
                continue
            if len(_path) > 16:
                raise HttpFileError(
                    dep.path, dep.template.line, 1, "requests quote each other in a cycle"
                )
            self.send_missing(dep.ref, env, vars, client, (*_path, ref))
            self.record(dep.ref, client.send(self.resolve(dep.ref, env, vars)))

    async def asend(
        self,
        ref: str,
        env: str | None = None,
        vars: Mapping[str, str] | None = None,
        *,
        client: AsyncClient,
        chain: bool = True,
    ) -> Response:
        if chain:
            for dep in self.missing(ref):
                if dep.template.label not in self.responses:
                    await self.asend(dep.ref, env, vars, client=client, chain=True)
        response = await client.send(self.resolve(ref, env, vars))
        self.record(ref, response)
        return response

    def ensure_gitignore(self) -> None:
        ensure_gitignore(self.root)


class _Lazy(Mapping[str, str]):
    """The ``.env`` files, read only when a request uses ``{{$dotenv}}``."""

    __slots__ = ("directory", "envs")

    def __init__(self, envs: WorkspaceEnvironments, directory: str) -> None:
        self.envs = envs
        self.directory = directory

    def __getitem__(self, key: str) -> str:
        return self.envs.dotenv(self.directory)[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.envs.dotenv(self.directory))

    def __len__(self) -> int:
        return len(self.envs.dotenv(self.directory))
