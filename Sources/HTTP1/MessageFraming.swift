/// Decides body framing and persistence for requests and responses (RFC 9112 6.3, 9.3).
enum MessageFraming {
    /// Framing, keep-alive and 100-continue for a request head, with every request-side rejection.
    static func request(_ head: RequestHead, limits: HTTPLimits) throws(HTTPParseError)
        -> (framing: BodyFraming, keepAlive: Bool, expectsContinue: Bool) {
        let f = try FramingFields(head.headers)
        let isHTTP11 = head.version == .http1_1
        if f.hostCount > 1 { throw HTTPParseError(.multipleHost) }
        if f.hostCount == 0 && isHTTP11 { throw HTTPParseError(.missingHost) }
        if !f.hostIsValid { throw HTTPParseError(.invalidHost) }
        let framing: BodyFraming
        switch f.transferCoding {
        case .absent:
            if let length = f.contentLength {
                if length > limits.maxBodyBytes { throw HTTPParseError(.bodyTooLarge) }
                framing = .contentLength(length)
            } else {
                framing = .none
            }
        case .chunked, .otherThenChunked, .chunkedNotFinal:
            // An HTTP/1.0 peer cannot mean chunked; a 1.0 intermediary may have passed it through.
            if !isHTTP11 { throw HTTPParseError(.transferEncodingInHTTP10) }
            if f.contentLength != nil { throw HTTPParseError(.contentLengthWithTransferEncoding) }
            if f.transferCoding == .chunkedNotFinal { throw HTTPParseError(.chunkedNotFinal) }
            if f.transferCoding == .otherThenChunked { throw HTTPParseError(.unsupportedTransferCoding) }
            framing = .chunked
        }
        let keepAlive = isHTTP11 ? !f.connectionClose : (f.connectionKeepAlive && !f.connectionClose)
        return (framing, keepAlive, isHTTP11 && f.expectContinue)
    }

    /// Framing and keep-alive for a response head to a request with method `requestMethod`.
    ///
    /// Responses to HEAD, 1xx, 204 and 304 have no body whatever their fields say, but their
    /// Content-Length / Transfer-Encoding fields are still validated. A coding other than a lone
    /// `chunked` before the final `chunked` is rejected (the gateway could not forward it faithfully).
    static func response(_ head: ResponseHead, requestMethod: String?, limits: HTTPLimits) throws(HTTPParseError)
        -> (framing: BodyFraming, keepAlive: Bool) {
        let f = try FramingFields(head.headers)
        if f.contentLength != nil && f.transferCoding != .absent {
            throw HTTPParseError(.contentLengthWithTransferEncoding)
        }
        let keepAliveByFields = head.version == .http1_1 ? !f.connectionClose : (f.connectionKeepAlive && !f.connectionClose)
        let noBody = requestMethod == "HEAD" || head.status < 200 || head.status == 204 || head.status == 304
        if noBody { return (.none, keepAliveByFields) }
        switch f.transferCoding {
        case .chunked:
            return (.chunked, keepAliveByFields)
        case .otherThenChunked:
            throw HTTPParseError(.unsupportedTransferCoding)
        case .chunkedNotFinal:
            return (.untilClose, false)
        case .absent:
            guard let length = f.contentLength else { return (.untilClose, false) }
            if length > limits.maxBodyBytes { throw HTTPParseError(.bodyTooLarge) }
            return (.contentLength(length), keepAliveByFields)
        }
    }
}
