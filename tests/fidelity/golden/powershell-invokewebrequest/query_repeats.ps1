$params = @{
    Uri                  = 'http://127.0.0.1:8081/echo?tag=b&tag=a&x=1&tag=b&empty=&flag'
    Method               = 'Get'
    MaximumRedirection   = 0
    SkipHeaderValidation = $true
    SkipHttpErrorCheck   = $true
}

$response = Invoke-WebRequest @params
Write-Output "$($response.StatusCode) $($response.StatusDescription)"
Write-Output $response.Content
