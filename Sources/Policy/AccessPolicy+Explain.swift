/// Support for `portcullis explain`: the routing half of a decision, from the same code the
/// gateway runs (normalize -> match -> requirement), as data the CLI can print.
extension AccessPolicy {
    /// What the gateway would do with a method and request-target before looking at a token.
    public enum RoutingOutcome: Sendable, Equatable {
        /// The target is refused (400) before matching.
        case rejected(PathRejection)
        /// No route (404) for this normalized path.
        case notFound(path: String)
        /// Wrong method (405) with `Allow`.
        case methodNotAllowed(path: String, allow: [String])
        /// Route `routeIndex` matched; `upstreamPath` is what is forwarded (after `strip_prefix`).
        case matched(routeIndex: Int, path: String, upstreamPath: String, captures: [PathCapture])
    }

    /// Normalizes `target` and matches it with `method`.
    public func route(method: String, target: String) -> RoutingOutcome {
        let normalized: NormalizedTarget
        do { normalized = try PathNormalizer.normalize(target) } catch { return .rejected(error) }
        switch routes.match(method: method, path: normalized.path) {
        case .notFound:
            return .notFound(path: normalized.path)
        case .methodNotAllowed(let allow):
            return .methodNotAllowed(path: normalized.path, allow: allow)
        case .matched(let index, let captures):
            return .matched(routeIndex: index, path: normalized.path,
                            upstreamPath: routes.routes[index].upstreamPath(for: normalized.path), captures: captures)
        }
    }

    /// A one-line description of route `routeIndex`'s requirement: `public`, `any valid token`, or
    /// e.g. `requires scopes read:x and one of a, b (issuers: https://id.example)`.
    public func requirementSummary(routeIndex: Int) -> String {
        let route = routes.routes[routeIndex]
        if route.isPublic { return "public (no token)" }
        var text = route.allScopes.isEmpty && route.anyScopes.isEmpty
            ? "any valid token" : ScopePolicy.requirementDescription(route)
        if let issuers = route.issuers { text += " (issuers: " + issuers.joined(separator: ", ") + ")" }
        return text
    }
}
