import FoundationEssentials
/// Limits, timeouts, token cache, log, demo API and development issuer.
extension Loader {
    func limits(_ node: ConfigNode) throws(ConfigError) -> Limits {
        let object = try node.object(allowing: ["max_request_line_bytes", "max_header_bytes", "max_header_count",
                                                "max_body_bytes", "max_connections"])
        var limits = Limits()
        if let n = object.optional("max_request_line_bytes") { limits.maxRequestLineBytes = try n.int(64...1_048_576) }
        if let n = object.optional("max_header_bytes") { limits.maxHeaderBytes = try n.int(256...16_777_216) }
        if let n = object.optional("max_header_count") { limits.maxHeaderCount = try n.int(1...10_000) }
        if let n = object.optional("max_body_bytes") { limits.maxBodyBytes = try n.int(0...Int.max) }
        if let n = object.optional("max_connections") { limits.maxConnections = try n.int(1...1_000_000) }
        return limits
    }

    func timeouts(_ node: ConfigNode) throws(ConfigError) -> Timeouts {
        let object = try node.object(allowing: ["header_read_ms", "idle_keepalive_ms", "shutdown_grace_ms", "drain_delay_ms"])
        var timeouts = Timeouts()
        if let n = object.optional("header_read_ms") { timeouts.headerReadMilliseconds = try n.int(1...3_600_000) }
        if let n = object.optional("idle_keepalive_ms") { timeouts.idleKeepAliveMilliseconds = try n.int(1...86_400_000) }
        if let n = object.optional("shutdown_grace_ms") { timeouts.shutdownGraceMilliseconds = try n.int(1...3_600_000) }
        if let n = object.optional("drain_delay_ms") { timeouts.drainDelayMilliseconds = try n.int(0...3_600_000) }
        return timeouts
    }

    func tokenCache(_ node: ConfigNode) throws(ConfigError) -> TokenCacheSettings {
        let object = try node.object(allowing: ["max_entries", "ttl_seconds"])
        var cache = TokenCacheSettings()
        if let n = object.optional("max_entries") { cache.maxEntries = try n.int(0...10_000_000) }
        if let n = object.optional("ttl_seconds") { cache.ttlSeconds = try n.int(1...86_400) }
        return cache
    }

    func log(_ node: ConfigNode) throws(ConfigError) -> LogSettings {
        let object = try node.object(allowing: ["level"])
        guard let levelNode = object.optional("level") else { return LogSettings() }
        let text = try levelNode.string()
        guard let level = LogLevel(rawValue: text) else {
            throw levelNode.error("unknown level \"\(text)\"; known: "
                                  + LogLevel.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return LogSettings(level: level)
    }

    /// `access_log`: `enabled` (default true), `path` (`-` = stdout, else a file, relative to the
    /// configuration's directory; its directory must exist).
    func accessLog(_ node: ConfigNode) throws(ConfigError) -> AccessLogSettings {
        let object = try node.object(allowing: ["enabled", "path"])
        var settings = AccessLogSettings()
        if let n = object.optional("enabled") { settings.enabled = try n.bool() }
        if let n = object.optional("path") {
            let path = try n.string()
            guard !path.isEmpty, !path.utf8.contains(0) else { throw n.error("path must be \"-\" (stdout) or a file path") }
            if path != "-" {
                settings.path = resolve(path)
                let directory = settings.path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
                var isDirectory = false
                guard FileManager.default.fileExists(atPath: directory.isEmpty ? "/" : directory, isDirectory: &isDirectory),
                      isDirectory else {
                    throw n.error("directory of \(settings.path) does not exist")
                }
            }
        }
        return settings
    }

    func admin(_ node: ConfigNode) throws(ConfigError) -> AdminSettings {
        let object = try node.object(allowing: ["listen", "tls"])
        var settings = AdminSettings()
        if let n = object.optional("listen") { settings.listen = try listenAddress(n) }
        if let n = object.optional("tls") { settings.tls = try tlsServer(n) }
        return settings
    }

    func demoAPI(_ node: ConfigNode) throws(ConfigError) -> DemoAPISettings {
        let object = try node.object(allowing: ["listen"])
        var settings = DemoAPISettings()
        if let n = object.optional("listen") { settings.listen = try listenAddress(n) }
        return settings
    }

    func devIssuer(_ node: ConfigNode) throws(ConfigError) -> DevIssuerSettings {
        let object = try node.object(allowing: ["listen", "issuer", "audience", "access_token_ttl_seconds",
                                                "keys_dir", "user", "clients"])
        var settings = DevIssuerSettings()
        if let n = object.optional("listen") { settings.listen = try listenAddress(n) }
        if let n = object.optional("issuer") {
            _ = try url(n, schemes: ["http", "https"])
            settings.issuer = try n.string()
        }
        if let n = object.optional("audience") { settings.audience = try n.string() }
        if let n = object.optional("access_token_ttl_seconds") { settings.accessTokenTTLSeconds = try n.int(1...86_400) }
        if let n = object.optional("keys_dir") { settings.keysDirectory = resolve(try n.string()) }
        if let n = object.optional("user") {
            let user = try n.object(allowing: ["sub", "name", "email"])
            if let v = user.optional("sub") { settings.user.sub = try v.string() }
            if let v = user.optional("name") { settings.user.name = try v.string() }
            if let v = user.optional("email") { settings.user.email = try v.string() }
        }
        if let n = object.optional("clients") {
            for item in try n.array() {
                let client = try devClient(item)
                if settings.clients.contains(where: { $0.clientID == client.clientID }) {
                    throw ConfigError(path: item.childPath("client_id"), message: "duplicate client_id \"\(client.clientID)\"")
                }
                settings.clients.append(client)
            }
        }
        return settings
    }

    private func devClient(_ node: ConfigNode) throws(ConfigError) -> DevClientSettings {
        let object = try node.object(allowing: ["client_id", "client_secret", "grant_types", "scopes", "redirect_uris", "token_format"])
        let clientID = try object.required("client_id").string()
        let secret = try object.optional("client_secret")?.string()
        let grantsNode = try object.required("grant_types")
        let grants = try grantsNode.strings(nonEmpty: true)
        for (i, grant) in grants.enumerated() where !DevClientSettings.knownGrantTypes.contains(grant) {
            throw ConfigError(path: "\(grantsNode.path)[\(i)]", message: "unknown grant type \"\(grant)\"; known: "
                              + DevClientSettings.knownGrantTypes.joined(separator: ", "))
        }
        if grants.contains("client_credentials") && secret == nil {
            throw grantsNode.error("client_credentials needs a client_secret (confidential client)")
        }
        let scopes = try object.optional("scopes").map { (n) throws(ConfigError) in try scopeList(n, nonEmpty: false) } ?? []
        var redirects: [String] = []
        if let n = object.optional("redirect_uris") {
            for item in try n.array() {
                _ = try url(item, schemes: ["http", "https"])
                redirects.append(try item.string())
            }
        }
        if grants.contains("authorization_code") && redirects.isEmpty {
            throw ConfigError(path: object.path("redirect_uris"), message: "authorization_code needs at least one redirect URI")
        }
        var format = "jwt"
        if let n = object.optional("token_format") {
            format = try n.string()
            guard DevClientSettings.knownTokenFormats.contains(format) else {
                throw n.error("unknown token_format \"\(format)\"; known: " + DevClientSettings.knownTokenFormats.joined(separator: ", "))
            }
        }
        return DevClientSettings(clientID: clientID, clientSecret: secret, grantTypes: grants, scopes: scopes,
                                 redirectURIs: redirects, tokenFormat: format)
    }
}
