import PortcullisCrypto

extension IssuerCore {
    /// User codes use 20 consonants (RFC 8628 §6.1: no vowels, no look-alikes), 8 characters:
    /// 20^8 ≈ 2^34.6 codes, shown as `XXXX-XXXX`.
    static let userCodeAlphabet = Array("BCDFGHJKLMNPQRSTVWXZ".utf8)

    /// `POST /oauth/device_authorization` (RFC 8628 §3.1–3.2).
    mutating func deviceAuthorization(_ request: DevRequest, now: Int64) -> DevResponse {
        guard request.method == "POST" else { return .methodNotAllowed("POST") }
        do {
            let parameters = try OAuthParameters.body(request, allowJSON: false)
            let client = try authenticateClient(request, parameters)
            guard client.allows(.deviceCode) else {
                throw OAuthError(.unauthorizedClient, "The client is not authorized to use the device authorization grant.")
            }
            let scopes = try Self.resolveScopes(parameters["scope"], allowed: client.scopes)
            let deviceCode = Self.randomToken()
            var userCode = Self.newUserCode()
            while userCodes[userCode] != nil { userCode = Self.newUserCode() }
            let digest = Self.digest(deviceCode)
            deviceGrants[digest] = DeviceGrant(clientID: client.id, scopes: scopes, userCode: userCode,
                                               expiresAt: now + configuration.deviceCodeTTL,
                                               interval: configuration.devicePollInterval)
            userCodes[userCode] = digest
            let display = Self.displayUserCode(userCode)
            let verificationURI = configuration.issuer + "/device"
            return .json(200, [
                "device_code": deviceCode, "user_code": display,
                "verification_uri": verificationURI,
                "verification_uri_complete": FormEncoding.appendingQuery(verificationURI, [("user_code", display)]),
                "expires_in": Int(configuration.deviceCodeTTL), "interval": Int(configuration.devicePollInterval),
            ])
        } catch let error as OAuthError {
            return error.response(realm: configuration.issuer)
        } catch {
            return OAuthError(.serverError, "The device authorization failed.").response(realm: configuration.issuer)
        }
    }

    /// The device-code grant (RFC 8628 §3.4–3.5): `expired_token` after `deviceCodeTTL`,
    /// `access_denied` once denied, tokens once approved (single use), otherwise
    /// `authorization_pending` — or `slow_down` (and the interval grows by 5 s) when the client
    /// polls sooner than its interval.
    mutating func redeemDeviceCode(_ client: DevClient, _ parameters: OAuthParameters, now: Int64) throws -> DevResponse {
        guard let deviceCode = parameters["device_code"] else {
            throw OAuthError(.invalidRequest, "The device_code parameter is required.")
        }
        let key = Self.digest(deviceCode)
        guard var grant = deviceGrants[key], grant.clientID == client.id else {
            throw OAuthError(.invalidGrant, "The device code is invalid.")
        }
        guard now < grant.expiresAt else { throw OAuthError(.expiredToken, "The device code has expired.") }
        switch grant.status {
        case .denied:
            throw OAuthError(.accessDenied, "The user denied the authorization request.")
        case .redeemed:
            throw OAuthError(.invalidGrant, "The device code was already used.")
        case .approved:
            grant.status = .redeemed
            deviceGrants[key] = grant
            let subject = configuration.user.sub
            let familyID = startFamily(client: client, subject: subject, scopes: grant.scopes)
            return try issueTokens(client: client, subject: subject, scopes: grant.scopes, familyID: familyID, now: now)
        case .pending:
            let tooSoon = grant.lastPolledAt.map { now - $0 < grant.interval } ?? false
            grant.lastPolledAt = now
            if tooSoon { grant.interval += 5 }
            deviceGrants[key] = grant
            if tooSoon {
                throw OAuthError(.slowDown, "Polling too fast; wait \(grant.interval) seconds between requests.")
            }
            throw OAuthError(.authorizationPending, "The user has not yet completed the authorization.")
        }
    }

    /// Approves or denies the pending device grant with `userCode` as the development user.
    /// Returns nil when no pending, unexpired grant has that code.
    mutating func decideDeviceGrant(userCode: String, approve: Bool, now: Int64) -> Bool {
        guard let normalized = Self.normalizeUserCode(userCode), let digest = userCodes[normalized],
              var grant = deviceGrants[digest], grant.status == .pending, now < grant.expiresAt else { return false }
        grant.status = approve ? .approved : .denied
        deviceGrants[digest] = grant
        return true
    }

    /// A fresh 8-character user code (rejection sampling keeps it uniform).
    static func newUserCode() -> String {
        var out: [UInt8] = []
        while out.count < 8 {
            for byte in SecureRandom.bytes(16) where byte < 240 && out.count < 8 {
                out.append(userCodeAlphabet[Int(byte) % userCodeAlphabet.count])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `WDJBMJHT` → `WDJB-MJHT`.
    static func displayUserCode(_ code: String) -> String {
        String(code.prefix(4)) + "-" + String(code.dropFirst(4))
    }

    /// What the user typed, upper-cased without separators; nil unless 8 alphabet characters remain.
    static func normalizeUserCode(_ typed: String) -> String? {
        let kept = typed.uppercased().utf8.filter { $0 != UInt8(ascii: "-") && $0 != UInt8(ascii: " ") }
        guard kept.count == 8, kept.allSatisfy(userCodeAlphabet.contains) else { return nil }
        return String(decoding: kept, as: UTF8.self)
    }
}
