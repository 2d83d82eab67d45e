import XCTest
@testable import Policy

final class RouteTableTests: XCTestCase {
    /// A table shaped like the default config plus a public prefix, to attack.
    static let specs: [RouteSpec] = [
        RouteSpec(methods: ["GET"], path: "/v1/status", upstream: "demo", isPublic: true, index: 0),
        RouteSpec(path: "/v1/public/**", upstream: "demo", isPublic: true, index: 1),
        RouteSpec(methods: ["GET"], path: "/v1/port-calls/**", upstream: "demo", allScopes: ["read:port_calls"], index: 2),
        RouteSpec(methods: ["POST", "PUT", "PATCH"], path: "/v1/port-calls/**", upstream: "demo",
                  allScopes: ["write:port_calls"], index: 3),
        RouteSpec(methods: ["DELETE"], path: "/v1/port-calls/{id}", upstream: "demo",
                  allScopes: ["delete:port_calls"], index: 4),
        RouteSpec(methods: ["GET"], path: "/v1/invoices/{id}", upstream: "billing",
                  anyScopes: ["read:invoices", "write:invoices"], index: 5),
        RouteSpec(path: "/v1/admin/**", upstream: "demo", allScopes: ["admin"], index: 6),
        RouteSpec(methods: ["GET"], path: "/v1/*/summary", upstream: "demo", allScopes: ["read:summary"], index: 7),
    ]

    private var table: RouteTable { try! RouteTable(routes: Self.specs) }

    /// Normalizes then matches, like the gateway.
    private func decide(_ method: String, _ target: String) -> String {
        guard let normalized = try? PathNormalizer.normalize(target) else { return "400" }
        switch table.match(method: method, path: normalized.path) {
        case .matched(let index, _): return "route \(index)"
        case .methodNotAllowed(let allow): return "405 " + allow.joined(separator: ",")
        case .notFound: return "404"
        }
    }

    func testMatchingTable() {
        let cases: [(String, String, String)] = [
            ("GET", "/v1/status", "route 0"),
            ("HEAD", "/v1/status", "route 0"),
            ("POST", "/v1/status", "405 GET,HEAD"),
            ("GET", "/v1/status/", "404"),
            ("GET", "/v1/status/x", "404"),
            ("DELETE", "/v1/public", "route 1"),
            ("GET", "/v1/public/", "route 1"),
            ("GET", "/v1/public/a/b/c", "route 1"),
            ("GET", "/v1/port-calls", "route 2"),
            ("GET", "/v1/port-calls/17/events", "route 2"),
            ("HEAD", "/v1/port-calls/17", "route 2"),
            ("PATCH", "/v1/port-calls/17", "route 3"),
            ("DELETE", "/v1/port-calls/17", "route 4"),
            ("DELETE", "/v1/port-calls/17/x", "405 GET,HEAD,PATCH,POST,PUT"),
            ("OPTIONS", "/v1/port-calls/17", "405 DELETE,GET,HEAD,PATCH,POST,PUT"),
            ("get", "/v1/port-calls/17", "405 DELETE,GET,HEAD,PATCH,POST,PUT"),
            ("GET", "/v1/invoices/42", "route 5"),
            ("GET", "/v1/invoices/", "404"),
            ("GET", "/v1/invoices", "404"),
            ("GET", "/v1/invoices/42/lines", "404"),
            ("BREW", "/v1/admin/users", "route 6"),
            ("GET", "/v1/admin", "route 6"),
            ("GET", "/v1/vessels/summary", "route 7"),
            ("GET", "/v1/admin/summary", "route 6"),
            ("GET", "/v2/status", "404"),
            ("GET", "/", "404"),
        ]
        for (method, path, expected) in cases {
            XCTAssertEqual(decide(method, path), expected, "\(method) \(path)")
        }
    }

