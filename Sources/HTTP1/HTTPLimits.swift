/// Size limits the parsers enforce while bytes arrive, so that a slow or hostile peer
/// can never make the caller buffer an unbounded head.
///
/// Defaults:
/// - `maxRequestLineBytes` = 8192: the request (or status) line without its CRLF, counting any
///   empty lines tolerated before it. Exceeded -> `requestLineTooLong` (414) / `statusLineTooLong`.
/// - `maxHeaderBytes` = 32768: the whole field section after the start line, including the
///   CRLFs and the empty line. Exceeded -> `headerSectionTooLarge` (431). Also bounds trailers.
/// - `maxHeaderCount` = 100: field lines in the head. Exceeded -> `tooManyHeaders` (431).
///   Also bounds trailer field lines.
/// - `maxBodyBytes` = 1 GiB: a Content-Length above it, or a chunked body whose running
///   total goes above it -> `bodyTooLarge` (413).
/// - `maxChunkLineBytes` = 4096: one chunk-size line including extensions, without CRLF.
///   Exceeded -> `chunkLineTooLong` (400).
///
/// Every limit is checked as soon as it is exceeded, even while the item is incomplete.
public struct HTTPLimits: Sendable, Equatable {
    /// Longest accepted request / status line in bytes (default 8192).
    public var maxRequestLineBytes = 8192
    /// Largest accepted field section in bytes (default 32768).
    public var maxHeaderBytes = 32768
    /// Most field lines accepted in one head (default 100).
    public var maxHeaderCount = 100
    /// Largest accepted body in bytes (default 1 GiB).
    public var maxBodyBytes = 1 << 30
    /// Longest accepted chunk-size line, extensions included (default 4096).
    public var maxChunkLineBytes = 4096

    /// Creates limits with the documented defaults.
    public init() {}
}
