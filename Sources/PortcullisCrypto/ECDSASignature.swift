/// JOSE ECDSA signatures (RFC 7518 §3.4): the raw fixed-width `r‖s` form, converted explicitly
/// to the DER `ECDSA-Sig-Value` OpenSSL verifies.
///
/// Security invariants, checked here before OpenSSL sees anything:
/// - the input is exactly `2 × coordinateLength` bytes, so a DER signature (the form other
///   libraries emit) is rejected rather than guessed at;
/// - `r` and `s` are each nonzero and strictly below the group order `n` (no `r = 0`/`s = 0`
///   "psychic signature" class, no `r = n` aliases).
enum ECDSASignature {
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
