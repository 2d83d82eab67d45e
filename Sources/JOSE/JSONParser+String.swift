extension JSONParser {
    /// A member name and its packed form. Without escapes (the decoded length equals the raw
    /// length exactly then, since every escape is longer than what it decodes to) the name is
    /// packed straight from the input bytes.
    mutating func memberName() throws(JSONParseError) -> (String, JSONMemberName) {
        let start = i + 1
        let name = try string()
        let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<(i - 1)])
        if name.utf8.count == raw.count { return (name, JSONMemberName(raw)) }
        return (name, JSONMemberName(name))
    }

    /// Parses a string starting at the opening quote. Fast path: no escapes, validated in place.
    mutating func string() throws(JSONParseError) -> String {
        i += 1
        let start = i
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                let s = try validated(UnsafeRawBufferPointer(rebasing: bytes[start..<i]))
                i += 1
                return s
            }
            if c == UInt8(ascii: "\\") { break }
            guard c >= 0x20 else { throw error(.invalidString) }
            i += 1
        }
        var buffer = [UInt8](UnsafeRawBufferPointer(rebasing: bytes[start..<i]))
        while true {
            guard i < bytes.count else { throw error(.invalidString) }
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                guard let s = String(validating: buffer, as: UTF8.self) else { throw error(.invalidString) }
                return s
            }
            guard c >= 0x20 else { throw error(.invalidString) }
            if c != UInt8(ascii: "\\") {
                buffer.append(c)
                i += 1
                continue
            }
            i += 1
            guard i < bytes.count else { throw error(.invalidString) }
            switch bytes[i] {
            case UInt8(ascii: "\""): buffer.append(0x22)
            case UInt8(ascii: "\\"): buffer.append(0x5c)
            case UInt8(ascii: "/"): buffer.append(0x2f)
            case UInt8(ascii: "b"): buffer.append(0x08)
            case UInt8(ascii: "f"): buffer.append(0x0c)
            case UInt8(ascii: "n"): buffer.append(0x0a)
            case UInt8(ascii: "r"): buffer.append(0x0d)
            case UInt8(ascii: "t"): buffer.append(0x09)
            case UInt8(ascii: "u"):
                let scalar = try unicodeEscape()
                appendUTF8(scalar, to: &buffer)
                continue
            default: throw error(.invalidString)
            }
            i += 1
        }
    }

    /// Checks the string at the cursor (on its opening quote) exactly as `string()` does, with the
    /// same errors at the same offsets, without building it when it has no escapes; returns
    /// whether it had escapes (such a string is checked by decoding it with `string()`).
    mutating func skipString() throws(JSONParseError) -> Bool {
        let open = i
        i += 1
        let start = i
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                guard isValidUTF8(UnsafeRawBufferPointer(rebasing: bytes[start..<i])) else { throw error(.invalidString) }
                i += 1
                return false
            }
            if c == UInt8(ascii: "\\") {
                i = open
                _ = try string()
                return true
            }
            guard c >= 0x20 else { throw error(.invalidString) }
            i += 1
        }
        throw error(.invalidString)
    }

    /// Reads `uXXXX` (cursor on the `u`), pairing a high surrogate with a following `\uDC00-DFFF`.
    private mutating func unicodeEscape() throws(JSONParseError) -> UInt32 {
        let high = try hex4(at: i + 1)
        i += 5
        if high >= 0xdc00 && high <= 0xdfff { throw error(.invalidString) }
        guard high >= 0xd800 && high <= 0xdbff else { return high }
        guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
            throw error(.invalidString)
        }
        let low = try hex4(at: i + 2)
        guard low >= 0xdc00 && low <= 0xdfff else { throw error(.invalidString) }
        i += 6
        return 0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00)
    }

    private func hex4(at start: Int) throws(JSONParseError) -> UInt32 {
        guard start + 4 <= bytes.count else { throw error(.invalidString) }
        var v: UInt32 = 0
        for k in start..<(start + 4) {
            let c = bytes[k]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x37)
            case 0x61...0x66: d = UInt32(c - 0x57)
            default: throw error(.invalidString)
            }
            v = v << 4 | d
        }
        return v
    }

    private func appendUTF8(_ scalar: UInt32, to buffer: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            buffer.append(UInt8(scalar))
        case 0x80..<0x800:
            buffer.append(UInt8(0xc0 | scalar >> 6))
            buffer.append(UInt8(0x80 | scalar & 0x3f))
        case 0x800..<0x10000:
            buffer.append(UInt8(0xe0 | scalar >> 12))
            buffer.append(UInt8(0x80 | (scalar >> 6) & 0x3f))
            buffer.append(UInt8(0x80 | scalar & 0x3f))
        default:
            buffer.append(UInt8(0xf0 | scalar >> 18))
            buffer.append(UInt8(0x80 | (scalar >> 12) & 0x3f))
            buffer.append(UInt8(0x80 | (scalar >> 6) & 0x3f))
            buffer.append(UInt8(0x80 | scalar & 0x3f))
        }
    }

    /// Whether `raw` is strict UTF-8, as `validated` decides it (a `String` is built only for
    /// non-ASCII bytes).
    private func isValidUTF8(_ raw: UnsafeRawBufferPointer) -> Bool {
        for b in raw where b >= 0x80 { return String(validating: raw, as: UTF8.self) != nil }
        return true
    }

    /// Strict UTF-8 (no overlongs, no encoded surrogates, nothing above U+10FFFF).
    private func validated(_ raw: UnsafeRawBufferPointer) throws(JSONParseError) -> String {
        var ascii = true
        for b in raw where b >= 0x80 {
            ascii = false
            break
        }
        if ascii { return String(decoding: raw, as: UTF8.self) }
        guard let s = String(validating: raw, as: UTF8.self) else { throw error(.invalidString) }
        return s
    }
}
