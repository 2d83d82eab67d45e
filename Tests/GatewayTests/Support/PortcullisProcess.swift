import TestProcessSupport
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The real `portcullis` executable (built beside the test bundle) serving a configuration file in a
/// temporary directory, for black-box tests with real signals. Its stderr log lines are collected
/// as parsed JSON objects.
final class PortcullisProcess: @unchecked Sendable {
    private(set) var process: ChildProcess!
    let directory: URL
    let configPath: String
    private let lock = NSLock()
    private var lines: [[String: Any]] = []
    private var partial = Data()
    private var raw = Data()

    /// Everything written to stderr so far, as text.
    var stderr: String { lock.lock(); defer { lock.unlock() }; return String(decoding: raw, as: UTF8.self) }
    /// User + system CPU ticks of the gateway so far (see `ChildProcess.cpuTicks`).
    var cpuTicks: Int { process.cpuTicks }

    static var executable: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("portcullis").path
    }

    /// Starts `portcullis serve --config <file with config>` and waits for "gateway listening".
    /// `shellPrefix` runs first in the same shell (e.g. `ulimit -n 40`), so the gateway inherits it.
    init(config: String, shellPrefix: String = "", file: StaticString = #filePath, line: UInt = #line) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.executable) else {
            throw XCTSkip("portcullis is not built at \(Self.executable): run `swift build --build-tests` first")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("portcullis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        configPath = directory.appendingPathComponent("portcullis.json").path
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        let command = "\(shellPrefix.isEmpty ? "" : shellPrefix + "; ")exec '\(Self.executable)' serve --config '\(configPath)'"
        process = try ChildProcess("/bin/sh", ["-c", command]) { [weak self] data in self?.append(data) }
        _ = try XCTUnwrap(waitForLog("gateway listening"), "the gateway did not start: \(logText)", file: file, line: line)
    }

    deinit {
        process = nil   // kills and reaps a child still running
        try? FileManager.default.removeItem(at: directory)
    }

    private func append(_ data: Data) {
        lock.lock(); defer { lock.unlock() }
        raw.append(data)
        partial.append(data)
        while let nl = partial.firstIndex(of: 10) {
            let line = partial[partial.startIndex..<nl]
            partial = Data(partial[(nl + 1)...])
            if let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any] { lines.append(object) }
            else { lines.append(["msg": String(decoding: line, as: UTF8.self)]) }
        }
    }

    /// Every log line so far.
    var log: [[String: Any]] { lock.lock(); defer { lock.unlock() }; return lines }
    var logText: String { log.map { "\($0)" }.joined(separator: "\n") }

    /// The `occurrence`-th log line whose `msg` is `message`, waiting for it up to `timeout` seconds.
    func waitForLog(_ message: String, occurrence: Int = 1, timeout: Double = 10) -> [String: Any]? {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            let matching = log.filter { $0["msg"] as? String == message }
            if matching.count >= occurrence { return matching[occurrence - 1] }
            usleep(10_000)
        } while Date() < deadline
        return nil
    }

    /// The port of the `listen` field of the first log line with `msg` == `message`.
    func port(from message: String) -> UInt16? {
        guard let listen = log.first(where: { $0["msg"] as? String == message })?["listen"] as? String,
              let colon = listen.lastIndex(of: ":") else { return nil }
        return UInt16(listen[listen.index(after: colon)...])
    }

    var gatewayPort: UInt16 { port(from: "gateway listening") ?? 0 }
    var adminPort: UInt16 { port(from: "admin listening") ?? 0 }

    /// Replaces the configuration file (atomically: a reload never sees half a file).
    func rewrite(config: String) throws { try config.write(toFile: configPath, atomically: true, encoding: .utf8) }

    func send(_ signal: Int32) { process.signal(signal) }

    /// The exit status once the process has exited, or nil after `timeout` seconds.
    func waitForExit(timeout: Double = 15) -> Int32? { process.waitForExit(timeout: timeout) }

    /// `GET path` on a fresh connection to the admin listener.
    func admin(_ path: String) -> (status: Int, headers: [String: String], body: [UInt8])? {
        guard let c = BlockingSocket.connect(port: adminPort) else { return nil }
        defer { c.close() }
        c.write("GET \(path) HTTP/1.1\r\nHost: admin\r\nConnection: close\r\n\r\n")
        return c.readResponse()
    }
}
