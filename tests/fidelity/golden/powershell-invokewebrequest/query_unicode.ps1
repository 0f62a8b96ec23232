$params = @{
    Uri                  = 'http://127.0.0.1:8081/echo?city=Z%C3%BCrich&emoji=%F0%9F%98%80&ja=%E6%97%A5'
    Method               = 'Get'
    MaximumRedirection   = 0
    SkipHeaderValidation = $true
    SkipHttpErrorCheck   = $true
}

$response = Invoke-WebRequest @params
Write-Output "$($response.StatusCode) $($response.StatusDescription)"
Write-Output $response.Content
