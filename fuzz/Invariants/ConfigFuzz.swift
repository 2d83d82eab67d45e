import Config

/// `config`: configuration bytes through the whole loader (parse, every section, cross-references).
///
/// Invariants: loading is deterministic (same result twice); an error names a path and a
/// message, is one line (no control characters: it is printed by `portcullis check` and logged)
/// and never contains the HMAC secret of the environment; an accepted configuration compiles
/// its access policy.
enum ConfigFuzz {
    static let secret = "fuzz-secret-value-0123456789abcdefghijkl"
    static let environment = ["PORTCULLIS_FUZZ_SECRET": secret]

    static func run(_ bytes: [UInt8]) {
        let first = load(bytes)
        FuzzCheck.require(summary(load(bytes)) == summary(first), "second load differs")
        switch first {
        case .failure(let error):
            FuzzCheck.require(!error.path.isEmpty && !error.message.isEmpty, "error without path or message: \(error)")
            FuzzCheck.require(!error.description.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F },
                              "control character in error: \(error.description.debugDescription)")
            FuzzCheck.require(!error.description.contains(secret), "error echoes the secret")
        case .success(let config):
            FuzzCheck.require((try? config.makeAccessPolicy()) != nil, "accepted configuration does not compile its policy")
        }
    }

    /// The error, or the shape of the configuration (its model is not `Equatable`).
    static func summary(_ result: Result<PortcullisConfig, ConfigError>) -> String {
        switch result {
        case .failure(let error): return error.description
        case .success(let config):
            return "\(config.listen) \(config.routes.count) \(config.upstreams.count) \(config.issuers.map(\.issuer))"
        }
    }

    static func load(_ bytes: [UInt8]) -> Result<PortcullisConfig, ConfigError> {
        do throws(ConfigError) {
            return .success(try ConfigLoader.parse(bytes: bytes, baseDirectory: "/nonexistent-fuzz", environment: environment))
        } catch {
            return .failure(error)
        }
    }
}
