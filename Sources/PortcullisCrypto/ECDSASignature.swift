/// JOSE ECDSA signatures (RFC 7518 §3.4): the raw fixed-width `r‖s` form, converted explicitly
/// to the DER `ECDSA-Sig-Value` OpenSSL verifies, and back from the DER OpenSSL signs with.
/// The one r‖s ↔ DER converter of the code base (verification and the development issuer's
/// signing side both use it).
///
/// Security invariants, checked here before OpenSSL sees anything:
/// - the input is exactly `2 × coordinateLength` bytes, so a DER signature (the form other
///   libraries emit) is rejected rather than guessed at;
/// - `r` and `s` are each nonzero and strictly below the group order `n` (no `r = 0`/`s = 0`
///   "psychic signature" class, no `r = n` aliases).
public enum ECDSASignature {
    /// Largest DER encoding: SEQUENCE(2-byte long header) + 2 × INTEGER(2 header + 1 pad + 66).
    static let maximumDERLength = 3 + 2 * (2 + 1 + 66)

    /// Validates `raw` for `curve`, encodes it as DER into a stack buffer and calls `body` with
    /// it. Returns `nil` (without calling `body`) when the signature is malformed or out of range.
    static func withDER<R>(raw: UnsafeRawBufferPointer, curve: EllipticCurve,
                           _ body: (UnsafeRawBufferPointer) -> R) -> R? {
        let width = curve.coordinateLength
        guard raw.count == 2 * width else { return nil }
        let r = UnsafeRawBufferPointer(rebasing: raw[0..<width])
        let s = UnsafeRawBufferPointer(rebasing: raw[width..<(2 * width)])
        let order = curve.order
        guard isInRange(r, order: order), isInRange(s, order: order) else { return nil }
        return withUnsafeTemporaryAllocation(byteCount: maximumDERLength, alignment: 1) { out in
            let length = encodeDER(r: r, s: s, into: out)
            return body(UnsafeRawBufferPointer(rebasing: out[0..<length]))
        }
    }

    /// Raw `r‖s` → DER for `curve`, with the same checks as verification (exact length,
    /// `0 < r, s < n`); `nil` otherwise.
    public static func der(fromRaw raw: [UInt8], curve: EllipticCurve) -> [UInt8]? {
        raw.withUnsafeBytes { withDER(raw: $0, curve: curve) { Array($0) } } ?? nil
    }

    /// DER (`SEQUENCE { INTEGER r, INTEGER s }`, OpenSSL's signing output) → raw `r‖s`, each
    /// left-padded to the curve's coordinate length. `nil` unless `der` is exactly one
    /// well-formed structure (no trailing bytes, minimal lengths, no negative or oversized
    /// integers) whose components are in range.
    public static func raw(fromDER der: [UInt8], curve: EllipticCurve) -> [UInt8]? {
        let width = curve.coordinateLength
        var index = 0
        guard der.count >= 8, der[0] == 0x30, let bodyLength = readLength(der, &index, start: 1),
              index + bodyLength == der.count,
              let r = readInteger(der, &index), let s = readInteger(der, &index), index == der.count,
              r.count <= width, s.count <= width else { return nil }
        let raw = [UInt8](repeating: 0, count: width - r.count) + r + [UInt8](repeating: 0, count: width - s.count) + s
        let inRange = raw.withUnsafeBytes {
            isInRange(UnsafeRawBufferPointer(rebasing: $0[0..<width]), order: curve.order)
                && isInRange(UnsafeRawBufferPointer(rebasing: $0[width...]), order: curve.order)
        }
        return inRange ? raw : nil
    }

    /// A DER length at `start` (short form, or `0x81 nn` for 128...255); advances `index` past it.
    private static func readLength(_ bytes: [UInt8], _ index: inout Int, start: Int) -> Int? {
        index = start
        guard index < bytes.count else { return nil }
        let first = bytes[index]
        index += 1
        if first < 0x80 { return Int(first) }
        guard first == 0x81, index < bytes.count, bytes[index] >= 0x80 else { return nil }
        let length = Int(bytes[index])
        index += 1
        return length
    }

    /// A non-negative INTEGER's magnitude without leading zero bytes.
    private static func readInteger(_ bytes: [UInt8], _ index: inout Int) -> ArraySlice<UInt8>? {
        guard index < bytes.count, bytes[index] == 0x02,
              let length = readLength(bytes, &index, start: index + 1),
              length > 0, index + length <= bytes.count else { return nil }
        var value = bytes[index..<(index + length)]
        index += length
        // A negative INTEGER is not a valid ECDSA component.
        guard value.first! & 0x80 == 0 else { return nil }
        while value.count > 1 && value.first == 0 { value = value.dropFirst() }
        return value
    }

    /// `0 < value < order`, both big-endian of the same width.
    static func isInRange(_ value: UnsafeRawBufferPointer, order: [UInt8]) -> Bool {
        guard value.count == order.count else { return false }
        var nonzero = false
        for b in value where b != 0 {
            nonzero = true
            break
        }
        guard nonzero else { return false }
        for i in 0..<order.count {
            let v = value[i], n = order[i]
            if v != n { return v < n }
        }
        return false  // equal to the order
    }

    /// Writes `SEQUENCE { INTEGER r, INTEGER s }` in minimal DER; returns the byte count.
    static func encodeDER(r: UnsafeRawBufferPointer, s: UnsafeRawBufferPointer,
                          into out: UnsafeMutableRawBufferPointer) -> Int {
        let rTrim = minimal(r), sTrim = minimal(s)
        let rLen = rTrim.count + (rTrim[rTrim.startIndex] & 0x80 != 0 ? 1 : 0)
        let sLen = sTrim.count + (sTrim[sTrim.startIndex] & 0x80 != 0 ? 1 : 0)
        let content = 2 + rLen + 2 + sLen
        var i = 0
        out[i] = 0x30; i += 1
        if content > 0x7f {
            out[i] = 0x81; i += 1
        }
        out[i] = UInt8(content); i += 1
        // Two INTEGERs written in place (no per-call array of the pair).
        func integer(_ trimmed: Slice<UnsafeRawBufferPointer>, _ length: Int) {
            out[i] = 0x02; out[i + 1] = UInt8(length); i += 2
            if length > trimmed.count {
                out[i] = 0; i += 1
            }
            for b in trimmed {
                out[i] = b; i += 1
            }
        }
        integer(rTrim, rLen)
        integer(sTrim, sLen)
        return i
    }

    /// The integer without leading zero bytes (at least one byte; callers ensure nonzero).
    private static func minimal(_ v: UnsafeRawBufferPointer) -> Slice<UnsafeRawBufferPointer> {
        var start = 0
        while start < v.count - 1 && v[start] == 0 { start += 1 }
        return v[start...]
    }
}
