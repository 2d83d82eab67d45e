/// An independent RFC 7235 / RFC 9110 §11.6.1 challenge parser, used to read back the
/// `WWW-Authenticate` values Policy produces: `scheme 1*SP auth-param *( OWS "," OWS auth-param )`,
/// `auth-param = token BWS "=" BWS ( token / quoted-string )`.
struct AuthParamParser {
    struct Challenge: Equatable {
        var scheme: String
        var parameters: [(String, String)]
        static func == (a: Challenge, b: Challenge) -> Bool {
            a.scheme == b.scheme && a.parameters.elementsEqual(b.parameters) { $0 == $1 }
        }
        subscript(name: String) -> String? {
            parameters.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    enum Failure: Error { case syntax(String) }

    private let bytes: [UInt8]
    private var position = 0

    static func parse(_ value: String) throws -> Challenge {
        var parser = AuthParamParser(bytes: Array(value.utf8))
        return try parser.challenge()
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private mutating func challenge() throws -> Challenge {
        let scheme = try token()
        var parameters: [(String, String)] = []
        guard position < bytes.count else { return Challenge(scheme: scheme, parameters: []) }
        guard bytes[position] == UInt8(ascii: " ") else { throw Failure.syntax("no SP after scheme") }
        skipWhitespace()
        while true {
            let name = try token()
            skipWhitespace()
            try expect(UInt8(ascii: "="))
            skipWhitespace()
            let value = position < bytes.count && bytes[position] == UInt8(ascii: "\"") ? try quotedString() : try token()
            if parameters.contains(where: { $0.0.lowercased() == name.lowercased() }) {
                throw Failure.syntax("duplicate parameter \(name)")
            }
            parameters.append((name, value))
            skipWhitespace()
            if position == bytes.count { break }
            try expect(UInt8(ascii: ","))
            skipWhitespace()
        }
        return Challenge(scheme: scheme, parameters: parameters)
    }

    private mutating func token() throws -> String {
        let start = position
        while position < bytes.count, isTchar(bytes[position]) { position += 1 }
        guard position > start else { throw Failure.syntax("expected token at \(start)") }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private mutating func quotedString() throws -> String {
        try expect(UInt8(ascii: "\""))
        var out: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard position < bytes.count, isQuotedPairChar(bytes[position]) else { throw Failure.syntax("bad quoted-pair") }
                out.append(bytes[position])
                position += 1
            default:
                // qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
                guard byte == 0x09 || byte == 0x20 || byte == 0x21 || (0x23...0x5B).contains(byte)
                        || (0x5D...0x7E).contains(byte) || byte >= 0x80 else {
                    throw Failure.syntax("invalid qdtext byte \(byte)")
                }
                out.append(byte)
            }
        }
        throw Failure.syntax("unterminated quoted-string")
    }

    private func isQuotedPairChar(_ byte: UInt8) -> Bool {
        byte == 0x09 || byte == 0x20 || (0x21...0x7E).contains(byte) || byte >= 0x80
    }

    private func isTchar(_ byte: UInt8) -> Bool {
        if (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) { return true }
        return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
    }

    private mutating func skipWhitespace() {
        while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x09 { position += 1 }
    }

    private mutating func expect(_ byte: UInt8) throws {
        guard position < bytes.count, bytes[position] == byte else { throw Failure.syntax("expected \(Character(UnicodeScalar(byte)))") }
        position += 1
    }
}
