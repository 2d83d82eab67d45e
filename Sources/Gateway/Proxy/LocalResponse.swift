import HTTP1

/// A response the gateway makes itself (errors, challenges, local services). Every gateway error is
/// JSON: `{"error": "...", "error_description": "..."}`.
public struct LocalResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Close the client connection after this response.
    public var close: Bool
    /// The failure code (log field and metric label), e.g. `route_not_found`.
    public var code: String

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [], close: Bool = false, code: String = "") {
        self.status = status
        self.headers = headers
        self.body = body
        self.close = close
        self.code = code
    }

    /// A JSON error in the RFC 6749 shape.
    public static func error(_ status: Int, error: String, description: String, code: String, close: Bool = false,
                             extraHeaders: [(String, String)] = []) -> LocalResponse {
        var h = HTTPHeaders()
        h.append("Content-Type", "application/json")
        h.append("Cache-Control", "no-store")
        for (n, v) in extraHeaders { h.append(n, v) }
        var body: [UInt8] = []
        body.append(contentsOf: #"{"error":"#.utf8)
        JSONText.appendString(error, to: &body)
        body.append(contentsOf: #","error_description":"#.utf8)
        JSONText.appendString(description, to: &body)
        body.append(UInt8(ascii: "}"))
        return LocalResponse(status: status, headers: h, body: body, close: close, code: code)
    }
}

/// Minimal JSON string escaping for bodies the gateway writes.
public enum JSONText {
    public static func appendString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): out.append(contentsOf: [92, 92])
            case 0x0A: out.append(contentsOf: [92, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [92, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(b >> 4)], hex[Int(b & 15)]])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
