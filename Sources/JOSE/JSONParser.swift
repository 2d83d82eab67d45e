/// A strict byte-level JSON parser for untrusted token and JWKS content.
///
/// Strictness (each a security invariant, each tested):
/// - RFC 8259 grammar only: no comments, trailing commas, single quotes, NaN, leading `+`/zeros;
/// - nesting depth bounded by `maxDepth` (no stack exhaustion from `[[[[…`);
/// - duplicate member names rejected (RFC 7515 §4 / RFC 7519 §4 allow rejecting; we must, or
///   `{"iss":"a","iss":"b"}` reads differently in different parsers);
/// - strings are valid UTF-8 with no raw control characters; `\u` escapes must pair surrogates.
public struct JSONParser {
    /// Default nesting limit: tokens and JWKS documents need 3–4 levels.
    public static let defaultMaxDepth = 16

    let bytes: UnsafeRawBufferPointer
    let maxDepth: Int
    var i = 0

    init(_ bytes: UnsafeRawBufferPointer, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    /// Parses exactly one JSON value spanning all of `bytes` (surrounding whitespace allowed).
    public static func parse(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes, maxDepth: maxDepth)
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.i == bytes.count else { throw parser.error(.trailingData) }
        return value
    }

    /// Parses a byte array.
    public static func parse(_ bytes: [UInt8], maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError> = bytes.withUnsafeBytes { buf in
            do throws(JSONParseError) { return .success(try parse(buf, maxDepth: maxDepth)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    func error(_ reason: JSONParseError.Reason) -> JSONParseError {
        JSONParseError(reason: reason, offset: i)
    }

    mutating func skipWhitespace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0a, 0x0d: i += 1
            default: return
            }
        }
    }

    mutating func value(depth: Int) throws(JSONParseError) -> JSONValue {
        guard i < bytes.count else { throw error(.syntax) }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw error(.syntax)
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSONParseError) {
        let n = word.utf8CodeUnitCount
        guard i + n <= bytes.count else { throw error(.syntax) }
        for k in 0..<n where bytes[i + k] != word.utf8Start[k] { throw error(.syntax) }
        i += n
    }

    private mutating func object(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= maxDepth else { throw error(.depthExceeded) }
        i += 1
        var members = JSONObject()
        skipWhitespace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
            i += 1
            return .object(members)
        }
        while true {
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error(.syntax) }
            let keyOffset = i
            let (key, packed) = try memberName()
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error(.syntax) }
            i += 1
            skipWhitespace()
            let member = try value(depth: depth)
            guard members.insertNew(key, key: packed, member) else {
                throw JSONParseError(reason: .duplicateKey, offset: keyOffset)
            }
            skipWhitespace()
            guard i < bytes.count else { throw error(.syntax) }
            if bytes[i] == UInt8(ascii: "}") {
                i += 1
                return .object(members)
            }
            guard bytes[i] == UInt8(ascii: ",") else { throw error(.syntax) }
            i += 1
            skipWhitespace()
        }
    }

    private mutating func array(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= maxDepth else { throw error(.depthExceeded) }
        i += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
            i += 1
            return .array(elements)
        }
        while true {
            elements.append(try value(depth: depth))
            skipWhitespace()
            guard i < bytes.count else { throw error(.syntax) }
            if bytes[i] == UInt8(ascii: "]") {
                i += 1
                return .array(elements)
            }
            guard bytes[i] == UInt8(ascii: ",") else { throw error(.syntax) }
            i += 1
            skipWhitespace()
        }
    }

    /// RFC 8259 §6 number grammar, converted to `Double`.
    private mutating func number() throws(JSONParseError) -> Double {
        let start = i
        if let integer = fastInteger() { return integer }
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < bytes.count, isDigit(bytes[i]) else { throw error(.invalidNumber) }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
            if i < bytes.count, isDigit(bytes[i]) { throw error(.invalidNumber) }
        } else {
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard i < bytes.count, isDigit(bytes[i]) else { throw error(.invalidNumber) }
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        if i < bytes.count, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < bytes.count, isDigit(bytes[i]) else { throw error(.invalidNumber) }
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw JSONParseError(reason: .invalidNumber, offset: start) }
        return value
    }

    /// Fast path for the common NumericDate shape: a non-negative integer of 1...15 digits
    /// (exact in a Double) not followed by a fraction or exponent. Leaves `i` untouched otherwise.
    private mutating func fastInteger() -> Double? {
        var j = i
        var value: Int64 = 0
        while j < bytes.count, isDigit(bytes[j]), j - i < 15 {
            value = value &* 10 &+ Int64(bytes[j] &- 0x30)
            j += 1
        }
        let digits = j - i
        guard digits > 0, !(digits > 1 && bytes[i] == UInt8(ascii: "0")) else { return nil }
        if j < bytes.count {
            let c = bytes[j]
            if isDigit(c) || c == UInt8(ascii: ".") || c | 0x20 == UInt8(ascii: "e") { return nil }
        }
        i = j
        return Double(value)
    }

    @inline(__always)
    private func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
}
