/// Segment trie over compiled route patterns, stored as an array of nodes (a value type, `Sendable`).
struct RouteTrie: Sendable {
    struct Node: Sendable {
        /// Literal segment names, sorted bytewise, with their child node indices.
        var literalKeys: [[UInt8]] = []
        var literalChildren: [Int] = []
        /// Child for `*` / `{name}`, or -1.
        var wildcard = -1
        /// Routes whose pattern ends exactly here, ascending.
        var terminal: [Int] = []
        /// Routes with `**` here (they match any remainder), ascending.
        var rest: [Int] = []
    }

    private(set) var nodes: [Node] = [Node()]

    init(patterns: [RoutePattern]) {
        var literalMaps: [[[UInt8]: Int]] = [[:]]
        for (index, pattern) in patterns.enumerated() {
            var node = 0
            for segment in pattern.segments {
                switch segment {
                case .literal(let name):
                    if let child = literalMaps[node][name] {
                        node = child
                    } else {
                        nodes.append(Node())
                        literalMaps.append([:])
                        literalMaps[node][name] = nodes.count - 1
                        node = nodes.count - 1
                    }
                case .wildcard:
                    if nodes[node].wildcard < 0 {
                        nodes.append(Node())
                        literalMaps.append([:])
                        nodes[node].wildcard = nodes.count - 1
                    }
                    node = nodes[node].wildcard
                case .rest:
                    nodes[node].rest.append(index)
                }
            }
            if pattern.segments.last != .rest { nodes[node].terminal.append(index) }
        }
        for (i, map) in literalMaps.enumerated() {
            let sorted = map.sorted { $0.key.lexicographicallyPrecedes($1.key) }
            nodes[i].literalKeys = sorted.map(\.key)
            nodes[i].literalChildren = sorted.map(\.value)
        }
    }

    /// The lowest route index matching the path and the method bit, and the union of the method
    /// masks of every route matching the path (for `Allow`). No allocation.
    func bestMatch(path: UnsafeBufferPointer<UInt8>, methodBit: UInt64, masks: [UInt64]) -> (Int?, UInt64) {
        var walk = Walk(path: path, methodBit: methodBit, masks: masks)
        if path.first == UInt8(ascii: "/") { visit(0, from: 1, &walk) }
        return (walk.best == Int.max ? nil : walk.best, walk.allowMask)
    }

    struct Walk {
        let path: UnsafeBufferPointer<UInt8>
        let methodBit: UInt64
        let masks: [UInt64]
        var best = Int.max
        var allowMask: UInt64 = 0

        mutating func consider(_ routes: [Int]) {
            for route in routes {
                if route >= best { return }
                let mask = masks[route]
                allowMask |= mask
                if mask & methodBit != 0 { best = route }
            }
        }
    }

    /// Visits `node` with the segment starting at `start` (`start > path.count` = no segments left).
    private func visit(_ index: Int, from start: Int, _ walk: inout Walk) {
        let node = nodes[index]
        walk.consider(node.rest)
        let count = walk.path.count
        if start > count {
            walk.consider(node.terminal)
            return
        }
        var end = start
        while end < count && walk.path[end] != UInt8(ascii: "/") { end += 1 }
        let name = SegmentName.nameRange(walk.path, start..<end)
        if let child = literalChild(node, UnsafeBufferPointer(rebasing: walk.path[name])) {
            visit(child, from: end + 1, &walk)
        }
        if node.wildcard >= 0 && end > start {
            visit(node.wildcard, from: end + 1, &walk)
        }
    }

    /// Binary search of the sorted literal keys.
    private func literalChild(_ node: Node, _ name: UnsafeBufferPointer<UInt8>) -> Int? {
        var low = 0
        var high = node.literalKeys.count
        while low < high {
            let mid = (low + high) / 2
            let order = node.literalKeys[mid].withUnsafeBufferPointer { compare($0, name) }
            if order == 0 { return node.literalChildren[mid] }
            if order < 0 { low = mid + 1 } else { high = mid }
        }
        return nil
    }

    @inline(__always)
    private func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let n = min(a.count, b.count)
        var i = 0
        while i < n {
            if a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
            i += 1
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }
}
