import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

var request = URLRequest(url: URL(string: "http://127.0.0.1:8081/echo")!)
request.httpMethod = "POST"
request.timeoutInterval = 30.0
request.setValue("text/plain; charset=utf-8", forHTTPHeaderField: "Content-Type")
request.httpBody = Data("quote \" apostrophe ' backslash \\ dollar $HOME ${x} backtick `id` #{x} %d %s {{x}} \\n\nsecond line\r\n\ttabbed Zürich ünïcödé 日本 😀 '; rm -rf / #".utf8)

let (data, response) = try await URLSession.shared.data(for: request)
guard let http = response as? HTTPURLResponse, (200..<300).contains(http.statusCode) else {
    throw URLError(.badServerResponse)
}
print(http.statusCode)
print(String(decoding: data, as: UTF8.self))
