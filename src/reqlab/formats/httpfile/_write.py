"""Writing ``.http`` text.

A file that was read is written from the exact text of its blocks, so
nothing the user wrote changes.  A template made in memory (an import, an
edit in the web page) is rendered in the canonical form below, which the
reader reads back to the same template.
"""

from __future__ import annotations

from dataclasses import replace

from reqlab.formats.httpfile._model import (
    Block,
    FileChunk,
    HttpFile,
    RequestTemplate,
    Script,
    Variable,
)


def write_file(file: HttpFile) -> str:
    return file.text()


def _script(prefix: str, script: Script) -> str:
    if script.kind == "file":
        return f"{prefix} {script.text}"
    return f"{prefix} {{%\n{script.text}\n%}}"


def render_variables(variables: list[Variable] | tuple[Variable, ...]) -> str:
    return "".join(f"@{v.name} = {v.value}\n" for v in variables)


def render_request(template: RequestTemplate, *, separator: bool = True) -> str:
    """One request block: ``### title``, its comments and settings, the
    request, headers, body and handlers; ends with a blank line."""
    out: list[str] = []
    if separator:
        out.append(f"### {template.title}".rstrip() if template.title else "###")
    out += [c if c.startswith(("#", "//")) else f"# {c}" for c in template.comments]
    if template.name:
        out.append(f"# @name {template.name}")
    out += [f"# @{k} {v}".rstrip() for k, v in template.tags]
    out += [f"# @reqlab.{k} {v}".rstrip() for k, v in template.options]
    out += [f"@{v.name} = {v.value}" for v in template.variables]
    out += [_script("<", s) for s in template.pre_scripts]
    version = f" {template.version}" if template.version else ""
    out.append(f"{template.method} {template.url}{version}")
    out += [f"{h.name}: {h.value}" for h in template.headers]
    if template.body:
        out.append("")
        for chunk in template.body:
            if isinstance(chunk, FileChunk):
                out.append(f"<{'@' if chunk.substitute else ''} {chunk.path}")
            else:
                out.append(chunk.text)
    if template.handlers or template.response_refs:
        out.append("")
        out += [_script(">", s) for s in template.handlers]
        out += [f"<> {ref}" for ref in template.response_refs]
    return "\n".join(out) + "\n\n"


def render_file(
    path: str,
    templates: list[RequestTemplate],
    variables: list[Variable] | tuple[Variable, ...] = (),
) -> str:
    head = render_variables(variables)
    return (head + "\n" if head else "") + "".join(render_request(t) for t in templates)


def with_request(file: HttpFile, index: int, template: RequestTemplate) -> HttpFile:
    """``file`` with its ``index``-th request replaced; every other block's
    text stays exactly as it was."""
    from reqlab.formats.httpfile._parse import parse_block

    positions = [i for i, b in enumerate(file.blocks) if b.request is not None]
    at = positions[index]
    old = file.blocks[at]
    text = render_request(template, separator=old.raw.startswith("###") or at > 0)
    if file.newline != "\n":
        text = text.replace("\n", file.newline)
    blocks = list(file.blocks)
    blocks[at] = parse_block(file.path, old.line, text)
    # later blocks move by the difference in line count
    shift = text.count("\n") - old.raw.count("\n")
    for i in range(at + 1, len(blocks)):
        blocks[i] = _shifted(file.path, blocks[i], shift)
    return replace(file, blocks=tuple(blocks))


def _shifted(path: str, block: Block, shift: int) -> Block:
    from reqlab.formats.httpfile._parse import parse_block

    return parse_block(path, block.line + shift, block.raw) if shift else block
