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

// URLSession has no multipart API: write the parts with a fresh boundary.
let boundary = "Boundary-\(UUID().uuidString)"
var form = Data()
func addPart(_ headers: String, _ content: Data) {
    form.append(Data("--\(boundary)\r\n\(headers)\r\n\r\n".utf8))
    form.append(content)
    form.append(Data("\r\n".utf8))
}
addPart("Content-Disposition: form-data; name=\"lf\"", Data("a\nb".utf8))
addPart("Content-Disposition: form-data; name=\"cr\"", Data("a\rb".utf8))
addPart("Content-Disposition: form-data; name=\"crlf\"", Data("a\r\nb".utf8))
addPart("Content-Disposition: form-data; name=\"mixed\"", Data("x\r\ny\nz\r".utf8))
form.append(Data("--\(boundary)--\r\n".utf8))

var request = URLRequest(url: URL(string: "http://127.0.0.1:8081/echo")!)
request.httpMethod = "POST"
request.addValue("multipart/form-data; boundary=\(boundary)", forHTTPHeaderField: "Content-Type")
request.httpBody = form

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
