$body = [System.Text.Encoding]::UTF8.GetBytes('{"z":1,"a":[1,2.5,-3e-07,true,false,null],"text":"quote \" apostrophe '' backslash \\ dollar $HOME ${x} backtick `id` #{x} %d %s {{x}} \\n\n\ttab\r\nline","unicode":"Zürich ünïcödé 日本 😀","nested":{"empty":{},"list":[],"html":"</script><b>&amp;</b>","nul":"a\u0000b"},"sep":"  "}')

$params = @{
    Uri                  = 'http://127.0.0.1:8081/echo'
    Method               = 'Post'
    Body                 = $body
    ContentType          = 'application/json'
    MaximumRedirection   = 0
    SkipHeaderValidation = $true
    SkipHttpErrorCheck   = $true
}

$response = Invoke-WebRequest @params
Write-Output "$($response.StatusCode) $($response.StatusDescription)"
Write-Output $response.Content
