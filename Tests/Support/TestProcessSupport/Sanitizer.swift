#if canImport(Glibc)
import Glibc
#endif

/// Which sanitizer this test process (and so the `portcullis`/`loadtest` children built beside it)
/// was built with, for the few checks a sanitizer invalidates by design.
public enum Sanitizer {
    /// True in a `swift test --sanitize=address` build. AddressSanitizer keeps freed memory in a
    /// quarantine (256 MiB by default) before reusing it, so a process's peak memory grows with what
    /// it allocates and frees, not with what it holds: a peak-memory bound means nothing there.
    public static let address: Bool = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "__asan_init") != nil
}
