/// A micro-benchmark of route decisions for the lead's BENCHMARKS.md (not used by tests' assertions).
///
/// This is the one place in `Policy` that reads a clock: the monotonic `ContinuousClock`, only to
/// time the loop; decisions themselves never depend on time.
public enum RouteTableBenchmark {
    /// Builds a table of `routes` routes shaped like real APIs (`/v1/<resource>/**` per method plus
    /// `/v1/<resource>/{id}/items/*`), then matches a rotating set of paths (hits on routes spread
    /// across the table, and misses) and decides scopes `iterations` times.
    /// Returns nanoseconds per decision (normalize + match + scope decision).
    public static func run(routes: Int, iterations: Int) -> Double {
        let count = max(1, routes)
        var specs: [RouteSpec] = []
        for i in 0..<count {
            let resource = "resource-\(i / 4)"
            switch i % 4 {
            case 0: specs.append(RouteSpec(methods: ["GET"], path: "/v1/\(resource)/**", upstream: "u",
                                           allScopes: ["read:\(resource)"], index: i))
            case 1: specs.append(RouteSpec(methods: ["POST", "PUT"], path: "/v1/\(resource)/**", upstream: "u",
                                           allScopes: ["write:\(resource)"], index: i))
            case 2: specs.append(RouteSpec(methods: ["GET"], path: "/v1/\(resource)/{id}/items/*", upstream: "u",
                                           anyScopes: ["read:\(resource)", "admin:\(resource)"], index: i))
            default: specs.append(RouteSpec(methods: ["DELETE"], path: "/v1/\(resource)/{id}", upstream: "u",
                                            allScopes: ["delete:\(resource)"], index: i))
            }
        }
        guard let table = try? RouteTable(routes: specs) else { return .nan }
        let policy = AccessPolicy(routes: table, scopes: ScopePolicy(aliases: ["alias": "read:resource-0"],
                                                                     superuserScopes: ["admin"]))
        let last = max(0, count / 4 - 1)
        let paths = [
            "/v1/resource-0/42", "/v1/resource-\(last)/42/items/7", "/v1/resource-\(last / 2)/x",
            "/v1/missing/1", "/v1/resource-\(last)/a/../b",
        ]
        let granted = ["read:resource-0", "openid"]
        var sink = 0
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for i in 0..<max(1, iterations) {
                guard let target = try? PathNormalizer.normalize(paths[i % paths.count]) else { continue }
                if case .matched(let index, _) = table.match(method: "GET", path: target.path),
                   policy.decide(routeIndex: index, issuer: "i", grantedScopes: granted) == .allow {
                    sink &+= index
                }
            }
        }
        if sink == -1 { print(sink) }
        let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        return nanoseconds / Double(max(1, iterations))
    }
}
