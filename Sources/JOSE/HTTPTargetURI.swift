/// The comparable form of an HTTP(S) URI for DPoP's `htu` check (RFC 9449 §4.3): scheme and host
/// lowercased, the default port dropped, an empty path made `/`, percent-encodings of unreserved
/// characters decoded and the others' hex uppercased, dot-segments removed (RFC 3986 §6.2.2), and
/// query and fragment ignored. Pure.
public enum HTTPTargetURI {
    /// The normalized `scheme://host[:port]/path`, or `nil` for anything that is not an absolute
    /// http(s) URI with a host and no user info.
    public static func normalize(_ uri: String) -> String? {
        guard let schemeEnd = uri.firstRange(of: "://") else { return nil }
        let scheme = uri[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        let rest = uri[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: Self.endsAuthority) ?? rest.endIndex
        var authority = rest[..<authorityEnd].lowercased()
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        let afterAuthority = rest[authorityEnd...]
        let pathEnd = afterAuthority.firstIndex(where: Self.endsPath) ?? afterAuthority.endIndex
        var path = String(afterAuthority[..<pathEnd])
        if let colon = authority.lastIndex(of: ":"), !authority[colon...].contains("]") {
            let port = authority[authority.index(after: colon)...]
            guard port.allSatisfy(\.isASCII), port.allSatisfy(\.isNumber) else { return nil }
            if port.isEmpty || (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
                authority = String(authority[..<colon])
            }
        }
        if path.isEmpty { path = "/" }
        guard let normalizedPath = normalizePath(path) else { return nil }
        return scheme + "://" + authority + normalizedPath
    }

    private static func endsAuthority(_ c: Character) -> Bool { c == "/" || c == "?" || c == "#" }
    private static func endsPath(_ c: Character) -> Bool { c == "?" || c == "#" }

    /// Percent-encoding normalization and dot-segment removal of an absolute path.
    static func normalizePath(_ path: String) -> String? {
        let bytes = Array(path.utf8)
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "%") {
                guard i + 2 < bytes.count, let hi = hexValue(bytes[i + 1]), let lo = hexValue(bytes[i + 2]) else { return nil }
                let value = hi << 4 | lo
                if isUnreserved(value) { decoded.append(value) }
                else { decoded += [UInt8(ascii: "%"), upperHex(hi), upperHex(lo)] }
                i += 3
            } else {
                guard b > 0x20 && b < 0x7F else { return nil }
                decoded.append(b)
                i += 1
            }
        }
        // RFC 3986 §5.2.4, over segments.
        var output: [Substring] = []
        let segments = String(decoding: decoded, as: UTF8.self).split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        for (index, segment) in segments.enumerated() {
            let last = index == segments.count - 1
            switch segment {
            case ".": if last { output.append("") }
            case "..":
                if !output.isEmpty { output.removeLast() }
                if last { output.append("") }
            default: output.append(segment)
            }
        }
        return "/" + output.joined(separator: "/")
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static func upperHex(_ n: UInt8) -> UInt8 { n < 10 ? UInt8(ascii: "0") + n : UInt8(ascii: "A") + n - 10 }

    private static func isUnreserved(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            return true
        default: return false
        }
    }
}
