import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

var request = URLRequest(url: URL(string: "http://127.0.0.1:8081/echo")!)
request.timeoutInterval = 30.0
request.setValue("abc-123", forHTTPHeaderField: "x-request-id")
request.setValue("MiXeD  Value", forHTTPHeaderField: "X-MiXeD-CaSe")
request.setValue("de-CH, en;q=0.5", forHTTPHeaderField: "ACCEPT-LANGUAGE")
request.setValue("say \"hi\" 'there' $HOME `x` #{y} %d \\n", forHTTPHeaderField: "X-Quotes")

let (data, response) = try await URLSession.shared.data(for: request)
guard let http = response as? HTTPURLResponse, (200..<300).contains(http.statusCode) else {
    throw URLError(.badServerResponse)
}
print(http.statusCode)
print(String(decoding: data, as: UTF8.self))
