#if canImport(Glibc)
import Glibc
#endif

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

/// Structured logging as one JSON object per line on stderr. A line is written with a single
/// `write(2)`, so lines from several loops never interleave.
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
        line.append(contentsOf: #"{"ts":"#.utf8)
        line.append(contentsOf: Self.timestamp().utf8)
        line.append(contentsOf: #","level":""#.utf8)
        line.append(contentsOf: level.name.utf8)
        line.append(contentsOf: #"","component":"#.utf8)
        Self.appendJSONString(component, to: &line)
        line.append(contentsOf: #","msg":"#.utf8)
        Self.appendJSONString(message, to: &line)
        for (k, v) in fields {
            line.append(UInt8(ascii: ","))
            Self.appendJSONString(k, to: &line)
            line.append(UInt8(ascii: ":"))
            Self.appendJSONString(v, to: &line)
        }
        line.append(contentsOf: "}\n".utf8)
        _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    static func timestamp() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return "\(ts.tv_sec).\(String(ts.tv_nsec / 1_000_000 + 1000).dropFirst())"
    }

    /// JSON string escaping (quotes, backslashes, control characters).
    public static func appendJSONString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): out.append(contentsOf: [92, 92])
            case 0x0A: out.append(contentsOf: [92, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [92, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0..<0x20, 0x7F:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(b >> 4)], hex[Int(b & 15)]])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
