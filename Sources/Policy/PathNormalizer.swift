/// A request-target split into the normalized path and the raw query.
///
/// `path` is both what routes are matched against and what is forwarded upstream, so the gateway and
/// the upstream can never disagree about which resource was authorized.
public struct NormalizedTarget: Sendable, Equatable {
    /// Normalized absolute path, starting with `/`.
    public var path: String
    /// Raw query after the first `?` (without it), forwarded unchanged; `nil` when there is no `?`.
    public var query: String?
    /// Creates a target.
    public init(path: String, query: String?) {
        self.path = path
        self.query = query
    }
    /// `path` plus `?query` when present: the request-target to send upstream.
    public var target: String {
        guard let query else { return path }
        return path + "?" + query
    }
}

/// Normalizes an origin-form request-target (`*` is the caller's business) into a ``NormalizedTarget``.
///
/// Security invariants, each guarding a known gateway/upstream disagreement:
/// 1. The path ends at the first `?`; the query is never decoded or rewritten, only checked for
///    bytes that cannot appear in a request-target (controls, space, non-ASCII, `#`).
/// 2. Percent-encoded *unreserved* characters are decoded (`%2e` -> `.`, `%41` -> `A`) so that an
///    encoded dot cannot hide a dot-segment; every other escape is kept, with uppercase hex, and is
///    never decoded twice (`%252e` stays `%252E`).
/// 3. Encoded slash (`%2F`), backslash (raw or `%5C`), NUL (raw or `%00`), malformed escapes,
///    percent-encoded bytes that are not well-formed UTF-8 (overlong `%C0%AE`) and bytes outside
///    RFC 3986 `pchar` are rejected: upstreams disagree about what they mean.
/// 4. Dot-segments, including ones produced by decoding, are resolved per RFC 3986 §5.2.4;
///    a `..` above the root is rejected, not clamped (clamping hides an attack).
/// 5. A segment whose part before `;` (or `%3B`) is empty, `.` or `..` is rejected: Tomcat-style
///    servers strip path parameters and would then resolve `..;` as `..`.
/// 6. Empty segments (`//`) are merged; a trailing slash is kept. The upstream receives the merged path.
public enum PathNormalizer {
    /// Normalizes `target` (the request-target of the request line). When the path is already
    /// normal and there is no query, the result shares `target`'s storage (no copy).
    public static func normalize(_ target: String) throws(PathRejection) -> NormalizedTarget {
        let result = target.utf8.withContiguousStorageIfAvailable { bytes in
            Result { () throws(PathRejection) -> NormalizedTarget? in try normalize(bytes, original: target) }
        } ?? Array(target.utf8).withUnsafeBufferPointer { bytes in
            Result { () throws(PathRejection) -> NormalizedTarget? in try normalize(bytes, original: target) }
        }
        return try result.get()!
    }

    /// Normalizes the request-target bytes.
    public static func normalize(_ bytes: UnsafeBufferPointer<UInt8>) throws(PathRejection) -> NormalizedTarget {
        try normalize(bytes, original: nil)!
    }

    private static func normalize(_ bytes: UnsafeBufferPointer<UInt8>,
                                  original: String?) throws(PathRejection) -> NormalizedTarget? {
        guard let first = bytes.first, first == UInt8(ascii: "/") else {
            throw PathRejection(.notOriginForm)
        }
        var pathEnd = bytes.count
        var query: String? = nil
        if let q = bytes.firstIndex(of: UInt8(ascii: "?")) {
            pathEnd = q
            let queryBytes = UnsafeBufferPointer(rebasing: bytes[(q + 1)...])
            for byte in queryBytes where byte <= 0x20 || byte >= 0x7F || byte == UInt8(ascii: "#") {
                throw PathRejection(.invalidCharacter)
            }
            query = String(decoding: queryBytes, as: UTF8.self)
        }
        let pathBytes = UnsafeBufferPointer(rebasing: bytes[..<pathEnd])
        if try isAlreadyNormal(pathBytes) {
            if query == nil, let original { return NormalizedTarget(path: original, query: nil) }
            return NormalizedTarget(path: String(decoding: pathBytes, as: UTF8.self), query: query)
        }
        var decoded = try decodeUnreserved(pathBytes)
        return NormalizedTarget(path: try resolveSegments(&decoded), query: query)
    }

    /// Validates every byte and reports whether the path can be used as is: no `%`, no `//`,
    /// no segment starting with `.`, no `;`.
    static func isAlreadyNormal(_ path: UnsafeBufferPointer<UInt8>) throws(PathRejection) -> Bool {
        var normal = true
        var previous: UInt8 = 0
        for byte in path {
            try checkPathByte(byte)
            switch byte {
            case UInt8(ascii: "%"), UInt8(ascii: ";"):
                normal = false
            case UInt8(ascii: "/") where previous == UInt8(ascii: "/"):
                normal = false
            case UInt8(ascii: ".") where previous == UInt8(ascii: "/"):
                normal = false
            default:
                break
            }
            previous = byte
        }
        return normal
    }

