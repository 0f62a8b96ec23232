import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

let configuration = URLSessionConfiguration.default
configuration.timeoutIntervalForResource = 10.0
// One session for the whole program: it pools connections and keeps them alive.
let session = URLSession(configuration: configuration)

var request = URLRequest(url: URL(string: "http://127.0.0.1:8081/echo")!)
request.httpMethod = "GET"

let done = DispatchSemaphore(value: 0)
session.dataTask(with: request) { data, response, error in
    defer { done.signal() }
    if let error = error {
        print("request failed: \(error)")
        return
    }
    if let http = response as? HTTPURLResponse {
        print(http.statusCode)
    }
    if let data = data {
        print(String(decoding: data, as: UTF8.self))
    }
}.resume()
done.wait()
