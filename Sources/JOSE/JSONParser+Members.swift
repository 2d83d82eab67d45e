/// Where one member of a top-level JSON object lies in the document, found by
/// `JSONParser.memberSpans`: enough to compare its name and to build its value on demand.
struct JSONMemberSpan: Sendable {
    /// The packed decoded name (exact for names of up to 16 bytes).
    let key: JSONMemberName
    /// The name's bytes, quotes included.
    let nameStart: Int32, nameEnd: Int32
    /// The value's bytes.
    let valueStart: Int32, valueEnd: Int32
    /// Whether the name or the (string) value contains escapes (then they are decoded to be read).
    let nameEscaped: Bool, valueEscaped: Bool
    /// Every value but a string, as parsed during the scan (numbers, literals and nested
    /// containers cost no string building there); `nil` for a string, built when it is read.
    let parsed: JSONValue?
}

extension JSONParser {
    /// Most members `memberSpans` indexes; a larger object is parsed into a `JSONObject` instead
    /// (whose name index keeps its duplicate checks linear).
    static let maximumIndexedMembers = 32

    /// Parses exactly one JSON value spanning all of `bytes` with every check `parse` makes, and
    /// the same error for the same input. When the value is an object of at most
    /// `maximumIndexedMembers` members, returns where its members lie without building their
    /// names and string values; `nil` for anything else (the caller then calls `parse`).
    ///
    /// Security invariant: accepting here means `parse` accepts (same grammar functions, same
    /// depth accounting, duplicate names compared by their decoded bytes), so the lazy reader
    /// built on the spans cannot see a document the strict parser would refuse.
    static func memberSpans(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> [JSONMemberSpan]? {
        guard bytes.count < Int(Int32.max) else { return nil }
        var parser = JSONParser(bytes, maxDepth: maxDepth)
        parser.skipWhitespace()
        guard parser.i < bytes.count, bytes[parser.i] == UInt8(ascii: "{") else { return nil }
        guard let spans = try parser.objectSpans() else { return nil }
        parser.skipWhitespace()
        guard parser.i == bytes.count else { throw parser.error(.trailingData) }
        return spans
    }

    /// The top-level object at the cursor, as `object(depth: 1)` parses it.
    private mutating func objectSpans() throws(JSONParseError) -> [JSONMemberSpan]? {
        guard 1 <= maxDepth else { throw error(.depthExceeded) }
        i += 1
        var spans: [JSONMemberSpan] = []
        skipWhitespace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
            i += 1
            return spans
        }
        spans.reserveCapacity(12)
        while true {
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error(.syntax) }
            let nameStart = i
            let nameEscaped = try skipString()
            let nameEnd = i
            let key = nameEscaped ? JSONMemberName(Self.decodedString(bytes, nameStart..<nameEnd))
                                  : JSONMemberName(UnsafeRawBufferPointer(rebasing: bytes[(nameStart + 1)..<(nameEnd - 1)]))
            // A long escaped name would be decoded again for every later name sharing its packed
            // form (a cost an unauthenticated payload could multiply): such objects take `parse`.
            if nameEscaped && key.count > 16 { return nil }
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error(.syntax) }
            i += 1
            skipWhitespace()
            let valueStart = i
            var valueEscaped = false
            var parsed: JSONValue?
            if i < bytes.count, bytes[i] == UInt8(ascii: "\"") {
                valueEscaped = try skipString()
            } else {
                parsed = try value(depth: 1)
            }
            let span = JSONMemberSpan(key: key, nameStart: Int32(nameStart), nameEnd: Int32(nameEnd),
                                      valueStart: Int32(valueStart), valueEnd: Int32(i),
                                      nameEscaped: nameEscaped, valueEscaped: valueEscaped, parsed: parsed)
            if Self.position(of: key, nameStart..<nameEnd, nameEscaped, in: spans, bytes) != nil {
                throw JSONParseError(reason: .duplicateKey, offset: nameStart)
            }
            guard spans.count < Self.maximumIndexedMembers else { return nil }
            spans.append(span)
            skipWhitespace()
            guard i < bytes.count else { throw error(.syntax) }
            if bytes[i] == UInt8(ascii: "}") {
                i += 1
                return spans
            }
            guard bytes[i] == UInt8(ascii: ",") else { throw error(.syntax) }
            i += 1
            skipWhitespace()
        }
    }

    /// The index of the span whose decoded name equals the name at `range` (packed `key`).
    static func position(of key: JSONMemberName, _ range: Range<Int>, _ escaped: Bool,
                         in spans: [JSONMemberSpan], _ bytes: UnsafeRawBufferPointer) -> Int? {
        // Fields read in place: no copy of a span (and of the value it may hold) per compare.
        for index in spans.indices where spans[index].key == key {
            // Equal packed forms are equal names up to 16 bytes; longer ones compare decoded.
            if key.count <= 16 { return index }
            let other = Int(spans[index].nameStart)..<Int(spans[index].nameEnd)
            if nameBytesEqual(bytes, range, escaped, other, spans[index].nameEscaped) { return index }
        }
        return nil
    }

    /// Whether two names in `bytes` (quoted ranges) decode to the same bytes. Only names of up to
    /// 16 bytes are escaped here (longer escaped ones send the object to `parse`), and those never
    /// reach this comparison: their packed forms decide.
    private static func nameBytesEqual(_ bytes: UnsafeRawBufferPointer, _ a: Range<Int>, _ aEscaped: Bool,
                                       _ b: Range<Int>, _ bEscaped: Bool) -> Bool {
        if !aEscaped && !bEscaped {
            return bytesEqual(UnsafeRawBufferPointer(rebasing: bytes[(a.lowerBound + 1)..<(a.upperBound - 1)]),
                              UnsafeRawBufferPointer(rebasing: bytes[(b.lowerBound + 1)..<(b.upperBound - 1)]))
        }
        return decodedString(bytes, a).hasSameBytes(as: decodedString(bytes, b))
    }

    /// The string value of an already validated quoted string at `range`.
    static func decodedString(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> String {
        var parser = JSONParser(UnsafeRawBufferPointer(rebasing: bytes[range]), maxDepth: 1)
        return (try? parser.string()) ?? ""
    }
}
