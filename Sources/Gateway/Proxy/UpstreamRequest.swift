import HTTP1

/// Builds the request head sent upstream from the client's request and the forward plan.
enum UpstreamRequest {
    /// Header hygiene (both ways the same rules, see README "Headers"):
    /// - hop-by-hop fields are removed (Connection and what it lists, Keep-Alive, Proxy-Connection, TE,
    ///   Trailer, Upgrade, Transfer-Encoding) and framing is re-declared by us;
    /// - `Expect` is answered by the gateway itself (100 Continue after authorization), not forwarded;
    /// - the plan's removals (client-sent identity and client certificate headers, `Authorization`
    ///   when not forwarded) happen before its additions, so a client can never inject either;
    /// - `X-Forwarded-For` gets the peer appended, `X-Forwarded-Proto`/`-Host` are set, `X-Request-Id`
    ///   is set to the id returned to the client;
    /// - a client field whose name equals a dropped one once `_` is read as `-` (`X_Auth_Subject`) is
    ///   dropped too: CGI, WSGI, PHP-FPM and Rack upstreams map both spellings to the same variable
    ///   (`HTTP_X_AUTH_SUBJECT`), so an underscore alias could otherwise spoof an identity header;
    ///   so is the underscore spelling of every field the gateway interprets
    ///   (`ForwardPlan.underscoreGuarded`: `Transfer_Encoding`, `Content_Length`, `Host`, ...);
    /// - `Proxy-Authorization` is never forwarded (it is for this proxy, RFC 9110 §11.7.2).
    /// - `traceparent` is the gateway's (`TraceParent`): a client's is replaced, its `tracestate`
    ///   forwarded only when its trace-id was kept.
    static func writeHead(for request: ParsedRequest, plan: ForwardPlan, peer: String, requestID: [UInt8],
                          trace: TraceParent, https: Bool = false, into out: inout [UInt8]) {
        let h = request.head.headers
        HTTPSerializer.writeRequestLine(method: request.head.method, target: plan.target, into: &out)
        HTTPSerializer.writeForwardedFields(h, dropping: plan.dropHeaders, droppingAliases: h.anyNameContains(UInt8(ascii: "_")),
                                            aliasesOf: ForwardPlan.underscoreGuarded, into: &out)
        HTTPSerializer.writeField(known: "X-Forwarded-For", into: &out) { out in
            if HTTPSerializer.writeJoinedValues(of: h, named: "X-Forwarded-For", into: &out) {
                out.append(UInt8(ascii: ",")); out.append(UInt8(ascii: " "))
            }
            out.append(contentsOf: peer.utf8)
        }
        HTTPSerializer.writeLine(https ? "X-Forwarded-Proto: https\r\n" : "X-Forwarded-Proto: http\r\n", into: &out)
        if h.contains("Host") {   // exactly one: the parser rejects a request with several
            HTTPSerializer.writeField(known: "X-Forwarded-Host", into: &out) { HTTPSerializer.writeJoinedValues(of: h, named: "Host", into: &$0) }
        }
        requestID.withUnsafeBufferPointer { id in HTTPSerializer.writeField(known: "X-Request-Id", into: &out) { $0.append(contentsOf: id) } }
        if !trace.value.isEmpty {
            trace.value.withUnsafeBufferPointer { v in HTTPSerializer.writeField(known: "traceparent", into: &out) { $0.append(contentsOf: v) } }
            if trace.continuesClientTrace && h.contains("tracestate") {
                HTTPSerializer.writeField(known: "tracestate", into: &out) { HTTPSerializer.writeJoinedValues(of: h, named: "tracestate", into: &$0) }
            }
        }
        plan.identityFields.withUnsafeBufferPointer { out.append(contentsOf: $0) }
        if !plan.certificateFields.isEmpty { plan.certificateFields.withUnsafeBufferPointer { out.append(contentsOf: $0) } }
        if case .chunked = request.framing { HTTPSerializer.writeLine("Transfer-Encoding: chunked\r\n", into: &out) }
        HTTPSerializer.endHead(into: &out)
    }
}
