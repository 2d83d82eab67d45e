/// A compiled route path pattern.
///
/// Syntax: `/`-separated segments; each is a literal, `*` or `{name}` (exactly one non-empty
/// segment), or `**` as the last segment (zero or more trailing segments). Literals are stored in
/// normalized form (the same form ``PathNormalizer`` produces), compared byte for byte and
/// case-sensitively, and may not contain `;`, `*`, `{` or `}`, nor be `.` or `..`.
/// `/` alone is the root; a trailing `/` is a literal empty last segment.
public struct RoutePattern: Sendable, Equatable, CustomStringConvertible {
    /// One pattern segment.
    public enum Segment: Sendable, Equatable {
        /// Exact bytes of a normalized segment name.
        case literal([UInt8])
        /// `*` (name `nil`) or `{name}`: one non-empty segment.
        case wildcard(name: String?)
        /// `**`: zero or more trailing segments.
        case rest
    }

    /// The segments, in order.
    public let segments: [Segment]
    /// The pattern as written.
    public let description: String

    /// Whether any `{name}` capture exists.
    public var hasCaptures: Bool {
        segments.contains { if case .wildcard(name: .some) = $0 { return true } else { return false } }
    }

    /// Parses and validates a pattern; the error message is safe to show in `check`.
    public init(_ pattern: String) throws(RoutePatternError) {
        description = pattern
        let bytes = Array(pattern.utf8)
        guard bytes.first == UInt8(ascii: "/") else { throw RoutePatternError("path must start with /") }
        var segments: [Segment] = []
        var start = 1
        while start <= bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: "/") { end += 1 }
            let isLast = end >= bytes.count
            let raw = Array(bytes[start..<end])
            if let last = segments.last, last == .rest {
                throw RoutePatternError("** must be the last segment")
            }
            segments.append(try Self.parseSegment(raw, isLast: isLast))
            start = end + 1
        }
        self.segments = segments
    }

    private static func parseSegment(_ raw: [UInt8], isLast: Bool) throws(RoutePatternError) -> Segment {
        if raw.isEmpty {
            guard isLast else { throw RoutePatternError("empty segment (//) in path") }
            return .literal([])
        }
        if raw == [UInt8(ascii: "*")] { return .wildcard(name: nil) }
        if raw == [UInt8(ascii: "*"), UInt8(ascii: "*")] { return .rest }
        if raw.first == UInt8(ascii: "{") && raw.last == UInt8(ascii: "}") {
            let name = raw.dropFirst().dropLast()
            guard !name.isEmpty, name.allSatisfy({ ByteClass.isUnreserved($0) && $0 != UInt8(ascii: ".")
                                                  && $0 != UInt8(ascii: "~") }) else {
                throw RoutePatternError("capture names are letters, digits, - and _")
            }
            return .wildcard(name: String(decoding: name, as: UTF8.self))
        }
        for byte in raw {
            switch byte {
            case UInt8(ascii: "*"), UInt8(ascii: "{"), UInt8(ascii: "}"):
                throw RoutePatternError("wildcards must be a whole segment (*, **, {name})")
            case UInt8(ascii: ";"):
                throw RoutePatternError("path parameters (;) are not allowed in patterns")
            default:
                do { try PathNormalizer.checkPathByte(byte) } catch {
                    throw RoutePatternError("invalid character in path (\(error.description))")
                }
            }
        }
        let decoded: [UInt8]
        do {
            decoded = try raw.withUnsafeBufferPointer { (buffer) throws(PathRejection) -> [UInt8] in
                try PathNormalizer.decodeUnreserved(buffer)
            }
        } catch {
            throw RoutePatternError(error.description)
        }
        if decoded == [UInt8(ascii: ".")] || decoded == [UInt8(ascii: "."), UInt8(ascii: ".")] {
            throw RoutePatternError("dot-segments are not allowed in patterns")
        }
        return .literal(decoded)
    }

    /// Whether this pattern matches every path that `narrower` matches (used to find shadowed routes).
    public func covers(_ narrower: RoutePattern) -> Bool {
        var i = 0
        while i < segments.count {
            let mine = segments[i]
            if mine == .rest { return true }
            guard i < narrower.segments.count else { return false }
            switch (mine, narrower.segments[i]) {
            case (.literal(let a), .literal(let b)):
                guard a == b else { return false }
            case (.wildcard, .wildcard):
                break
            case (.wildcard, .literal(let b)):
                guard !b.isEmpty else { return false }
            default:
                return false
            }
            i += 1
        }
        return i == narrower.segments.count
    }
}

/// A pattern that cannot be compiled; `message` is safe to show.
public struct RoutePatternError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public var message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
