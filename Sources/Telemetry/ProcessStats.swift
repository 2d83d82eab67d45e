#if canImport(Glibc)
import Glibc
#endif

/// The standard `process_*` metrics of this process, read from `/proc` and `getrusage` at scrape
/// time (Linux). A value that cannot be read is nil and its family is left out.
public struct ProcessStats: Sendable {
    /// Resident set size in bytes (`/proc/self/statm`).
    public var residentMemoryBytes: Double?
    /// Open file descriptors (entries of `/proc/self/fd`).
    public var openFDs: Int?
    /// User plus system CPU time in seconds.
    public var cpuSeconds: Double
    /// Start time in seconds since the Unix epoch (`/proc/self/stat` start ticks + boot time).
    public var startTimeSeconds: Double?

    /// Reads the current values.
    public static func current() -> ProcessStats {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        var rss: Double?
        if let statm = readFile("/proc/self/statm") {
            let fields = statm.split(separator: " ")
            if fields.count > 1, let pages = Double(fields[1]) { rss = pages * Double(sysconf(Int32(_SC_PAGESIZE))) }
        }
        return ProcessStats(residentMemoryBytes: rss, openFDs: countOpenFDs(), cpuSeconds: cpu, startTimeSeconds: startTime())
    }

    /// Writes the four families.
    public func write(to out: inout PrometheusText) {
        out.family("process_cpu_seconds_total", "counter", help: "Total user and system CPU time spent in seconds.")
        out.sample("process_cpu_seconds_total", [], cpuSeconds)
        if let residentMemoryBytes {
            out.family("process_resident_memory_bytes", "gauge", help: "Resident memory size in bytes.")
            out.sample("process_resident_memory_bytes", [], residentMemoryBytes)
        }
        if let openFDs {
            out.family("process_open_fds", "gauge", help: "Number of open file descriptors.")
            out.sample("process_open_fds", [], openFDs)
        }
        if let startTimeSeconds {
            out.family("process_start_time_seconds", "gauge", help: "Start time of the process since unix epoch in seconds.")
            out.sample("process_start_time_seconds", [], startTimeSeconds)
        }
    }

    private static func countOpenFDs() -> Int? {
        guard let dir = opendir("/proc/self/fd") else { return nil }
        defer { closedir(dir) }
        var n = 0
        // Only the name's first byte is read: `entry.pointee` would copy a whole `dirent`, but the
        // kernel's records are variable-length, and the last one of a buffer can end right at an
        // unmapped page (a crash at scrape time with many descriptors open).
        let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        while let entry = readdir(dir) {
            let isDot = UnsafeRawPointer(entry).load(fromByteOffset: nameOffset, as: UInt8.self) == UInt8(ascii: ".")
            if !isDot { n += 1 }
        }
        return max(0, n - 1)   // the descriptor opendir itself holds
    }

    private static func startTime() -> Double? {
        guard let stat = readFile("/proc/self/stat"), let close = stat.lastIndex(of: ")") else { return nil }
        // Fields after "(comm)": state is field 3; starttime is field 22.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let ticks = Double(fields[19]) else { return nil }
        guard let procStat = readFile("/proc/stat"),
              let line = procStat.split(separator: "\n").first(where: { $0.hasPrefix("btime ") }),
              let boot = Double(line.dropFirst(6).trimmingPrefix(" ")) else { return nil }
        return boot + ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    private static func readFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { Glibc.close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > 1 << 20 { break }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
