$params = @{
    Uri                  = 'http://127.0.0.1:8081/echo/caf%C3%A9/a%2Fb/x%20y/100%25?k=v'
    Method               = 'Get'
    MaximumRedirection   = 0
    SkipHeaderValidation = $true
    SkipHttpErrorCheck   = $true
}

$response = Invoke-WebRequest @params
Write-Output "$($response.StatusCode) $($response.StatusDescription)"
Write-Output $response.Content
