/// The claims of a token, read member by member.
///
/// A token's payload is checked in full by the one strict parser when the token is parsed
/// (grammar, depth, UTF-8, duplicate names: see `JSONParser.memberSpans`), but only its nested
/// values, numbers and literals are built then; a member name or string value is built when
/// something reads it. Verification reads a handful of members (`iss`, `exp`, `aud`, `sub`,
/// `scope` ...), so the others cost a scan and nothing more. Claims that did not come from a
/// token's bytes (introspection answers, personal access tokens), and objects of more than
/// `JSONParser.maximumIndexedMembers` members, are held as a parsed `JSONObject`.
///
/// Security invariant: a member read here is exactly what `JSONParser.parse` of the same payload
/// holds under that name (the fuzz target `json` checks this on every input it accepts).
public struct ClaimSet: Sendable {
    private enum Storage: Sendable {
        /// The payload is `bytes[payload]`; `spans` say where its members lie.
        case spans(bytes: [UInt8], payload: Range<Int>, spans: [JSONMemberSpan])
        case object(JSONObject)
    }

    private let storage: Storage

    /// Claims held as a parsed object (trusted sources, tests, tools).
    public init(_ object: JSONObject) {
        storage = .object(object)
    }

    /// Claims read from `bytes[payload]`, already checked by `JSONParser.memberSpans`.
    init(bytes: [UInt8], payload: Range<Int>, spans: [JSONMemberSpan]) {
        storage = .spans(bytes: bytes, payload: payload, spans: spans)
    }

    /// The claims of a JSON payload (tools, tests, the fuzz target), read as a token's are: `nil`
    /// when the payload is valid JSON but not an object.
    public static func read(_ payload: [UInt8], maxDepth: Int = JSONParser.defaultMaxDepth) throws(JSONParseError) -> ClaimSet? {
        try read(payload, 0..<payload.count, maxDepth: maxDepth)
    }

