"""The public API is typed for its users: mypy sees through ``reqlab``'s lazy
``__getattr__`` to the real classes, so a user's type error is caught.

If any of ``reqlab.Client``, ``reqlab.Request``, ``reqlab.generate`` leaked
as ``Any``, the wrong script below would pass and this test would fail.
"""

import subprocess
import sys
import textwrap
from pathlib import Path

import reqlab

SRC = Path(reqlab.__file__).resolve().parent.parent  # the reqlab under test, not an installed copy

GOOD = """
    import reqlab

    def status_of(client: reqlab.Client, request: reqlab.Request) -> int:
        return client.send(request).status_code

    def code_for(request: reqlab.Request) -> str:
        return reqlab.generate(request, "curl").code

    request = reqlab.Request(method="GET", url="http://127.0.0.1:8080/")
    with reqlab.Client() as client:
        print(status_of(client, request), code_for(request))
"""

BAD = """
    import reqlab

    def status_of(client: reqlab.Client, request: reqlab.Request) -> str:
        return client.send(request).status_code

    def code_for(request: reqlab.Request) -> int:
        return reqlab.generate(request, "curl").code

    request = reqlab.Request(method="GET", url=8080)
"""

EXPECTED = [
    'bad.py:5: error: Incompatible return value type (got "int", expected "str")  [return-value]',
    'bad.py:8: error: Incompatible return value type (got "str", expected "int")  [return-value]',
    'bad.py:10: error: Argument "url" to "Request" has incompatible type "int"; expected "str"  [arg-type]',
]


def test_mypy_checks_user_code_against_the_public_api(tmp_path: Path) -> None:
    assert (SRC / "reqlab" / "py.typed").is_file()  # PEP 561: else a checker ignores our types
    (tmp_path / "good.py").write_text(textwrap.dedent(GOOD))
    (tmp_path / "bad.py").write_text(textwrap.dedent(BAD))
    # Only the user's files are reported: reqlab itself is read for its types
    # (follow_imports = silent); the project's own mypy gate checks reqlab.
    (tmp_path / "mypy.ini").write_text(
        f"[mypy]\nstrict = True\nfollow_imports = silent\nmypy_path = {SRC}\n"
        f"cache_dir = {tmp_path / 'cache'}\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", "mypy.ini", "good.py", "bad.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert not [e for e in errors if e.startswith("good.py")], result.stdout
    assert errors == EXPECTED, result.stdout + result.stderr
    assert result.returncode == 1
