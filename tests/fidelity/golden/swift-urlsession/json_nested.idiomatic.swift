import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

var request = URLRequest(url: URL(string: "http://127.0.0.1:8081/echo")!)
request.httpMethod = "POST"
request.timeoutInterval = 30.0
request.setValue("application/json", forHTTPHeaderField: "Content-Type")
let payload: [String: Any] = [
    "z": 1,
    "a": [1, 2.5, -3e-07, true, false, NSNull()] as [Any],
    "text": "quote \" apostrophe ' backslash \\ dollar $HOME ${x} backtick `id` #{x} %d %s {{x}} \\n\n\ttab\r\nline",
    "unicode": "Zürich ünïcödé 日本 😀",
    "nested": [
        "empty": [:] as [String: Any],
        "list": [] as [Any],
        "html": "</script><b>&amp;</b>",
        "nul": "a\0b",
    ] as [String: Any],
    "sep": "  ",
]
request.httpBody = try JSONSerialization.data(withJSONObject: payload)

let (data, response) = try await URLSession.shared.data(for: request)
guard let http = response as? HTTPURLResponse, (200..<300).contains(http.statusCode) else {
    throw URLError(.badServerResponse)
}
print(http.statusCode)
print(String(decoding: data, as: UTF8.self))
