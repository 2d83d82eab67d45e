/// The command line of `loadtest`.
public enum Arguments {
    /// What the command line asks for.
    public enum Command: Sendable, Equatable {
        /// One run against one URL.
        case run(RunOptions)
        /// Direct versus gateway, interleaved.
        case overhead(OverheadOptions)
        /// Print `usage`.
        case help
    }

    /// The help text.
    public static let usage = """
        usage: loadtest [run] --url URL [load options]
               loadtest overhead --direct URL --gateway URL [--rounds N] [load options]

        load options:
          --connections N        keep-alive connections (default 64)
          --duration T           measured time, e.g. 10, 10s, 500ms, 2m (default 10s)
          --warmup T             unmeasured time before it (default 2s)
          --rate R               open loop at R requests/s in total (default: closed loop)
          --threads N            event loops (default: one per CPU loadtest may run on)
          --timeout T            connect / response timeout, counted as an error (default 5s)
          --scenario FILE        JSON request mix (default: GET of the URL's path)
          --tokens FILE          JSON token file {"valid": [...], "expired": [...], ...}
          --token-from-issuer URL --client-id ID --client-secret SECRET [--scope S] [--wrong-scope S]
                                 get tokens by client_credentials (default scope read:port_calls;
                                 wrong-scope tokens ask for --wrong-scope, default read:vessels;
                                 expired tokens come from the Portcullis dev issuer's /admin/mint)
          --distinct-tokens N    distinct tokens per kind (default 1)
          --mix SHARES           e.g. valid=90,expired=5,wrong-scope=3,bad-signature=2 (default valid=100)
          --tls-ca FILE          https:// targets: trust this CA file (default: the system store)
          --insecure             https:// targets: accept any certificate (self-signed dev certs)
                                 (every new connection makes a full TLS handshake: no resumption)
          --dpop                 DPoP (RFC 9449): tokens from --token-from-issuer are bound to a fresh key and
                                 every request carries "Authorization: DPoP" and a proof signed for it
          --json FILE            write the JSON report
          --svg FILE             write the latency chart
        """

    private static let loadOptionNames: Set<String> = [
        "connections", "threads", "timeout", "duration", "warmup", "rate", "scenario", "tokens", "token-from-issuer", "client-id",
        "client-secret", "scope", "wrong-scope", "distinct-tokens", "mix", "json", "svg", "tls-ca", "insecure", "dpop",
    ]
    /// Options that take no value.
    private static let flagNames: Set<String> = ["insecure", "dpop"]

    /// Parses the arguments after the program name.
    public static func parse(_ arguments: [String]) throws(ArgumentsError) -> Command {
        var words = arguments[...]
        if words.contains(where: { $0 == "--help" || $0 == "-h" }) || words.first == "help" { return .help }
        let isOverhead = words.first == "overhead"
        if isOverhead || words.first == "run" { words = words.dropFirst() }
        let allowed = loadOptionNames.union(isOverhead ? ["direct", "gateway", "rounds"] : ["url"])
        let values = try collect(words, allowed: allowed)
        let load = try loadOptions(values)
        if isOverhead {
            let rounds = try values["rounds"].map { (text) throws(ArgumentsError) in try integer(text, "--rounds", 1...100) } ?? 3
            return .overhead(OverheadOptions(direct: try TargetURL.parse(try required(values, "direct")),
                                             gateway: try TargetURL.parse(try required(values, "gateway")),
                                             rounds: rounds, load: load))
        }
        return .run(RunOptions(url: try TargetURL.parse(try required(values, "url")), load: load))
    }

    /// Reads `--name value` and `--name=value` pairs, rejecting unknown, repeated and valueless options.
    static func collect(_ words: ArraySlice<String>, allowed: Set<String>) throws(ArgumentsError) -> [String: String] {
        var values: [String: String] = [:]
        var index = words.startIndex
        while index < words.endIndex {
            let word = words[index]
            guard word.hasPrefix("--"), word.count > 2 else {
                throw ArgumentsError(.unexpectedArgument, "unexpected argument \"\(word)\" (see --help)")
            }
            var name = String(word.dropFirst(2))
            var value: String
            if let equals = name.firstIndex(of: "=") {
                value = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            } else if flagNames.contains(name) {
                value = "true"
            } else {
                index += 1
                guard index < words.endIndex else { throw ArgumentsError(.missingValue, "--\(name) needs a value") }
                value = words[index]
            }
            guard allowed.contains(name) else { throw ArgumentsError(.unknownOption, "unknown option --\(name) (see --help)") }
            guard values[name] == nil else { throw ArgumentsError(.duplicateOption, "--\(name) is given twice") }
            values[name] = value
            index += 1
        }
        return values
    }

    private static func required(_ values: [String: String], _ name: String) throws(ArgumentsError) -> String {
        guard let value = values[name] else { throw ArgumentsError(.missingOption, "--\(name) is required") }
        return value
    }
}
