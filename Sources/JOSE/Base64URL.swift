/// Strict base64url (RFC 4648 §5) as JWS requires (RFC 7515 §2): URL-safe alphabet only,
/// no padding, no whitespace, and canonical trailing bits.
///
/// Security invariant: exactly one encoding decodes to a given byte string, so two different
/// tokens can never carry the same signature bytes (no malleability through `=`, `+`, `/`,
/// line breaks or non-zero unused bits).
public enum Base64URL {
    /// Decodes `input`, or returns `nil` if it is not strict canonical base64url.
    public static func decode(_ input: UnsafeRawBufferPointer) -> [UInt8]? {
        let n = input.count
        if n % 4 == 1 { return nil }
        guard n > 0, let src = input.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return [] }
        let outCount = n / 4 * 3 + (n % 4 == 0 ? 0 : n % 4 - 1)
        var valid = true
        let out = [UInt8](unsafeUninitializedCapacity: outCount) { dst, initialized in
            decodingTable.withUnsafeBufferPointer { table in
                var i = 0, o = 0
                while i + 4 <= n {
                    let a = table[Int(src[i])], b = table[Int(src[i + 1])]
                    let c = table[Int(src[i + 2])], d = table[Int(src[i + 3])]
                    if (a | b | c | d) & 0x80 != 0 { valid = false; return }
                    dst[o] = a << 2 | b >> 4
                    dst[o + 1] = b << 4 | c >> 2
                    dst[o + 2] = c << 6 | d
                    i += 4
                    o += 3
                }
                switch n - i {
                case 2:
                    let a = table[Int(src[i])], b = table[Int(src[i + 1])]
                    if (a | b) & 0x80 != 0 || b & 0x0f != 0 { valid = false; return }
                    dst[o] = a << 2 | b >> 4
                case 3:
                    let a = table[Int(src[i])], b = table[Int(src[i + 1])], c = table[Int(src[i + 2])]
                    if (a | b | c) & 0x80 != 0 || c & 0x03 != 0 { valid = false; return }
                    dst[o] = a << 2 | b >> 4
                    dst[o + 1] = b << 4 | c >> 2
                default:
                    break
                }
            }
            // Bytes are plain integers: reporting them all as initialised is safe even on failure.
            initialized = valid ? outCount : 0
        }
        return valid ? out : nil
    }

    /// Decodes a string (JWK members, tests).
    public static func decode(_ input: String) -> [UInt8]? {
        var s = input
        return s.withUTF8 { decode(UnsafeRawBufferPointer($0)) }
    }

    /// Encodes `bytes` as unpadded base64url.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var buffer: UInt32 = 0
        var bits = 0
        for b in bytes {
            buffer = buffer << 8 | UInt32(b)
            bits += 8
            while bits >= 6 {
                bits -= 6
                out.append(alphabet[Int((buffer >> UInt32(bits)) & 0x3f)])
            }
        }
        if bits > 0 {
            out.append(alphabet[Int((buffer << UInt32(6 - bits)) & 0x3f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Byte → 6-bit value, 0xFF for every byte outside the URL-safe alphabet.
    private static let decodingTable: [UInt8] = {
        var t = [UInt8](repeating: 0xff, count: 256)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = UInt8(i) }
        return t
    }()
}
