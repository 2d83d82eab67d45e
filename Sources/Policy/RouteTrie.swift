/// Segment trie over compiled route patterns, flattened into contiguous arrays of integers so a
/// lookup is pointer arithmetic with no reference counting or allocation.
struct RouteTrie: Sendable {
    struct Node: Sendable {
        /// Literal edges `edges[literalStart ..< literalStart + literalCount]`, sorted by key bytes.
        var literalStart: Int32 = 0
        var literalCount: Int32 = 0
        /// Child for `*` / `{name}`, or -1.
        var wildcard: Int32 = -1
        /// Routes whose pattern ends exactly here: `routeLists[terminalStart ..< +terminalCount]`, ascending.
        var terminalStart: Int32 = 0
        var terminalCount: Int32 = 0
        /// Routes with `**` here (they match any remainder), ascending.
        var restStart: Int32 = 0
        var restCount: Int32 = 0
    }

    struct Edge: Sendable {
        var keyStart: Int32
        var keyLength: Int32
        var child: Int32
    }

    private(set) var nodes: [Node] = []
    private(set) var edges: [Edge] = []
    private(set) var keyBytes: [UInt8] = []
    private(set) var routeLists: [Int32] = []

    init(patterns: [RoutePattern]) {
        // Build with dictionaries, then flatten.
        struct BuildNode {
            var literals: [[UInt8]: Int] = [:]
            var wildcard = -1
            var terminal: [Int] = []
            var rest: [Int] = []
        }
        var build = [BuildNode()]
        for (index, pattern) in patterns.enumerated() {
            var node = 0
            for segment in pattern.segments {
                switch segment {
                case .literal(let name):
                    if let child = build[node].literals[name] {
                        node = child
                    } else {
                        build.append(BuildNode())
                        build[node].literals[name] = build.count - 1
                        node = build.count - 1
                    }
                case .wildcard:
                    if build[node].wildcard < 0 {
                        build.append(BuildNode())
                        build[node].wildcard = build.count - 1
                    }
                    node = build[node].wildcard
                case .rest:
                    build[node].rest.append(index)
                }
            }
            if pattern.segments.last != .rest { build[node].terminal.append(index) }
        }
        for built in build {
            var node = Node()
            node.wildcard = Int32(built.wildcard)
            node.literalStart = Int32(edges.count)
            node.literalCount = Int32(built.literals.count)
            for (key, child) in built.literals.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
                edges.append(Edge(keyStart: Int32(keyBytes.count), keyLength: Int32(key.count), child: Int32(child)))
                keyBytes.append(contentsOf: key)
            }
            node.terminalStart = Int32(routeLists.count)
            node.terminalCount = Int32(built.terminal.count)
            routeLists.append(contentsOf: built.terminal.map { Int32($0) })
            node.restStart = Int32(routeLists.count)
            node.restCount = Int32(built.rest.count)
            routeLists.append(contentsOf: built.rest.map { Int32($0) })
            nodes.append(node)
        }
    }

    /// The lowest route index matching the path and the method bit, and the union of the method
    /// masks of the path-matching routes considered (complete whenever no route matched the method,
    /// which is when it is needed for `Allow`). No allocation.
    func bestMatch(path: UnsafeBufferPointer<UInt8>, methodBit: UInt64, masks: [UInt64]) -> (Int?, UInt64) {
        guard path.first == UInt8(ascii: "/") else { return (nil, 0) }
        return nodes.withUnsafeBufferPointer { nodes in
            edges.withUnsafeBufferPointer { edges in
                keyBytes.withUnsafeBufferPointer { keys in
                    routeLists.withUnsafeBufferPointer { lists in
                        masks.withUnsafeBufferPointer { masks in
                            var walk = Walk(path: path, methodBit: methodBit, nodes: nodes, edges: edges,
                                            keys: keys, lists: lists, masks: masks)
                            walk.visit(0, from: 1)
                            return (walk.best == Int.max ? nil : walk.best, walk.allowMask)
                        }
                    }
                }
            }
        }
    }

    /// One lookup's state over borrowed buffers.
    struct Walk {
        let path: UnsafeBufferPointer<UInt8>
        let methodBit: UInt64
        let nodes: UnsafeBufferPointer<Node>
        let edges: UnsafeBufferPointer<Edge>
        let keys: UnsafeBufferPointer<UInt8>
        let lists: UnsafeBufferPointer<Int32>
        let masks: UnsafeBufferPointer<UInt64>
        var best = Int.max
        var allowMask: UInt64 = 0

        @inline(__always)
        mutating func consider(_ start: Int32, _ count: Int32) {
            var i = Int(start)
            let end = i + Int(count)
            while i < end {
                let route = Int(lists[i])
                if route >= best { return }
                let mask = masks[route]
                allowMask |= mask
                if mask & methodBit != 0 {
                    best = route
                    return
                }
                i += 1
            }
        }

        /// Visits node `index` with the segment starting at `start` (`start > path.count` = none left).
        mutating func visit(_ index: Int, from start: Int) {
            let node = nodes[index]
            consider(node.restStart, node.restCount)
            let count = path.count
            if start > count {
                consider(node.terminalStart, node.terminalCount)
                return
            }
            var end = start
            var nameEnd = -1
            while end < count {
                let byte = path[end]
                if byte == UInt8(ascii: "/") { break }
                if nameEnd < 0 && (byte == UInt8(ascii: ";") || (byte == UInt8(ascii: "%") && end + 2 < count
                    && path[end + 1] == UInt8(ascii: "3") && path[end + 2] | 0x20 == UInt8(ascii: "b"))) {
                    nameEnd = end
                }
                end += 1
            }
            if node.literalCount > 0,
               let child = literalChild(node, start, nameEnd < 0 ? end : nameEnd) {
                visit(child, from: end + 1)
            }
            if node.wildcard >= 0 && end > start {
                visit(Int(node.wildcard), from: end + 1)
            }
        }

        /// Binary search of the node's sorted literal edges for `path[start..<end]`.
        @inline(__always)
        private func literalChild(_ node: Node, _ start: Int, _ end: Int) -> Int? {
            var low = Int(node.literalStart)
            var high = low + Int(node.literalCount)
            let length = end - start
            while low < high {
                let mid = (low + high) >> 1
                let edge = edges[mid]
                let keyStart = Int(edge.keyStart)
                let keyLength = Int(edge.keyLength)
                var order = 0
                var i = 0
                let n = min(keyLength, length)
                while i < n {
                    let a = keys[keyStart + i]
                    let b = path[start + i]
                    if a != b {
                        order = a < b ? -1 : 1
                        break
                    }
                    i += 1
                }
                if order == 0 && keyLength != length { order = keyLength < length ? -1 : 1 }
                if order == 0 { return Int(edge.child) }
                if order < 0 { low = mid + 1 } else { high = mid }
            }
            return nil
        }
    }
}
