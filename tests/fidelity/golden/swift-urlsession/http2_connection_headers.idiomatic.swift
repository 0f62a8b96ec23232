import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

var components = URLComponents(string: "http://127.0.0.1:8081/echo")!
components.queryItems = [
    URLQueryItem(name: "h2", value: "1"),
]
var request = URLRequest(url: components.url!)
request.timeoutInterval = 30.0
request.setValue("h2", forHTTPHeaderField: "X-Trace")

let (data, response) = try await URLSession.shared.data(for: request)
guard let http = response as? HTTPURLResponse, (200..<300).contains(http.statusCode) else {
    throw URLError(.badServerResponse)
}
print(http.statusCode)
print(String(decoding: data, as: UTF8.self))
