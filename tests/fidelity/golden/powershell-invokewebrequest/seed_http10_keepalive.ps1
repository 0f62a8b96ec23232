$headers = [ordered]@{
    'Connection' = 'keep-alive'
    'Keep-Alive' = 'timeout=5, max=100'
}

$params = @{
    Uri                  = 'http://127.0.0.1:8081/echo'
    Method               = 'Get'
    Headers              = $headers
    HttpVersion          = '1.0'
    MaximumRedirection   = 0
    SkipHeaderValidation = $true
    SkipHttpErrorCheck   = $true
}

$response = Invoke-WebRequest @params
Write-Output "$($response.StatusCode) $($response.StatusDescription)"
Write-Output $response.Content
