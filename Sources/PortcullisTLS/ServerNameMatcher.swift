/// Picks the certificate for a TLS server name (SNI): exact names first, then `*.x.y` wildcards that
/// cover exactly one leftmost label (`a.x.y`, never `x.y` or `a.b.x.y`), in entry order; no match
/// and no name give the first entry (the default). Names compare case-insensitively; a trailing dot
/// is ignored.
public struct ServerNameMatcher: Sendable {
    private var exact: [String: Int] = [:]
    private var wildcards: [(suffix: String, index: Int)] = []

    /// `namesByEntry[i]` are the `server_names` of entry `i`.
    public init(namesByEntry: [[String]]) {
        for (index, names) in namesByEntry.enumerated() {
            for name in names.map(Self.canonical) {
                if name.hasPrefix("*.") {
                    wildcards.append((String(name.dropFirst(1)), index))
                } else if exact[name] == nil {
                    exact[name] = index
                }
            }
        }
    }

    /// The entry for `serverName` (0 when nothing matches or no name was sent).
    public func entry(for serverName: String?) -> Int {
        guard let serverName, !serverName.isEmpty else { return 0 }
        let name = Self.canonical(serverName)
        if let index = exact[name] { return index }
        if let dot = name.firstIndex(of: "."), dot != name.startIndex {
            let suffix = name[dot...]
            for w in wildcards where w.suffix == suffix { return w.index }
        }
        return 0
    }

    /// Whether `name` is a valid `server_names` entry: a DNS name, or `*.` followed by one with at
    /// least two labels (`*.example.com`, not `*.com`, `*x.example.com` or `a.*.example.com`).
    public static func isValid(_ name: String) -> Bool {
        var labels = name.split(separator: ".", omittingEmptySubsequences: false)
        if labels.first == "*" {
            labels.removeFirst()
            guard labels.count >= 2 else { return false }
        }
        return !labels.isEmpty && labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.utf8.allSatisfy { ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
        }
    }

    private static func canonical(_ name: String) -> String {
        let lower = name.lowercased()
        return lower.hasSuffix(".") ? String(lower.dropLast()) : lower
    }

}
