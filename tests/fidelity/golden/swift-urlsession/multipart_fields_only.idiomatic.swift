import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

// URLSession has no multipart API: write the parts with a fresh boundary.
let boundary = "Boundary-\(UUID().uuidString)"
var form = Data()
func addPart(_ headers: String, _ content: Data) {
    form.append(Data("--\(boundary)\r\n\(headers)\r\n\r\n".utf8))
    form.append(content)
    form.append(Data("\r\n".utf8))
}
addPart("Content-Disposition: form-data; name=\"a\"", Data("1".utf8))
addPart("Content-Disposition: form-data; name=\"b\"", Data("ü \"x\" quote \" apostrophe ' backslash \\ dollar $HOME ${x} backtick `id` #{x} %d %s {{x}} \\n".utf8))
form.append(Data("--\(boundary)--\r\n".utf8))

var request = URLRequest(url: URL(string: "http://127.0.0.1:8081/echo")!)
request.httpMethod = "POST"
request.timeoutInterval = 30.0
request.setValue("multipart/form-data; boundary=\(boundary)", forHTTPHeaderField: "Content-Type")
request.httpBody = form

let (data, response) = try await URLSession.shared.data(for: request)
guard let http = response as? HTTPURLResponse, (200..<300).contains(http.statusCode) else {
    throw URLError(.badServerResponse)
}
print(http.statusCode)
print(String(decoding: data, as: UTF8.self))
