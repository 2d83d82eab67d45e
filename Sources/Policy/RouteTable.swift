/// The route rules of one configuration, compiled once into a segment trie.
///
/// Matching walks the trie segment by segment (literal children by binary search, one wildcard
/// child, `**` terminals), so its cost depends on the path's depth and on how many patterns overlap
/// it, not on the number of routes. Among all routes whose pattern matches, the lowest index whose
/// methods include the request method wins: exactly "first matching route in file order".
///
/// Methods are case-sensitive. A route that serves `GET` also serves `HEAD` (RFC 9110 §9.3.2: HEAD
/// is GET without the body), so an earlier `GET` route takes `HEAD` before a later explicit `HEAD` one.
/// Literals match the segment's name, i.e. the part before `;`/`%3B`, the way parameter-stripping
/// upstreams see it: `/admin;x/y` is matched (and authorized) as `/admin/y`.
public struct RouteTable: Sendable {
    /// The routes, in file order; a match's `routeIndex` indexes this array.
    public let routes: [RouteSpec]
    /// Compiled patterns, parallel to `routes`.
    public let patterns: [RoutePattern]
    /// Whether each route has `{name}` captures (avoids touching the pattern on the hot path).
    let hasCaptures: [Bool]
    let trie: RouteTrie
    /// Method bit masks per route (`UInt64.max` = any method).
    let methodMasks: [UInt64]
    /// Method names by bit position, for `Allow`.
    let methodNames: [String]
    static let otherMethodBit: UInt64 = 1 << 63

    /// Compiles `routes`; throws on the first invalid pattern, method or `strip_prefix`.
    public init(routes: [RouteSpec]) throws(RouteTableError) {
        var patterns: [RoutePattern] = []
        var names: [String] = []
        var bits: [String: UInt64] = [:]
        var masks: [UInt64] = []
        for (i, route) in routes.enumerated() {
            let pattern: RoutePattern
            do { pattern = try RoutePattern(route.path) } catch {
                throw RouteTableError(routeIndex: i, field: "path", message: error.message)
            }
            patterns.append(pattern)
            try Self.checkStripPrefix(route, pattern, index: i)
            guard let methods = route.methods else {
                masks.append(UInt64.max)
                continue
            }
            guard !methods.isEmpty else {
                throw RouteTableError(routeIndex: i, field: "methods", message: "must not be empty (omit it for any method)")
            }
            var mask: UInt64 = 0
            for method in methods + (methods.contains("GET") ? ["HEAD"] : []) {
                try Self.checkMethod(method, index: i)
                if bits[method] == nil {
                    guard names.count < 63 else {
                        throw RouteTableError(routeIndex: i, field: "methods", message: "more than 63 distinct methods")
                    }
                    bits[method] = 1 << UInt64(names.count)
                    names.append(method)
                }
                mask |= bits[method]!
            }
            masks.append(mask)
        }
        self.routes = routes
        self.patterns = patterns
        self.hasCaptures = patterns.map(\.hasCaptures)
        self.methodMasks = masks
        self.methodNames = names
        self.trie = RouteTrie(patterns: patterns)
    }

    private static func checkMethod(_ method: String, index: Int) throws(RouteTableError) {
        guard !method.isEmpty, method.utf8.allSatisfy(ByteClass.isTokenChar) else {
            throw RouteTableError(routeIndex: index, field: "methods", message: "invalid method \"\(method)\"")
        }
        guard !method.utf8.contains(where: { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }) else {
            throw RouteTableError(routeIndex: index, field: "methods",
                                  message: "methods are case-sensitive: \"\(method)\" should be \"\(method.uppercased())\"")
        }
    }

    private static func checkStripPrefix(_ route: RouteSpec, _ pattern: RoutePattern, index: Int) throws(RouteTableError) {
        guard let prefix = route.stripPrefix else { return }
        let prefixPattern: RoutePattern
        do { prefixPattern = try RoutePattern(prefix) } catch {
            throw RouteTableError(routeIndex: index, field: "strip_prefix", message: error.message)
        }
        let literals = prefixPattern.segments.allSatisfy { if case .literal(let l) = $0 { !l.isEmpty } else { false } }
        let isPrefix = prefixPattern.segments.count <= pattern.segments.count
            && zip(prefixPattern.segments, pattern.segments).allSatisfy { $0 == $1 }
        guard literals, isPrefix else {
            throw RouteTableError(routeIndex: index, field: "strip_prefix",
                                  message: "must be literal leading segments of the route path \"\(route.path)\"")
        }
    }

