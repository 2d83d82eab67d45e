import HTTP1

/// Builds the request head sent upstream from the client's request and the forward plan.
enum UpstreamRequest {
    /// Header hygiene (both ways the same rules, see README "Headers"):
    /// - hop-by-hop fields are removed (Connection and what it lists, Keep-Alive, Proxy-Connection, TE,
    ///   Trailer, Upgrade, Transfer-Encoding) and framing is re-declared by us;
    /// - `Expect` is answered by the gateway itself (100 Continue after authorization), not forwarded;
    /// - the plan's removals (client-sent identity headers, `Authorization` when not forwarded) happen
    ///   before its additions, so a client can never inject an identity header;
    /// - `X-Forwarded-For` gets the peer appended, `X-Forwarded-Proto`/`-Host` are set, `X-Request-Id`
    ///   is set to the id returned to the client.
    static func head(for request: ParsedRequest, plan: ForwardPlan, peer: String, requestID: String) -> [UInt8] {
        var h = request.head.headers
        h.removeHopByHop()
        h.remove("Expect")
        for name in plan.removeHeaders { h.remove(name) }
        if h.anyNameContains(UInt8(ascii: "_")) { removeUnderscoreAliases(of: plan.removeHeaders + gatewayOwned, from: &h) }
        let priorFor = h.values("X-Forwarded-For")
        h.remove("X-Forwarded-For")
        h.append("X-Forwarded-For", priorFor.isEmpty ? peer : priorFor.joined(separator: ", ") + ", " + peer)
        h.replaceOrAppend("X-Forwarded-Proto", "http")
        if let host = request.head.headers.first("Host") { h.replaceOrAppend("X-Forwarded-Host", host) }
        h.replaceOrAppend("X-Request-Id", requestID)
        for (n, v) in plan.addHeaders { h.append(n, v) }
        if case .chunked = request.framing { h.append("Transfer-Encoding", "chunked") }
        var out: [UInt8] = []
        out.reserveCapacity(512)
        HTTPSerializer.writeRequestHead(RequestHead(method: request.head.method, target: plan.target, version: .http1_1, headers: h), into: &out)
        return out
    }

    /// Headers the gateway sets itself; a client-sent alias of them is never forwarded.
    static let gatewayOwned = ["x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-request-id"]

    /// Removes client fields whose name equals a protected name once `_` is read as `-`
    /// (`X_Auth_Subject`): CGI, WSGI, PHP-FPM and Rack upstreams map both spellings to the same
    /// variable (`HTTP_X_AUTH_SUBJECT`), so an underscore alias could otherwise spoof an identity header.
    static func removeUnderscoreAliases(of protected: [String], from h: inout HTTPHeaders) {
        let names = Set(protected.map { $0.lowercased() })
        let aliases = h.fields.compactMap { field -> String? in
            guard field.name.utf8.contains(UInt8(ascii: "_")) else { return nil }
            let normalized = String(field.name.lowercased().map { $0 == "_" ? "-" : $0 })
            return names.contains(normalized) ? field.name : nil
        }
        for name in aliases { h.remove(name) }
    }
}
