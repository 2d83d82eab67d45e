import Policy

/// Routes, scopes, aliases, realm and identity headers.
extension Loader {
    func routes(_ node: ConfigNode, upstreams: [String: UpstreamSettings],
                issuers: [IssuerSettings], personalAccessTokens: Bool = false) throws(ConfigError) -> [RouteSpec] {
        var routes: [RouteSpec] = []
        // Route `issuers` may also name "personal_access_tokens" when that table is configured.
        let issuerNames = issuers.map(\.issuer) + (personalAccessTokens ? [PersonalAccessTokenSettings.issuerName] : [])
        for (index, item) in try node.array(nonEmpty: true).enumerated() {
            routes.append(try route(item, index: index, upstreams: upstreams, issuerNames: issuerNames))
        }
        var names: Set<String> = []
        for (index, route) in routes.enumerated() {
            guard let name = route.name else { continue }
            if !names.insert(name).inserted {
                throw ConfigError(path: "\(node.path)[\(index)].name", message: "duplicate route name \"\(name)\"")
            }
        }
        do {
            _ = try RouteTable(routes: routes)
        } catch {
            throw ConfigError(path: "\(node.path)[\(error.routeIndex)].\(error.field)", message: error.message)
        }
        // Store strip_prefix in normalized form (as matched paths are), e.g. `/%61pi` -> `/api`.
        for i in routes.indices {
            if let prefix = routes[i].stripPrefix, let normalized = try? PathNormalizer.normalize(prefix) {
                routes[i].stripPrefix = normalized.path
            }
        }
        return routes
    }

    private func route(_ node: ConfigNode, index: Int, upstreams: [String: UpstreamSettings],
                       issuerNames: [String]) throws(ConfigError) -> RouteSpec {
        let object = try node.object(allowing: ["methods", "path", "upstream", "public", "scopes", "any_scopes",
                                                "issuers", "strip_prefix", "forward_authorization", "cors", "name"])
        let path = try object.required("path").string()
        let upstreamNode = try object.required("upstream")
        let upstream = try upstreamNode.string()
        guard upstreams[upstream] != nil else { throw upstreamNode.error("no upstream named \"\(upstream)\"") }
        var spec = RouteSpec(path: path, upstream: upstream, index: index)
        if let n = object.optional("methods") { spec.methods = try n.strings(nonEmpty: true) }
        if let n = object.optional("public") { spec.isPublic = try n.bool() }
        if let n = object.optional("scopes") { spec.allScopes = try scopeList(n, nonEmpty: true) }
        if let n = object.optional("any_scopes") { spec.anyScopes = try scopeList(n, nonEmpty: true) }
        if let n = object.optional("strip_prefix") { spec.stripPrefix = try n.string() }
        if let n = object.optional("forward_authorization") { spec.forwardAuthorization = try n.bool() }
        if let n = object.optional("cors") {
            spec.cors = try n.bool()
            if spec.cors { throw n.error("a route can only opt out of CORS (\"cors\": false); CORS itself is the top-level \"cors\"") }
        }
        if let n = object.optional("name") { spec.name = try routeName(n) }
        if let n = object.optional("issuers") {
            let names = try n.strings(nonEmpty: true)
            for (i, name) in names.enumerated() where !issuerNames.contains(name) {
                throw ConfigError(path: "\(n.path)[\(i)]", message: "no issuer named \"\(name)\"")
            }
            spec.issuers = names
        }
        if spec.isPublic {
            for key in ["scopes", "any_scopes", "issuers"] where object.has(key) {
                throw ConfigError(path: object.path(key), message: "a public route must not name \(key)")
            }
        }
        return spec
    }

    /// A route's `name`: 1-64 letters, digits, `.`, `-`, `_` (a metric label and a log field).
    private func routeName(_ node: ConfigNode) throws(ConfigError) -> String {
        let name = try node.string()
        guard (1...64).contains(name.utf8.count), name.utf8.allSatisfy({ b in
            (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b)
                || b == UInt8(ascii: ".") || b == UInt8(ascii: "-") || b == UInt8(ascii: "_")
        }) else {
            throw node.error("route name must be 1-64 letters, digits, '.', '-' or '_'")
        }
        return name
    }

