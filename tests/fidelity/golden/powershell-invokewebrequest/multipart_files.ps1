$headers = [ordered]@{
    'X-Upload' = '2'
}

$form = [ordered]@{
    'doc' = Get-Item -LiteralPath 'notes.txt'
    'blob' = Get-Item -LiteralPath 'payload.bin'
    'tag' = 'b'
}

$params = @{
    Uri                  = 'http://127.0.0.1:8081/echo'
    Method               = 'Put'
    Headers              = $headers
    Form                 = $form
    MaximumRedirection   = 0
    SkipHeaderValidation = $true
    SkipHttpErrorCheck   = $true
}

$response = Invoke-WebRequest @params
Write-Output "$($response.StatusCode) $($response.StatusDescription)"
Write-Output $response.Content
