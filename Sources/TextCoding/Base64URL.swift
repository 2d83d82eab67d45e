/// Strict base64url (RFC 4648 §5) as JWS requires (RFC 7515 §2): URL-safe alphabet only,
/// no padding, no whitespace, and canonical trailing bits.
///
/// Security invariant: exactly one encoding decodes to a given byte string, so two different
/// tokens can never carry the same signature bytes (no malleability through `=`, `+`, `/`,
/// line breaks or non-zero unused bits).
public enum Base64URL {
    /// Decodes `input`, or returns `nil` if it is not strict canonical base64url.
    public static func decode(_ input: UnsafeRawBufferPointer) -> [UInt8]? {
        guard let outCount = decodedCount(input.count) else { return nil }
        guard outCount > 0 else { return [] }
        var valid = true
        let out = [UInt8](unsafeUninitializedCapacity: outCount) { dst, initialized in
            valid = decode(input, into: dst.baseAddress!)
            // Bytes are plain integers: reporting them all as initialised is safe even on failure.
            initialized = outCount
        }
        return valid ? out : nil
    }

    /// The decoded length of `count` base64url characters, or `nil` for an impossible length
    /// (`count % 4 == 1`).
    @inline(__always)
    public static func decodedCount(_ count: Int) -> Int? {
        if count % 4 == 1 { return nil }
        return count / 4 * 3 + (count % 4 == 0 ? 0 : count % 4 - 1)
    }

    /// Decodes `input` into `dst` (which has room for `decodedCount(input.count)` bytes) with no
    /// allocation; `false` if `input` is not strict canonical base64url (then `dst` holds junk).
    public static func decode(_ input: UnsafeRawBufferPointer, into dst: UnsafeMutablePointer<UInt8>) -> Bool {
        let n = input.count
        guard decodedCount(n) != nil else { return false }
        guard n > 0, let src = input.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return true }
        return shiftedTables.withUnsafeBufferPointer { t in
            // t[0..<256] = v << 18, t[256..<512] = v << 12, t[512..<768] = v << 6,
            // t[768..<1024] = v; invalid characters set bit 31 in all four.
            var i = 0, o = 0
            var bad: UInt32 = 0
            while i + 4 <= n {
                let w = t[Int(src[i])] | t[256 + Int(src[i + 1])] | t[512 + Int(src[i + 2])] | t[768 + Int(src[i + 3])]
                bad |= w
                dst[o] = UInt8(truncatingIfNeeded: w >> 16)
                dst[o + 1] = UInt8(truncatingIfNeeded: w >> 8)
                dst[o + 2] = UInt8(truncatingIfNeeded: w)
                i += 4
                o += 3
            }
            switch n - i {
            case 2:
                let w = t[Int(src[i])] | t[256 + Int(src[i + 1])]
                bad |= w | (w & 0x0000_f000 != 0 ? 0x8000_0000 : 0)
                dst[o] = UInt8(truncatingIfNeeded: w >> 16)
            case 3:
                let w = t[Int(src[i])] | t[256 + Int(src[i + 1])] | t[512 + Int(src[i + 2])]
                bad |= w | (w & 0x0000_00c0 != 0 ? 0x8000_0000 : 0)
                dst[o] = UInt8(truncatingIfNeeded: w >> 16)
                dst[o + 1] = UInt8(truncatingIfNeeded: w >> 8)
            default:
                break
            }
            return bad & 0x8000_0000 == 0
        }
    }

    /// Decodes any byte collection (a slice of a token, an array).
    public static func decode(_ input: some Collection<UInt8>) -> [UInt8]? {
        if let result = input.withContiguousStorageIfAvailable({ decode(UnsafeRawBufferPointer($0)) }) { return result }
        return Array(input).withUnsafeBytes { decode($0) }
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

    /// Four pre-shifted copies of `decodingTable` (see `decode`): one lookup per character and
    /// no per-quantum shifting; bit 31 marks a byte outside the alphabet.
    private static let shiftedTables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 1024)
        for c in 0..<256 {
            let v = decodingTable[c]
            for k in 0..<4 {
                t[k * 256 + c] = v == 0xff ? 0x8000_0000 : UInt32(v) << UInt32(18 - 6 * k)
            }
        }
        return t
    }()

    /// Byte → 6-bit value, 0xFF for every byte outside the URL-safe alphabet.
    private static let decodingTable: [UInt8] = {
        var t = [UInt8](repeating: 0xff, count: 256)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = UInt8(i) }
        return t
    }()
}
