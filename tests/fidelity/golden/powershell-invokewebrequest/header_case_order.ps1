$headers = [ordered]@{
    'x-request-id' = 'abc-123'
    'X-MiXeD-CaSe' = 'MiXeD  Value'
    'ACCEPT-LANGUAGE' = 'de-CH, en;q=0.5'
    'X-Quotes' = 'say "hi" ''there'' $HOME `x` #{y} %d \n'
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
