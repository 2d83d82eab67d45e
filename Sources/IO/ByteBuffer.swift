/// A growable byte buffer with a reader and a writer index, owned by one connection and used only on
/// its event loop. Reads land directly in its spare capacity (no `Data`, no per-read allocation).
///
/// Invariant: `0 <= readerIndex <= writerIndex <= capacity`.
public struct ByteBuffer {
    public private(set) var storage: [UInt8]
    public private(set) var readerIndex = 0
    public private(set) var writerIndex = 0

    public init(capacity: Int) {
        storage = [UInt8](repeating: 0, count: capacity)
    }

    /// An empty buffer with no storage (an idle connection holds no memory for reads).
    public init() { storage = [] }

    /// Takes `storage` as this (storage-less) buffer's memory.
    mutating func adopt(_ memory: [UInt8]) {
        precondition(storage.isEmpty && readerIndex == 0 && writerIndex == 0)
        storage = memory
    }

    /// Gives the memory back when nothing is buffered (for the loop's buffer pool).
    mutating func releaseIfEmpty() -> [UInt8]? {
        guard readerIndex == writerIndex, !storage.isEmpty else { return nil }
        readerIndex = 0
        writerIndex = 0
        let memory = storage
        storage = []
        return memory
    }

    public var capacity: Int { storage.count }
    public var readableBytes: Int { writerIndex - readerIndex }
    public var writableBytes: Int { storage.count - writerIndex }
    public var isEmpty: Bool { readerIndex == writerIndex }

    /// Marks `n` readable bytes consumed.
    public mutating func moveReaderIndex(by n: Int) {
        precondition(n >= 0 && n <= readableBytes)
        readerIndex += n
        if readerIndex == writerIndex { readerIndex = 0; writerIndex = 0 }
    }

    /// Ensures at least `minimum` writable bytes, compacting first and growing up to `limit`.
    /// Returns false when the buffer is full at `limit` (the owner must consume first).
    public mutating func reserveWritable(minimum: Int, limit: Int) -> Bool {
        if writableBytes >= minimum { return true }
        if readerIndex > 0 { compact() }
        if writableBytes >= minimum { return true }
        let needed = writerIndex + minimum
        guard storage.count < limit else { return writableBytes > 0 }
        var newCapacity = max(storage.count, 1024)
        while newCapacity < needed && newCapacity < limit { newCapacity *= 2 }
        storage.append(contentsOf: repeatElement(0, count: min(newCapacity, limit) - storage.count))
        return writableBytes > 0
    }

    private mutating func compact() {
        let n = readableBytes
        if n > 0 {
            storage.withUnsafeMutableBytes { p in
                p.baseAddress!.copyMemory(from: p.baseAddress! + readerIndex, byteCount: n)
            }
        }
        readerIndex = 0
        writerIndex = n
    }

    /// Lets `body` fill the spare capacity; it returns how many bytes it wrote (or a negative value).
    public mutating func writeWithUnsafeMutableBytes(_ body: (UnsafeMutableRawBufferPointer) -> Int) -> Int {
        let start = writerIndex
        let n = storage.withUnsafeMutableBytes { p in
            body(UnsafeMutableRawBufferPointer(rebasing: p[start...]))
        }
        if n > 0 { writerIndex += n }
        return n
    }

    /// Appends bytes (used by tests and local responders).
    public mutating func write(_ bytes: [UInt8]) {
        _ = reserveWritable(minimum: bytes.count, limit: Int.max)
        storage.replaceSubrange(writerIndex..<writerIndex + bytes.count, with: bytes)
        writerIndex += bytes.count
    }

    /// Calls `body` with the readable bytes.
    public func withReadableBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try storage.withUnsafeBytes { p in try body(UnsafeRawBufferPointer(rebasing: p[readerIndex..<writerIndex])) }
    }
}
