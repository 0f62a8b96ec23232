$headers = [ordered]@{
    'Authorization' = 'Basic ' + [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes('al!ce:s@cret x'))
}

$params = @{
    Uri                  = 'http://127.0.0.1:8081/echo?a=1'
    Method               = 'Get'
    Headers              = $headers
    MaximumRedirection   = 0
    SkipHeaderValidation = $true
    SkipHttpErrorCheck   = $true
}

$response = Invoke-WebRequest @params
Write-Output "$($response.StatusCode) $($response.StatusDescription)"
Write-Output $response.Content
