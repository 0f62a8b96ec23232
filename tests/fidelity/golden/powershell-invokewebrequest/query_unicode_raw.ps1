$params = @{
    Uri                  = 'http://127.0.0.1:8081/echo?name=caf%C3%A9&ja=%E6%97%A5%E6%9C%AC&e=%F0%9F%98%80'
    Method               = 'Get'
    MaximumRedirection   = 0
    SkipHeaderValidation = $true
    SkipHttpErrorCheck   = $true
}

$response = Invoke-WebRequest @params
Write-Output "$($response.StatusCode) $($response.StatusDescription)"
Write-Output $response.Content
