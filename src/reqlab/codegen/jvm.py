"""JVM targets: java.net.http (Java), OkHttp 4 (Java and Kotlin).

The renderers live in ``_jvm_httpclient`` and ``_jvm_okhttp``; this module
only lists the targets.  Java snippets are a ``public class Main`` with a
``main`` that ``throws Exception``; Kotlin snippets a top-level ``fun main``.
"""

from __future__ import annotations

from reqlab.codegen import _jvm_httpclient, _jvm_okhttp
from reqlab.codegen._target import Target

TARGETS = [
    Target(
        "java-httpclient",
        "Java",
        "java.net.http.HttpClient",
        _jvm_httpclient.render,
        filename="Main.java",
        limitations=(
            "HTTP/1.0 cannot be chosen",
            "HTTP/2 on http:// goes through an Upgrade: h2c request",
            "no digest authentication",
            "Content-Length is always computed by the JDK",
        ),
        idiomatic=_jvm_httpclient.render_idiomatic,
        idiomatic_changes=(
            "the query and a form re-encoded by URLEncoder (spaces as +)",
            "JSON sent as the text block's pretty-printed text (same value)",
            "a 30 s request timeout when the request has none",
        ),
    ),
    Target(
        "java-okhttp",
        "Java",
        "OkHttp 4",
        _jvm_okhttp.render_java,
        filename="Main.java",
        limitations=_jvm_okhttp.LIMITATIONS,
        idiomatic=_jvm_okhttp.render_java_idiomatic,
        idiomatic_changes=_jvm_okhttp.IDIOMATIC_CHANGES,
    ),
    Target(
        "kotlin-okhttp",
        "Kotlin",
        "OkHttp 4",
        _jvm_okhttp.render_kotlin,
        filename="Main.kt",
        limitations=_jvm_okhttp.LIMITATIONS,
        idiomatic=_jvm_okhttp.render_kotlin_idiomatic,
        idiomatic_changes=_jvm_okhttp.IDIOMATIC_CHANGES,
    ),
]
