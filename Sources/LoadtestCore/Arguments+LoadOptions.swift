extension Arguments {
    /// Interprets the load options shared by both commands.
    static func loadOptions(_ values: [String: String]) throws(ArgumentsError) -> LoadOptions {
        var load = LoadOptions()
        if let text = values["connections"] { load.connections = try integer(text, "--connections", 1...100_000) }
        if let text = values["duration"] {
            load.durationNanoseconds = try duration(text, "--duration")
            guard load.durationNanoseconds > 0 else { throw ArgumentsError(.invalidValue, "--duration must be positive") }
        }
        load.tlsCAFile = values["tls-ca"]
        if let flag = values["insecure"] {
            guard flag == "true" else { throw ArgumentsError(.invalidValue, "--insecure takes no value") }
            guard load.tlsCAFile == nil else { throw ArgumentsError(.conflictingOptions, "--insecure and --tls-ca exclude each other") }
            load.tlsInsecure = true
        }
        if let text = values["threads"] { load.threads = try integer(text, "--threads", 1...256) }
        if let text = values["timeout"] {
            load.timeoutNanoseconds = try duration(text, "--timeout")
            guard load.timeoutNanoseconds > 0 else { throw ArgumentsError(.invalidValue, "--timeout must be positive") }
        }
        if let text = values["warmup"] { load.warmupNanoseconds = try duration(text, "--warmup") }
        if let text = values["rate"] { load.mode = .openLoop(requestsPerSecond: UInt64(try integer(text, "--rate", 1...10_000_000))) }
        load.scenarioPath = try nonEmpty(values, "scenario")
        load.jsonPath = try nonEmpty(values, "json")
        load.svgPath = try nonEmpty(values, "svg")
        load.tokens = try tokenSource(values)

        let distinct = try values["distinct-tokens"].map { (text) throws(ArgumentsError) in
            try integer(text, "--distinct-tokens", 1...1_000_000)
        } ?? 1
        do {
            let shares = try values["mix"].map { (text) throws(TokenMixError) in try TokenMix.parseShares(text) } ?? [.valid: 1]
            load.mix = try TokenMix(shares: shares, distinctTokens: distinct)
        } catch {
            throw ArgumentsError(.invalidValue, "--mix: \(error.detail)")
        }
        if let flag = values["dpop"] {
            guard flag == "true" else { throw ArgumentsError(.invalidValue, "--dpop takes no value") }
            guard case .issuer = load.tokens else {
                throw ArgumentsError(.conflictingOptions, "--dpop needs --token-from-issuer (tokens are bound to loadtest's own key)")
            }
            load.dpop = true
        }
        if load.tokens == .none, values["mix"] != nil || values["distinct-tokens"] != nil {
            throw ArgumentsError(.conflictingOptions, "--mix and --distinct-tokens need --tokens or --token-from-issuer")
        }
        return load
    }

    private static func tokenSource(_ values: [String: String]) throws(ArgumentsError) -> TokenSource {
        let issuerOnly = ["client-id", "client-secret", "scope", "wrong-scope"].filter { values[$0] != nil }
        if let path = try nonEmpty(values, "tokens") {
            guard values["token-from-issuer"] == nil else {
                throw ArgumentsError(.conflictingOptions, "--tokens and --token-from-issuer exclude each other")
            }
            guard issuerOnly.isEmpty else {
                throw ArgumentsError(.conflictingOptions, "--\(issuerOnly[0]) only goes with --token-from-issuer")
            }
            return .file(path: path)
        }
        guard let issuer = values["token-from-issuer"] else {
            guard issuerOnly.isEmpty else {
                throw ArgumentsError(.conflictingOptions, "--\(issuerOnly[0]) only goes with --token-from-issuer")
            }
            return .none
        }
        guard let clientID = try nonEmpty(values, "client-id") else {
            throw ArgumentsError(.missingOption, "--token-from-issuer needs --client-id")
        }
        guard let secret = values["client-secret"], !secret.isEmpty else {
            throw ArgumentsError(.missingOption, "--token-from-issuer needs a non-empty --client-secret")
        }
        let scope = try nonEmpty(values, "scope") ?? "read:port_calls"
        let wrongScope = try nonEmpty(values, "wrong-scope") ?? "read:vessels"
        return .issuer(IssuerTokenRequest(url: try TargetURL.parse(issuer), clientID: clientID, clientSecret: secret,
                                          scope: scope, wrongScope: wrongScope))
    }

    private static func nonEmpty(_ values: [String: String], _ name: String) throws(ArgumentsError) -> String? {
        guard let value = values[name] else { return nil }
        guard !value.isEmpty else { throw ArgumentsError(.invalidValue, "--\(name) must not be empty") }
        return value
    }

    /// A decimal integer within `range`.
    static func integer(_ text: String, _ option: String, _ range: ClosedRange<Int>) throws(ArgumentsError) -> Int {
        guard let value = Int(text), range.contains(value) else {
            throw ArgumentsError(.invalidValue, "\(option) must be an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    /// A duration: a decimal number with an optional unit `ms`, `s` (default) or `m`, at most 24 h, in
    /// nanoseconds. Parsed with integers (up to 9 decimals) so `0.1s` is exactly 100 ms.
    static func duration(_ text: String, _ option: String) throws(ArgumentsError) -> UInt64 {
        let invalid = ArgumentsError(.invalidValue, "\(option) must be a duration such as 10, 10s, 500ms or 2m, at most 24h")
        var number = Substring(text)
        var unit: UInt64 = 1_000_000_000
        if number.hasSuffix("ms") { unit = 1_000_000; number = number.dropLast(2) }
        else if number.hasSuffix("s") { number = number.dropLast() }
        else if number.hasSuffix("m") { unit = 60_000_000_000; number = number.dropLast() }
        let parts = number.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].count <= 6,
              parts.allSatisfy({ $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }),
              let whole = UInt64(parts[0]) else { throw invalid }
        var nanoseconds = whole * unit
        if parts.count == 2 {
            let fraction = parts[1]
            guard !fraction.isEmpty, fraction.count <= 9, let digits = UInt64(fraction) else { throw invalid }
            var scale: UInt64 = 1
            for _ in 0..<fraction.count { scale *= 10 }
            nanoseconds += UInt64(UInt128(digits) * UInt128(unit) / UInt128(scale))
        }
        guard nanoseconds <= 86_400_000_000_000 else { throw invalid }
        return nanoseconds
    }
}
