import FoundationEssentials

/// The top-level `dpop` object and `issuers[].dpop`.
extension Loader {
    func dpop(_ node: ConfigNode) throws(ConfigError) -> DPoPSettings {
        let object = try node.object(allowing: ["proof_max_age_seconds", "replay_cache_entries", "nonce_secret_env",
                                                "nonce_secret_file", "nonce_window_seconds"])
        var settings = DPoPSettings()
        if let n = object.optional("proof_max_age_seconds") { settings.proofMaxAgeSeconds = try n.int(1...3600) }
        if let n = object.optional("replay_cache_entries") { settings.replayCacheEntries = try n.int(1...10_000_000) }
        if let n = object.optional("nonce_window_seconds") { settings.nonceWindowSeconds = try n.int(1...86_400) }
        switch (object.optional("nonce_secret_env"), object.optional("nonce_secret_file")) {
        case (nil, nil): break
        case (let env?, nil):
            let name = try env.string()
            guard let value = environment[name] else { throw env.error("environment variable \(name) is not set") }
            guard value.utf8.count >= Self.minimumSecretBytes else { throw env.error("the nonce secret must be at least \(Self.minimumSecretBytes) bytes") }
            settings.nonceSecret = .environment(name: name)
        case (nil, let file?):
            let path = resolve(try file.string())
            guard let data = FileManager.default.contents(atPath: path) else { throw file.error("cannot read secret file \(path)") }
            guard data.count >= Self.minimumSecretBytes else { throw file.error("the nonce secret must be at least \(Self.minimumSecretBytes) bytes") }
            settings.nonceSecret = .file(path: path)
        default:
            throw object.node.error("at most one of nonce_secret_env or nonce_secret_file")
        }
        return settings
    }

    func dpopMode(_ node: ConfigNode) throws(ConfigError) -> DPoPMode {
        let text = try node.string()
        guard let mode = DPoPMode(rawValue: text) else {
            throw node.error("unknown dpop mode \"\(text)\"; known: " + DPoPMode.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return mode
    }
}

extension DPoPSettings.NonceSecret {
    /// The nonce key bytes (for the gateway). Never logged.
    public func load(environment: [String: String] = ProcessInfo.processInfo.environment) -> [UInt8]? {
        switch self {
        case .environment(let name): return environment[name].map { Array($0.utf8) }
        case .file(let path): return FileManager.default.contents(atPath: path).map { [UInt8]($0) }
        }
    }
}
