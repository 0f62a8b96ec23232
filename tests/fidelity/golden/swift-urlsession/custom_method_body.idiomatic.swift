import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

var request = URLRequest(url: URL(string: "http://127.0.0.1:8081/echo")!)
request.httpMethod = "PROPFIND"
request.timeoutInterval = 30.0
request.setValue("1", forHTTPHeaderField: "Depth")
request.setValue("application/xml; charset=\"utf-8\"", forHTTPHeaderField: "Content-Type")
request.httpBody = Data("<?xml version=\"1.0\"?>\n<d:propfind xmlns:d=\"DAV:\"><d:allprop/></d:propfind>".utf8)

let (data, response) = try await URLSession.shared.data(for: request)
guard let http = response as? HTTPURLResponse, (200..<300).contains(http.statusCode) else {
    throw URLError(.badServerResponse)
}
print(http.statusCode)
print(String(decoding: data, as: UTF8.self))
