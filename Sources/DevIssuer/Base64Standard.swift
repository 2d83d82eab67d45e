/// Standard base64 (RFC 4648 §4) for HTTP Basic credentials. Base64url (§5) for JWT segments,
/// PKCE and random strings is JOSE's `Base64URL`, shared with the verifier.
enum Base64Standard {
    /// Decodes standard base64 with optional padding. Nil on any character outside the alphabet,
    /// impossible length or non-zero trailing bits.
    static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        var body = Array(text)
        while body.last == UInt8(ascii: "=") { body.removeLast() }
        guard body.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(body.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in body {
            guard let value = sextet(byte) else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        // Canonical encodings leave the unused low bits zero.
        guard accumulator & ((1 << UInt32(bits)) - 1) == 0 else { return nil }
        return out
    }

    private static func sextet(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): return 62
        case UInt8(ascii: "/"): return 63
        default: return nil
        }
    }
}
