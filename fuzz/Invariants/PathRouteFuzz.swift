import Policy

/// `path-route`: a request-target through the path normalizer, then the normalized path through
/// a fixed route table.
///
/// Invariants: the byte and String entry points agree; an accepted target is a fixed point
/// (normalizing `normalized.target` again gives the same result); a normalized path starts
/// with `/` and has no empty, `.` or `..` segment (nor one hidden before `;`), no encoded slash,
/// backslash or NUL, no byte outside printable ASCII; the trie's match equals a naive
/// first-match-in-file-order reference over the same patterns, for a method drawn from the input.
enum PathRouteFuzz {
    /// The fixed table: literals, `*`, `{name}`, `**`, method lists and any-method routes.
    static let specs: [RouteSpec] = [
        RouteSpec(methods: ["GET"], path: "/v1/public/**", upstream: "u", isPublic: true, index: 0),
        RouteSpec(methods: ["GET", "POST"], path: "/v1/port-calls/{id}", upstream: "u", index: 1),
        RouteSpec(path: "/v1/vessels/*/crew", upstream: "u", index: 2),
        RouteSpec(methods: ["DELETE"], path: "/v1/admin/**", upstream: "u", index: 3),
        RouteSpec(methods: ["GET"], path: "/", upstream: "u", index: 4),
        RouteSpec(methods: ["PUT"], path: "/v1/port-calls/{id}", upstream: "u", index: 5),
        RouteSpec(path: "/static/**", upstream: "u", index: 6),
        RouteSpec(methods: ["GET"], path: "/v1/a.b/c-d/{x}/e", upstream: "u", index: 7),
    ]
    static let table = try! RouteTable(routes: specs)
    static let methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "get"]

    static func run(_ bytes: [UInt8]) {
        let normalized = bytes.withUnsafeBufferPointer { raw in
            Result { () throws(PathRejection) -> NormalizedTarget in try PathNormalizer.normalize(raw) }
        }
        if let text = String(validating: bytes, as: UTF8.self) {
            let viaString = Result { () throws(PathRejection) -> NormalizedTarget in try PathNormalizer.normalize(text) }
            FuzzCheck.require(String(describing: viaString) == String(describing: normalized), "String and byte entry points differ")
        }
        guard case .success(let target) = normalized else { return }
        let again = Result { () throws(PathRejection) -> NormalizedTarget in try PathNormalizer.normalize(target.target) }
        FuzzCheck.require((try? again.get()) == target, "not a fixed point: \(target) -> \(again)")
        checkShape(target.path)
        var random = FuzzRandom(seededBy: bytes)
        let method = methods[random.below(methods.count)]
        let expected = reference(method: method, path: target.path)
        let actual = table.match(method: method, path: target.path)
        FuzzCheck.require(actual == expected, "\(method) \(target.path): trie \(actual), reference \(expected)")
    }

    static func checkShape(_ path: String) {
        let bytes = Array(path.utf8)
        FuzzCheck.require(bytes.first == UInt8(ascii: "/"), "path does not start with /")
        FuzzCheck.require(bytes.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") }, "byte outside printable ASCII")
        let upper = path.uppercased()
        FuzzCheck.require(!upper.contains("%2F") && !upper.contains("%5C") && !upper.contains("%00"), "encoded slash, backslash or NUL kept")
        let segments = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        for (i, segment) in segments.enumerated() {
            let beforeParameters = segment.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            if segment.isEmpty { FuzzCheck.require(i == segments.count - 1, "empty segment inside \(path)"); continue }
            FuzzCheck.require(!beforeParameters.isEmpty && beforeParameters != "." && beforeParameters != "..",
                              "dot or empty segment survived in \(path)")
        }
    }

    /// First route in file order whose pattern and method match; else 405 with the allowed
    /// methods of the routes whose pattern matches; else 404.
    static func reference(method: String, path: String) -> RouteMatch {
        let segments = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map { Array($0.utf8) }
        var allow = Set<String>()
        for (index, spec) in specs.enumerated() {
            guard let captures = matches(table.patterns[index].segments, segments) else { continue }
            guard let methods = spec.methods else { return .matched(routeIndex: index, captures: captures) }
            if methods.contains(method) || (method == "HEAD" && methods.contains("GET")) {
                return .matched(routeIndex: index, captures: captures)
            }
            allow.formUnion(methods)
            if methods.contains("GET") { allow.insert("HEAD") }
        }
        return allow.isEmpty ? .notFound : .methodNotAllowed(allow: allow.sorted())
    }

    private static func segmentName(_ segment: [UInt8]) -> ArraySlice<UInt8> {
        for i in segment.indices {
            if segment[i] == UInt8(ascii: ";") { return segment[..<i] }
            if segment[i] == UInt8(ascii: "%"), i + 2 < segment.count, segment[i + 1] == UInt8(ascii: "3"),
               segment[i + 2] | 0x20 == UInt8(ascii: "b") { return segment[..<i] }
        }
        return segment[...]
    }

    private static func matches(_ pattern: [RoutePattern.Segment], _ path: [[UInt8]]) -> [PathCapture]? {
        var captures: [PathCapture] = []
        for (i, segment) in pattern.enumerated() {
            switch segment {
            case .rest:
                return captures
            case .literal(let literal):
                // A literal names the segment without its path parameters (`admin;x=1`, `admin%3Bx`
                // are the `admin` segment: Tomcat-style upstreams strip them).
                guard i < path.count, segmentName(path[i]) == literal[...] else { return nil }
            case .wildcard(let name):
                guard i < path.count, !path[i].isEmpty else { return nil }
                if let name { captures.append(PathCapture(name: name, value: String(decoding: path[i], as: UTF8.self))) }
            }
        }
        return pattern.count == path.count ? captures : nil
    }
}
