$headers = [ordered]@{
    'X-Name' = 'Zoë 日本'
}

$params = @{
    Uri                  = 'http://127.0.0.1:8081/echo'
    Method               = 'Get'
    Headers              = $headers
    MaximumRedirection   = 0
    SkipHeaderValidation = $true
    SkipHttpErrorCheck   = $true
}

$response = Invoke-WebRequest @params
Write-Output "$($response.StatusCode) $($response.StatusDescription)"
Write-Output $response.Content
