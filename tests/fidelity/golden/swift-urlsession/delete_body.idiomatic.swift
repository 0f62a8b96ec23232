import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

var request = URLRequest(url: URL(string: "http://127.0.0.1:8081/echo/items/42")!)
request.httpMethod = "DELETE"
request.timeoutInterval = 30.0
request.setValue("application/json", forHTTPHeaderField: "Content-Type")
let payload: [String: Any] = [
    "reason": "duplicate",
]
request.httpBody = try JSONSerialization.data(withJSONObject: payload)

let (data, response) = try await URLSession.shared.data(for: request)
guard let http = response as? HTTPURLResponse, (200..<300).contains(http.statusCode) else {
    throw URLError(.badServerResponse)
}
print(http.statusCode)
print(String(decoding: data, as: UTF8.self))
