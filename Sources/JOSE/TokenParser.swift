import TextCoding
/// Step 1 of verification: strict compact-JWS parsing on bytes, no cryptography.
///
/// Invariants: exactly three `.`-separated segments (five is a JWE, rejected with `jwe`); each
/// segment strict base64url; header and claims JSON objects under the depth limit; size bounded
/// before any decoding; the header is checked (`alg none`, unknown `alg`) before the payload is
/// decoded, so junk payloads cost nothing for an obviously bad header.
public struct TokenParser: Sendable {
    /// The limits in force.
    public let limits: TokenLimits
    /// Headers already parsed by this parser, by their exact segment bytes (see `HeaderMemo`).
    let headerMemo = HeaderMemo()

    /// A parser with `limits`.
    public init(limits: TokenLimits = TokenLimits()) {
        self.limits = limits
    }

    /// Parses a token given as bytes (e.g. a slice of the `Authorization` header value).
    public func parse(_ token: UnsafeRawBufferPointer) throws(TokenRejection) -> ParsedToken {
        guard token.count <= limits.maximumTokenBytes else {
            throw TokenRejection(.tokenTooLarge, "token exceeds \(limits.maximumTokenBytes) bytes")
        }
        let (dotCount, dots) = Self.findDots(token)
        if dotCount == 4 { throw TokenRejection(.jwe, "encrypted tokens (JWE) are not accepted") }
        guard dotCount == 2 else { throw .malformed(.segmentCount, "not three segments") }

        let headerSegment = UnsafeRawBufferPointer(rebasing: token[0..<dots.first])
        let parsedHeader: JOSEHeader
        if let known = headerMemo.header(for: headerSegment) {
            parsedHeader = known
        } else {
            let header = try decodeObject(token, 0..<dots.first, encoding: .headerEncoding,
                                          json: .headerJSON, notObject: .headerNotObject, what: "header")
            parsedHeader = try JOSEHeader(header)
            headerMemo.remember(parsedHeader, for: headerSegment)
        }
        // One array holds the signing input (copied: verified exactly as received), the decoded
        // payload (which the claims read lazily) and the decoded signature. Failures are reported
        // in this order: payload encoding, claims JSON, empty signature, signature encoding.
        let inputCount = dots.second
        let payloadRange = (dots.first + 1)..<dots.second
        guard !payloadRange.isEmpty, let payloadCount = Base64URL.decodedCount(payloadRange.count) else {
            throw .malformed(.payloadEncoding, "claims is not base64url")
        }
        let signatureRange = (dots.second + 1)..<token.count
        let signatureCount = signatureRange.isEmpty ? nil : Base64URL.decodedCount(signatureRange.count)
        var payloadDecoded = false, signatureDecoded = false
        let storage = [UInt8](unsafeUninitializedCapacity: inputCount + payloadCount + (signatureCount ?? 0)) { buffer, initialized in
            let dst = buffer.baseAddress!
            if inputCount > 0 { dst.initialize(from: token.baseAddress!.assumingMemoryBound(to: UInt8.self), count: inputCount) }
            payloadDecoded = Base64URL.decode(UnsafeRawBufferPointer(rebasing: token[payloadRange]), into: dst + inputCount)
            guard payloadDecoded else { initialized = 0; return }
            if signatureCount != nil {
                signatureDecoded = Base64URL.decode(UnsafeRawBufferPointer(rebasing: token[signatureRange]), into: dst + inputCount + payloadCount)
            }
            initialized = inputCount + payloadCount + (signatureDecoded ? signatureCount ?? 0 : 0)
        }
        guard payloadDecoded else { throw .malformed(.payloadEncoding, "claims is not base64url") }
        let payload = inputCount..<(inputCount + payloadCount)
        let claims = try Self.claims(storage, payload, maximumDepth: limits.maximumJSONDepth)
        guard !signatureRange.isEmpty else { throw .malformed(.emptySignature, "signature is empty") }
        guard signatureCount != nil, signatureDecoded else { throw .malformed(.signatureEncoding, "signature is not base64url") }
        return ParsedToken(storage: storage, signingInputLength: inputCount, signatureStart: payload.upperBound,
                           header: parsedHeader, claims: claims)
    }

