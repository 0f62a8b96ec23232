$headers = [ordered]@{
    'Depth' = '1'
}

$body = [System.Text.Encoding]::UTF8.GetBytes('<?xml version="1.0"?>
<d:propfind xmlns:d="DAV:"><d:allprop/></d:propfind>')

$params = @{
    Uri                  = 'http://127.0.0.1:8081/echo'
    CustomMethod         = 'PROPFIND'
    Headers              = $headers
    Body                 = $body
    ContentType          = 'application/xml; charset="utf-8"'
    MaximumRedirection   = 0
    SkipHeaderValidation = $true
    SkipHttpErrorCheck   = $true
}

$response = Invoke-WebRequest @params
Write-Output "$($response.StatusCode) $($response.StatusDescription)"
Write-Output $response.Content
