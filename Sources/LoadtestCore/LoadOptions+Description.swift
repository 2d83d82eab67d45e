extension LoadOptions {
    /// One line describing the load, used as the plan line and in report titles, e.g.
    /// `closed loop, 64 connections, 10 s after 2 s warm-up, tokens from t.json (valid=90 expired=10, 1 distinct)`.
    /// Never includes the client secret.
    public var summary: String {
        var parts: [String] = []
        switch mode {
        case .closedLoop: parts.append("closed loop")
        case .openLoop(let rate): parts.append("open loop at \(rate) req/s")
        }
        parts.append("\(connections) connection\(connections == 1 ? "" : "s")")
        parts.append("\(Self.seconds(durationNanoseconds)) s after \(Self.seconds(warmupNanoseconds)) s warm-up")
        if let scenarioPath { parts.append("scenario \(scenarioPath)") }
        let mixText = mix.shares.filter { $0.share > 0 }.map { "\($0.kind.rawValue)=\($0.share)" }.joined(separator: " ")
        switch tokens {
        case .none: parts.append("no tokens")
        case .file(let path): parts.append("tokens from \(path) (\(mixText), \(mix.distinctTokens) distinct)")
        case .issuer(let request): parts.append("tokens from \(request) (\(mixText), \(mix.distinctTokens) distinct)")
        }
        if dpop { parts.append("DPoP-bound, a proof per request") }
        return parts.joined(separator: ", ")
    }

    /// Nanoseconds as seconds with up to 3 decimals, trailing zeros dropped: `1_500_000_000` → `1.5`.
    static func seconds(_ nanoseconds: UInt64) -> String {
        var text = TextFormat.fixed(Double(nanoseconds) / 1e9, decimals: 3)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
