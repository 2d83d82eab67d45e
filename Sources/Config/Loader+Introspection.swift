import FoundationEssentials

/// `issuers[].introspection` (RFC 7662).
extension Loader {
    func introspection(_ node: ConfigNode) throws(ConfigError) -> IntrospectionSettings {
        let object = try node.object(allowing: ["endpoint", "client_id", "client_secret_env", "client_secret_file",
                                                "auth_method", "cache_ttl_seconds", "negative_cache_ttl_seconds", "timeout_ms"])
        let endpointNode = try object.required("endpoint")
        let parts = try url(endpointNode, schemes: ["http", "https"])
        if parts.scheme == "http" && !Self.isLoopbackHost(parts.host) {
            throw endpointNode.error("the introspection endpoint must be https (http only on a loopback host)")
        }
        let clientID = try object.required("client_id").string()
        let secret: IntrospectionSettings.SecretSource
        switch (object.optional("client_secret_env"), object.optional("client_secret_file")) {
        case (let env?, nil):
            let name = try env.string()
            guard let value = environment[name], !value.isEmpty else { throw env.error("environment variable \(name) is not set") }
            secret = .environment(name: name)
        case (nil, let file?):
            let path = resolve(try file.string())
            guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else {
                throw file.error("cannot read secret file \(path)")
            }
            secret = .file(path: path)
        default:
            throw object.node.error("needs exactly one of client_secret_env or client_secret_file")
        }
        var settings = IntrospectionSettings(endpoint: try endpointNode.string(), clientID: clientID, secret: secret)
        if let n = object.optional("auth_method") {
            let text = try n.string()
            guard let method = IntrospectionSettings.AuthMethod(rawValue: text) else {
                throw n.error("unknown auth_method \"\(text)\"; known: "
                              + IntrospectionSettings.AuthMethod.allCases.map(\.rawValue).joined(separator: ", "))
            }
            settings.authMethod = method
        }
        if let n = object.optional("cache_ttl_seconds") { settings.cacheTTLSeconds = try n.int(1...86_400) }
        if let n = object.optional("negative_cache_ttl_seconds") { settings.negativeCacheTTLSeconds = try n.int(1...3_600) }
        if let n = object.optional("timeout_ms") { settings.timeoutMilliseconds = try n.int(1...60_000) }
        return settings
    }

    /// `localhost`, `::1` or an IPv4 literal in 127.0.0.0/8 (not a name such as `127.example.com`).
    static func isLoopbackHost(_ host: some StringProtocol) -> Bool {
        host == "localhost" || host == "::1" || (isIPv4(String(host)) && host.hasPrefix("127."))
    }
}

extension IntrospectionSettings.SecretSource {
    /// Reads the client secret (one trailing newline ignored) for the gateway. Never logged.
    public func load(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        var value: String
        switch self {
        case .environment(let name):
            guard let v = environment[name] else { return nil }
            value = v
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else { return nil }
            value = String(decoding: data, as: UTF8.self)
        }
        if value.hasSuffix("\n") { value.removeLast() }
        if value.hasSuffix("\r") { value.removeLast() }
        return value.isEmpty ? nil : value
    }
}