    /// Each attempt to reach `/v1/admin/**` through the public prefix must be rejected or land on
    /// the admin route (which requires the admin scope) — never on the public route.
    func testBypassAttemptsNeverReachAdminThroughPublicRoute() {
        let attempts: [(String, String)] = [
            ("/v1/public/../admin/x", "route 6"),
            ("/v1/public/%2e%2e/admin/x", "route 6"),
            ("/v1/public/%2E%2E/admin/x", "route 6"),
            ("/v1/public/.%2e/admin/x", "route 6"),
            ("/v1/public/..%2Fadmin/x", "400"),
            ("/v1/public/..%2fadmin/x", "400"),
            ("/v1/public/..;/admin/x", "400"),
            ("/v1/public/..;jsessionid=1/admin/x", "400"),
            ("/v1/public/%2e%2e;/admin/x", "400"),
            ("/v1/public/..\\admin/x", "400"),
            ("/v1/public/..%5Cadmin/x", "400"),
            ("/v1/public/%00/../../admin/x", "400"),
            ("/v1/public/x%00/admin", "400"),
            ("//v1//admin//x", "route 6"),
            ("/v1/./admin/x", "route 6"),
            ("/v1/admin;x=1/users", "route 6"),
            ("/v1/admin%3Bx/users", "route 6"),
            ("/v1/%61dmin/users", "route 6"),
            ("/v1/public/../../v1/admin", "route 6"),
            ("/v1/public/../../../v1/admin", "400"),
        ]
        for (target, expected) in attempts {
            XCTAssertEqual(decide("GET", target), expected, target)
        }
    }

    /// Paths are case-sensitive (RFC 3986 §6.2.2.1): a case variant is a different path and can never
    /// select the public route for an admin path; percent-hex case does not matter.
    func testCaseVariantsDoNotMatchOtherRoutes() {
        XCTAssertEqual(decide("GET", "/V1/ADMIN/x"), "404")
        XCTAssertEqual(decide("GET", "/v1/Admin/x"), "404")
        XCTAssertEqual(decide("GET", "/v1/PUBLIC/../admin"), "route 6")
        XCTAssertEqual(decide("GET", "/v1/public/%2E%2e/admin"), "route 6")
    }

    func testCapturesAreReturned() {
        guard case .matched(5, let captures) = table.match(method: "GET", path: "/v1/invoices/inv%20%C3%A9") else {
            return XCTFail("no match")
        }
        XCTAssertEqual(captures, [PathCapture(name: "id", value: "inv%20%C3%A9")])
        guard case .matched(2, let none) = table.match(method: "GET", path: "/v1/port-calls/1") else {
            return XCTFail("no match")
        }
        XCTAssertEqual(none, [])
    }

    func testFirstMatchingRouteInFileOrderWins() throws {
        let table = try RouteTable(routes: [
            RouteSpec(path: "/a/{id}", upstream: "u", allScopes: ["one"], index: 0),
            RouteSpec(path: "/a/special", upstream: "u", allScopes: ["two"], index: 1),
            RouteSpec(path: "/**", upstream: "u", isPublic: true, index: 2),
        ])
        XCTAssertEqual(table.match(method: "GET", path: "/a/special"), .matched(routeIndex: 0, captures: [PathCapture(name: "id", value: "special")]))
        XCTAssertEqual(table.match(method: "GET", path: "/a/b/c"), .matched(routeIndex: 2, captures: []))
        XCTAssertEqual(table.match(method: "GET", path: "/"), .matched(routeIndex: 2, captures: []))
        let reversed = try RouteTable(routes: [
            RouteSpec(path: "/**", upstream: "u", isPublic: true, index: 0),
            RouteSpec(path: "/a/{id}", upstream: "u", index: 1),
        ])
        XCTAssertEqual(reversed.match(method: "GET", path: "/a/x"), .matched(routeIndex: 0, captures: []))
    }

