/// Converts ECDSA signatures between OpenSSL's DER form (`SEQUENCE { INTEGER r, INTEGER s }`)
/// and the JOSE form (RFC 7518 §3.4): `r‖s`, each left-padded to the curve's byte length.
///
/// Pure byte work, no OpenSSL. Both directions reject anything that is not exactly one
/// well-formed structure (trailing bytes, long-form lengths where not needed, oversized integers).
public enum ECDSASignatureCoding {
    /// DER → raw `r‖s` with each component `componentLength` bytes (32 for P-256). Nil if malformed.
    public static func rawFromDER(_ der: [UInt8], componentLength: Int) -> [UInt8]? {
        var index = 0
        guard der.count >= 8, der[0] == 0x30, let bodyLength = readLength(der, &index, start: 1),
              index + bodyLength == der.count else { return nil }
        guard let r = readInteger(der, &index), let s = readInteger(der, &index), index == der.count,
              let rPadded = leftPad(r, to: componentLength), let sPadded = leftPad(s, to: componentLength)
        else { return nil }
        return rPadded + sPadded
    }

    /// Raw `r‖s` (exactly `2 * componentLength` bytes) → DER. Nil if the length is wrong.
    public static func derFromRaw(_ raw: [UInt8], componentLength: Int) -> [UInt8]? {
        guard componentLength > 0, raw.count == 2 * componentLength else { return nil }
        let r = derInteger(raw[0..<componentLength])
        let s = derInteger(raw[componentLength...])
        let body = r + s
        return [0x30] + derLength(body.count) + body
    }

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

    private static func leftPad(_ value: ArraySlice<UInt8>, to width: Int) -> [UInt8]? {
        var trimmed = value
        while trimmed.count > 1 && trimmed.first == 0 { trimmed = trimmed.dropFirst() }
        guard trimmed.count <= width else { return nil }
        return [UInt8](repeating: 0, count: width - trimmed.count) + trimmed
    }

    private static func derInteger(_ component: ArraySlice<UInt8>) -> [UInt8] {
        var value = component.drop { $0 == 0 }
        if value.isEmpty { value = [0][...] }
        let content = value.first! & 0x80 != 0 ? [0] + Array(value) : Array(value)
        return [0x02] + derLength(content.count) + content
    }

    private static func derLength(_ length: Int) -> [UInt8] {
        length < 0x80 ? [UInt8(length)] : [0x81, UInt8(length)]
    }
}
