#!/usr/bin/env python3
"""Mints the JOSE test fixtures: keys (public JWKS only), tokens for every algorithm and every
rejection, each with its decoded header/payload and the expected outcome.

    python3 Tests/JOSETests/Fixtures/generate.py > Tests/JOSETests/Fixtures/fixtures.json

Keys are fresh on every run; the committed fixtures.json is what the tests read. Times are fixed
(`now` below) so the tests pass at an injected clock. Needs python3 + `cryptography`.
"""
import base64, hashlib, hmac, json, sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa, utils

NOW = 1795000000  # 2026-11-18T11:06:40Z
MAIN, HS, STRICT = "https://issuer.test", "https://hs.test", "https://strict.test"
AUD = "portcullis-api"

def b64(b): return base64.urlsafe_b64encode(b).rstrip(b"=").decode()
def jdump(o): return json.dumps(o, separators=(",", ":")).encode()
def uint(i, n): return i.to_bytes(n, "big")
HASH = {"256": hashes.SHA256(), "384": hashes.SHA384(), "512": hashes.SHA512()}

rsa1 = rsa.generate_private_key(public_exponent=65537, key_size=2048)
rsa2 = rsa.generate_private_key(public_exponent=65537, key_size=2048)
attacker = rsa.generate_private_key(public_exponent=65537, key_size=2048)
ec256 = ec.generate_private_key(ec.SECP256R1())
ec384 = ec.generate_private_key(ec.SECP384R1())
ec521 = ec.generate_private_key(ec.SECP521R1())
ed = ed25519.Ed25519PrivateKey.generate()
hs_secret = bytes(range(64))
ORDER = {
    "P-256": 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551,
    "P-384": 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973,
    "P-521": 0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409,
}
WIDTH = {"P-256": 32, "P-384": 48, "P-521": 66}

def rsa_jwk(k, kid, **extra):
    n = k.public_key().public_numbers()
    return {"kty": "RSA", "kid": kid, **extra, "n": b64(uint(n.n, 256)), "e": b64(uint(n.e, 3))}

def ec_jwk(k, kid, crv, **extra):
    n = k.public_key().public_numbers()
    w = WIDTH[crv]
    return {"kty": "EC", "kid": kid, "crv": crv, **extra, "x": b64(uint(n.x, w)), "y": b64(uint(n.y, w))}

def ed_jwk(k, kid, **extra):
    raw = k.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "kid": kid, **extra, "x": b64(raw)}

jwks = {"keys": [
    rsa_jwk(rsa1, "rsa-1", alg="RS256", use="sig"),
    rsa_jwk(rsa2, "rsa-2"),
    ec_jwk(ec256, "ec-256", "P-256", alg="ES256"),
    ec_jwk(ec384, "ec-384", "P-384"),
    ec_jwk(ec521, "ec-521", "P-521", alg="ES512"),
    ed_jwk(ed, "ed-1", alg="EdDSA"),
    rsa_jwk(rsa2, "enc-1", use="enc"),
    {"kty": "oct", "kid": "oct-1", "k": b64(b"a shared secret that must never be used")},
]}

def raw_ecdsa(der, crv):
    r, s = utils.decode_dss_signature(der)
    return uint(r, WIDTH[crv]) + uint(s, WIDTH[crv])

def sign(alg, key, data):
    fam, bits = alg[:2], alg[2:]
    if fam == "RS": return key.sign(data, padding.PKCS1v15(), HASH[bits])
    if fam == "PS":
        h = HASH[bits]
        return key.sign(data, padding.PSS(mgf=padding.MGF1(h), salt_length=h.digest_size), h)
    if fam == "ES":
        crv = {"256": "P-256", "384": "P-384", "512": "P-521"}[bits]
        return raw_ecdsa(key.sign(data, ec.ECDSA(HASH[bits])), crv)
    if fam == "HS": return hmac.new(key, data, getattr(hashlib, "sha" + bits)).digest()
    if alg == "EdDSA": return key.sign(data)
    raise ValueError(alg)

def claims(iss=MAIN, **over):
    c = {"iss": iss, "sub": "user-42", "aud": AUD, "iat": NOW - 60, "exp": NOW + 3600,
         "scope": "orders:read orders:write", "client_id": "cli-1"}
    for k, v in over.items():
        if v is None: c.pop(k, None)
        else: c[k] = v
    return c

fixtures = []
def add(name, expect, token, header, payload, note, malformed=None):
    f = {"name": name, "expect": expect, "note": note, "token": token, "header": header, "payload": payload}
    if malformed: f["malformed_reason"] = malformed
    fixtures.append(f)

