import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

var request = URLRequest(url: URL(string: "http://127.0.0.1:8081/echo?next=https%3A%2F%2Fx.test%2F%3Fa%3D1%26b%3D2&eq=a%3Db&amp=%26&semi=a;b&slash=a/b&q=?x&at=@&pct=100%25&colon=a:b")!)
request.timeoutInterval = 30.0

let (data, response) = try await URLSession.shared.data(for: request)
guard let http = response as? HTTPURLResponse, (200..<300).contains(http.statusCode) else {
    throw URLError(.badServerResponse)
}
print(http.statusCode)
print(String(decoding: data, as: UTF8.self))
