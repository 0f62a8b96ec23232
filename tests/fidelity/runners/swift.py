"""swift-urlsession: no Swift toolchain can be installed here (Debian has
none; ``swift`` there is OpenStack's), so its snippets are checked against
reviewed golden files and parsed with tree-sitter's Swift grammar (the
``tree-sitter-swift`` wheel from PyPI).  Reported as "not executed"."""

from __future__ import annotations

from pathlib import Path

from fidelity.harness import NotExecuted, Result


def parse_swift(path: Path) -> Result:
    """Parse ``path`` with tree-sitter-swift; an ERROR or MISSING node fails."""
    try:
        import tree_sitter
        import tree_sitter_swift
    except ImportError:
        return Result(1, "", "tree-sitter-swift is not installed (scripts/setup installs it)")
    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_swift.language()))
    tree = parser.parse(path.read_bytes())
    bad = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            bad.append(f"line {node.start_point[0] + 1}: {node.type} {node.text[:60]!r}")
        stack.extend(node.children)
    return Result(1 if bad else 0, "", "\n".join(bad))


RUNNERS = {
    "swift-urlsession": NotExecuted(
        reason="no Swift toolchain is installable on this machine (golden files + tree-sitter parse)",
        extension="swift",
        syntax_check=parse_swift,
    )
}
