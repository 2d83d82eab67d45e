/// Bounds applied before and while parsing a token.
public struct TokenLimits: Sendable, Equatable {
    /// Largest token accepted, in bytes. Default 16384 (16 KiB): real access tokens are 0.5–4 KiB;
    /// anything larger is rejected with `token_too_large` before decoding.
    public var maximumTokenBytes: Int
    /// Deepest JSON nesting in header or claims. Default 16.
    public var maximumJSONDepth: Int

    /// Limits with the documented defaults.
    public init(maximumTokenBytes: Int = 16384, maximumJSONDepth: Int = 16) {
        self.maximumTokenBytes = maximumTokenBytes
        self.maximumJSONDepth = maximumJSONDepth
    }
}
