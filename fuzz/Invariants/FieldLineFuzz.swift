@testable import HTTP1

/// `field-line`: one field line (without its CRLF) through both splitters.
///
/// Invariants: `split` (trailers) and the one-pass `splitLine` (head sections) agree on accept,
/// reject reason and ranges; an accepted name is a non-empty token, an accepted value has no
/// leading or trailing whitespace and no control byte but HTAB; `name: value` written back
/// splits to the same name and value; the section parser yields that one field.
enum FieldLineFuzz {
    static func run(_ bytes: [UInt8]) {
        let split = result(bytes) { raw throws(HTTPParseError) in
            let line = try FieldLineParser.split(raw, line: 0..<raw.count)
            return (line.name, line.value)
        }
        if !bytes.contains(ASCII.lf) {
            let section = bytes + [ASCII.cr, ASCII.lf]
            let oneLine = result(section) { raw throws(HTTPParseError) in
                let (name, value, next) = try FieldLineParser.splitLine(raw, from: 0, sectionEnd: raw.count)
                FuzzCheck.require(next == raw.count, "splitLine ended at \(next) of \(raw.count)")
                return (name, value)
            }
            FuzzCheck.require(describe(oneLine) == describe(split), "split \(describe(split)) but splitLine \(describe(oneLine))")
            if case .success(let (name, value)) = split {
                let headers = result(section) { raw throws(HTTPParseError) in
                    try FieldLineParser.parseSection(raw, section: 0..<raw.count, count: 1)
                }
                if case .success(let parsed) = headers {
                    FuzzCheck.require(parsed.fields.count == 1 && parsed.fields[0].name == string(bytes, name)
                                      && parsed.fields[0].value == string(bytes, value), "section parse differs: \(parsed.fields)")
                } else {
                    FuzzCheck.require(false, "section parse rejects an accepted line: \(headers)")
                }
            }
        }
        guard case .success(let (name, value)) = split else { return }
        let nameBytes = Array(bytes[name]), valueBytes = Array(bytes[value])
        FuzzCheck.require(!nameBytes.isEmpty && nameBytes.allSatisfy(ASCII.isTokenChar), "name is not a token")
        FuzzCheck.require(valueBytes.first.map { $0 != ASCII.space && $0 != ASCII.tab } ?? true
                          && valueBytes.last.map { $0 != ASCII.space && $0 != ASCII.tab } ?? true, "value not trimmed")
        FuzzCheck.require(valueBytes.allSatisfy { $0 == ASCII.tab || ($0 >= 0x20 && $0 != 0x7F) }, "control byte in value")
        let written = nameBytes + Array(": ".utf8) + valueBytes
        let again = result(written) { raw throws(HTTPParseError) in
            let line = try FieldLineParser.split(raw, line: 0..<raw.count)
            return (line.name, line.value)
        }
        guard case .success(let (name2, value2)) = again else {
            return FuzzCheck.require(false, "written-back line rejected: \(again)")
        }
        FuzzCheck.require(Array(written[name2]) == nameBytes && Array(written[value2]) == valueBytes, "written-back line splits differently")
    }

    private static func string(_ bytes: [UInt8], _ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    private static func describe(_ result: Result<(Range<Int>, Range<Int>), HTTPParseError>) -> String {
        switch result {
        case .success(let (name, value)): return "accepted \(name.lowerBound)..<\(name.upperBound) \(value.lowerBound)..<\(value.upperBound)"
        case .failure(let error): return "rejected \(error.code)"
        }
    }

    /// Runs `body` over `bytes` (a `Result`, not a typed-throws closure, for the 6.3 compiler).
    static func result<T>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(HTTPParseError) -> T) -> Result<T, HTTPParseError> {
        bytes.withUnsafeBytes { raw in
            do throws(HTTPParseError) { return .success(try body(raw)) } catch { return .failure(error) }
        }
    }
}
