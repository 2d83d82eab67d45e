import Foundation
import XCTest

/// The built `portcullis` executable (a sibling of the test bundle) run as a child process with a
/// configuration file, for tests that need a real process: resource limits, signals, exit codes.
final class GatewayProcess: @unchecked Sendable {
    let process = Process()
    let configURL: URL
    private let stderrPipe = Pipe()
    private let lock = NSLock()
    private var stderrBytes = Data()

    static var executablePath: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("portcullis").path
    }

    /// Starts `portcullis serve --config <config>`; `shellPrefix` runs first in the same shell
    /// (e.g. `ulimit -n 40`), so the gateway inherits what it sets.
    init(config: String, shellPrefix: String = "") throws {
        guard FileManager.default.isExecutableFile(atPath: Self.executablePath) else {
            throw XCTSkip("portcullis is not built at \(Self.executablePath): run `swift build --build-tests` first")
        }
        configURL = FileManager.default.temporaryDirectory.appendingPathComponent("portcullis-\(UUID().uuidString).json")
        try config.write(to: configURL, atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        let prefix = shellPrefix.isEmpty ? "" : shellPrefix + "; "
        process.arguments = ["-c", "\(prefix)exec '\(Self.executablePath)' serve --config '\(configURL.path)'"]
        process.standardError = stderrPipe
        process.standardOutput = FileHandle.nullDevice
        stderrPipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.lock(); self.stderrBytes.append(data); self.lock.unlock()
        }
        try process.run()
    }

    deinit {
        if process.isRunning { process.terminate(); process.waitUntilExit() }
        stderrPipe.fileHandleForReading.readabilityHandler = nil
        try? FileManager.default.removeItem(at: configURL)
    }

    var stderr: String { lock.lock(); defer { lock.unlock() }; return String(decoding: stderrBytes, as: UTF8.self) }

    /// Waits until stderr contains `text` (or the deadline passes); returns whether it did.
    func waitForLog(_ text: String, seconds: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if stderr.contains(text) { return true }
            if !process.isRunning { return stderr.contains(text) }
            usleep(10_000)
        }
        return false
    }

    /// The gateway's port, read from its "gateway listening" log line.
    func listeningPort(seconds: Double = 10) -> UInt16? {
        guard waitForLog("\"msg\":\"gateway listening\"", seconds: seconds) else { return nil }
        for line in stderr.split(separator: "\n") where line.contains("\"msg\":\"gateway listening\"") {
            guard let r = line.range(of: #""listen":""#) else { continue }
            let rest = line[r.upperBound...]
            guard let end = rest.firstIndex(of: "\""), let colon = rest[..<end].lastIndex(of: ":") else { continue }
            return UInt16(rest[rest.index(after: colon)..<end])
        }
        return nil
    }

    /// User + system CPU time of the process so far, in clock ticks (/proc/<pid>/stat).
    var cpuTicks: Int {
        guard let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return -1 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command: state(0) ppid(1) ... utime(11) stime(12).
        guard fields.count > 12, let u = Int(fields[11]), let s = Int(fields[12]) else { return -1 }
        return u + s
    }

    func signal(_ sig: Int32) { kill(process.processIdentifier, sig) }
}
