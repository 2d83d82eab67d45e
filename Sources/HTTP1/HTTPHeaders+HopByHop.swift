extension HTTPHeaders {
    /// Fields that describe one connection and must never be forwarded (RFC 9110 7.6.1).
    static let hopByHopNames: [String] = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
    ]

    /// Fields a peer may not get removed by listing them in `Connection`.
    ///
    /// Security invariant: `Connection: content-length` must not make the proxy drop the framing
    /// of a body it forwards (a request smuggling vector), and `Connection: host` must not strip
    /// the routing authority.
    static let protectedNames: [String] = ["content-length", "host"]

    /// Removes hop-by-hop fields (RFC 9110 7.6.1): `Connection` and every field it names,
    /// `Keep-Alive`, `Proxy-Connection`, `TE`, `Trailer`, `Transfer-Encoding`, `Upgrade`.
    /// `Content-Length` and `Host` are kept even when `Connection` names them.
    public mutating func removeHopByHop() {
        var nominated: [Substring] = []
        for field in fields where field.hasName("connection") {
            _ = ASCII.anyListElement(field.value.utf8) { element in
                let name = Substring(element)
                if !Self.protectedNames.contains(where: { ASCII.equalsIgnoringCase($0.utf8, name.utf8) }) {
                    nominated.append(name)
                }
                return false
            }
        }
        fields.removeAll { field in
            Self.hopByHopNames.contains { ASCII.equalsIgnoringCase(field.name.utf8, $0.utf8) }
                || nominated.contains { ASCII.equalsIgnoringCase(field.name.utf8, $0.utf8) }
        }
    }
}
