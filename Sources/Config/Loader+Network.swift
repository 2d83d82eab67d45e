import PortcullisTLS

/// Addresses, URLs and upstreams.
extension Loader {
    /// `host:port` with an IPv4 literal, `[IPv6]` or `localhost`; port 0...65535.
    func listenAddress(_ node: ConfigNode) throws(ConfigError) -> ListenAddress {
        let text = try node.string()
        guard let colon = text.lastIndex(of: ":") else { throw node.error("expected host:port, got \"\(text)\"") }
        var host = String(text[..<colon])
        let portText = text[text.index(after: colon)...]
        guard let port = Int(portText), (0...65535).contains(port), portText.allSatisfy(\.isNumber) else {
            throw node.error("invalid port \"\(portText)\" (expected 0...65535)")
        }
        if host.hasPrefix("[") && host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
            guard !host.isEmpty, host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                throw node.error("invalid IPv6 address \"\(host)\"")
            }
        } else if host != "localhost" && !Self.isIPv4(host) {
            throw node.error("host must be an IPv4 address, [IPv6] or localhost, got \"\(host)\"")
        }
        return ListenAddress(host: host, port: UInt16(port))
    }

    static func isIPv4(_ host: String) -> Bool {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCII) && part.allSatisfy(\.isNumber)
                && Int(part)! <= 255 && !(part.count > 1 && part.first == "0")
        }
    }

    /// Splits `scheme://host[:port]rest` with a lowercase `http`/`https` scheme; no user info or fragment.
    func url(_ node: ConfigNode, schemes: [String]) throws(ConfigError) -> (scheme: String, host: String, port: Int?, rest: Substring) {
        let text = try node.string()
        guard let schemeEnd = text.firstRange(of: "://") else { throw node.error("expected a URL, got \"\(text)\"") }
        let scheme = String(text[..<schemeEnd.lowerBound])
        guard schemes.contains(scheme) else {
            throw node.error("URL scheme must be \(schemes.joined(separator: " or ")), got \"\(text)\"")
        }
        let afterScheme = text[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex(where: Self.endsAuthority) ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        let rest = afterScheme[authorityEnd...]
        guard !authority.contains("@") else { throw node.error("URL must not contain user info") }
        guard !rest.contains("#"), text.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw node.error("invalid URL \"\(text)\"")
        }
        var host = authority
        var port: Int? = nil
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            host = authority[..<colon]
            let portText = authority[authority.index(after: colon)...]
            guard let value = Int(portText), (1...65535).contains(value), portText.utf8.allSatisfy(Self.isDigit) else {
                throw node.error("invalid port in URL \"\(text)\"")
            }
            port = value
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        guard !host.isEmpty, host.utf8.allSatisfy(Self.isHostByte) else {
            throw node.error("invalid host in URL \"\(text)\"")
        }
        return (scheme, String(host), port, rest)
    }

    private static func endsAuthority(_ c: Character) -> Bool { c == "/" || c == "?" || c == "#" }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// Letters, digits, `.`, `-` and `:` (IPv6).
    private static func isHostByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte == 0x2E || byte == 0x2D || byte == 0x3A
    }

    func upstreams(_ node: ConfigNode) throws(ConfigError) -> [String: UpstreamSettings] {
        let entries = try node.map()
        guard !entries.isEmpty else { throw node.error("must name at least one upstream") }
        var result: [String: UpstreamSettings] = [:]
        for (name, child) in entries {
            guard name.utf8.allSatisfy({ ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39)
                                          || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E }), !name.isEmpty else {
                throw child.error("upstream names use letters, digits, '.', '-' and '_'")
            }
            result[name] = try upstream(name, child)
        }
        return result
    }

    private func upstream(_ name: String, _ node: ConfigNode) throws(ConfigError) -> UpstreamSettings {
        let object = try node.object(allowing: ["targets", "connect_timeout_ms", "response_timeout_ms",
                                                "max_idle_per_target", "fail_timeout_seconds", "max_fails", "tls"])
        var targets: [UpstreamTarget] = []
        var scheme: String?
        for item in try object.required("targets").array(nonEmpty: true) {
            let parts = try url(item, schemes: ["http", "https"])
            guard parts.rest.isEmpty || parts.rest == "/" else {
                throw item.error("a target is http(s)://host[:port] without path or query")
            }
            guard scheme == nil || scheme == parts.scheme else { throw item.error("all targets of an upstream use the same scheme") }
            scheme = parts.scheme
            let target = UpstreamTarget(host: parts.host, port: UInt16(parts.port ?? (parts.scheme == "https" ? 443 : 80)),
                                        https: parts.scheme == "https")
            if targets.contains(target) { throw item.error("duplicate target") }
            targets.append(target)
        }
        var settings = UpstreamSettings(name: name, targets: targets)
        if scheme == "https" {
            settings.tls = try object.optional("tls").map { (n) throws(ConfigError) in try tlsClient(n) } ?? TLSClientSettings()
        } else if let n = object.optional("tls") {
            throw n.error("needs https:// targets")
        }
        if let n = object.optional("connect_timeout_ms") { settings.connectTimeoutMilliseconds = try n.int(1...600_000) }
        if let n = object.optional("response_timeout_ms") { settings.responseTimeoutMilliseconds = try n.int(1...86_400_000) }
        if let n = object.optional("max_idle_per_target") { settings.maxIdlePerTarget = try n.int(0...100_000) }
        if let n = object.optional("fail_timeout_seconds") { settings.failTimeoutSeconds = try n.int(1...86_400) }
        if let n = object.optional("max_fails") { settings.maxFails = try n.int(1...1000) }
        return settings
    }
}