    func testRootAndTrailingSlashPatterns() throws {
        let table = try RouteTable(routes: [
            RouteSpec(path: "/", upstream: "u", index: 0),
            RouteSpec(path: "/docs/", upstream: "u", index: 1),
        ])
        XCTAssertEqual(table.match(method: "GET", path: "/"), .matched(routeIndex: 0, captures: []))
        XCTAssertEqual(table.match(method: "GET", path: "/docs/"), .matched(routeIndex: 1, captures: []))
        XCTAssertEqual(table.match(method: "GET", path: "/docs"), .notFound)
    }

    func testInvalidPatternsAreRejectedWithField() {
        let cases: [(RouteSpec, String, String)] = [
            (RouteSpec(path: "v1", upstream: "u", index: 0), "path", "path must start with /"),
            (RouteSpec(path: "/a/**/b", upstream: "u", index: 0), "path", "** must be the last segment"),
            (RouteSpec(path: "/a//b", upstream: "u", index: 0), "path", "empty segment (//) in path"),
            (RouteSpec(path: "/a/b*", upstream: "u", index: 0), "path", "wildcards must be a whole segment (*, **, {name})"),
            (RouteSpec(path: "/a/{}", upstream: "u", index: 0), "path", "capture names are letters, digits, - and _"),
            (RouteSpec(path: "/a/../b", upstream: "u", index: 0), "path", "dot-segments are not allowed in patterns"),
            (RouteSpec(path: "/a;x", upstream: "u", index: 0), "path", "path parameters (;) are not allowed in patterns"),
            (RouteSpec(path: "/a%2Fb", upstream: "u", index: 0), "path", "encoded slash (%2F) in path"),
            (RouteSpec(path: "/a b", upstream: "u", index: 0), "path", "invalid character in path (invalid character in request target)"),
            (RouteSpec(methods: [], path: "/a", upstream: "u", index: 0), "methods", "must not be empty (omit it for any method)"),
            (RouteSpec(methods: ["get"], path: "/a", upstream: "u", index: 0), "methods",
             "methods are case-sensitive: \"get\" should be \"GET\""),
            (RouteSpec(methods: ["GE T"], path: "/a", upstream: "u", index: 0), "methods", "invalid method \"GE T\""),
            (RouteSpec(path: "/api/x", upstream: "u", stripPrefix: "/other", index: 0), "strip_prefix",
             "must be literal leading segments of the route path \"/api/x\""),
        ]
        for (spec, field, message) in cases {
            XCTAssertThrowsError(try RouteTable(routes: [RouteSpec(path: "/ok", upstream: "u", index: 0), spec])) { error in
                XCTAssertEqual(error as? RouteTableError, RouteTableError(routeIndex: 1, field: field, message: message))
            }
        }
    }

    func testShadowedRoutes() throws {
        let table = try RouteTable(routes: [
            RouteSpec(methods: ["GET"], path: "/v1/**", upstream: "u", index: 0),
            RouteSpec(methods: ["GET"], path: "/v1/a/{id}", upstream: "u", index: 1),       // shadowed by 0
            RouteSpec(methods: ["POST"], path: "/v1/a/{id}", upstream: "u", index: 2),      // not: POST
            RouteSpec(path: "/v2/*", upstream: "u", index: 3),
            RouteSpec(methods: ["DELETE"], path: "/v2/x", upstream: "u", index: 4),         // shadowed by 3
            RouteSpec(path: "/v2/x/y", upstream: "u", index: 5),                            // not: deeper
            RouteSpec(methods: ["HEAD"], path: "/v1/b", upstream: "u", index: 6),           // GET serves HEAD
            RouteSpec(path: "/v3/{a}", upstream: "u", index: 7),
            RouteSpec(path: "/v3/", upstream: "u", index: 8),                               // not: * needs non-empty
        ])
        XCTAssertEqual(table.shadowedRoutes(), [
            ShadowedRoute(shadowed: 1, by: 0), ShadowedRoute(shadowed: 4, by: 3), ShadowedRoute(shadowed: 6, by: 0),
        ])
    }

