#!/usr/bin/env bash
# The service-account JWT (cloud/gcp/jwt.cc, libcrypto) checked by two independent verifiers:
# OpenSSL's command line and python3-cryptography verify its RS256 signature with the public
# key, and Python reads its header and claims. A JWT with one claim changed must fail both.
source "$(dirname "$0")/gcs_lib.sh"
make_key sa https://oauth2.googleapis.com/token
"$TOOL" jwt "$T/sa.json" 1767225600 >"$T/jwt"
IFS=. read -r head claims sig <"$T/jwt"

unb64url() { local s=$1; s=${s//-/+}; s=${s//_//}; while ((${#s} % 4)); do s+='='; done; base64 -d <<<"$s"; }
unb64url "$sig" >"$T/sig.bin"
printf '%s.%s' "$head" "$claims" >"$T/signed"
openssl dgst -sha256 -verify "$T/sa.pub" -signature "$T/sig.bin" "$T/signed" ||
  fail "openssl does not verify the signature"

cat >"$T/verify.py" <<'PYEOF'
import base64, json, sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
def dec(s): return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
head, claims, sig = open(sys.argv[2]).read().strip().split(".")
key = serialization.load_pem_public_key(open(sys.argv[1], "rb").read())
key.verify(dec(sig), f"{head}.{claims}".encode(), padding.PKCS1v15(), hashes.SHA256())
h, c = json.loads(dec(head)), json.loads(dec(claims))
assert h == {"alg": "RS256", "typ": "JWT", "kid": "0123456789abcdef"}, h
assert c == {"iss": "trainer@sweep-test.iam.gserviceaccount.com",
             "scope": "https://www.googleapis.com/auth/devstorage.read_write",
             "aud": "https://oauth2.googleapis.com/token",
             "iat": 1767225600, "exp": 1767225600 + 3600}, c
print("python3-cryptography: signature and claims ok")
PYEOF
"$PY" "$T/verify.py" "$T/sa.pub" "$T/jwt" || fail "python3-cryptography rejects the JWT"

echo "== a JWT with a changed claim fails both verifiers"
forged=$(printf '%s' "$(unb64url "$claims")" | sed 's/1767229200/1767299999/' |
  base64 -w0 | tr '+/' '-_' | tr -d '=')
[[ $forged != "$claims" ]] || fail "forging did not change the claims"
printf '%s.%s.%s\n' "$head" "$forged" "$sig" >"$T/forged"
printf '%s.%s' "$head" "$forged" >"$T/forged.signed"
! openssl dgst -sha256 -verify "$T/sa.pub" -signature "$T/sig.bin" "$T/forged.signed" \
  >/dev/null 2>&1 || fail "openssl verified a forged JWT"
! "$PY" "$T/verify.py" "$T/sa.pub" "$T/forged" 2>/dev/null || fail "python verified a forged JWT"
echo "gcs jwt test: ok"
