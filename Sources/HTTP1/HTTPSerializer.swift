/// Writes HTTP/1.1 heads and chunk framing into a byte buffer.
///
/// Security invariant: the output's line structure is fixed by the serializer, never by the
/// strings it writes. Whatever a head contains (for example a header value derived from a token
/// claim), a CR, LF or other control byte inside the method, target, reason, a field name or a
/// field value is replaced (by `_` in tokens and the target, SP in values and the reason), so no
/// field or message can be injected. A parsed head is already valid and is written unchanged.
public enum HTTPSerializer {
    /// CRLF, written after each chunk's data.
    public static let crlf: [UInt8] = [ASCII.cr, ASCII.lf]
    /// The last chunk and an empty trailer section: `0\r\n\r\n`.
    public static let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)

    /// Appends `method SP target SP version CRLF`, the fields and the empty line.
    public static func writeRequestHead(_ head: RequestHead, into out: inout [UInt8]) {
        writeRequestLine(method: head.method, target: head.target, version: head.version, into: &out)
        writeFields(head.headers, into: &out, dropping: { _, _ in false })
        endHead(into: &out)
    }

    /// Appends `version SP status SP reason CRLF`, the fields and the empty line.
    public static func writeResponseHead(_ head: ResponseHead, into out: inout [UInt8]) {
        writeStatusLine(status: head.status, reason: head.reason, version: head.version, into: &out)
        writeFields(head.headers, into: &out, dropping: { _, _ in false })
        endHead(into: &out)
    }

    /// Appends `method SP target SP version CRLF`.
    public static func writeRequestLine(method: String, target: String, version: HTTPVersion = .http1_1, into out: inout [UInt8]) {
        append(method, into: &out, replacingWith: UInt8(ascii: "_"), where: { !ASCII.isTokenChar($0) })
        out.append(ASCII.space)
        append(target, into: &out, replacingWith: UInt8(ascii: "_"), where: { !ASCII.isTargetChar($0) && $0 < 0x80 })
        out.append(ASCII.space)
        appendVersion(version, into: &out)
        appendCRLF(into: &out)
    }

    /// Appends `version SP status SP reason CRLF`.
    public static func writeStatusLine(status: Int, reason: String, version: HTTPVersion = .http1_1, into out: inout [UInt8]) {
        appendVersion(version, into: &out)
        out.append(ASCII.space)
        let status = min(max(status, 100), 999)
        out.append(UInt8(ascii: "0") + UInt8(status / 100))
        out.append(UInt8(ascii: "0") + UInt8(status / 10 % 10))
        out.append(UInt8(ascii: "0") + UInt8(status % 10))
        out.append(ASCII.space)
        append(reason, into: &out, replacingWith: ASCII.space, where: { !ASCII.isFieldValueChar($0) })
        appendCRLF(into: &out)
    }

    /// Appends one field line, `name: value CRLF`, sanitized like every string the serializer writes.
    public static func writeField(_ name: String, _ value: String, into out: inout [UInt8]) {
        writeField(name, into: &out) { $0.append(contentsOf: value.utf8) }
    }

    /// Appends the empty line that ends a head.
    @inline(__always)
    public static func endHead(into out: inout [UInt8]) {
        out.append(ASCII.cr)
        out.append(ASCII.lf)
    }

    /// Appends a chunk-size line for `length` bytes of data in lowercase hex, e.g. `1a\r\n`.
    public static func writeChunkHeader(length: Int, into out: inout [UInt8]) {
        precondition(length >= 0, "negative chunk length")
        var shift = (Int.bitWidth - 4)
        while shift > 0 && (length >> shift) & 0xF == 0 { shift -= 4 }
        while shift >= 0 {
            let digit = UInt8((length >> shift) & 0xF)
            out.append(digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10)
            shift -= 4
        }
        appendCRLF(into: &out)
    }

    /// Copies each field's bytes straight from the headers' storage. Parsed fields were validated
    /// by the parser; the others get the same sanitizing as every string the serializer writes.
    /// Consecutive parsed lines already spelled `name: value CRLF` in storage are copied as one run.
    /// Fields for which `drop` holds are skipped. No empty line is written.
    @inline(__always)
    static func writeFields(_ headers: HTTPHeaders, into out: inout [UInt8],
                            dropping drop: (FieldSlot, UnsafeBufferPointer<UInt8>) -> Bool) {
        headers.storage.withUnsafeBufferPointer { s in
            headers.slots.withUnsafeBufferPointer { slots in
                writeFields(slots, storage: s, into: &out) { drop($0, s) }
            }
        }
    }

    /// `writeFields(_:into:dropping:)` on borrowed slots and storage.
    @inline(__always)
    static func writeFields(_ slots: UnsafeBufferPointer<FieldSlot>, storage s: UnsafeBufferPointer<UInt8>,
                            into out: inout [UInt8], dropping drop: (FieldSlot) -> Bool) {
        var run = 0..<0
        for slot in slots {
            if drop(slot) { continue }
            if let line = canonicalLine(slot, in: s) {
                if run.upperBound == line.lowerBound && !run.isEmpty {
                    run = run.lowerBound..<line.upperBound
                } else {
                    if !run.isEmpty { out.append(contentsOf: UnsafeBufferPointer(rebasing: s[run])) }
                    run = line
                }
                continue
            }
            if !run.isEmpty { out.append(contentsOf: UnsafeBufferPointer(rebasing: s[run])) }
            run = 0..<0
            let nameStart = out.count
            out.append(contentsOf: slot.name(in: s))
            if !slot.isValidated {
                for i in nameStart..<out.count where !ASCII.isTokenChar(out[i]) { out[i] = UInt8(ascii: "_") }
            }
            out.append(ASCII.colon)
            out.append(ASCII.space)
            let valueStart = out.count
            out.append(contentsOf: slot.value(in: s))
            if !slot.isValidated { sanitizeFieldValue(in: &out, from: valueStart) }
            appendCRLF(into: &out)
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: s[run]))
    }

    /// Appends CR LF as two bytes (appending the `crlf` array would retain and release it).
    @inline(__always)
    public static func appendCRLF(into out: inout [UInt8]) {
        out.append(ASCII.cr)
        out.append(ASCII.lf)
    }

    /// Appends the last chunk and an empty trailer section, `0\r\n\r\n`.
    @inline(__always)
    public static func writeLastChunk(into out: inout [UInt8]) {
        ("0\r\n\r\n" as StaticString).withUTF8Buffer { out.append(contentsOf: $0) }
    }

    /// The storage range of `slot`'s whole line when it is a validated field stored exactly as it
    /// would be written (`name: value CRLF`), else nil.
    @inline(__always)
    private static func canonicalLine(_ slot: FieldSlot, in s: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        let nameEnd = Int(slot.nameEnd)
        let valueEnd = Int(slot.valueEnd)
        guard slot.isValidated, Int(slot.valueStart) == nameEnd + 2, valueEnd + 2 <= s.count,
              s[nameEnd] == ASCII.colon, s[nameEnd + 1] == ASCII.space,
              s[valueEnd] == ASCII.cr, s[valueEnd + 1] == ASCII.lf else { return nil }
        return Int(slot.nameStart)..<(valueEnd + 2)
    }

    private static func appendVersion(_ version: HTTPVersion, into out: inout [UInt8]) {
        ("HTTP/" as StaticString).withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: min(max(version.major, 0), 9)))
        out.append(UInt8(ascii: "."))
        out.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: min(max(version.minor, 0), 9)))
    }

    /// Whether `value` goes on the wire exactly as it is, meaning the same to every reader: visible
    /// ASCII, with SP or HTAB only between visible characters (RFC 9110 §5.5 without obs-text; a
    /// reader strips leading and trailing whitespace). Values built from untrusted data that must
    /// not be altered (client certificate fields) are checked with it and left out when it fails.
    public static func isCleanFieldValue<C: Collection<UInt8>>(_ value: C) -> Bool {
        guard let first = value.first, first > 0x20 && first < 0x7F else { return false }
        var last = first
        for b in value {
            guard (b > 0x20 && b < 0x7F) || b == ASCII.space || b == ASCII.tab else { return false }
            last = b
        }
        return last > 0x20
    }

    /// Replaces control bytes in `out[start...]` by SP; the common all-valid case is checked
    /// word-at-a-time.
    @inline(__always)
    static func sanitizeFieldValue(in out: inout [UInt8], from start: Int) {
        let end = out.count
        let valid = out.withUnsafeBytes { ByteScan.isFieldValue($0, from: start, to: end) }
        if valid { return }
        for i in start..<end where !ASCII.isFieldValueChar(out[i]) { out[i] = ASCII.space }
    }

    /// Appends the UTF-8 of `string`, then rewrites any byte for which `isInvalid` holds.
    @inline(__always)
    static func append(_ string: String, into out: inout [UInt8], replacingWith replacement: UInt8,
                               where isInvalid: (UInt8) -> Bool) {
        let start = out.count
        out.append(contentsOf: string.utf8)
        var i = start
        while i < out.count {
            if isInvalid(out[i]) { out[i] = replacement }
            i += 1
        }
    }
}
