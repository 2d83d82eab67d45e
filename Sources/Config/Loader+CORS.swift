import Policy

/// The top-level `cors` object.
extension Loader {
    /// `{"allowed_origins": [...], "allowed_headers": [...], "exposed_headers": [...],
    /// "max_age_seconds": 600, "allow_credentials": false}`. Origins are exact serialized origins
    /// (`scheme://host[:port]`, no path, no `*`): a browser sends exactly that form.
    func cors(_ node: ConfigNode) throws(ConfigError) -> CORSPolicy {
        let object = try node.object(allowing: ["allowed_origins", "allowed_headers", "exposed_headers",
                                                "max_age_seconds", "allow_credentials"])
        var origins: [String] = []
        for item in try object.required("allowed_origins").array(nonEmpty: true) {
            let origin = try item.string()
            if origin == "*" || origin == "null" {
                throw item.error("\"\(origin)\" is not allowed: list each origin exactly (scheme://host[:port])")
            }
            let parts = try url(item, schemes: ["http", "https"])
            guard parts.rest.isEmpty else { throw item.error("an origin has no path, query or trailing slash: \"\(origin)\"") }
            guard origin == origin.lowercased() else { throw item.error("write the origin in lowercase, as browsers send it: \"\(origin)\"") }
            if origins.contains(origin) { throw item.error("duplicate origin \"\(origin)\"") }
            origins.append(origin)
        }
        var policy = CORSPolicy(allowedOrigins: origins)
        if let n = object.optional("allowed_headers") { policy.allowedHeaders = try headerNames(n) }
        if let n = object.optional("exposed_headers") { policy.exposedHeaders = try headerNames(n) }
        if let n = object.optional("max_age_seconds") { policy.maxAgeSeconds = try n.int(0...86_400) }
        if let n = object.optional("allow_credentials") { policy.allowCredentials = try n.bool() }
        return policy
    }

    /// A list of header names (RFC 9110 tokens), unique case-insensitively.
    private func headerNames(_ node: ConfigNode) throws(ConfigError) -> [String] {
        var names: [String] = []
        for item in try node.array() {
            let name = try item.string()
            guard name.utf8.allSatisfy(Self.isTokenChar) else { throw item.error("invalid header name \"\(name)\"") }
            if names.contains(where: { $0.lowercased() == name.lowercased() }) { throw item.error("duplicate header \"\(name)\"") }
            names.append(name)
        }
        return names
    }
}
