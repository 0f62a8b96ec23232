$body = [System.Text.Encoding]::UTF8.GetBytes('{"v":"1.0"}')

$params = @{
    Uri                  = 'http://127.0.0.1:8081/echo'
    Method               = 'Post'
    Body                 = $body
    ContentType          = 'application/json'
    HttpVersion          = '1.0'
    MaximumRedirection   = 0
    SkipHeaderValidation = $true
    SkipHttpErrorCheck   = $true
}

$response = Invoke-WebRequest @params
Write-Output "$($response.StatusCode) $($response.StatusDescription)"
Write-Output $response.Content