    /// Matches a method and a normalized path (from ``PathNormalizer``).
    public func match(method: String, path: String) -> RouteMatch {
        let methodBit = bit(of: method)
        let result = path.utf8.withContiguousStorageIfAvailable {
            trie.bestMatch(path: $0, methodBit: methodBit, masks: methodMasks)
        } ?? Array(path.utf8).withUnsafeBufferPointer {
            trie.bestMatch(path: $0, methodBit: methodBit, masks: methodMasks)
        }
        let (best, allowMask) = result
        if let best {
            guard hasCaptures[best] else { return .matched(routeIndex: best, captures: []) }
            return .matched(routeIndex: best, captures: captures(of: best, in: path))
        }
        guard allowMask != 0 else { return .notFound }
        var allow: [String] = []
        for (bit, name) in methodNames.enumerated() where allowMask & (1 << UInt64(bit)) != 0 {
            allow.append(name)
        }
        return .methodNotAllowed(allow: allow.sorted())
    }

    /// The method's bit: a linear scan of the few configured names (small-string `==` is cheaper
    /// than hashing); unknown methods share ``otherMethodBit``, which only any-method routes carry.
    @inline(__always)
    private func bit(of method: String) -> UInt64 {
        for (i, name) in methodNames.enumerated() where name == method { return 1 << UInt64(i) }
        return Self.otherMethodBit
    }

    /// The `{name}` captures of route `index` in `path` (which it matches).
    private func captures(of index: Int, in path: String) -> [PathCapture] {
        var result: [PathCapture] = []
        let utf8 = path.utf8
        var segmentStart = utf8.index(after: utf8.startIndex)
        for segment in patterns[index].segments {
            let segmentEnd = utf8[segmentStart...].firstIndex(of: UInt8(ascii: "/")) ?? utf8.endIndex
            if case .wildcard(name: let name?) = segment {
                result.append(PathCapture(name: name, value: String(path[segmentStart..<segmentEnd])))
            }
            guard segmentEnd < utf8.endIndex else { break }
            segmentStart = utf8.index(after: segmentEnd)
        }
        return result
    }

    /// Routes that can never match, each with the earlier route that covers every path and method
    /// it could match (for `portcullis check`). Issuer restrictions do not matter: the earlier route
    /// wins the match regardless of who calls.
    public func shadowedRoutes() -> [ShadowedRoute] {
        var found: [ShadowedRoute] = []
        for later in routes.indices {
            for earlier in 0..<later where methodMasks[earlier] & methodMasks[later] == methodMasks[later]
                && patterns[earlier].covers(patterns[later]) {
                found.append(ShadowedRoute(shadowed: later, by: earlier))
                break
            }
        }
        return found
    }
}

extension RouteSpec {
    /// The path to send upstream: `normalizedPath` with ``stripPrefix`` removed when it is a
    /// segment-aligned prefix (`/api` strips `/api/x` -> `/x` and `/api` -> `/`, never `/apix`).
    public func upstreamPath(for normalizedPath: String) -> String {
        Self.upstreamPath(for: normalizedPath, strippingPrefix: stripPrefix)
    }

    /// `upstreamPath(for:)` of a route whose `stripPrefix` is `prefix` (callers on the request path
    /// keep the prefixes in their own array instead of reading, and so copying, the whole route).
    public static func upstreamPath(for normalizedPath: String, strippingPrefix prefix: String?) -> String {
        guard let prefix, normalizedPath.hasPrefix(prefix) else { return normalizedPath }
        let rest = normalizedPath.dropFirst(prefix.count)
        if rest.isEmpty { return "/" }
        guard rest.first == "/" else { return normalizedPath }
        return String(rest)
    }
}
