/// Why a message was rejected. One `Code` per cause; the code's raw value is stable and is
/// meant for logs and metric labels. `description` is short, safe and never echoes input bytes.
///
/// After a parser throws, the connection's framing is unknown: the caller must answer with
/// `status` (requests) or 502 (responses) and close the connection. The parser keeps
/// throwing the same error if called again.
public struct HTTPParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The distinct causes of rejection.
    public enum Code: String, Sendable, CaseIterable {
        // Start lines.
        case invalidMethod, invalidRequestLine, invalidRequestTarget, unsupportedTargetForm
        case invalidVersion, unsupportedVersion, bareLineFeed, requestLineTooLong
        case invalidStatusLine, statusLineTooLong, unexpectedSwitchingProtocols
        // Field sections.
        case headerSectionTooLarge, tooManyHeaders, invalidFieldName, missingColon
        case whitespaceBeforeColon, obsFold, invalidFieldValue
        case missingHost, multipleHost, invalidHost
        // Framing.
        case contentLengthWithTransferEncoding, invalidContentLength, multipleContentLength
        case transferEncodingInHTTP10, chunkedNotFinal, unsupportedTransferCoding
        // Bodies.
        case invalidChunkSize, chunkLineTooLong, invalidChunkExtension, invalidChunkFraming
        case trailerSectionTooLarge, framingFieldInTrailer, bodyTooLarge, prematureEnd
    }

    /// The cause.
    public let code: Code

    /// Creates an error for `code`.
    public init(_ code: Code) { self.code = code }

    /// The HTTP status a server answers with: 400, 413, 414, 431, 501 or 505.
    /// Response-only causes carry 502; the gateway maps every upstream parse error to 502 anyway.
    public var status: Int {
        switch code {
        case .requestLineTooLong: return 414
        case .headerSectionTooLarge, .tooManyHeaders, .trailerSectionTooLarge: return 431
        case .bodyTooLarge: return 413
        case .unsupportedTransferCoding: return 501
        case .unsupportedVersion: return 505
        case .invalidStatusLine, .statusLineTooLong, .unexpectedSwitchingProtocols: return 502
        default: return 400
        }
    }

    /// A short human explanation, safe to log and to send.
    public var description: String {
        switch code {
        case .invalidMethod: return "method is not a token"
        case .invalidRequestLine: return "request line is not method SP target SP version"
        case .invalidRequestTarget: return "request target contains a forbidden character"
        case .unsupportedTargetForm: return "only origin-form targets (and * for OPTIONS) are accepted"
        case .invalidVersion: return "malformed HTTP version"
        case .unsupportedVersion: return "HTTP version not supported"
        case .bareLineFeed: return "line ends with LF without CR"
        case .requestLineTooLong: return "request line too long"
        case .invalidStatusLine: return "malformed status line"
        case .statusLineTooLong: return "status line too long"
        case .unexpectedSwitchingProtocols: return "unrequested protocol switch"
        case .headerSectionTooLarge: return "header section too large"
        case .tooManyHeaders: return "too many header fields"
        case .invalidFieldName: return "field name is not a token"
        case .missingColon: return "field line without colon"
        case .whitespaceBeforeColon: return "whitespace between field name and colon"
        case .obsFold: return "obsolete line folding"
        case .invalidFieldValue: return "field value contains a control character"
        case .missingHost: return "HTTP/1.1 request without Host"
        case .multipleHost: return "more than one Host field"
        case .invalidHost: return "malformed Host field"
        case .contentLengthWithTransferEncoding: return "Content-Length and Transfer-Encoding both present"
        case .invalidContentLength: return "malformed Content-Length"
        case .multipleContentLength: return "more than one Content-Length value"
        case .transferEncodingInHTTP10: return "Transfer-Encoding in an HTTP/1.0 message"
        case .chunkedNotFinal: return "chunked is not the final and only-once transfer coding"
        case .unsupportedTransferCoding: return "transfer coding not supported"
        case .invalidChunkSize: return "malformed chunk size"
        case .chunkLineTooLong: return "chunk size line too long"
        case .invalidChunkExtension: return "malformed chunk extension"
        case .invalidChunkFraming: return "chunk data not followed by CRLF"
        case .trailerSectionTooLarge: return "trailer section too large"
        case .framingFieldInTrailer: return "Content-Length or Transfer-Encoding in a trailer section"
        case .bodyTooLarge: return "body too large"
        case .prematureEnd: return "connection closed before the message was complete"
        }
    }
}
