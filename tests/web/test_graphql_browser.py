"""The GraphQL body in Debian's chromium, against a real workbench and the
echo server's /graphql: Fetch schema lists types and fields, the query box
completes fields, arguments and nested selections from it, variables are
checked as JSON, the send and the generated code are the standard JSON POST;
390 px and dark mode."""

from __future__ import annotations

import json
import os

import pytest
from tests.web._chromium import new_page
from tests.web.test_browser import CHROMIUM, shot, url_box, wait_js
from tests.web.test_sse_browser import page, wb  # noqa: F401 - shared fixtures

from reqlab.web.testing import Workbench

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("web-browser"),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]
pytest.importorskip("playwright.sync_api")

OPTIONS = (
    "[...document.querySelectorAll('#gql-complete:not([hidden]) li b')].map(b => b.textContent)"
)


def options(page) -> list[str]:  # noqa: ANN001, F811
    return list(page.evaluate(OPTIONS))


def open_graphql(page, url: str) -> None:  # noqa: ANN001, F811
    url_box(page).fill(url)
    page.get_by_role("tab", name="Body", exact=True).click()
    page.get_by_label("GraphQL", exact=True).check()
    wait_js(page, "!!window.reqlabGql")


def fetch_schema(page) -> None:  # noqa: ANN001, F811
    page.get_by_role("button", name="Fetch schema").click()
    wait_js(page, "document.getElementById('gql-schema-status').textContent.includes('types')")


def test_schema_completion_variables_send_and_code(page, wb: Workbench) -> None:  # noqa: ANN001, F811
    open_graphql(page, wb.echo_url + "/graphql")
    assert page.get_by_label("Method", exact=True).input_value() == "POST"
    fetch_schema(page)
    assert "(Query, Mutation)" in page.locator("#gql-schema-status").text_content()
    schema = page.get_by_label("Schema", exact=True)
    assert "books(author: String): [Book!]!" in schema.text_content()
    assert "addBook(title: String!, author: String!, year: Int): Book!" in schema.text_content()

    query = page.get_by_label("GraphQL query")
    query.click()
    page.keyboard.type("query Book($id: ID!) { bo")
    wait_js(page, f"{OPTIONS}.length === 2")
    assert options(page) == ["books", "book"]  # the Query type's fields, as the schema orders them
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.keyboard.type("(")
    wait_js(page, f"{OPTIONS}.join() === 'id'")  # book's arguments
    page.keyboard.press("Enter")
    page.keyboard.type("$id) { ")
    page.keyboard.press("Control+Space")
    wait_js(page, f"{OPTIONS}.includes('title')")
    assert options(page) == ["id", "title", "author", "year", "__typename"]  # Book's fields
    page.keyboard.type("ti")
    wait_js(page, f"{OPTIONS}.join() === 'title'")
    page.keyboard.press("Tab")
    page.keyboard.type(" year }}")
    assert query.input_value() == "query Book($id: ID!) { book(id: $id) { title year }}"

    variables = page.get_by_label("GraphQL variables")
    variables.fill('{"id": ')
    error = page.locator("#gql-var-error")
    assert error.text_content().startswith("Variables: not valid JSON")
    page.get_by_role("button", name="Send", exact=True).click()
    wait_js(page, "document.getElementById('error').textContent.startsWith('Variables:')")
    variables.fill("[1]")
    assert error.text_content() == 'Variables: must be a JSON object, like {"id": "1"}'
    variables.fill('{"id": "2"}')
    assert error.text_content() == ""
    page.get_by_label("Operation name").fill("Book")
    before = page.locator("#history-list li").count()
    page.get_by_role("button", name="Send", exact=True).click()
    wait_js(page, f"document.querySelectorAll('#history-list li').length > {before}")
    wait_js(page, "document.getElementById('send').textContent === 'Send'")
    answer = json.loads(page.locator("#rawbody").text_content())
    assert answer == {"data": {"book": {"title": "The Art of Computer Programming", "year": 1968}}}

    target = page.get_by_label("Target", exact=True)
    target.select_option("curl")
    wait_js(
        page,
        "(t => t.startsWith('curl') && t.includes('operationName'))"
        "(document.getElementById('code').textContent)",
    )
    code = page.locator("#code").text_content()
    flat = "".join(code.split())
    assert "application/json" in code or "--json" in code
    assert '"variables":{"id":"2"}' in flat and '"operationName":"Book"' in flat
    assert "query Book" in code and "POST" in code or "--json" in code
    shot(page, "26-graphql")

    # a history entry opens back in the GraphQL editor
    page.locator("#history-list li").first.click()
    wait_js(page, "document.getElementById('gql-query').value.startsWith('query Book')")
    assert page.get_by_label("GraphQL", exact=True).is_checked()
    assert json.loads(variables.input_value()) == {"id": "2"}


