import FoundationEssentials
import JOSE

/// Trusted issuers and their key sources.
extension Loader {
    static let keySourceKeys = ["jwks_uri", "discovery", "jwks_file", "jwks", "hmac_secret_file", "hmac_secret_env"]

    func issuers(_ node: ConfigNode) throws(ConfigError) -> [IssuerSettings] {
        var result: [IssuerSettings] = []
        for item in try node.array() {
            let settings = try issuer(item)
            if let first = result.firstIndex(where: { $0.issuer == settings.issuer }) {
                throw ConfigError(path: item.childPath("issuer"),
                                  message: "duplicate issuer \"\(settings.issuer)\" (also \(node.path)[\(first)])")
            }
            result.append(settings)
        }
        return result
    }

    private func issuer(_ node: ConfigNode) throws(ConfigError) -> IssuerSettings {
        let object = try node.object(allowing: ["issuer", "audiences", "algorithms", "clock_skew_seconds",
                                                "require_exp", "required_claims", "require_typ", "jwks_refresh", "introspection", "dpop"]
                                     + Self.keySourceKeys)
        let issuerNode = try object.required("issuer")
        let issuer = try issuerNode.string()
        guard !issuer.contains(where: { $0.isWhitespace }) else { throw issuerNode.error("issuer must not contain whitespace") }
        let introspection = try object.optional("introspection").map { (n) throws(ConfigError) in try self.introspection(n) }
        // An introspection issuer may also have a key source (JWTs beside opaque tokens), or none.
        let hasKeySource = Self.keySourceKeys.contains { object.has($0) && !($0 == "discovery" && object.optional($0)?.value == .bool(false)) }
        let source = introspection != nil && !hasKeySource ? nil : try keySource(object, issuer: issuerNode)
        var algorithms: [String] = []
        if let source {
            algorithms = try self.algorithms(try object.required("algorithms"), sharedSecret: source.isSharedSecret)
        } else if let n = object.optional("algorithms") {
            throw n.error("algorithms need a key source (jwks_uri, discovery, jwks_file, jwks, hmac_secret_*); introspected tokens are not verified here")
        }
        var settings = IssuerSettings(issuer: issuer, keySource: source, algorithms: algorithms)
        settings.introspection = introspection
        if let n = object.optional("dpop") { settings.dpop = try dpopMode(n) }
        if let n = object.optional("audiences") { settings.audiences = try n.strings(nonEmpty: true) }
        if let n = object.optional("clock_skew_seconds") { settings.clockSkewSeconds = try n.int(0...3600) }
        if let n = object.optional("require_exp") { settings.requireExp = try n.bool() }
        if let n = object.optional("required_claims") { settings.requiredClaims = try n.strings(nonEmpty: false) }
        if let n = object.optional("require_typ") { settings.requireTyp = try n.string() }
        if let n = object.optional("jwks_refresh") { settings.jwksRefresh = try jwksRefresh(n) }
        return settings
    }

    /// Validated algorithm names; `HS*` exactly when the key source is a shared secret.
    private func algorithms(_ node: ConfigNode, sharedSecret: Bool) throws(ConfigError) -> [String] {
        var result: [String] = []
        for item in try node.array(nonEmpty: true) {
            let name = try item.string()
            if name.lowercased() == "none" { throw item.error("algorithm \"none\" is never accepted") }
            guard IssuerSettings.knownAlgorithms.contains(name) else {
                let hint = IssuerSettings.knownAlgorithms.first { $0.lowercased() == name.lowercased() }
                throw item.error("unknown algorithm \"\(name)\"" + (hint.map { " (did you mean \"\($0)\"?)" } ?? "")
                                 + "; known: " + IssuerSettings.knownAlgorithms.joined(separator: ", "))
            }
            if result.contains(name) { throw item.error("duplicate algorithm \"\(name)\"") }
            let isHMAC = name.hasPrefix("HS")
            if isHMAC && !sharedSecret {
                throw item.error("\(name) is only allowed with hmac_secret_file or hmac_secret_env, never with keys from a JWKS")
            }
            if !isHMAC && sharedSecret {
                throw item.error("\(name) needs a public-key source (jwks_uri, discovery, jwks_file or jwks), not an HMAC secret")
            }
            result.append(name)
        }
        return result
    }

