/// A target: `http://host[:port][/path[?query]]` or `https://...` (TLS, port 443 by default), parsed
/// without Foundation's `URL` so that what is accepted is exactly what is documented.
public struct TargetURL: Sendable, Equatable, CustomStringConvertible {
    /// Host name, IPv4 literal, or IPv6 literal without brackets.
    public let host: String
    /// TCP port, 80 by default.
    public let port: UInt16
    /// Origin-form path (and query), `/` when absent.
    public let path: String
    /// `https://`: connections are TLS.
    public let isHTTPS: Bool

    /// Memberwise initializer.
    public init(host: String, port: UInt16, path: String, isHTTPS: Bool = false) {
        self.host = host
        self.port = port
        self.path = path
        self.isHTTPS = isHTTPS
    }

    /// Parses `text`. Rejects other schemes, user info, fragments, empty hosts and bad ports.
    public static func parse(_ text: String) throws(ArgumentsError) -> TargetURL {
        let isHTTPS = text.hasPrefix("https://")
        let scheme = isHTTPS ? "https://" : "http://"
        guard text.hasPrefix(scheme) else {
            if text.contains("://") {
                throw ArgumentsError(.unsupportedScheme, "\(text): only http:// and https:// are supported")
            }
            throw ArgumentsError(.invalidURL, "\(text): expected http(s)://host[:port][/path]")
        }
        let rest = text.dropFirst(scheme.count)
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var path = String(rest[authorityEnd...])
        if path.isEmpty { path = "/" } else if path.hasPrefix("?") { path = "/" + path }
        guard !authority.contains("@"), !path.contains("#"),
              path.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x7F }) else {
            throw ArgumentsError(.invalidURL, "\(text): no user info, fragment, spaces or control characters allowed")
        }
        var host = Substring(authority)
        var portText: Substring? = nil
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else {
                throw ArgumentsError(.invalidURL, "\(text): unterminated IPv6 literal")
            }
            let after = host[host.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty {
                throw ArgumentsError(.invalidURL, "\(text): unexpected text after the IPv6 literal")
            }
            host = host[host.index(after: host.startIndex)..<close]
        } else if let colon = host.lastIndex(of: ":") {
            portText = host[host.index(after: colon)...]
            host = host[..<colon]
        }
        guard !host.isEmpty, host.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x7F }) else {
            throw ArgumentsError(.invalidURL, "\(text): the host is empty or malformed")
        }
        var port: UInt16 = isHTTPS ? 443 : 80
        if let portText {
            guard let value = UInt16(portText), value > 0 else {
                throw ArgumentsError(.invalidURL, "\(text): the port must be in 1...65535")
            }
            port = value
        }
        return TargetURL(host: String(host), port: port, path: path, isHTTPS: isHTTPS)
    }

    /// The `Host` header value: the host, bracketed if IPv6, with `:port` unless it is the scheme's default.
    public var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == (isHTTPS ? 443 : 80) ? name : "\(name):\(port)"
    }

    /// The request target for a scenario path: the URL's path (without a trailing `/`) as a prefix.
    public func requestTarget(forScenarioPath scenarioPath: String) -> String {
        var prefix = path
        while prefix.hasSuffix("/") { prefix.removeLast() }
        return prefix + scenarioPath
    }

    /// `http(s)://host:port/path`.
    public var description: String { "\(isHTTPS ? "https" : "http")://\(hostHeader)\(path)" }
}
