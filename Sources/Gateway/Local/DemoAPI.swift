import HTTP1
import Policy
import TextCoding

/// The built-in demo API: a small mock of the PortTask port-calls / vessels / invoices API from the
/// seeds, so `swift run -c release portcullis` has something real to protect. Stateless: writes are
/// echoed back, nothing is stored. Every answer includes `caller`, the identity the gateway forwarded
/// (`X-Auth-Subject`, `X-Auth-Client-Id`, `X-Auth-Scopes`), so a demo shows what upstreams receive.
public struct DemoAPI: LocalService {
    public init() {}

    static let portCalls = [
        #"{"id":"pc-1001","vessel_imo":"9321483","port":"NLRTM","berth":"Euromax 3","eta":"2026-11-24T06:00:00Z","status":"scheduled"}"#,
        #"{"id":"pc-1002","vessel_imo":"9450648","port":"SGSIN","berth":"Pasir Panjang 7","eta":"2026-11-25T14:30:00Z","status":"at_berth"}"#,
        #"{"id":"pc-1003","vessel_imo":"9811000","port":"USLAX","berth":"Pier 400","eta":"2026-11-27T09:15:00Z","status":"scheduled"}"#,
    ]
    static let vessels = [
        #"{"imo":"9321483","name":"Emma Maersk","flag":"DK","type":"container"}"#,
        #"{"imo":"9450648","name":"MSC Beatrice","flag":"PA","type":"container"}"#,
        #"{"imo":"9811000","name":"Ever Given","flag":"PA","type":"container"}"#,
    ]
    static let invoices = [
        #"{"id":"inv-42","port_call":"pc-1001","amount":12850.00,"currency":"EUR","status":"open"}"#,
        #"{"id":"inv-43","port_call":"pc-1002","amount":9340.50,"currency":"SGD","status":"paid"}"#,
    ]

    public func handle(_ request: LocalRequest) -> LocalResponse {
        let segments = request.path.split(separator: "/").map(String.init)
        let caller = callerJSON(request.headers)
        guard segments.first == "v1", segments.count >= 2 else { return notFound(request.path) }
        switch (request.method, Array(segments.dropFirst())) {
        case ("GET", ["status"]), ("HEAD", ["status"]):
            return json(200, #"{"status":"ok","service":"portcullis-demo-api"}"#)
        case ("GET", ["port-calls"]): return list(Self.portCalls, caller)
        case ("GET", let s) where s.count == 2 && s[0] == "port-calls": return item(Self.portCalls, key: "id", s[1], caller)
        case ("POST", ["port-calls"]): return created("port_call", request, caller)
        case ("PUT", let s) where s.count == 2 && s[0] == "port-calls", ("PATCH", let s) where s.count == 2 && s[0] == "port-calls":
            return json(200, #"{"updated":\#(JSONText.string(s[1])),"received_bytes":\#(request.body.count),"caller":\#(caller)}"#)
        case ("DELETE", let s) where s.count == 2 && s[0] == "port-calls":
            return LocalResponse(status: 204)
        case ("GET", ["vessels"]): return list(Self.vessels, caller)
        case ("GET", let s) where s.count == 2 && s[0] == "vessels": return item(Self.vessels, key: "imo", s[1], caller)
        case ("GET", ["invoices"]): return list(Self.invoices, caller)
        case ("GET", let s) where s.count == 2 && s[0] == "invoices": return item(Self.invoices, key: "id", s[1], caller)
        case ("POST", ["invoices"]): return created("invoice", request, caller)
        case ("GET", ["admin", "stats"]):
            return json(200, #"{"port_calls":\#(Self.portCalls.count),"vessels":\#(Self.vessels.count),"invoices":\#(Self.invoices.count),"caller":\#(caller)}"#)
        default: return notFound(request.path)
        }
    }

    private func list(_ items: [String], _ caller: String) -> LocalResponse {
        json(200, #"{"data":[\#(items.joined(separator: ","))],"caller":\#(caller)}"#)
    }

    private func item(_ items: [String], key: String, _ id: String, _ caller: String) -> LocalResponse {
        let needle = #""\#(key)":\#(JSONText.string(id))"#
        guard let found = items.first(where: { $0.contains(needle) }) else {
            return .error(404, error: "not_found", description: "no such resource", code: "demo_not_found")
        }
        return json(200, #"{"data":\#(found),"caller":\#(caller)}"#)
    }

    private func created(_ kind: String, _ request: LocalRequest, _ caller: String) -> LocalResponse {
        json(201, #"{"created":"\#(kind)","received_bytes":\#(request.body.count),"caller":\#(caller)}"#)
    }

    private func notFound(_ path: String) -> LocalResponse {
        .error(404, error: "not_found", description: "the demo API has no resource at this path", code: "demo_not_found")
    }

    private func callerJSON(_ h: HTTPHeaders) -> String {
        func field(_ name: String) -> String { h.first(name).map(JSONText.string) ?? "null" }
        return #"{"subject":\#(field("X-Auth-Subject")),"client_id":\#(field("X-Auth-Client-Id")),"scopes":\#(field("X-Auth-Scopes"))}"#
    }

    private func json(_ status: Int, _ body: String) -> LocalResponse {
        var h = HTTPHeaders()
        h.append("Content-Type", "application/json")
        return LocalResponse(status: status, headers: h, body: Array(body.utf8))
    }
}