    /// Exactly one key source.
    private func keySource(_ object: ConfigObject, issuer: ConfigNode) throws(ConfigError) -> KeySource {
        var present = Self.keySourceKeys.filter { object.has($0) }
        if let discovery = object.optional("discovery"), try !discovery.bool() {
            present.removeAll { $0 == "discovery" }
        }
        guard present.count == 1, let key = present.first, let node = object.optional(key) else {
            let message = present.isEmpty
                ? "needs exactly one key source: jwks_uri, discovery, jwks_file, jwks, hmac_secret_file or hmac_secret_env (or introspection)"
                : "more than one key source (\(present.joined(separator: ", ")))"
            throw object.node.error(message)
        }
        switch key {
        case "jwks_uri":
            _ = try url(node, schemes: ["http", "https"])
            return .jwksURI(try node.string())
        case "discovery":
            _ = try url(issuer, schemes: ["http", "https"])
            return .discovery
        case "jwks_file":
            let path = resolve(try node.string())
            guard fileExists(path) else { throw node.error("file not found: \(path)") }
            return .jwksFile(path: path)
        case "jwks":
            return .inlineJWKS(try inlineJWKS(node))
        case "hmac_secret_file":
            let path = resolve(try node.string())
            let source = KeySource.hmacSecretFile(path: path)
            _ = try Self.checkedSecret(source, environment: environment, path: node.displayPath)
            return source
        default:
            let name = try node.string()
            guard name.utf8.allSatisfy({ Self.isTokenChar($0) && $0 != 0x3D }) else {
                throw node.error("invalid environment variable name")
            }
            let source = KeySource.hmacSecretEnvironment(name: name)
            _ = try Self.checkedSecret(source, environment: environment, path: node.displayPath)
            return source
        }
    }

    /// An inline `jwks` object, checked key by key now: every member must be a usable public
    /// verification key (bad key material fails the load, naming `jwks.keys[i]`, instead of
    /// showing up at run time as a 503). Returns the document as compact JSON for the key loader.
    private func inlineJWKS(_ node: ConfigNode) throws(ConfigError) -> [UInt8] {
        let keys = try node.object(allowing: ["keys"]).required("keys").array(nonEmpty: true)
        let set: JWKSet
        do { set = try JWKSet(document: node.value) } catch { throw node.error(error.detail) }
        if let bad = set.skipped.first {
            throw keys[bad.index].error("unusable key (\(bad.reason.rawValue))")
        }
        return node.value.serialized()
    }

    /// Minimum HMAC key length: RFC 7518 §3.2 requires a key at least as long as the hash output;
    /// 32 bytes (HS256) is the floor for every HS* algorithm here.
    static let minimumSecretBytes = 32

    /// Reads a shared secret (one trailing `\n` or `\r\n` is ignored) and enforces the minimum length.
    /// Messages never include the secret.
    static func checkedSecret(_ source: KeySource, environment: [String: String],
                              path: String) throws(ConfigError) -> [UInt8] {
        var secret: [UInt8]
        switch source {
        case .hmacSecretFile(let file):
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ConfigError(path: path, message: "cannot read secret file \(file)")
            }
            secret = [UInt8](data)
        case .hmacSecretEnvironment(let name):
            guard let value = environment[name] else {
                throw ConfigError(path: path, message: "environment variable \(name) is not set")
            }
            secret = Array(value.utf8)
        default:
            throw ConfigError(path: path, message: "not a shared-secret key source")
        }
        if secret.last == 0x0A { secret.removeLast() }
        if secret.last == 0x0D { secret.removeLast() }
        guard secret.count >= minimumSecretBytes else {
            throw ConfigError(path: path, message: "HMAC secret must be at least \(minimumSecretBytes) bytes")
        }
        return secret
    }

    private func jwksRefresh(_ node: ConfigNode) throws(ConfigError) -> JWKSRefreshSettings {
        let object = try node.object(allowing: ["default_seconds", "min_seconds", "max_seconds",
                                                "unknown_kid_min_interval_seconds", "max_stale_seconds", "timeout_ms"])
        var s = JWKSRefreshSettings()
        let day = 86_400
        if let n = object.optional("default_seconds") { s.defaultSeconds = try n.int(1...7 * day) }
        if let n = object.optional("min_seconds") { s.minSeconds = try n.int(1...7 * day) }
        if let n = object.optional("max_seconds") { s.maxSeconds = try n.int(1...30 * day) }
        if let n = object.optional("unknown_kid_min_interval_seconds") { s.unknownKidMinIntervalSeconds = try n.int(1...day) }
        if let n = object.optional("max_stale_seconds") { s.maxStaleSeconds = try n.int(1...30 * day) }
        if let n = object.optional("timeout_ms") { s.timeoutMilliseconds = try n.int(1...120_000) }
        guard s.minSeconds <= s.maxSeconds else {
            throw ConfigError(path: object.path("min_seconds"), message: "must not exceed max_seconds (\(s.maxSeconds))")
        }
        guard (s.minSeconds...s.maxSeconds).contains(s.defaultSeconds) else {
            throw ConfigError(path: object.path("default_seconds"),
                              message: "must be within min_seconds...max_seconds (\(s.minSeconds)...\(s.maxSeconds))")
        }
        return s
    }
}

extension KeySource {
    /// Reads the HMAC secret of a shared-secret source (file or environment variable) with the same
    /// rules the loader checked: one trailing newline ignored, at least 32 bytes. For the gateway.
    public func loadSharedSecret(environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ConfigError) -> [UInt8] {
        try Loader.checkedSecret(self, environment: environment, path: "hmac secret")
    }
}
