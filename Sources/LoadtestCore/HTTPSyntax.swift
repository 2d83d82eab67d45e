/// The few HTTP/1.1 syntax checks input validation needs (RFC 9110 §5.6.2 tokens, header lines).
enum HTTPSyntax {
    /// Headers loadtest writes itself; a scenario may not set them (a duplicate `Content-Length` or
    /// `Host` would make the request ambiguous).
    static let generatedHeaders: Set<String> = ["host", "content-length", "transfer-encoding", "connection"]

    /// `tchar` of RFC 9110: ALPHA / DIGIT / "!#$%&'*+-.^_`|~".
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }

    /// Splits `Name: value` at the first colon; the name must be a token, the value must hold no
    /// CR, LF or NUL; spaces and tabs around the value are removed.
    static func parseHeaderLine(_ line: String) -> ScenarioRequest.Header? {
        let bytes = Array(line.utf8)
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > 0 else { return nil }
        let name = bytes[..<colon]
        guard name.allSatisfy(isTokenByte) else { return nil }
        var value = bytes[(colon + 1)...]
        guard !value.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else { return nil }
        while let first = value.first, first == 0x20 || first == 0x09 { value = value.dropFirst() }
        while let last = value.last, last == 0x20 || last == 0x09 { value = value.dropLast() }
        return ScenarioRequest.Header(name: String(decoding: name, as: UTF8.self),
                                      value: String(decoding: value, as: UTF8.self))
    }
}
