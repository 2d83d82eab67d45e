import TextCoding
extension IssuerCore {
    /// `GET /device` shows a form; `POST /device` (form `user_code`, `action=approve|deny`)
    /// decides the pending grant as the configured development user (RFC 8628 §3.3).
    ///
    /// Every echoed value is HTML-escaped; the page may not be framed (clickjacking).
    mutating func verificationPage(_ request: DevRequest, now: Int64) -> DevResponse {
        switch request.method {
        case "GET":
            let prefilled = (try? OAuthParameters.query(request))?["user_code"] ?? ""
            return .html(200, Self.page(title: "Connect a device", body: """
                <p>Enter the code shown on your device to sign in as \(Self.escape(configuration.user.name)).</p>
                <form method="post" action="/device">
                <input name="user_code" value="\(Self.escape(prefilled))" autocomplete="off" autofocus>
                <button name="action" value="approve">Approve</button>
                <button name="action" value="deny">Deny</button>
                </form>
                """))
        case "POST":
            guard let parameters = try? OAuthParameters.body(request, allowJSON: false),
                  let userCode = parameters["user_code"], let action = parameters["action"],
                  action == "approve" || action == "deny" else {
                return .html(400, Self.page(title: "Invalid request",
                                            body: "<p>Send a user_code and action=approve or action=deny.</p>"))
            }
            guard decideDeviceGrant(userCode: userCode, approve: action == "approve", now: now) else {
                return .html(400, Self.page(title: "Unknown code",
                                            body: "<p>That code is unknown, expired or already used.</p>"))
            }
            return action == "approve"
                ? .html(200, Self.page(title: "Device approved", body: "<p>You can return to your device.</p>"))
                : .html(200, Self.page(title: "Device denied", body: "<p>The device was not connected.</p>"))
        default:
            return .methodNotAllowed("GET, POST")
        }
    }

    private static func page(title: String, body: String) -> String {
        """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>\(escape(title))</title></head>
        <body><h1>\(escape(title))</h1>
        \(body)
        </body></html>

        """
    }

    /// See `MarkupText.escape`.
    static func escape(_ text: String) -> String { MarkupText.escape(text) }
}
