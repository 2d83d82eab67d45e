/// Reads the freshness lifetime a JWKS response grants through `Cache-Control`.
public enum JWKSCacheControl {
    /// The `max-age` directive in seconds; `no-cache` / `no-store` count as 0 (the policy then
    /// clamps to its minimum TTL). Nil when the header grants nothing we understand.
    /// Directive names are case-insensitive; a quoted value is accepted; a malformed or
    /// duplicated `max-age` is ignored as a whole (RFC 9111 §4.2.1: treat as stale, so the
    /// policy default applies).
    public static func maxAge(_ header: String?) -> Double? {
        guard let header else { return nil }
        var found: Double?
        var duplicate = false
        var noCache = false
        for rawDirective in header.utf8.split(separator: UInt8(ascii: ",")) {
            let directive = trim(rawDirective)
            let parts = directive.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(decoding: trim(parts[0]), as: UTF8.self).lowercased()
            switch name {
            case "no-cache", "no-store":
                noCache = true
            case "max-age":
                guard parts.count == 2, let seconds = integer(trim(parts[1])) else { return nil }
                if found != nil { duplicate = true }
                found = seconds
            default:
                continue
            }
        }
        if noCache { return 0 }
        return duplicate ? nil : found
    }

    private static func trim(_ bytes: Substring.UTF8View.SubSequence) -> Substring.UTF8View.SubSequence {
        var slice = bytes
        while let first = slice.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { slice = slice.dropFirst() }
        while let last = slice.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { slice = slice.dropLast() }
        return slice
    }

    private static func integer(_ bytes: Substring.UTF8View.SubSequence) -> Double? {
        var digits = bytes
        if digits.count >= 2, digits.first == UInt8(ascii: "\""), digits.last == UInt8(ascii: "\"") {
            digits = digits.dropFirst().dropLast()
        }
        guard !digits.isEmpty, digits.count <= 10 else { return nil }
        var value = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return Double(value)
    }
}
