/// The embedded default configuration: the same bytes as `config/portcullis.json` (a test keeps
/// them identical), used by `portcullis` when run with no `--config` outside the repository.
public enum EmbeddedDefaultConfig {
    /// The JSON text.
    public static let json = #"""
{
  "listen": "127.0.0.1:8080",
  "workers": 0,
  "realm": "portcullis",
  "upstreams": {
    "demo": { "targets": ["http://127.0.0.1:9100"] }
  },
  "routes": [
    { "name": "status", "methods": ["GET"], "path": "/v1/status", "upstream": "demo", "public": true },

    { "name": "port-calls.read", "methods": ["GET"], "path": "/v1/port-calls/**", "upstream": "demo", "scopes": ["read:port_calls"] },
    { "name": "port-calls.write", "methods": ["POST", "PUT", "PATCH"], "path": "/v1/port-calls/**", "upstream": "demo", "scopes": ["write:port_calls"] },
    { "name": "port-calls.delete", "methods": ["DELETE"], "path": "/v1/port-calls/**", "upstream": "demo", "scopes": ["delete:port_calls"] },

    { "name": "vessels.read", "methods": ["GET"], "path": "/v1/vessels/**", "upstream": "demo", "scopes": ["read:vessels"] },

    { "name": "invoices.read", "methods": ["GET"], "path": "/v1/invoices/**", "upstream": "demo", "any_scopes": ["read:invoices", "write:invoices"] },
    { "name": "invoices.write", "methods": ["POST", "PUT", "PATCH"], "path": "/v1/invoices/**", "upstream": "demo", "scopes": ["write:invoices"] },

    { "name": "admin", "path": "/v1/admin/**", "upstream": "demo", "scopes": ["admin"] }
  ],
  "scope_aliases": {
    "port-calls:read": "read:port_calls",
    "vessels:read": "read:vessels"
  },
  "superuser_scopes": ["admin"],
  "issuers": [
    {
      "issuer": "http://127.0.0.1:9000",
      "jwks_uri": "http://127.0.0.1:9000/.well-known/jwks.json",
      "audiences": ["portcullis-demo"],
      "algorithms": ["RS256", "ES256"],
      "clock_skew_seconds": 60,
      "require_typ": "at+jwt"
    }
  ],
  "identity_headers": {
    "X-Auth-Subject": "sub",
    "X-Auth-Client-Id": "client_id",
    "X-Auth-Scopes": "scope"
  },
  "admin": { "listen": "127.0.0.1:9901" },
  "demo_api": { "listen": "127.0.0.1:9100" },
  "dev_issuer": {
    "listen": "127.0.0.1:9000",
    "issuer": "http://127.0.0.1:9000",
    "audience": "portcullis-demo",
    "access_token_ttl_seconds": 3600,
    "user": { "sub": "demo-user", "name": "Demo User", "email": "demo@example.com" },
    "clients": [
      {
        "client_id": "demo-service",
        "client_secret": "demo-service-secret",
        "grant_types": ["client_credentials"],
        "scopes": ["read:port_calls", "write:port_calls", "delete:port_calls", "read:vessels",
                   "read:invoices", "write:invoices"]
      },
      {
        "client_id": "demo-app",
        "grant_types": ["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"],
        "scopes": ["read:port_calls", "read:vessels", "read:invoices"],
        "redirect_uris": ["http://127.0.0.1:8085/callback"]
      }
    ]
  },
  "log": { "level": "info" }
}
"""#
}
