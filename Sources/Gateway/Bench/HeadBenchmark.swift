import HTTP1

/// `portcullis bench heads`: the HTTP/1.1 work of one proxied request outside the network: parse the
/// client's request head, write the head sent upstream, parse the upstream's response head. The same
/// parsers and serializer as the proxy, on heads shaped like the benchmark harness's (wrk's request
/// with a bearer token, nginx's response).
extension VerificationBenchmark {
    static let benchRequestHead = Array(("GET /v1/port-calls/42 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
        + "Authorization: Bearer " + String(repeating: "eyJhbGciOiJSUzI1NiJ9", count: 17) + "\r\n"
        + "User-Agent: wrk/4.1.0\r\nAccept: */*\r\n\r\n").utf8)
    static let benchResponseHead = Array(("HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Mon, 23 Nov 2026 17:20:06 GMT\r\n"
        + "Content-Type: application/json\r\nContent-Length: 101\r\nConnection: keep-alive\r\n\r\n").utf8)

    public static func heads(seconds: Double) throws -> Result {
        var requests = RequestParser()
        var responses = ResponseParser()
        let drop = FieldNameSet(["x-request-id", "expect", "x-auth-subject"])
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        return try measure("heads (parse request, write upstream head, parse response)", seconds: seconds, batchSize: 256) {
            for _ in 0..<256 {
                let request: ParsedRequest = try benchRequestHead.withUnsafeBytes { bytes in
                    guard case (.head(let r), _) = try requests.parse(bytes) else { fatalError("request head") }
                    return r
                }
                _ = try [UInt8]().withUnsafeBytes { try requests.parse($0) }   // .end
                out.removeAll(keepingCapacity: true)
                HTTPSerializer.writeRequestLine(method: request.head.method, target: request.head.target, into: &out)
                HTTPSerializer.writeForwardedFields(request.head.headers, dropping: drop, into: &out)
                HTTPSerializer.endHead(into: &out)
                responses.reset()
                responses.expectResponse(toMethod: "GET")
                try benchResponseHead.withUnsafeBytes { bytes in
                    guard case (.head, _) = try responses.parse(bytes) else { fatalError("response head") }
                }
            }
        }
    }
}
