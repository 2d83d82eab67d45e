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
}
