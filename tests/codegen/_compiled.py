"""Evaluate string literals in the real javac, Kotlin compiler, mcs, Go and
rustc, for the escaping tests of the jvm, csharp, go and rust families.

Each program prints every literal's UTF-8 bytes in hex, one per line, so any
character the literal got wrong shows (the same approach as ``_scripting``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.codegen._scripting import NASTY

__all__ = ["NASTY", "evaluate"]

_JAVA = """public class Main {{
    public static void main(String[] args) throws Exception {{
        String[] items = {{
{items}
        }};
        for (String s : items) {{
            StringBuilder hex = new StringBuilder();
            for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {{
                hex.append(String.format("%02x", b));
            }}
            System.out.println(hex);
        }}
    }}
}}
"""
_KOTLIN = """fun main() {{
    val items = listOf(
{items}
    )
    for (s in items) println(s.toByteArray().joinToString("") {{ "%02x".format(it) }})
}}
"""
_CSHARP = """using System;
using System.Text;
class Program {{
    static void Main() {{
        string[] items = {{
{items}
        }};
        foreach (var s in items)
            Console.WriteLine(BitConverter.ToString(Encoding.UTF8.GetBytes(s)).Replace("-", "").ToLower());
    }}
}}
"""
_GO = """package main

import "fmt"

func main() {{
\titems := []string{{
{items}
\t}}
\tfor _, s := range items {{
\t\tfmt.Printf("%x\\n", s)
\t}}
}}
"""
_RUST = """fn main() {{
    let items: Vec<&str> = vec![
{items}
    ];
    for s in items {{
        let hex: String = s.bytes().map(|b| format!("{{:02x}}", b)).collect();
        println!("{{}}", hex);
    }}
}}
"""


def _kotlin(tmp: Path, src: Path) -> list[list[str]]:
    from fidelity.runners.jvm import fetch_jars

    mvn = shutil.which("mvn")
    if mvn is None:
        pytest.skip("mvn not installed (scripts/setup installs it)")
    cache = Path(os.environ.get("REQLAB_FIDELITY_CACHE") or Path.home() / ".cache/reqlab/fidelity")
    cp = fetch_jars(cache / "jvm", mvn)
    compiler = ["java", "-cp", cp["kotlinc"], "org.jetbrains.kotlin.cli.jvm.K2JVMCompiler"]
    return [
        [*compiler, "-no-stdlib", "-no-reflect", "-cp", cp["lib"], "-d", str(tmp), str(src)],
        ["java", "-cp", f"{tmp}{os.pathsep}{cp['lib']}", "MainKt"],
    ]


# language -> (file name, program template, indent, commands(tmp, src) or tool names)
_LANGS: dict[str, tuple[str, str, str, Callable[[Path, Path], list[list[str]]]]] = {
    "java": ("Main.java", _JAVA, " " * 12, lambda t, s: [["java", str(s)]]),
    "kotlin": ("Main.kt", _KOTLIN, " " * 8, _kotlin),
    "csharp": (
        "Program.cs",
        _CSHARP,
        " " * 12,
        lambda t, s: [
            ["mcs", "-nologo", f"-out:{t / 'p.exe'}", str(s)],
            ["mono", str(t / "p.exe")],
        ],
    ),
    "go": ("main.go", _GO, "\t\t", lambda t, s: [["go", "run", str(s)]]),
    "rust": (
        "main.rs",
        _RUST,
        " " * 8,
        lambda t, s: [["rustc", "-o", str(t / "main"), str(s)], [str(t / "main")]],
    ),
}


def evaluate(language: str, literals: list[str], tmp: Path) -> list[bytes]:
    """Compile and run a program holding ``literals``; the bytes of each."""
    filename, template, indent, commands = _LANGS[language]
    items = "".join(f"{indent}{lit},\n" for lit in literals)
    src = tmp / filename
    src.write_text(template.format(items=items), encoding="utf-8")
    out = ""
    for argv in commands(tmp, src):
        if shutil.which(argv[0]) is None and not Path(argv[0]).exists():
            pytest.skip(f"{argv[0]} not installed (scripts/setup installs it)")
        done = subprocess.run(argv, cwd=tmp, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr + done.stdout
        out = done.stdout
    return [bytes.fromhex(line) for line in out.splitlines()]