    /// Throws unless `byte` may appear raw in a path: RFC 3986 `pchar`, `/` or `%`.
    @inline(__always)
    static func checkPathByte(_ byte: UInt8) throws(PathRejection) {
        if ByteClass.isUnreserved(byte) { return }
        switch byte {
        case UInt8(ascii: "/"), UInt8(ascii: "%"), UInt8(ascii: ":"), UInt8(ascii: "@"),
             UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"),
             UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"),
             UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="):
            return
        case UInt8(ascii: "\\"):
            throw PathRejection(.backslash)
        case 0:
            throw PathRejection(.nul)
        default:
            throw PathRejection(.invalidCharacter)
        }
    }

    /// Decodes escapes of unreserved characters, keeps the others with uppercase hex, rejects
    /// `%2F`, `%5C`, `%00` and malformed escapes.
    static func decodeUnreserved(_ path: UnsafeBufferPointer<UInt8>) throws(PathRejection) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(path.count)
        var utf8 = UTF8Validator()
        var i = 0
        while i < path.count {
            let byte = path[i]
            guard byte == UInt8(ascii: "%") else {
                guard utf8.isComplete else { throw PathRejection(.invalidUTF8) }
                out.append(byte)
                i += 1
                continue
            }
            guard i + 2 < path.count,
                  let high = ByteClass.hexValue(path[i + 1]), let low = ByteClass.hexValue(path[i + 2]) else {
                throw PathRejection(.malformedPercentEncoding)
            }
            let value = high << 4 | low
            guard utf8.accept(value) else { throw PathRejection(.invalidUTF8) }
            switch value {
            case UInt8(ascii: "/"): throw PathRejection(.encodedSlash)
            case UInt8(ascii: "\\"): throw PathRejection(.backslash)
            case 0: throw PathRejection(.nul)
            default:
                if ByteClass.isUnreserved(value) {
                    out.append(value)
                } else {
                    out.append(UInt8(ascii: "%"))
                    out.append(ByteClass.upperHex(high))
                    out.append(ByteClass.upperHex(low))
                }
            }
            i += 3
        }
        guard utf8.isComplete else { throw PathRejection(.invalidUTF8) }
        return out
    }

    /// RFC 3986 §5.2.4 over whole segments, plus the rejections of invariants 4 and 5. Resolution
    /// happens in place: the write position never passes the read position, and `..` moves it
    /// back to the previous `/`.
    static func resolveSegments(_ path: inout [UInt8]) throws(PathRejection) -> String {
        let count = path.count
        let written = try path.withUnsafeMutableBufferPointer { (buffer) throws(PathRejection) -> Int in
            var write = 0 // bytes of output so far, always <= read position
            var trailingSlash = false
            var start = 1 // skip the leading "/"
            while start <= count {
                var end = start
                while end < count && buffer[end] != UInt8(ascii: "/") { end += 1 }
                let isLast = end >= count
                let segment = start..<end
                trailingSlash = false
                if segment.isEmpty {
                    trailingSlash = isLast
                } else {
                    let name = SegmentName.nameRange(buffer, segment)
                    if name.count != segment.count && (name.isEmpty || isDots(buffer, name)) {
                        throw PathRejection(.dotSegmentWithParameters)
                    }
                    if isDots(buffer, segment) {
                        if segment.count == 2 {
                            guard write > 0 else { throw PathRejection(.aboveRoot) }
                            write -= 1
                            while buffer[write] != UInt8(ascii: "/") { write -= 1 }
                        }
                        trailingSlash = isLast
                    } else {
                        buffer[write] = UInt8(ascii: "/")
                        write += 1
                        for i in segment {
                            buffer[write] = buffer[i]
                            write += 1
                        }
                    }
                }
                start = end + 1
            }
            if write == 0 || trailingSlash {
                guard write < count else { return -1 }
                buffer[write] = UInt8(ascii: "/")
                write += 1
            }
            return write
        }
        if written < 0 { return String(decoding: path, as: UTF8.self) + "/" }
        return String(decoding: path[..<written], as: UTF8.self)
    }

    /// Whether `range` of `bytes` is exactly `.` or `..`.
    private static func isDots(_ bytes: UnsafeMutableBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        switch range.count {
        case 1: return bytes[range.lowerBound] == UInt8(ascii: ".")
        case 2: return bytes[range.lowerBound] == UInt8(ascii: ".") && bytes[range.lowerBound + 1] == UInt8(ascii: ".")
        default: return false
        }
    }
}
