$headers = [ordered]@{
    'X-Trace' = 'h2'
}

$params = @{
    Uri                  = 'http://127.0.0.1:8081/echo?h2=1'
    Method               = 'Get'
    Headers              = $headers
    HttpVersion          = '2.0'
    MaximumRedirection   = 0
    SkipHeaderValidation = $true
    SkipHttpErrorCheck   = $true
}

$response = Invoke-WebRequest @params
Write-Output "$($response.StatusCode) $($response.StatusDescription)"
Write-Output $response.Content
