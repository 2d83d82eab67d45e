// Build and run: gcc -O2 -o /tmp/rsa_verify_floor loadtest/tools/rsa_verify_floor.c -lcrypto && taskset -c 0 /tmp/rsa_verify_floor 2
// The libcrypto floor of one JWS RS256 verification, in C, beside what `openssl speed rsa2048` times:
//   raw:   EVP_PKEY_verify of a 36-byte block, no digest, no DigestInfo (openssl speed's loop)
//   jws:   SHA-256 of a 300-byte signing input (a reused EVP_MD_CTX) + EVP_PKEY_verify with
//          PKCS#1 v1.5 + sha256 on a prepared, reused EVP_PKEY_CTX (what Portcullis does)
// Each loop runs for N seconds of thread CPU time; prints verifications per CPU second.
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
static double cpu(void) { struct timespec t; clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t); return t.tv_sec + t.tv_nsec / 1e9; }
int main(int argc, char **argv) {
    double secs = argc > 1 ? atof(argv[1]) : 2;
    EVP_PKEY *key = EVP_RSA_gen(2048);
    unsigned char input[300]; memset(input, 'a', sizeof input);
    unsigned char digest[32]; unsigned int dlen;
    EVP_Digest(input, sizeof input, digest, &dlen, EVP_sha256(), NULL);
    // jws signature
    EVP_PKEY_CTX *sctx = EVP_PKEY_CTX_new(key, NULL);
    EVP_PKEY_sign_init(sctx); EVP_PKEY_CTX_set_rsa_padding(sctx, RSA_PKCS1_PADDING); EVP_PKEY_CTX_set_signature_md(sctx, EVP_sha256());
    unsigned char sig[256]; size_t slen = sizeof sig; EVP_PKEY_sign(sctx, sig, &slen, digest, 32);
    // raw signature of 36 bytes (as speed.c)
    EVP_PKEY_CTX *rctx = EVP_PKEY_CTX_new(key, NULL); EVP_PKEY_sign_init(rctx);
    unsigned char buf[36]; memset(buf, 7, 36); unsigned char rsig[256]; size_t rlen = sizeof rsig; EVP_PKEY_sign(rctx, rsig, &rlen, buf, 36);
    // public-only key, as a JWK becomes one (n, e through EVP_PKEY_fromdata)
    BIGNUM *n = NULL, *e = NULL; EVP_PKEY_get_bn_param(key, "n", &n); EVP_PKEY_get_bn_param(key, "e", &e);
    OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new(); OSSL_PARAM_BLD_push_BN(b, "n", n); OSSL_PARAM_BLD_push_BN(b, "e", e);
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(b);
    EVP_PKEY_CTX *fctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL); EVP_PKEY_fromdata_init(fctx);
    EVP_PKEY *pub = NULL; EVP_PKEY_fromdata(fctx, &pub, EVP_PKEY_PUBLIC_KEY, params);
    for (int k = 0; k < 2; k++) {
        EVP_PKEY *vk = k == 0 ? key : pub;
        EVP_PKEY_CTX *raw = EVP_PKEY_CTX_new(vk, NULL); EVP_PKEY_verify_init(raw);
        long ops = 0; double t0 = cpu();
        while (cpu() - t0 < secs) { for (int i = 0; i < 64; i++) if (EVP_PKEY_verify(raw, rsig, rlen, buf, 36) != 1) return 1; ops += 64; }
        double rawRate = ops / (cpu() - t0);
        EVP_PKEY_CTX *v = EVP_PKEY_CTX_new(vk, NULL); EVP_PKEY_verify_init(v);
        EVP_PKEY_CTX_set_rsa_padding(v, RSA_PKCS1_PADDING); EVP_PKEY_CTX_set_signature_md(v, EVP_sha256());
        EVP_MD_CTX *md = EVP_MD_CTX_new();
        ops = 0; t0 = cpu();
        while (cpu() - t0 < secs) {
            for (int i = 0; i < 64; i++) {
                EVP_DigestInit_ex(md, EVP_sha256(), NULL); EVP_DigestUpdate(md, input, sizeof input); EVP_DigestFinal_ex(md, digest, &dlen);
                if (EVP_PKEY_verify(v, sig, slen, digest, 32) != 1) return 2;
            }
            ops += 64;
        }
        double jwsRate = ops / (cpu() - t0);
        printf("%s key: raw (openssl speed's loop) %.0f/s  jws (sha256 + PKCS#1 v1.5 DigestInfo) %.0f/s  ratio %.3f\n",
               k == 0 ? "generated" : "public-from-n,e", rawRate, jwsRate, jwsRate / rawRate);
    }
    return 0;
}
