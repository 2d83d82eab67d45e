// The libFuzzer entry point (built by fuzz/run.sh with -sanitize=fuzzer,address; not part of
// the package). The target is chosen by PORTCULLIS_FUZZ_TARGET; the checks themselves live in
// fuzz/Invariants, which the XCTest corpus replay compiles too.
#if canImport(Glibc)
import Glibc
#endif

nonisolated(unsafe) var selectedTarget: FuzzTarget?
/// PORTCULLIS_FUZZ_DESCRIBE=1: print one JSON line per input (how the request parser framed it)
/// instead of checking invariants; fuzz/tools/h11_differential.py compares these lines with h11.
nonisolated(unsafe) var describeOnly = false

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> Int32 {
    guard let name = getenv("PORTCULLIS_FUZZ_TARGET").map({ String(cString: $0) }), let target = FuzzTarget.named(name) else {
        print("set PORTCULLIS_FUZZ_TARGET to one of: \(FuzzTarget.all.map(\.name).joined(separator: ", "))")
        exit(2)
    }
    selectedTarget = target
    describeOnly = getenv("PORTCULLIS_FUZZ_DESCRIBE") != nil
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    if describeOnly {
        print(RequestParserFuzz.framingJSON(bytes))
    } else {
        selectedTarget!.run(bytes)
    }
    return 0
}
