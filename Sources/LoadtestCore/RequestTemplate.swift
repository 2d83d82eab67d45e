/// The bytes of one scenario request, built once, so that sending costs two appends and a token copy.
///
/// Layout: `prefix` = request line, `Host`, the scenario's headers in order, and (for bearer requests)
/// `Authorization: Bearer `; then the token; then `suffix` = line end, `Content-Length` when there is a
/// body or the method usually carries one, the blank line, and the body.
///
/// **Invariant:** every byte comes from validated input (`Scenario.decode`, `TargetURL.parse`, and
/// `TokenPool`'s shape check), so no CR or LF from a file or a token can split the request head.
public struct RequestTemplate: Sendable, Equatable {
    /// Everything before the token (or before the end of the head when there is no token).
    public let prefix: [UInt8]
    /// Everything after the token.
    public let suffix: [UInt8]
    /// Whether a token goes between `prefix` and `suffix`.
    public let bearer: Bool

    /// Methods that get `Content-Length: 0` even without a body (servers may otherwise answer 411).
    static let methodsWithBody: Set<String> = ["POST", "PUT", "PATCH"]

    /// Builds the template for `request` sent to `hostHeader` (see `TargetURL.hostHeader`).
    /// `request.path` must already be the request target as sent (see `Scenario.resolved(against:)`).
    /// `scheme` is the `Authorization` scheme of token requests (`Bearer`, or `DPoP` with a proof).
    public init(request: ScenarioRequest, hostHeader: String, scheme: String = "Bearer") {
        var head = "\(request.method) \(request.path) HTTP/1.1\r\nHost: \(hostHeader)\r\n"
        for header in request.headers { head += "\(header.name): \(header.value)\r\n" }
        var tail = ""
        if request.bearer {
            head += "Authorization: \(scheme) "
            tail = "\r\n"
        }
        if !request.body.isEmpty || Self.methodsWithBody.contains(request.method) {
            tail += "Content-Length: \(request.body.count)\r\n"
        }
        tail += "\r\n"
        prefix = Array(head.utf8)
        suffix = Array(tail.utf8) + request.body
        bearer = request.bearer
    }

    /// Appends the complete request to `buffer`. `token` is ignored unless `bearer`; a bearer template
    /// needs a token (precondition).
    ///
    /// `proof` (a DPoP proof, base64url and dots only) goes into a `DPoP` field right after the token's line.
    public func write(token: [UInt8]?, proof: [UInt8]? = nil, into buffer: inout [UInt8]) {
        buffer.append(contentsOf: prefix)
        if bearer {
            guard let token else { preconditionFailure("bearer request without a token") }
            buffer.append(contentsOf: token)
            if let proof {
                buffer.append(contentsOf: Self.proofField)
                buffer.append(contentsOf: proof)
            }
        }
        buffer.append(contentsOf: suffix)
    }

    /// Ends the `Authorization` line and starts the `DPoP` one (`suffix` ends that line).
    static let proofField: [UInt8] = Array("\r\nDPoP: ".utf8)

    /// The size of the request with a token of `tokenLength` bytes (for buffer reservations).
    public func size(tokenLength: Int) -> Int {
        prefix.count + (bearer ? tokenLength : 0) + suffix.count
    }
}
