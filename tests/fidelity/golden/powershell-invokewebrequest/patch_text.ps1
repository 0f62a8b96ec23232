$body = [System.Text.Encoding]::UTF8.GetBytes('{"title": null, "tags": ["a"]}')

$params = @{
    Uri                  = 'http://127.0.0.1:8081/echo'
    Method               = 'Patch'
    Body                 = $body
    ContentType          = 'application/merge-patch+json'
    MaximumRedirection   = 0
    SkipHeaderValidation = $true
    SkipHttpErrorCheck   = $true
}

$response = Invoke-WebRequest @params
Write-Output "$($response.StatusCode) $($response.StatusDescription)"
Write-Output $response.Content