def mint(name, expect, alg, key, kid=None, note="", header_extra=None, payload=None, malformed=None, sig_fn=None):
    header = {"alg": alg}
    if kid is not None: header["kid"] = kid
    header.update(header_extra or {})
    payload = payload if payload is not None else claims()
    si = b64(jdump(header)) + "." + b64(jdump(payload))
    sig = sig_fn(si.encode()) if sig_fn else sign(alg, key, si.encode())
    add(name, expect, si + "." + b64(sig), header, payload, note, malformed)
    return si, sig

# --- every algorithm, valid ---------------------------------------------------------------
mint("rs256_valid", "valid", "RS256", rsa1, "rsa-1", "RS256 with the JWK pinned to RS256")
for bits in ("384", "512"):
    mint(f"rs{bits}_valid", "valid", "RS" + bits, rsa2, "rsa-2", "RSA key without alg")
for bits in ("256", "384", "512"):
    mint(f"ps{bits}_valid", "valid", "PS" + bits, rsa2, "rsa-2", "PSS, salt = hash length")
mint("es256_valid", "valid", "ES256", ec256, "ec-256", "P-256, raw r||s")
mint("es384_valid", "valid", "ES384", ec384, "ec-384", "P-384")
mint("es512_valid", "valid", "ES512", ec521, "ec-521", "P-521, 132-byte signature")
mint("eddsa_valid", "valid", "EdDSA", ed, "ed-1", "Ed25519")
for bits in ("256", "384", "512"):
    mint(f"hs{bits}_valid", "valid", "HS" + bits, hs_secret, None, "issuer configured with a shared secret",
         payload=claims(iss=HS))
mint("no_kid_one_fitting_key", "valid", "ES384", ec384, None, "no kid, exactly one P-384 key: accepted")
mint("scp_array_valid", "valid", "RS256", rsa1, "rsa-1", "scopes from an scp array, aud array",
     payload=claims(scope=None, scp=["a:read", "b:write"], aud=["other", AUD], client_id=None, azp="cli-azp"))
mint("expired_within_skew", "valid", "RS256", rsa1, "rsa-1", "exp 30 s ago, skew 60 s", payload=claims(exp=NOW - 30))
mint("strict_at_jwt_valid", "valid", "RS256", rsa1, "rsa-1", "typ at+jwt", header_extra={"typ": "at+jwt"},
     payload=claims(iss=STRICT))
mint("strict_application_at_jwt_valid", "valid", "RS256", rsa1, "rsa-1", "typ application/AT+JWT",
     header_extra={"typ": "application/AT+JWT"}, payload=claims(iss=STRICT))

# --- algorithm attacks --------------------------------------------------------------------
for variant in ("none", "None", "NONE"):
    h = {"alg": variant}
    p = claims()
    add(f"alg_{variant}", "alg_none", b64(jdump(h)) + "." + b64(jdump(p)) + ".", h, p,
        "unsecured JWS (CVE-2015-9235 class)")
pem = rsa1.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
mint("hs256_signed_with_rsa_public_key", "algorithm_not_allowed", "HS256", pem, "rsa-1",
     "alg confusion: HMAC keyed with the issuer's RSA public key PEM (CVE-2016-10555 class)")
mint("hs256_confusion_on_hs_issuer_with_kid", "bad_signature", "HS256", pem, "rsa-1",
     "same PEM-keyed HMAC sent to an HS issuer: only the configured secret is used",
     payload=claims(iss=HS))
mint("rsa_key_with_es256_header", "key_algorithm_mismatch", "ES256", ec256, "rsa-1", "kid names an RSA key, alg ES256")
mint("es384_header_with_p256_key", "key_algorithm_mismatch", "ES384", ec384, "ec-256", "curve must match the alg")
mint("jwk_alg_mismatch", "key_algorithm_mismatch", "RS384", rsa1, "rsa-1", "JWK alg RS256, header RS384")
mint("alg_not_allowed_for_issuer", "algorithm_not_allowed", "RS256", rsa1, "rsa-1", "HS-only issuer",
     payload=claims(iss=HS))
mint("unsupported_alg", "unsupported_algorithm", "RS256", rsa1, "rsa-1", "alg ES256K is not supported",
     header_extra={"alg": "ES256K"})

# --- ECDSA signature encoding attacks -------------------------------------------------------
def es_variant(name, note, f):
    mint(name, "bad_signature", "ES256", ec256, "ec-256", note, sig_fn=lambda d: f(ec256.sign(d, ec.ECDSA(hashes.SHA256()))))
