$body = [System.Text.Encoding]::UTF8.GetBytes('q=a+b%26c%3Dd%2Be%25&name=Z%C3%BCrich+%C3%BCn%C3%AFc%C3%B6d%C3%A9+%E6%97%A5%E6%9C%AC+%F0%9F%98%80&empty=&nasty=quote+%22+apostrophe+%27+backslash+%5C+dollar+%24HOME+%24%7Bx%7D+backtick+%60id%60+%23%7Bx%7D+%25d+%25s+%7B%7Bx%7D%7D+%5Cn')

$params = @{
    Uri                  = 'http://127.0.0.1:8081/echo'
    Method               = 'Post'
    Body                 = $body
    ContentType          = 'application/x-www-form-urlencoded'
    MaximumRedirection   = 0
    SkipHeaderValidation = $true
    SkipHttpErrorCheck   = $true
}

$response = Invoke-WebRequest @params
Write-Output "$($response.StatusCode) $($response.StatusDescription)"
Write-Output $response.Content