    func testUpstreamPathStripsPrefixAtSegmentBoundary() {
        let spec = RouteSpec(path: "/api/**", upstream: "u", stripPrefix: "/api", index: 0)
        XCTAssertEqual(spec.upstreamPath(for: "/api/x/y"), "/x/y")
        XCTAssertEqual(spec.upstreamPath(for: "/api"), "/")
        XCTAssertEqual(spec.upstreamPath(for: "/api/"), "/")
        XCTAssertEqual(spec.upstreamPath(for: "/apix"), "/apix")
        XCTAssertEqual(RouteSpec(path: "/a", upstream: "u", index: 0).upstreamPath(for: "/a"), "/a")
    }

    /// The trie must agree with a naive linear scan over the patterns on random tables and paths.
    func testTrieAgreesWithLinearScan() throws {
        var rng = SplitMix64(seed: 42)
        let words = ["a", "b", "c", "*", "{x}", "**", ""]
        let methodsPool: [[String]?] = [nil, ["GET"], ["POST"], ["GET", "DELETE"]]
        for _ in 0..<60 {
            var specs: [RouteSpec] = []
            for i in 0..<Int(rng.next() % 30 + 1) {
                var segments: [String] = []
                for depth in 0..<Int(rng.next() % 4 + 1) {
                    var word = words[Int(rng.next() % UInt64(words.count))]
                    if word == "" && depth < 3 { word = "a" }
                    segments.append(word)
                    if word == "**" || word == "" { break }
                }
                specs.append(RouteSpec(methods: methodsPool[Int(rng.next() % 4)], path: "/" + segments.joined(separator: "/"),
                                       upstream: "u", index: i))
            }
            let table = try RouteTable(routes: specs)
            for _ in 0..<50 {
                var parts: [String] = []
                for _ in 0..<Int(rng.next() % 4) { parts.append(["a", "b", "c", "d", "a;p"][Int(rng.next() % 5)]) }
                if rng.next() % 4 == 0 { parts.append("") }
                let path = "/" + parts.joined(separator: "/")
                for method in ["GET", "HEAD", "POST", "PUT"] {
                    XCTAssertEqual(simplified(table.match(method: method, path: path)),
                                   linear(specs, table.patterns, method, path), "\(method) \(path) in \(specs.map(\.path))")
                }
            }
        }
    }

    private func simplified(_ match: RouteMatch) -> String {
        switch match {
        case .matched(let index, _): return "route \(index)"
        case .methodNotAllowed(let allow): return "405 " + allow.joined(separator: ",")
        case .notFound: return "404"
        }
    }

    private func linear(_ specs: [RouteSpec], _ patterns: [RoutePattern], _ method: String, _ path: String) -> String {
        let segments = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            String($0.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        }
        var allow = Set<String>()
        for (i, spec) in specs.enumerated() where matches(patterns[i].segments, segments[...]) {
            var methods = spec.methods.map(Set.init)
            if methods?.contains("GET") == true { methods?.insert("HEAD") }
            guard let methods else { return "route \(i)" }
            if methods.contains(method) { return "route \(i)" }
            allow.formUnion(methods)
        }
        return allow.isEmpty ? "404" : "405 " + allow.sorted().joined(separator: ",")
    }

    private func matches(_ pattern: [RoutePattern.Segment], _ path: ArraySlice<String>) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        if first == .rest { return true }
        guard let segment = path.first else { return false }
        switch first {
        case .literal(let bytes): guard Array(segment.utf8) == bytes else { return false }
        case .wildcard: guard !segment.isEmpty else { return false }
        case .rest: return true
        }
        return matches(Array(pattern.dropFirst()), path.dropFirst())
    }

    func testBenchmarkReturnsAPositiveCostForSmallAndLargeTables() {
        // Not a timed assertion: only that the benchmark runs and measures something.
        XCTAssertGreaterThan(RouteTableBenchmark.run(routes: 5, iterations: 200), 0)
        XCTAssertGreaterThan(RouteTableBenchmark.run(routes: 500, iterations: 200), 0)
    }
}
