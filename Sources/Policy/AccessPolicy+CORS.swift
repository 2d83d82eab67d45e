/// CORS decisions (see ``CORSPolicy``): preflights answered by the gateway, and the fields added to
/// every response to an allowed origin.
extension AccessPolicy {
    /// Decides an `OPTIONS` request for the normalized `path`. Only a true preflight (both `origin`
    /// and `requestMethod` present) under a configured `cors` is the gateway's; everything else
    /// (and a preflight for a route with `"cors": false`) goes through the policy as usual.
    public func preflight(path: String, origin: String?, requestMethod: String?) -> PreflightDecision {
        guard let cors, let origin, let requestMethod else { return .notPreflight }
        guard Self.isMethodToken(requestMethod) else {
            return .refuse(code: "cors_method_not_allowed", description: "CORS preflight: invalid Access-Control-Request-Method")
        }
        switch routes.match(method: requestMethod, path: path) {
        case .notFound:
            return .notPreflight   // the ordinary 404
        case .methodNotAllowed:
            return .refuse(code: "cors_method_not_allowed", description: "CORS preflight: no route serves this method on this path")
        case .matched(let routeIndex, _):
            guard corsByRoute[routeIndex] else { return .notPreflight }
            guard cors.allows(origin: origin) else {
                return .refuse(code: "cors_origin_not_allowed", description: "CORS preflight: origin not allowed")
            }
            return .answer(fields: cors.preflightFields(origin: origin, method: requestMethod))
        }
    }

    /// The CORS fields of a response to a request carrying `origin` that matched `routeIndex`
    /// (`nil`: no route matched, or the request was refused before routing). Empty without `cors`,
    /// without an allowed origin, or for a route that opted out.
    public func corsFields(routeIndex: Int?, origin: String?) -> [CORSField] {
        guard let cors, let origin else { return [] }
        if let routeIndex, !corsByRoute[routeIndex] { return [] }
        return cors.responseFields(origin: origin)
    }

    /// Whether CORS applies to `routeIndex` at all (configured, and the route did not opt out).
    public func corsApplies(routeIndex: Int) -> Bool { cors != nil && corsByRoute[routeIndex] }

    /// An HTTP method token (RFC 9110 §9.1) of at most 32 characters: the value is echoed in
    /// `Access-Control-Allow-Methods`.
    static func isMethodToken(_ method: String) -> Bool {
        !method.isEmpty && method.utf8.count <= 32 && method.utf8.allSatisfy(ByteClass.isTokenChar)
    }
}