def test_fetch_schema_of_a_non_graphql_url_is_one_line(page, wb: Workbench) -> None:  # noqa: ANN001, F811
    open_graphql(page, wb.echo_url + "/status/200")
    page.get_by_role("button", name="Fetch schema").click()
    wait_js(page, "document.getElementById('gql-schema-status').className === 'err'")
    text = page.locator("#gql-schema-status").text_content()
    assert "without JSON" in text and "\n" not in text


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_narrow_screen_and_dark_mode(browser, wb: Workbench, scheme: str) -> None:  # noqa: ANN001, F811
    pg = new_page(browser, wb.url, 390, 844, scheme)
    try:
        open_graphql(pg, wb.echo_url + "/graphql")
        fetch_schema(pg)
        pg.get_by_label("GraphQL query").click()
        pg.keyboard.type("{ ")
        pg.keyboard.press("Control+Space")
        wait_js(pg, f"{OPTIONS}.length > 3")
        width = pg.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways: {width}px"
        box = pg.locator("#gql-complete").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
        if scheme == "dark":
            color = pg.evaluate(
                "getComputedStyle(document.getElementById('gql-complete')).backgroundColor"
            )
            assert color != "rgb(255, 255, 255)", color
        shot(pg, f"27-graphql-390-{scheme}")
        assert not pg.errors, pg.errors
    finally:
        pg.context.close()


GQL_FILE = """### Books
POST {{host}}/graphql
Content-Type: application/json

{"query": "query Books($a: String) { books(author: $a) { title } }",
 "variables": {"a": "{{author}}"}}
"""


def test_a_workspace_graphql_request_opens_sends_and_saves_as_written(
    browser,  # noqa: ANN001, F811
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    from reqlab.web.testing import start_workbench

    root = tmp_path_factory.mktemp("gqlws")
    (root / "books.http").write_text(GQL_FILE)
    db = tmp_path_factory.mktemp("gqlwsdb") / "wb.db"
    with start_workbench(db_url=f"sqlite:///{db}", workspace=str(root)) as workbench:
        envs = {"dev": {"host": workbench.echo_url, "author": "Knuth"}}
        (root / "http-client.env.json").write_text(json.dumps(envs))
        pg = new_page(browser, workbench.url)
        try:
            pg.get_by_label("Environment").select_option("dev")
            pg.locator("#ws-tree .req", has_text="Books").first.click()
            wait_js(pg, "document.getElementById('gql-query').value.startsWith('query Books')")
            assert json.loads(pg.get_by_label("GraphQL variables").input_value()) == {
                "a": "{{author}}"
            }
            before = pg.locator("#history-list li").count()
            pg.get_by_role("button", name="Send", exact=True).click()
            wait_js(pg, f"document.querySelectorAll('#history-list li').length > {before}")
            wait_js(pg, "document.getElementById('send').textContent === 'Send'")
            answer = json.loads(pg.locator("#rawbody").text_content())
            titles = [b["title"] for b in answer["data"]["books"]]
            assert titles == ["The Art of Computer Programming", "Literate Programming"]
            pg.get_by_role("tab", name="Body", exact=True).click()
            pg.get_by_label("Operation name").fill("Books")  # an edit: the body is rewritten
            pg.get_by_label("Operation name").fill("")  # and undone: as it was read
            pg.get_by_role("button", name="Save to file").click()
            wait_js(pg, "document.getElementById('ws-status').textContent.startsWith('Saved')")
            assert (root / "books.http").read_text().rstrip("\n") == GQL_FILE.rstrip("\n")
            assert not pg.errors, pg.errors
        finally:
            pg.context.close()
