"""go-nethttp snippets with AWS SigV4 or OAuth 2.0 client credentials.

* SigV4: aws-sdk-go-v2's ``v4.Signer.SignHTTP`` signs ``req`` just before
  the client sends it, over the SHA-256 of a copy of its body.
* Client credentials: ``golang.org/x/oauth2/clientcredentials`` fetches the
  token at the start of ``main``; the marker in the rendered code becomes
  ``token.AccessToken``.
"""

from __future__ import annotations

from reqlab.codegen._authcode import MARK, ClientCredentials, SigV4
from reqlab.codegen._escape import go_str

_AWS = "github.com/aws/aws-sdk-go-v2/aws"
_V4 = 'v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"'


def go(code: str, flow: SigV4 | ClientCredentials) -> str | None:
    lines = code.split("\n")
    if isinstance(flow, ClientCredentials):
        # gofmt spaces the + alone in a literal, not among call arguments.
        code = code.replace(f"{{{go_str(f'Bearer {MARK}')}}}", '{"Bearer " + token.AccessToken}')
        code = code.replace(go_str(f"Bearer {MARK}"), '"Bearer "+token.AccessToken')
        lines = code.split("\n")
        start = lines.index("func main() {") + 1
        lines[start:start] = _go_token(flow)
        imports = ["context", "log", "golang.org/x/oauth2", "golang.org/x/oauth2/clientcredentials"]
        return _go_imports("\n".join(lines), imports)
    send = next((i for i, line in enumerate(lines) if ".Do(req)" in line), None)
    if send is None:
        return None
    lines[send:send] = _go_signer(flow)
    imports = ["context", "crypto/sha256", "encoding/hex", "io", "log", "time", _AWS, _V4]
    return _go_imports("\n".join(lines), imports)


def _go_signer(flow: SigV4) -> list[str]:
    hash_lines = [
        "\t// The payload's SHA-256, read from a copy of the body net/http will send.",
        "\tvar signedBody []byte",
        "\tif req.GetBody != nil {",
        "\t\tcopyOfBody, err := req.GetBody()",
        "\t\tif err != nil {",
        "\t\t\tlog.Fatal(err)",
        "\t\t}",
        "\t\tif signedBody, err = io.ReadAll(copyOfBody); err != nil {",
        "\t\t\tlog.Fatal(err)",
        "\t\t}",
        "\t}",
        "\tbodySum := sha256.Sum256(signedBody)",
        "\tbodyHash := hex.EncodeToString(bodySum[:])",
    ]
    if flow.unsigned_payload:
        hash_lines = ['\tbodyHash := "UNSIGNED-PAYLOAD"']
    creds = [
        f"AccessKeyID: {go_str(flow.access_key)}",
        f"SecretAccessKey: {go_str(flow.secret_key)}",
    ]
    if flow.session_token:
        creds.append(f"SessionToken: {go_str(flow.session_token)}")
    s3 = [
        '\treq.Header.Set("X-Amz-Content-Sha256", bodyHash)',
    ]
    signer = (
        "\tsigner := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })"
        if flow.s3
        else "\tsigner := v4.NewSigner()"
    )
    return [
        "\t// AWS SigV4 by the AWS SDK's signer (aws-sdk-go-v2), over the request as it is sent.",
        *hash_lines,
        *(s3 if flow.s3 else []),
        f"\tcredentials := aws.Credentials{{{', '.join(creds)}}}",
        signer,
        "\terr = signer.SignHTTP(context.Background(), credentials, req, bodyHash,",
        f"\t\t{go_str(flow.service)}, {go_str(flow.region)}, time.Now())",
        "\tif err != nil {",
        "\t\tlog.Fatal(err)",
        "\t}",
        "",
    ]


def _go_token(flow: ClientCredentials) -> list[str]:
    style = "AuthStyleInHeader" if flow.method == "client_secret_basic" else "AuthStyleInParams"
    fields = [
        f"ClientID:     {go_str(flow.client_id)},",
        f"ClientSecret: {go_str(flow.client_secret)},",
        f"TokenURL:     {go_str(flow.token_url)},",
    ]
    if flow.scope:
        scopes = ", ".join(go_str(x) for x in flow.scope.split())
        fields.append(f"Scopes:       []string{{{scopes}}},")
    fields.append(f"AuthStyle:    oauth2.{style},")
    return [
        "\t// OAuth 2.0 client credentials (RFC 6749 4.4): golang.org/x/oauth2 fetches",
        f"\t// the token, the client authenticated by {flow.method}.",
        "\ttokenSource := clientcredentials.Config{",
        *[f"\t\t{f}" for f in fields],
        "\t}",
        "\ttoken, err := tokenSource.Token(context.Background())",
        "\tif err != nil {",
        "\t\tlog.Fatal(err)",
        "\t}",
        "",
    ]


def _go_imports(code: str, extra: list[str]) -> str:
    """``code`` with ``extra`` merged into its import block: the standard
    library, a blank line, the modules (gofmt's order within each)."""
    start = code.index("import (\n") + len("import (\n")
    end = code.index("\n)", start)
    have = [line.strip() for line in code[start:end].split("\n") if line.strip()]
    specs = dict.fromkeys([*have, *(e if " " in e else f'"{e}"' for e in extra)])

    def path(spec: str) -> str:
        return spec.split(" ")[-1].strip('"')

    std = sorted((x for x in specs if "." not in path(x).split("/")[0]), key=path)
    mods = sorted((x for x in specs if "." in path(x).split("/")[0]), key=path)
    block = "\n".join(f"\t{x}" for x in std)
    if mods:
        block += "\n\n" + "\n".join(f"\t{x}" for x in mods)
    return code[:start] + block + code[end:]
