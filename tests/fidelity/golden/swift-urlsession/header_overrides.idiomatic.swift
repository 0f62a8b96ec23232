import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

var request = URLRequest(url: URL(string: "http://127.0.0.1:8081/echo")!)
request.timeoutInterval = 30.0
request.setValue("reqlab-fidelity/1.0 (+tests)", forHTTPHeaderField: "User-Agent")
request.setValue("application/xml;q=0.9, */*;q=0.1", forHTTPHeaderField: "Accept")
request.setValue("identity", forHTTPHeaderField: "Accept-Encoding")

let (data, response) = try await URLSession.shared.data(for: request)
guard let http = response as? HTTPURLResponse, (200..<300).contains(http.statusCode) else {
    throw URLError(.badServerResponse)
}
print(http.statusCode)
print(String(decoding: data, as: UTF8.self))
