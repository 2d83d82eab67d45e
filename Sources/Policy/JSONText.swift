/// Minimal JSON writing for error bodies: correct string escaping, no Foundation.
public enum JSONText {
    /// Appends `text` as a JSON string literal (quotes included). `"`, `\` and every control
    /// character are escaped; other characters pass through as UTF-8.
    public static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20, 0x7F:
                out.append(contentsOf: "\\u00".utf8)
                out.append(ByteClass.upperHex(byte >> 4))
                out.append(ByteClass.upperHex(byte & 0xF))
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `{"error":..,"error_description":..[,"scope":..]}`.
    static func errorBody(error: String, description: String, scope: String?) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + error.utf8.count + description.utf8.count)
        out.append(contentsOf: "{\"error\":".utf8)
        appendString(error, to: &out)
        out.append(contentsOf: ",\"error_description\":".utf8)
        appendString(description, to: &out)
        if let scope {
            out.append(contentsOf: ",\"scope\":".utf8)
            appendString(scope, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }
}
