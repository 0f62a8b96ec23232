$params = @{
    Uri                  = 'http://127.0.0.1:8081/echo?next=https%3A%2F%2Fx.test%2F%3Fa%3D1%26b%3D2&eq=a%3Db&amp=%26&semi=a;b&slash=a/b&q=?x&at=@&pct=100%25&colon=a:b'
    Method               = 'Get'
    MaximumRedirection   = 0
    SkipHeaderValidation = $true
    SkipHttpErrorCheck   = $true
}

$response = Invoke-WebRequest @params
Write-Output "$($response.StatusCode) $($response.StatusDescription)"
Write-Output $response.Content
