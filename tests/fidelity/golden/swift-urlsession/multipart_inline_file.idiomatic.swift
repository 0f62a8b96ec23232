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
addPart("Content-Disposition: form-data; name=\"note\"", Data("inline".utf8))
addPart("Content-Disposition: form-data; name=\"blob\"; filename=\"data.bin\"\r\nContent-Type: application/x-thing", Data(base64Encoded: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5fYGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn+AgYKDhIWGh4iJiouMjY6PkJGSk5SVlpeYmZqbnJ2en6ChoqOkpaanqKmqq6ytrq+wsbKztLW2t7i5uru8vb6/wMHCw8TFxsfIycrLzM3Oz9DR0tPU1dbX2Nna29zd3t/g4eLj5OXm5+jp6uvs7e7v8PHy8/T19vf4+fr7/P3+/w==")!)
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
