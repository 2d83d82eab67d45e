import TextCoding

/// The OAuth-style JSON error body every local answer carries.
enum ErrorBody {
    /// `{"error":..,"error_description":..[,"scope":..]}`.
    static func bytes(error: String, description: String, scope: String?) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + error.utf8.count + description.utf8.count)
        out.append(contentsOf: "{\"error\":".utf8)
        JSONText.appendString(error, to: &out)
        out.append(contentsOf: ",\"error_description\":".utf8)
        JSONText.appendString(description, to: &out)
        if let scope {
            out.append(contentsOf: ",\"scope\":".utf8)
            JSONText.appendString(scope, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }
}
