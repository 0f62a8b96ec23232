$form = [ordered]@{
    'lf' = 'a
b'
    'cr' = 'ab'
    'crlf' = 'a
b'
    'mixed' = 'x
y
z'
}

$params = @{
    Uri                  = 'http://127.0.0.1:8081/echo'
    Method               = 'Post'
    Form                 = $form
    MaximumRedirection   = 0
    SkipHeaderValidation = $true
    SkipHttpErrorCheck   = $true
}

$response = Invoke-WebRequest @params
Write-Output "$($response.StatusCode) $($response.StatusDescription)"
Write-Output $response.Content