es_variant("es256_der_signature", "DER-encoded ECDSA signature instead of raw r||s", lambda der: der)
n256 = ORDER["P-256"]
es_variant("es256_r_zero", "r = 0 (CVE-2022-21449 psychic signature)", lambda der: bytes(32) + raw_ecdsa(der, "P-256")[32:])
es_variant("es256_s_zero", "s = 0", lambda der: raw_ecdsa(der, "P-256")[:32] + bytes(32))
es_variant("es256_r_s_zero", "r = s = 0", lambda der: bytes(64))
es_variant("es256_r_equals_n", "r = group order", lambda der: uint(n256, 32) + raw_ecdsa(der, "P-256")[32:])
es_variant("es256_s_equals_n", "s = group order", lambda der: raw_ecdsa(der, "P-256")[:32] + uint(n256, 32))
es_variant("es256_s_plus_n", "s + n does not fit 32 bytes: wrong length",
           lambda der: raw_ecdsa(der, "P-256")[:32] + uint(int.from_bytes(raw_ecdsa(der, "P-256")[32:], "big") + n256, 33))
mint("ps256_wrong_salt_length", "bad_signature", "PS256", rsa2, "rsa-2", "PSS with maximum salt, not hash length",
     sig_fn=lambda d: rsa2.sign(d, padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.MAX_LENGTH), hashes.SHA256()))

# --- keys named by the token ---------------------------------------------------------------
att = rsa_jwk(attacker, "attacker-key")
mint("jku_attacker_key", "unknown_key", "RS256", attacker, "attacker-key", "jku points at an attacker JWKS",
     header_extra={"jku": "https://attacker.example/jwks.json"})
mint("jwk_embedded_attacker_key", "bad_signature", "RS256", attacker, "rsa-1",
     "embedded jwk (CVE-2018-0114 class) is ignored: the issuer's rsa-1 verifies", header_extra={"jwk": att})
mint("x5u_attacker_key", "bad_signature", "RS256", attacker, "rsa-1", "x5u is ignored",
     header_extra={"x5u": "https://attacker.example/cert.pem"})

# --- key selection ---------------------------------------------------------------------------
mint("kid_unknown", "unknown_key", "RS256", rsa1, "rotated-away", "kid not in the JWKS")
mint("no_kid_two_fitting_keys", "ambiguous_key", "RS256", rsa1, None, "no kid and rsa-1, rsa-2 both fit RS256")
mint("kid_of_enc_key", "unknown_key", "RS256", rsa2, "enc-1", "use=enc keys are not loaded")

# --- signature -------------------------------------------------------------------------------
si, sig = mint("rs256_bad_signature", "bad_signature", "RS256", rsa1, "rsa-1", "one signature bit flipped",
               sig_fn=lambda d: (lambda s: s[:10] + bytes([s[10] ^ 1]) + s[11:])(sign("RS256", rsa1, d)))
h = {"alg": "RS256", "kid": "rsa-1"}
good = claims()
gsi = b64(jdump(h)) + "." + b64(jdump(good))
gsig = sign("RS256", rsa1, gsi.encode())
evil = claims(scope="admin")
add("payload_swapped", "bad_signature", b64(jdump(h)) + "." + b64(jdump(evil)) + "." + b64(gsig), h, evil,
    "payload replaced, original signature kept")

# --- header rules ----------------------------------------------------------------------------
mint("crit_unknown", "unsupported_critical", "RS256", rsa1, "rsa-1", "crit names an extension we do not know",
     header_extra={"crit": ["urn:example:ext"], "urn:example:ext": True})
mint("strict_typ_jwt", "typ_mismatch", "RS256", rsa1, "rsa-1", "issuer requires at+jwt",
     header_extra={"typ": "JWT"}, payload=claims(iss=STRICT))
mint("strict_typ_missing", "typ_mismatch", "RS256", rsa1, "rsa-1", "no typ", payload=claims(iss=STRICT))
mint("strict_missing_required_claim", "missing_claim", "RS256", rsa1, "rsa-1", "required claim client_id absent",
     header_extra={"typ": "at+jwt"}, payload=claims(iss=STRICT, client_id=None))

