#if canImport(Glibc)
import Glibc
#endif
import TextCoding

/// Log levels, most verbose first.
public enum LogLevel: Int, Sendable, Comparable, CaseIterable {
    case debug, info, warning, error
    public static func < (a: LogLevel, b: LogLevel) -> Bool { a.rawValue < b.rawValue }
    public var name: String { ["debug", "info", "warning", "error"][rawValue] }
    public init?(name: String) {
        guard let l = LogLevel.allCases.first(where: { $0.name == name }) else { return nil }
        self = l
    }
}

/// Structured logging as one JSON object per line on stderr, `ts` in RFC 3339 UTC with milliseconds.
/// A line is written with a single `write(2)`, so lines from several loops never interleave.
///
/// Security invariant: callers pass failure *codes* and safe descriptions, never token bytes,
/// secrets or keys. Field values are JSON-escaped, so a hostile value cannot forge fields.
public struct Logger: Sendable {
    public var minimumLevel: LogLevel
    public let component: String
    private let fd: Int32

    public init(component: String, minimumLevel: LogLevel = .info, fd: Int32 = 2) {
        self.component = component
        self.minimumLevel = minimumLevel
        self.fd = fd
    }

    public func debug(_ message: String, _ fields: [(String, String)] = []) { log(.debug, message, fields) }
    public func info(_ message: String, _ fields: [(String, String)] = []) { log(.info, message, fields) }
    public func warning(_ message: String, _ fields: [(String, String)] = []) { log(.warning, message, fields) }
    public func error(_ message: String, _ fields: [(String, String)] = []) { log(.error, message, fields) }

    public func log(_ level: LogLevel, _ message: String, _ fields: [(String, String)]) {
        guard level >= minimumLevel else { return }
        var line: [UInt8] = []
        line.reserveCapacity(128)
        line.append(contentsOf: #"{"ts":""#.utf8)
        RFC3339.append(milliseconds: RFC3339.nowMilliseconds(), to: &line)
        line.append(contentsOf: #"","level":""#.utf8)
        line.append(contentsOf: level.name.utf8)
        line.append(contentsOf: #"","component":"#.utf8)
        JSONText.appendString(component, to: &line)
        line.append(contentsOf: #","msg":"#.utf8)
        JSONText.appendString(message, to: &line)
        for (k, v) in fields {
            line.append(UInt8(ascii: ","))
            JSONText.appendString(k, to: &line)
            line.append(UInt8(ascii: ":"))
            JSONText.appendString(v, to: &line)
        }
        line.append(contentsOf: "}\n".utf8)
        _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }
}
