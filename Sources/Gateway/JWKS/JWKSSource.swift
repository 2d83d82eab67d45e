import FoundationEssentials

/// Where one issuer's key set comes from (exactly one per issuer).
public enum JWKSSource: Sendable, Equatable {
    /// `jwks_uri`: an http or https URL serving the JWKS document.
    case url(URL)
    /// `discovery: true`: GET `<issuer>/.well-known/openid-configuration`, check its `issuer`
    /// equals ours, then fetch its `jwks_uri` (https whenever the issuer is https).
    case discovery(issuer: String)
    /// `jwks_file`: a local file, re-read at every refresh (so rotation works offline).
    case file(path: String)
    /// Inline `jwks`: fixed bytes from the configuration.
    case inline([UInt8])
}

/// A fetched JWKS document before parsing.
public struct JWKSDocument: Sendable, Equatable {
    /// The raw document.
    public var bytes: [UInt8]
    /// `Cache-Control: max-age` in seconds, if the response carried one.
    public var maxAge: Double?

    /// A document as received.
    public init(bytes: [UInt8], maxAge: Double?) {
        self.bytes = bytes
        self.maxAge = maxAge
    }
}
