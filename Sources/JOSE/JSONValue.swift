/// A parsed JSON value (RFC 8259). Objects never hold duplicate member names: the parser
/// rejects them, so a claim cannot be read one way by us and another way by someone else.
public enum JSONValue: Sendable, Equatable {
    case object(JSONObject)
    case array([JSONValue])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    /// The member `key` of an object, else `nil`.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The string payload, if this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The numeric payload, if this is a number.
    public var numberValue: Double? {
        if case .number(let n) = self { return n }
        return nil
    }

    /// The members, if this is an object.
    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// The elements, if this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The elements as strings, if this is an array whose every element is a string.
    public var stringArrayValue: [String]? {
        guard case .array(let a) = self else { return nil }
        var out: [String] = []
        out.reserveCapacity(a.count)
        for element in a {
            guard case .string(let s) = element else { return nil }
            out.append(s)
        }
        return out
    }
}

/// Why bytes are not acceptable JSON. `offset` is a byte position (safe to log: no content).
public struct JSONParseError: Error, Sendable, Equatable {
    /// The stable cause.
    public enum Reason: String, Sendable {
        case syntax = "syntax"
        case depthExceeded = "depth_exceeded"
        case duplicateKey = "duplicate_key"
        case invalidString = "invalid_string"
        case invalidNumber = "invalid_number"
        case trailingData = "trailing_data"
    }

    public let reason: Reason
    public let offset: Int

    /// A sentence for people (configuration errors); names no content, only the cause.
    public var message: String {
        switch reason {
        case .syntax: return "syntax error"
        case .depthExceeded: return "nested too deeply"
        case .duplicateKey: return "duplicate key"
        case .invalidString: return "invalid string (bad escape, control character or UTF-8)"
        case .invalidNumber: return "invalid number"
        case .trailingData: return "unexpected data after the document"
        }
    }
}
