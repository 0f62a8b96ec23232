$params = @{
    Uri                  = 'http://127.0.0.1:8081/echo'
    Method               = 'Get'
    TimeoutSec           = 10
    SkipHeaderValidation = $true
    SkipHttpErrorCheck   = $true
}

$response = Invoke-WebRequest @params
Write-Output "$($response.StatusCode) $($response.StatusDescription)"
Write-Output $response.Content
