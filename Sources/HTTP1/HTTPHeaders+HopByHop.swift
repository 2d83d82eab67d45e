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
    /// (RFC 9110 7.6.1): `Connection` and every field it names, `Keep-Alive`, `Proxy-Connection`,
    /// `TE`, `Trailer`, `Transfer-Encoding`, `Upgrade`. `Content-Length` and `Host` are never hop-by-hop,
    /// even when `Connection` names them.
    func withHopByHopTest<R>(_ body: (UnsafeBufferPointer<UInt8>, (FieldSlot) -> Bool) -> R) -> R {
        let slots = self.slots
        return ("connection" as StaticString).withUTF8Buffer { connectionName in
            let connection = FieldNameQuery(connectionName)
            return storage.withUnsafeBufferPointer { s in
                // Only a listed name that is neither hop-by-hop already nor protected can remove
                // more; `Connection: keep-alive` (the common case) then costs no per-field scan.
                let nominates = slots.contains { slot in
                    connection.matches(slot, in: s) && ASCII.anyListElement(slot.value(in: s)) { element in
                        let name = UnsafeBufferPointer(rebasing: element)
                        return !Self.isHopByHopName(name, key: FieldSlot.key(of: name)) && !Self.isProtectedName(name)
                    }
                }
                func isNominated(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
                    slots.contains { slot in
                        connection.matches(slot, in: s) && ASCII.anyListElement(slot.value(in: s)) { element in
                            ASCII.equalsIgnoringCase(element, name) && !Self.isProtectedName(element)
                        }
                    }
                }
                return body(s) { slot in
                    let name = slot.name(in: s)
                    return Self.isHopByHopName(name, key: slot.key) || (nominates && isNominated(name))
                }
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
