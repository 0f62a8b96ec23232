import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

// URLSession follows redirects unless its delegate declines them.
final class NoRedirects: NSObject, URLSessionTaskDelegate {
    func urlSession(_ session: URLSession, task: URLSessionTask,
                    willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest,
                    completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}

let configuration = URLSessionConfiguration.default
// One session for the whole program: it pools connections and keeps them alive.
let session = URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)

var request = URLRequest(url: URL(string: "http://127.0.0.1:8081/echo?a=1")!)
request.httpMethod = "GET"
request.addValue("Basic YWwhY2U6c0BjcmV0IHg=", forHTTPHeaderField: "Authorization")

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
