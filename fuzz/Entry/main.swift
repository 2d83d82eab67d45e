// The libFuzzer entry point (built by fuzz/run.sh with -sanitize=fuzzer,address; not part of
// the package). The target is chosen by PORTCULLIS_FUZZ_TARGET; the checks themselves live in
// fuzz/Invariants, which the XCTest corpus replay compiles too.
#if canImport(Glibc)
import Glibc
#endif

nonisolated(unsafe) var selectedTarget: FuzzTarget?

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> Int32 {
    guard let name = getenv("PORTCULLIS_FUZZ_TARGET").map({ String(cString: $0) }), let target = FuzzTarget.named(name) else {
        print("set PORTCULLIS_FUZZ_TARGET to one of: \(FuzzTarget.all.map(\.name).joined(separator: ", "))")
        exit(2)
    }
    selectedTarget = target
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    selectedTarget!.run(bytes)
    return 0
}