    /// Scope names: non-empty, no space, `"` or `\` (RFC 6749 §3.3 `scope-token`), unique.
    func scopeList(_ node: ConfigNode, nonEmpty: Bool) throws(ConfigError) -> [String] {
        var result: [String] = []
        for item in try node.array(nonEmpty: nonEmpty) {
            let scope = try scopeToken(item)
            if result.contains(scope) { throw item.error("duplicate scope \"\(scope)\"") }
            result.append(scope)
        }
        return result
    }

    func scopeToken(_ node: ConfigNode) throws(ConfigError) -> String {
        let scope = try node.string()
        try checkScopeToken(scope, node)
        return scope
    }

    private func checkScopeToken(_ scope: String, _ node: ConfigNode) throws(ConfigError) {
        guard scope.utf8.allSatisfy({ $0 == 0x21 || (0x23...0x5B).contains($0) || (0x5D...0x7E).contains($0) }) else {
            throw node.error("invalid scope \"\(scope)\": printable ASCII without space, '\"' or '\\'")
        }
    }

    /// `scope_aliases`: token scope name -> canonical name; a target may not itself be an alias.
    func scopeAliases(_ node: ConfigNode) throws(ConfigError) -> [String: String] {
        var aliases: [String: String] = [:]
        let entries = try node.map()
        for (alias, child) in entries {
            try checkScopeToken(alias, child)
            aliases[alias] = try scopeToken(child)
        }
        for (alias, child) in entries {
            let target = aliases[alias]!
            if target == alias { throw child.error("alias maps to itself") }
            if aliases[target] != nil { throw child.error("alias target \"\(target)\" is itself an alias") }
        }
        return aliases
    }

    /// `realm`: printable ASCII without `"` or `\`.
    func realm(_ node: ConfigNode) throws(ConfigError) -> String {
        let realm = try node.string()
        guard realm.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }) else {
            throw node.error("realm must be printable ASCII without '\"' or '\\'")
        }
        return realm
    }

    /// Header names that must never be set from claims or certificates (framing, routing,
    /// credentials, forwarding, the fields the gateway writes itself).
    static let reservedHeaders: Set<String> = [
        "host", "content-length", "transfer-encoding", "connection", "keep-alive", "proxy-connection", "te",
        "trailer", "upgrade", "expect", "authorization", "proxy-authorization", "cookie", "x-forwarded-for",
        "x-forwarded-proto", "x-forwarded-host", "x-request-id", "forwarded", "traceparent", "tracestate", "dpop",
        "x-forwarded-port", "x-forwarded-prefix", "x-real-ip",
    ]

    /// `identity_headers`: header name -> claim; sorted by header name.
    func identityHeaders(_ node: ConfigNode) throws(ConfigError) -> [IdentityHeader] {
        var result: [IdentityHeader] = []
        for (header, child) in try node.map() {
            try checkForwardedHeaderName(header, child, role: "an identity header")
            if result.contains(where: { $0.header.lowercased() == header.lowercased() }) {
                throw child.error("duplicate header (names are case-insensitive)")
            }
            result.append(IdentityHeader(header: header, claim: try child.string()))
        }
        return result.sorted { $0.header < $1.header }
    }

    /// A name the gateway may set on forwarded requests (`identity_headers`,
    /// `tls.client_certificate_headers`): a field-name token, not a reserved one.
    /// `role` names the setting in the message ("an identity header").
    func checkForwardedHeaderName(_ header: String, _ node: ConfigNode, role: String) throws(ConfigError) {
        guard !header.isEmpty, header.utf8.allSatisfy(Self.isTokenChar) else { throw node.error("invalid header name") }
        guard !Self.reservedHeaders.contains(header.lowercased()) else { throw node.error("\(header) cannot be \(role)") }
    }

    /// Whether two header names are the same field for an upstream: case-insensitively, with `_`
    /// read as `-` (CGI-style upstreams map both spellings to one variable).
    static func sameForwardedName(_ a: String, _ b: String) -> Bool {
        func folded(_ s: String) -> [UInt8] { s.lowercased().utf8.map { $0 == UInt8(ascii: "_") ? UInt8(ascii: "-") : $0 } }
        return folded(a) == folded(b)
    }

    static func isTokenChar(_ byte: UInt8) -> Bool {
        if (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) { return true }
        return "!#$%&'*+-.^_`|~".utf8.contains(byte)
    }
}
