$form = [ordered]@{
    'a' = '1'
    'b' = 'ü "x" quote " apostrophe '' backslash \ dollar $HOME ${x} backtick `id` #{x} %d %s {{x}} \n'
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
