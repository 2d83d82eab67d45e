/// An independent RFC 7235 / RFC 9110 §11.6.1 challenge parser for reading back the gateway's
/// `WWW-Authenticate` values: `scheme [ 1*SP auth-param *( OWS "," OWS auth-param ) ]` with
/// `auth-param = token BWS "=" BWS ( token / quoted-string )`. Returns nil on any syntax error or a
/// repeated parameter, so a malformed header fails the test instead of being half-read.
struct AuthChallenge {
    var scheme: String
    var parameters: [(name: String, value: String)]

    subscript(name: String) -> String? {
        parameters.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    static func parse(_ text: String) -> AuthChallenge? {
        var reader = Reader(bytes: Array(text.utf8))
        return reader.challenge()
    }

    private struct Reader {
        let bytes: [UInt8]
        var at = 0

        mutating func challenge() -> AuthChallenge? {
            guard let scheme = token() else { return nil }
            var result = AuthChallenge(scheme: scheme, parameters: [])
            if at == bytes.count { return result }
            guard bytes[at] == 0x20 else { return nil }
            skipSpace()
            while true {
                guard let name = token() else { return nil }
                skipSpace()
                guard at < bytes.count, bytes[at] == UInt8(ascii: "=") else { return nil }
                at += 1
                skipSpace()
                let value = at < bytes.count && bytes[at] == UInt8(ascii: "\"") ? quoted() : token()
                guard let value, result[name] == nil else { return nil }
                result.parameters.append((name, value))
                skipSpace()
                if at == bytes.count { return result }
                guard bytes[at] == UInt8(ascii: ",") else { return nil }
                at += 1
                skipSpace()
            }
        }

        mutating func token() -> String? {
            let start = at
            while at < bytes.count, Self.isTchar(bytes[at]) { at += 1 }
            return at > start ? String(decoding: bytes[start..<at], as: UTF8.self) : nil
        }

        mutating func quoted() -> String? {
            at += 1
            var out: [UInt8] = []
            while at < bytes.count {
                let b = bytes[at]
                at += 1
                switch b {
                case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard at < bytes.count, bytes[at] == 0x09 || (0x20...0x7E).contains(bytes[at]) else { return nil }
                    out.append(bytes[at])
                    at += 1
                case 0x09, 0x20, 0x21, 0x23...0x5B, 0x5D...0x7E: out.append(b)
                default: return nil
                }
            }
            return nil
        }

        mutating func skipSpace() {
            while at < bytes.count, bytes[at] == 0x20 || bytes[at] == 0x09 { at += 1 }
        }

        static func isTchar(_ b: UInt8) -> Bool {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return true
            default:
                return "!#$%&'*+-.^_`|~".utf8.contains(b)
            }
        }
    }
}
