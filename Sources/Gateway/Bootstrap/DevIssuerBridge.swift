import DevIssuer
import IO

/// Plain values describing a development client (keeps Config's and DevIssuer's type names apart).
public struct DevClientSpec: Sendable {
    public var id: String
    public var secret: String?
    public var grantTypes: [String]
    public var scopes: [String]
    public var redirectURIs: [String]
    /// `jwt` or `opaque`.
    public var tokenFormat: String
    public init(id: String, secret: String?, grantTypes: [String], scopes: [String], redirectURIs: [String], tokenFormat: String = "jwt") {
        self.id = id; self.secret = secret; self.grantTypes = grantTypes; self.scopes = scopes; self.redirectURIs = redirectURIs
        self.tokenFormat = tokenFormat
    }
}

/// The error of a development issuer that cannot start, with a safe message.
public struct DevIssuerSetupError: Error, CustomStringConvertible {
    public let description: String
}

enum DevIssuerBridge {
    /// Builds the development issuer service. With no clients configured, the demo clients are used.
    static func makeService(issuer: String, audience: String, accessTokenTTL: Int, keysDirectory: String?,
                            user: (sub: String, name: String, email: String), clients: [DevClientSpec],
                            clock: any Clock) throws -> DevIssuerService {
        var configuration: DevIssuerConfiguration
        if clients.isEmpty {
            configuration = DevIssuerConfiguration.demo(issuer: issuer, audience: audience, keysDirectory: keysDirectory)
            configuration.accessTokenTTL = Int64(accessTokenTTL)
        } else {
            var devClients: [DevClient] = []
            for c in clients {
                let grants = c.grantTypes.compactMap(GrantType.init(rawValue:))
                devClients.append(DevClient(id: c.id, secret: c.secret, grantTypes: grants, scopes: c.scopes, redirectURIs: c.redirectURIs,
                                            tokenFormat: AccessTokenFormat(rawValue: c.tokenFormat) ?? .jwt))
            }
            configuration = DevIssuerConfiguration(issuer: issuer, audience: audience, accessTokenTTL: Int64(accessTokenTTL),
                                                   user: DevUser(sub: user.sub, name: user.name, email: user.email),
                                                   clients: devClients, keysDirectory: keysDirectory)
        }
        do {
            return DevIssuerService(issuer: try DevIssuer(configuration: configuration), clock: clock)
        } catch {
            throw DevIssuerSetupError(description: "dev_issuer: \(error)")
        }
    }
}
