extension HTTPSerializer {
    /// Appends the fields of a parsed head that a proxy forwards, straight from its storage: every
    /// field except the hop-by-hop ones (see `HTTPHeaders.withHopByHopTest`) and those named in
    /// `dropping` — and, with `droppingAliases`, those whose name equals one of `dropping` once `_` is
    /// read as `-`. `headers` is neither copied nor changed; no empty line is written, so the caller
    /// appends its own fields (`writeField`) and then `endHead`.
    ///
    /// `aliasesOf` names fields that are forwarded under their own name but whose underscore
    /// spelling is dropped (`Transfer_Encoding`, `Content_Length`, `Proxy_Authorization`): an
    /// upstream that reads `_` as `-` (CGI, WSGI, Rack) would otherwise see a second framing or
    /// credential field beside the proxy's own.
    public static func writeForwardedFields(_ headers: HTTPHeaders, dropping names: FieldNameSet,
                                            droppingAliases: Bool = false, aliasesOf guarded: FieldNameSet = .empty,
                                            into out: inout [UInt8]) {
        // Every array is borrowed once, as a pointer, for the whole loop: closures capturing the
        // arrays themselves would retain and release them per call (measured: 16 per request).
        headers.storage.withUnsafeBufferPointer { s in
            headers.slots.withUnsafeBufferPointer { slots in
                names.withView { names in
                    guarded.withView { guarded in
                        let hop = HopByHopTest(storage: s, slots: slots)
                        writeFields(slots, storage: s, into: &out) { slot in
                            if hop.isHopByHop(slot) { return true }
                            let name = slot.name(in: s)
                            if names.contains(name, key: slot.key) { return true }
                            return droppingAliases && (names.containsAlias(name) || guarded.containsAlias(name))
                        }
                    }
                }
            }
        }
    }

    /// Appends the values of every field called `name`, in order, separated by `, `; returns false
    /// (writing nothing) when there is none. Parsed values are copied as they are, others sanitized.
    @discardableResult
    public static func writeJoinedValues(of headers: HTTPHeaders, named name: String, into out: inout [UInt8]) -> Bool {
        FieldNameQuery.with(name) { query in
            headers.storage.withUnsafeBufferPointer { s in
                var any = false
                for slot in headers.slots where query.matches(slot, in: s) {
                    if any { out.append(ASCII.comma); out.append(ASCII.space) }
                    let start = out.count
                    out.append(contentsOf: slot.value(in: s))
                    if !slot.isValidated { sanitizeFieldValue(in: &out, from: start) }
                    any = true
                }
                return any
            }
        }
    }

    /// Appends a field line whose value is written by `value` (into the same buffer, sanitized after).
    public static func writeField(_ name: String, into out: inout [UInt8], value: (inout [UInt8]) -> Void) {
        append(name, into: &out, replacingWith: UInt8(ascii: "_"), where: { !ASCII.isTokenChar($0) })
        writeFieldValue(into: &out, value: value)
    }

    /// `: `, the value written by `value` (sanitized), CRLF.
    @inline(__always)
    private static func writeFieldValue(into out: inout [UInt8], value: (inout [UInt8]) -> Void) {
        out.append(ASCII.colon)
        out.append(ASCII.space)
        let valueStart = out.count
        value(&out)
        sanitizeFieldValue(in: &out, from: valueStart)
        appendCRLF(into: &out)
    }

    /// Appends a constant field line, e.g. `"Connection: close\r\n"`. The caller's literal must be
    /// one valid field line (checked in debug builds); nothing is scanned at run time.
    public static func writeLine(_ line: StaticString, into out: inout [UInt8]) {
        let bytes = UnsafeBufferPointer(start: line.utf8Start, count: line.utf8CodeUnitCount)
        assert(bytes.count >= 4 && bytes[bytes.count - 2] == ASCII.cr && bytes[bytes.count - 1] == ASCII.lf
               && bytes.firstIndex(of: ASCII.colon).map { i in i > 0 && bytes[..<i].allSatisfy(ASCII.isTokenChar) } == true,
               "not a field line")
        out.append(contentsOf: bytes)
    }

    /// `writeField(_:into:value:)` for a constant, valid field name (checked in debug builds): the
    /// name is copied without a per-byte check; the value is sanitized as always.
    public static func writeField(known name: StaticString, into out: inout [UInt8], value: (inout [UInt8]) -> Void) {
        let bytes = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        assert(!bytes.isEmpty && bytes.allSatisfy(ASCII.isTokenChar), "not a field name")
        out.append(contentsOf: bytes)
        writeFieldValue(into: &out, value: value)
    }
}
