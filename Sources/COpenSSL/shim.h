#ifndef PORTCULLIS_COPENSSL_SHIM_H
#define PORTCULLIS_COPENSSL_SHIM_H
// OpenSSL 3 headers Portcullis uses. Only the EVP / OSSL_PARAM / BN APIs, never the
// deprecated RSA_* / EC_KEY_* ones.
#include <openssl/evp.h>
#include <openssl/err.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <openssl/kdf.h>
#include <openssl/rsa.h>
#include <openssl/bio.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <openssl/x509_vfy.h>

// libssl macros Swift cannot import, as functions (used by PortcullisTLS only).
static inline long portcullis_ssl_ctx_set_min_proto(SSL_CTX *ctx, int version) {
    return SSL_CTX_set_min_proto_version(ctx, version);
}
static inline long portcullis_ssl_ctx_set_groups(SSL_CTX *ctx, const char *list) {
    return SSL_CTX_set1_groups_list(ctx, list);
}
static inline long portcullis_ssl_ctx_set_session_cache_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_session_cache_mode(ctx, mode);
}
static inline long portcullis_ssl_ctx_set_servername_callback(SSL_CTX *ctx, int (*cb)(SSL *, int *, void *), void *arg) {
    SSL_CTX_set_tlsext_servername_arg(ctx, arg);
    return SSL_CTX_set_tlsext_servername_callback(ctx, cb);
}
/// The options every Portcullis context sets: no compression, no renegotiation, the server's suite order.
static inline uint64_t portcullis_ssl_default_options(void) {
    return SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE;
}
static inline uint64_t portcullis_ssl_op_no_ticket(void) { return SSL_OP_NO_TICKET; }
static inline long portcullis_ssl_set_host_name(SSL *ssl, const char *name) {
    return SSL_set_tlsext_host_name(ssl, name);
}
static inline long portcullis_ssl_ctx_set_max_cert_list(SSL_CTX *ctx, long bytes) {
    return SSL_CTX_set_max_cert_list(ctx, bytes);
}
static inline long portcullis_ssl_ctx_set_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_mode(ctx, mode);
}
static inline long portcullis_bio_mem_data(BIO *bio, char **data) {
    return BIO_get_mem_data(bio, data);
}
static inline void portcullis_bio_set_retry_read(BIO *bio) { BIO_set_retry_read(bio); }
static inline void portcullis_bio_clear_retry_flags(BIO *bio) { BIO_clear_retry_flags(bio); }
/// `XN_FLAG_RFC2253`: distinguished names printed as RFC 2253/4514 strings.
static inline unsigned long portcullis_xn_flag_rfc2253(void) { return XN_FLAG_RFC2253; }
static inline void portcullis_openssl_free(void *pointer) { OPENSSL_free(pointer); }
/// Keys the session ticket HMAC with `key` (SHA-256), for the ticket key callback.
static inline int portcullis_ticket_mac_init(EVP_MAC_CTX *mac, unsigned char *key, size_t length) {
    OSSL_PARAM params[3];
    params[0] = OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_KEY, key, length);
    params[1] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0);
    params[2] = OSSL_PARAM_construct_end();
    return EVP_MAC_CTX_set_params(mac, params);
}
#endif