    /// The claims of `bytes[payload]`: indexed by `JSONParser.memberSpans`, or parsed into a
    /// `JSONObject` when it has too many members; `nil` when it is not an object.
    static func read(_ bytes: [UInt8], _ payload: Range<Int>, maxDepth: Int) throws(JSONParseError) -> ClaimSet? {
        let result: Result<ClaimSet?, JSONParseError> = bytes.withUnsafeBytes { all in
            let document = UnsafeRawBufferPointer(rebasing: all[payload])
            do throws(JSONParseError) {
                if let spans = try JSONParser.memberSpans(document, maxDepth: maxDepth) {
                    return .success(ClaimSet(bytes: bytes, payload: payload, spans: spans))
                }
                return .success(try JSONParser.parse(document, maxDepth: maxDepth).objectValue.map(ClaimSet.init))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Whether the members are read lazily from the payload (not held as a parsed object).
    public var isLazy: Bool {
        if case .spans = storage { return true }
        return false
    }

    /// Number of members.
    public var count: Int {
        switch storage {
        case .spans(_, _, let spans): return spans.count
        case .object(let object): return object.count
        }
    }

    /// The value of member `name` (exact UTF-8 byte match), built on each call.
    public subscript(name: String) -> JSONValue? {
        self[JSONMemberName(name), name]
    }

    /// A well-known member (no packing per call).
    subscript(known: KnownName) -> JSONValue? { self[known.key, known.name] }

    private subscript(key: JSONMemberName, name: String) -> JSONValue? {
        switch storage {
        case .object(let object):
            return object[key, name]
        case .spans(let bytes, let payload, let spans):
            return bytes.withUnsafeBytes { all in
                let document = UnsafeRawBufferPointer(rebasing: all[payload])
                guard let index = Self.position(of: key, name, in: spans, document) else { return nil }
                return Self.value(of: spans[index], in: document)
            }
        }
    }

    /// Whether member `known` is a string whose bytes equal `expected`'s UTF-8: `nil` when the
    /// member is absent, `false` for a member of another type or another value. Compared in
    /// place (no string is built for an unescaped value).
    func string(_ known: KnownName, equals expected: String) -> Bool? {
        guard case .spans(let bytes, let payload, let spans) = storage else {
            return self[known].map { $0.stringValue?.hasSameBytes(as: expected) ?? false }
        }
        return bytes.withUnsafeBytes { all -> Bool? in
            let document = UnsafeRawBufferPointer(rebasing: all[payload])
            guard let index = Self.position(of: known.key, known.name, in: spans, document) else { return nil }
            guard spans[index].parsed == nil else { return false }
            if spans[index].valueEscaped {
                return Self.value(of: spans[index], in: document)?.stringValue?.hasSameBytes(as: expected) ?? false
            }
            let raw = UnsafeRawBufferPointer(rebasing: document[(Int(spans[index].valueStart) + 1)..<(Int(spans[index].valueEnd) - 1)])
            return expected.utf8.withContiguousStorageIfAvailable { bytesEqual(raw, UnsafeRawBufferPointer($0)) }
                ?? raw.elementsEqual(expected.utf8)
        }
    }

    /// Calls `body` with the UTF-8 of string member `known` (in place when it has no escapes);
    /// `nil` when the member is absent or not a string.
    func withStringBytes<R>(_ known: KnownName, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        if case .spans(let bytes, let payload, let spans) = storage {
            let found: R?? = bytes.withUnsafeBytes { all -> R?? in
                let document = UnsafeRawBufferPointer(rebasing: all[payload])
                guard let index = Self.position(of: known.key, known.name, in: spans, document) else { return .some(nil) }
                guard spans[index].parsed == nil, !spans[index].valueEscaped else { return nil }
                let raw = UnsafeRawBufferPointer(rebasing: document[(Int(spans[index].valueStart) + 1)..<(Int(spans[index].valueEnd) - 1)])
                return .some(body(raw.assumingMemoryBound(to: UInt8.self)))
            }
            if let found { return found }
        }
        guard let string = self[known]?.stringValue else { return nil }
        return Array(string.utf8).withUnsafeBufferPointer(body)
    }

    /// Every member, built (tests, tools, policy extensions that need the whole object).
    public var object: JSONObject {
        switch storage {
        case .object(let object):
            return object
        case .spans(let bytes, let payload, let spans):
            return bytes.withUnsafeBytes { all in
                let document = UnsafeRawBufferPointer(rebasing: all[payload])
                var object = JSONObject()
                for span in spans {
                    let name = Self.name(of: span, in: document)
                    _ = object.insertNew(name, key: span.key, Self.value(of: span, in: document) ?? .null)
                }
                return object
            }
        }
    }

    private static func position(of key: JSONMemberName, _ name: String, in spans: [JSONMemberSpan],
                                 _ document: UnsafeRawBufferPointer) -> Int? {
        for index in spans.indices where spans[index].key == key {
            if key.count <= 16 || Self.nameEquals(spans[index], name, in: document) { return index }
        }
        return nil
    }

    /// Whether the span's name is `name`, byte for byte (in place when it has no escapes).
    private static func nameEquals(_ span: JSONMemberSpan, _ name: String, in document: UnsafeRawBufferPointer) -> Bool {
        guard !span.nameEscaped else { return Self.name(of: span, in: document).hasSameBytes(as: name) }
        let raw = UnsafeRawBufferPointer(rebasing: document[(Int(span.nameStart) + 1)..<(Int(span.nameEnd) - 1)])
        return name.utf8.withContiguousStorageIfAvailable { bytesEqual(raw, UnsafeRawBufferPointer($0)) } ?? raw.elementsEqual(name.utf8)
    }

    private static func name(of span: JSONMemberSpan, in document: UnsafeRawBufferPointer) -> String {
        let range = Int(span.nameStart)..<Int(span.nameEnd)
        if span.nameEscaped { return JSONParser.decodedString(document, range) }
        return String(decoding: UnsafeRawBufferPointer(rebasing: document[(range.lowerBound + 1)..<(range.upperBound - 1)]), as: UTF8.self)
    }

    private static func value(of span: JSONMemberSpan, in document: UnsafeRawBufferPointer) -> JSONValue? {
        if let parsed = span.parsed { return parsed }
        let range = Int(span.valueStart)..<Int(span.valueEnd)
        if span.valueEscaped { return .string(JSONParser.decodedString(document, range)) }
        return .string(String(decoding: UnsafeRawBufferPointer(rebasing: document[(range.lowerBound + 1)..<(range.upperBound - 1)]), as: UTF8.self))
    }
}

extension ClaimSet: Equatable {
    /// Same members with equal values, in any order (as `JSONObject`).
    public static func == (a: ClaimSet, b: ClaimSet) -> Bool { a.object == b.object }
}
