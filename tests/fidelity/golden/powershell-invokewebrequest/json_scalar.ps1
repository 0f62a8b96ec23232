$body = [System.Text.Encoding]::UTF8.GetBytes('"just a string \"q\" \\ ü"')

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
