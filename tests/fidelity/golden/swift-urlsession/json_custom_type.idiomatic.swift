import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

var request = URLRequest(url: URL(string: "http://127.0.0.1:8081/echo")!)
request.httpMethod = "POST"
request.timeoutInterval = 30.0
request.setValue("application/vnd.api+json", forHTTPHeaderField: "Content-Type")
let payload: [String: Any] = [
    "data": [
        "type": "photos",
        "id": "1",
    ] as [String: Any],
]
request.httpBody = try JSONSerialization.data(withJSONObject: payload)

let (data, response) = try await URLSession.shared.data(for: request)
guard let http = response as? HTTPURLResponse, (200..<300).contains(http.statusCode) else {
    throw URLError(.badServerResponse)
}
print(http.statusCode)
print(String(decoding: data, as: UTF8.self))
