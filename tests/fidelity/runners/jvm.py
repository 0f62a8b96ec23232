"""java-httpclient, java-okhttp, kotlin-okhttp: one ``javac`` for every Java
case and one Kotlin compiler run for every Kotlin case, then ``java -cp``.

Each case's ``Main`` goes into its own package (``package <case>;`` is
prepended), so the whole batch shares one output directory.  OkHttp 4, Okio
and kotlin-stdlib come from Maven Central through ``mvn
dependency:copy-dependencies`` into the cache directory, as does the Kotlin
compiler: Debian's ``kotlinc`` (1.3) cannot read OkHttp 4's Kotlin metadata.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from fidelity.harness import Case, Result, Runner, Unavailable, require_tools, run_command
from fidelity.runners._compiled import (
    BUILD_TIMEOUT,
    build_batch,
    build_dir,
    cache_root,
    fresh_dir,
    run_built,
)

OKHTTP = "4.12.0"
KOTLIN = "2.2.21"
_POM = """\
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>reqlab</groupId>
  <artifactId>{artifact}</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
{dependencies}
  </dependencies>
</project>
"""
_DEP = """\
    <dependency>
      <groupId>{0}</groupId><artifactId>{1}</artifactId><version>{2}</version>
    </dependency>"""
LIBRARIES = {
    "lib": [
        ("com.squareup.okhttp3", "okhttp", OKHTTP),
        ("org.jetbrains.kotlin", "kotlin-stdlib", KOTLIN),
    ],
    "kotlinc": [("org.jetbrains.kotlin", "kotlin-compiler-embeddable", KOTLIN)],
}


def fetch_jars(root: Path, mvn: str) -> dict[str, str]:
    """Copy the jars from Maven Central (once); return each set's classpath."""
    paths = {}
    for name, deps in LIBRARIES.items():
        home = root / name
        pom = _POM.format(
            artifact=f"reqlab-fidelity-{name}",
            dependencies="\n".join(_DEP.format(*d) for d in deps),
        )
        stamp = home / ".fetched"
        if not stamp.exists() or stamp.read_text() != pom:
            home.mkdir(parents=True, exist_ok=True)
            (home / "pom.xml").write_text(pom)
            fresh_dir(home / "jars")
            argv = [mvn, "-q", "-B", "dependency:copy-dependencies", "-DoutputDirectory=jars"]
            done = run_command(argv, home, timeout=BUILD_TIMEOUT)
            if done.returncode != 0:
                raise Unavailable(f"Maven could not fetch {name} jars: {done.tail(600)}")
            stamp.write_text(pom)
        paths[name] = os.pathsep.join(str(j) for j in sorted((home / "jars").glob("*.jar")))
    return paths


def packaged(case: Case) -> str:
    """The case's code in its own package (Java needs the semicolon, Kotlin not)."""
    end = ";" if case.filename.endswith(".java") else ""
    return f"package {case.ident}{end}\n\n{case.code}"


class JvmRunner(Runner):
    runtime = "java"

    def prepare(self, cache_dir: Path) -> None:
        tools = require_tools("java", "javac", "mvn")
        self.java, self.javac = tools["java"], tools["javac"]
        self.root = cache_root(cache_dir, "jvm")
        self.cp = fetch_jars(self.root, tools["mvn"])

    def run(self, cases: Sequence[Case]) -> dict[str, Result]:
        build = build_dir(cases)
        src = fresh_dir(build / "src")
        out = fresh_dir(build / "classes")
        files = {}
        for case in cases:
            (src / case.ident).mkdir()
            files[case.id] = src / case.ident / case.filename
            files[case.id].write_text(packaged(case))
        java = [c for c in cases if c.filename.endswith(".java")]
        kotlin = [c for c in cases if c.filename.endswith(".kt")]

        def javac(batch: Sequence[Case]) -> Result:
            argv = [self.javac, "-encoding", "UTF-8", "-nowarn", "-cp", self.cp["lib"]]
            argv += ["-d", str(out), *(str(files[c.id]) for c in batch)]
            return run_command(argv, self.root, timeout=BUILD_TIMEOUT)

        def kotlinc(batch: Sequence[Case]) -> Result:
            argv = [
                self.java,
                "-cp",
                self.cp["kotlinc"],
                "org.jetbrains.kotlin.cli.jvm.K2JVMCompiler",
            ]
            argv += ["-no-stdlib", "-no-reflect", "-nowarn", "-cp", self.cp["lib"], "-d"]
            argv += [str(out / "kotlin"), *(str(files[c.id]) for c in batch)]
            return run_command(argv, self.root, timeout=BUILD_TIMEOUT)

        failed = build_batch(java, javac, lambda c: javac([c]))
        failed |= build_batch(kotlin, kotlinc, lambda c: kotlinc([c]))
        classpath = os.pathsep.join([str(out), str(out / "kotlin"), self.cp["lib"]])

        def argv(case: Case) -> list[str]:
            main = "MainKt" if case.filename.endswith(".kt") else "Main"
            return [
                self.java,
                "-XX:TieredStopAtLevel=1",
                "-Xshare:auto",
                "-cp",
                classpath,
                f"{case.ident}.{main}",
            ]

        return run_built(cases, failed, argv)


_RUNNER = JvmRunner()
RUNNERS = {"java-httpclient": _RUNNER, "java-okhttp": _RUNNER, "kotlin-okhttp": _RUNNER}
