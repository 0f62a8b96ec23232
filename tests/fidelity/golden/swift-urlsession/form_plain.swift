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

var request = URLRequest(url: URL(string: "http://127.0.0.1:8081/echo")!)
request.httpMethod = "POST"
request.addValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
request.httpBody = Data("q=a+b%26c%3Dd%2Be%25&name=Z%C3%BCrich+%C3%BCn%C3%AFc%C3%B6d%C3%A9+%E6%97%A5%E6%9C%AC+%F0%9F%98%80&empty=&nasty=quote+%22+apostrophe+%27+backslash+%5C+dollar+%24HOME+%24%7Bx%7D+backtick+%60id%60+%23%7Bx%7D+%25d+%25s+%7B%7Bx%7D%7D+%5Cn".utf8)

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
