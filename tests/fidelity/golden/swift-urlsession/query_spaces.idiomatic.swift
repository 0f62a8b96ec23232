import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

var request = URLRequest(url: URL(string: "http://127.0.0.1:8081/echo?q=hello+world&r=a%20b&plus=%2B1&tilde=~x")!)
request.timeoutInterval = 30.0

let (data, response) = try await URLSession.shared.data(for: request)
guard let http = response as? HTTPURLResponse, (200..<300).contains(http.statusCode) else {
    throw URLError(.badServerResponse)
}
print(http.statusCode)
print(String(decoding: data, as: UTF8.self))