    /// The claims of the payload at `storage[payload]`: checked in full, members indexed, not built
    /// (see `ClaimSet`).
    static func claims(_ storage: [UInt8], _ payload: Range<Int>, maximumDepth: Int) throws(TokenRejection) -> ClaimSet {
        let claims: ClaimSet?
        do throws(JSONParseError) {
            claims = try ClaimSet.read(storage, payload, maxDepth: maximumDepth)
        } catch {
            throw .malformed(.claimsJSON, "claims is not valid JSON (\(error.reason.rawValue))")
        }
        guard let claims else { throw .malformed(.claimsNotObject, "claims is not a JSON object") }
        return claims
    }

    /// Parses a byte array.
    public func parse(_ token: [UInt8]) throws(TokenRejection) -> ParsedToken {
        let result: Result<ParsedToken, TokenRejection> = token.withUnsafeBytes { buf in
            do throws(TokenRejection) { return .success(try parse(buf)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Parses a string (tests, tools).
    public func parse(_ token: String) throws(TokenRejection) -> ParsedToken {
        try parse(Array(token.utf8))
    }

    /// Counts `.` separators and records the first two, eight bytes at a time (SWAR: a zero byte
    /// in `word ^ 0x2E2E…` marks a dot), since this scan touches every byte of every token.
    static func findDots(_ token: UnsafeRawBufferPointer) -> (count: Int, positions: (first: Int, second: Int)) {
        var dots = (first: -1, second: -1)
        var count = 0
        func record(_ i: Int) {
            if count == 0 { dots.first = i } else if count == 1 { dots.second = i }
            count += 1
        }
        var i = 0
        let n = token.count
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        while i + 8 <= n {
            let word = UInt64(littleEndian: token.loadUnaligned(fromByteOffset: i, as: UInt64.self)) ^ 0x2e2e_2e2e_2e2e_2e2e
            if (word &- ones) & ~word & highs != 0 {
                for k in i..<(i + 8) where token[k] == UInt8(ascii: ".") { record(k) }
            }
            i += 8
        }
        while i < n {
            if token[i] == UInt8(ascii: ".") { record(i) }
            i += 1
        }
        return (count, dots)
    }

    private func decodeObject(_ token: UnsafeRawBufferPointer, _ range: Range<Int>,
                              encoding: TokenRejection.MalformedReason, json: TokenRejection.MalformedReason,
                              notObject: TokenRejection.MalformedReason, what: String) throws(TokenRejection) -> JSONObject {
        guard !range.isEmpty, let decodedCount = Base64URL.decodedCount(range.count) else {
            throw .malformed(encoding, "\(what) is not base64url")
        }
        // Decoded into a scratch buffer (on the stack when small): the JSON is parsed from it and
        // never kept, so no array is allocated per segment.
        let parsed: Result<JSONValue, TokenRejection> = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(decodedCount, 1)) { scratch in
            guard Base64URL.decode(UnsafeRawBufferPointer(rebasing: token[range]), into: scratch.baseAddress!) else {
                return .failure(.malformed(encoding, "\(what) is not base64url"))
            }
            do throws(JSONParseError) {
                return .success(try JSONParser.parse(UnsafeRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(scratch)[0..<decodedCount]),
                                                     maxDepth: limits.maximumJSONDepth))
            } catch {
                return .failure(.malformed(json, "\(what) is not valid JSON (\(error.reason.rawValue))"))
            }
        }
        let value = try parsed.get()
        guard case .object(let members) = value else { throw .malformed(notObject, "\(what) is not a JSON object") }
        return members
    }
}
