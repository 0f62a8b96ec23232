$body = [System.Text.Encoding]::UTF8.GetBytes('quote " apostrophe '' backslash \ dollar $HOME ${x} backtick `id` #{x} %d %s {{x}} \n
second line
	tabbed Zürich ünïcödé 日本 😀 ''; rm -rf / #')

$params = @{
    Uri                  = 'http://127.0.0.1:8081/echo'
    Method               = 'Post'
    Body                 = $body
    ContentType          = 'text/plain; charset=utf-8'
    MaximumRedirection   = 0
    SkipHeaderValidation = $true
    SkipHttpErrorCheck   = $true
}

$response = Invoke-WebRequest @params
Write-Output "$($response.StatusCode) $($response.StatusDescription)"
Write-Output $response.Content
