$params = @{
    Uri                  = 'http://127.0.0.1:8081/echo?q=hello+world&r=a%20b&plus=%2B1&tilde=~x'
    Method               = 'Get'
    MaximumRedirection   = 0
    SkipHeaderValidation = $true
    SkipHttpErrorCheck   = $true
}

$response = Invoke-WebRequest @params
Write-Output "$($response.StatusCode) $($response.StatusDescription)"
Write-Output $response.Content
