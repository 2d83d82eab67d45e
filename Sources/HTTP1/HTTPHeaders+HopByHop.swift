extension HTTPHeaders {
    /// True for the fields that describe one connection and are never forwarded (RFC 9110 7.6.1):
    /// `Connection`, `Keep-Alive`, `Proxy-Connection`, `TE`, `Trailer`, `Transfer-Encoding`, `Upgrade`.
    static func isHopByHopName(_ name: UnsafeBufferPointer<UInt8>, key: UInt32) -> Bool {
        switch key {
        case WellKnownFieldKey.te: return ASCII.equalsIgnoringCase(name, "te")
        case WellKnownFieldKey.trailer: return ASCII.equalsIgnoringCase(name, "trailer")
        case WellKnownFieldKey.upgrade: return ASCII.equalsIgnoringCase(name, "upgrade")
        case WellKnownFieldKey.connection: return ASCII.equalsIgnoringCase(name, "connection")
        case WellKnownFieldKey.keepAlive: return ASCII.equalsIgnoringCase(name, "keep-alive")
        case WellKnownFieldKey.proxyConnection: return ASCII.equalsIgnoringCase(name, "proxy-connection")
        case WellKnownFieldKey.transferEncoding: return ASCII.equalsIgnoringCase(name, "transfer-encoding")
        default: return false
        }
    }

    /// Fields a peer may not get removed by listing them in `Connection`.
    ///
    /// Security invariant: `Connection: content-length` must not make the proxy drop the framing
    /// of a body it forwards (a request smuggling vector), and `Connection: host` must not strip
    /// the routing authority.
    static func isProtectedName<C: Collection<UInt8>>(_ name: C) -> Bool {
        ASCII.equalsIgnoringCase(name, "content-length") || ASCII.equalsIgnoringCase(name, "host")
    }

    /// Calls `body` with this list's storage and a predicate telling the hop-by-hop fields
    /// (see `HopByHopTest`).
    func withHopByHopTest<R>(_ body: (UnsafeBufferPointer<UInt8>, (FieldSlot) -> Bool) -> R) -> R {
        storage.withUnsafeBufferPointer { s in
            slots.withUnsafeBufferPointer { slots in
                let test = HopByHopTest(storage: s, slots: slots)
                return body(s) { test.isHopByHop($0) }
            }
        }
    }

    /// Removes hop-by-hop fields (see `withHopByHopTest`).
    public mutating func removeHopByHop() {
        let slots = self.slots
        let kept: [FieldSlot]? = withHopByHopTest { _, drops in
            // The common case removes nothing: leave the (possibly shared) slots untouched.
            guard slots.contains(where: drops) else { return nil }
            var kept: [FieldSlot] = []
            kept.reserveCapacity(slots.count + HTTPHeaders.slotHeadroom)
            for slot in slots where !drops(slot) { kept.append(slot) }
            return kept
        }
        if let kept { self.slots = kept }
    }
}

/// Tells the hop-by-hop fields of one field section (RFC 9110 7.6.1): `Connection` and every field
/// it names, `Keep-Alive`, `Proxy-Connection`, `TE`, `Trailer`, `Transfer-Encoding`, `Upgrade`.
/// `Content-Length` and `Host` are never hop-by-hop, even when `Connection` names them.
///
/// Works on borrowed pointers into the section (no array is retained per field).
struct HopByHopTest {
    let storage: UnsafeBufferPointer<UInt8>
    let slots: UnsafeBufferPointer<FieldSlot>
    /// Whether some `Connection` field lists a name that is neither hop-by-hop already nor
    /// protected: only then can it remove more, so `Connection: keep-alive` (the common case)
    /// costs no per-field scan.
    let nominates: Bool

    init(storage: UnsafeBufferPointer<UInt8>, slots: UnsafeBufferPointer<FieldSlot>) {
        self.storage = storage
        self.slots = slots
        var nominates = false
        for slot in slots where Self.isConnection(slot, in: storage) {
            if ASCII.anyListElement(slot.value(in: storage), where: { element in
                let name = UnsafeBufferPointer(rebasing: element)
                return !HTTPHeaders.isHopByHopName(name, key: FieldSlot.key(of: name)) && !HTTPHeaders.isProtectedName(name)
            }) { nominates = true; break }
        }
        self.nominates = nominates
    }

    @inline(__always)
    func isHopByHop(_ slot: FieldSlot) -> Bool {
        let name = slot.name(in: storage)
        return HTTPHeaders.isHopByHopName(name, key: slot.key) || (nominates && isNominated(name))
    }

    private func isNominated(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        for slot in slots where Self.isConnection(slot, in: storage) {
            if ASCII.anyListElement(slot.value(in: storage), where: { element in
                ASCII.equalsIgnoringCase(element, name) && !HTTPHeaders.isProtectedName(element)
            }) { return true }
        }
        return false
    }

    @inline(__always)
    private static func isConnection(_ slot: FieldSlot, in storage: UnsafeBufferPointer<UInt8>) -> Bool {
        slot.key == WellKnownFieldKey.connection && ASCII.equalsIgnoringCase(slot.name(in: storage), "connection")
    }
}
