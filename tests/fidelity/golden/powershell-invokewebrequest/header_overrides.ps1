$headers = [ordered]@{
    'User-Agent' = 'reqlab-fidelity/1.0 (+tests)'
    'Accept' = 'application/xml;q=0.9, */*;q=0.1'
    'Accept-Encoding' = 'identity'
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