# --- claims ----------------------------------------------------------------------------------
mint("expired", "expired", "RS256", rsa1, "rsa-1", "exp 120 s ago, beyond 60 s skew", payload=claims(exp=NOW - 120))
mint("nbf_future", "not_yet_valid", "RS256", rsa1, "rsa-1", "nbf 300 s ahead", payload=claims(nbf=NOW + 300))
mint("iat_future", "issued_in_future", "RS256", rsa1, "rsa-1", "iat 300 s ahead", payload=claims(iat=NOW + 300))
mint("wrong_aud", "audience_mismatch", "RS256", rsa1, "rsa-1", "aud for another API", payload=claims(aud="other-api"))
mint("missing_aud", "audience_mismatch", "RS256", rsa1, "rsa-1", "no aud", payload=claims(aud=None))
mint("wrong_iss", "unknown_issuer", "RS256", rsa1, "rsa-1", "iss not configured", payload=claims(iss="https://evil.example"))
mint("missing_exp", "missing_claim", "RS256", rsa1, "rsa-1", "exp absent, required by default", payload=claims(exp=None))
mint("exp_not_number", "malformed", "RS256", rsa1, "rsa-1", "exp is a string", payload=claims(exp="tomorrow"),
     malformed="invalid_claim_type")

# --- structure -------------------------------------------------------------------------------
add("jwe_five_segments", "jwe", "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.ZW5jcnlwdGVka2V5.aXY.Y2lwaGVydGV4dA.dGFn",
    {"alg": "RSA-OAEP", "enc": "A256GCM"}, None, "compact JWE")
add("two_segments", "malformed", gsi, h, good, "no signature segment", "segment_count")
add("four_segments", "malformed", gsi + "." + b64(gsig) + ".x", h, good, "extra segment", "segment_count")
add("empty_signature", "malformed", gsi + ".", h, good, "empty signature", "empty_signature")
ph = {"alg": "RS256", "kid": "rsa-1", "x": "y"}  # 36 bytes -> base64 needs padding
psi = base64.urlsafe_b64encode(jdump(ph)).decode()
assert psi.endswith("="), psi
add("padded_base64_header", "malformed", psi + "." + b64(jdump(good)) + "." + b64(gsig), ph, good,
    "base64 padding in the header", "header_encoding")
add("padded_base64_signature", "malformed", gsi + "." + base64.urlsafe_b64encode(gsig).decode() + "==", h, good,
    "base64 padding on the signature", "signature_encoding")
std = base64.b64encode(gsig).rstrip(b"=").decode()
if "+" not in std and "/" not in std: std = std[:-2] + "+/"
add("standard_alphabet_signature", "malformed", gsi + "." + std, h, good, "+ and / are not base64url", "signature_encoding")
last = b64(gsig)
alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
noncanon = last[:-1] + alphabet[alphabet.index(last[-1]) | 1]
assert len(last) % 4 in (2, 3)
add("noncanonical_base64_signature", "malformed", gsi + "." + noncanon, h, good,
    "nonzero unused trailing bits (signature malleability)", "signature_encoding")
add("whitespace_in_token", "malformed", gsi[:10] + " " + gsi[10:] + "." + b64(gsig), h, good, "space inside the header", "header_encoding")
dup = b'{"iss":"' + MAIN.encode() + b'","iss":"https://evil.example","aud":"' + AUD.encode() + b'","exp":' + str(NOW + 3600).encode() + b'}'
dsi = b64(jdump(h)) + "." + b64(dup)
add("duplicate_claim", "malformed", dsi + "." + b64(sign("RS256", rsa1, dsi.encode())), h, dup.decode(),
    "duplicate iss member: parsers would disagree", "claims_json")
arr = b"[1,2]"
add("header_not_object", "malformed", b64(arr) + "." + b64(jdump(good)) + "." + b64(gsig), arr.decode(), good,
    "header is a JSON array", "header_not_object")
add("claims_not_object", "malformed", b64(jdump(h)) + "." + b64(b'"text"') + "." + b64(gsig), h, "text",
    "claims are a JSON string", "claims_not_object")
add("header_missing_alg", "malformed", b64(b'{"kid":"rsa-1"}') + "." + b64(jdump(good)) + "." + b64(gsig),
    {"kid": "rsa-1"}, good, "no alg", "missing_algorithm")

issuers = [
    {"issuer": MAIN, "audiences": [AUD], "clock_skew_seconds": 60, "jwks": jwks,
     "algorithms": ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"]},
    {"issuer": HS, "audiences": [AUD], "clock_skew_seconds": 60, "jwks": {"keys": []},
     "algorithms": ["HS256", "HS384", "HS512"], "shared_secret": b64(hs_secret)},
    {"issuer": STRICT, "audiences": [AUD], "clock_skew_seconds": 60, "jwks": jwks, "algorithms": ["RS256"],
     "require_typ": "at+jwt", "required_claims": ["sub", "client_id"]},
]
json.dump({"generated_by": "python3 Tests/JOSETests/Fixtures/generate.py > Tests/JOSETests/Fixtures/fixtures.json",
           "now": NOW, "issuers": issuers, "rsa1_public_pem": pem.decode(), "tokens": fixtures},
          sys.stdout, indent=1)
sys.stdout.write("\n")
