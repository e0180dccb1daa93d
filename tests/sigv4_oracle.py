#!/usr/bin/python3
"""SigV4 oracle: botocore (Debian's python3-botocore) signs the same requests as `s3_tool sign`.

Usage: sigv4_oracle.py S3_TOOL. Exits 0 when every Authorization header is identical, 1 otherwise
(printing the canonical request botocore built for each mismatch). No network, no clock.
"""
import hashlib
import json
import subprocess
import sys
from urllib.parse import quote

from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

KEY, SECRET = "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
DATE = "20130524T000000Z"


def case(method, path, query=(), headers=(), body="", unsigned=False, token="",
         host="examplebucket.s3.amazonaws.com", service="s3", region="us-east-1", date=DATE):
    return dict(method=method, host=host, path=path, query=[list(q) for q in query],
                headers=[list(h) for h in headers], body=body, unsigned=unsigned, token=token,
                service=service, region=region, date=date, key=KEY, secret=SECRET)


def cases():
    odd_keys = ["/b/test.txt", "/b/a b.txt", "/b/a+b.txt", "/b/\u00fcber/caf\u00e9.csv",
                "/b/tilde~x", "/b/100%.txt", "/b/a=b&c?d", "/b/sp  two/x", "/b/star*(1)!",
                "/b/\u65e5\u672c/\U0001F600.h5", "/b/dir/", "/b/k;comma,colon:@$"]
    out = [case("GET", k) for k in odd_keys]
    out += [
        case("GET", "/test.txt", headers=[("Range", "bytes=0-9")]),
        case("GET", "/b/k", headers=[("Range", "bytes=100-199")], host="127.0.0.1:4568"),
        case("PUT", "/b/up.txt", body="hello world", headers=[("Content-Type", "text/plain")]),
        case("PUT", "/b/big.bin", unsigned=True),
        case("PUT", "/b/big.bin", unsigned=True, token="FQoGZXIvYXdzE//token+/="),
        case("GET", "/b/k", token="AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4"),
        case("POST", "/b/big.bin", query=[("uploads", "")]),
        case("PUT", "/b/big.bin", query=[("uploadId", "VXBsb2FkIElE+/=="), ("partNumber", "3")],
             unsigned=True),
        case("POST", "/b/big.bin", query=[("uploadId", "abc")],
             body="<CompleteMultipartUpload><Part><PartNumber>1</PartNumber>"
                  "<ETag>\"x\"</ETag></Part></CompleteMultipartUpload>",
             headers=[("Content-Type", "application/xml")]),
        case("DELETE", "/b/big.bin", query=[("uploadId", "abc")]),
        case("GET", "/b", query=[("list-type", "2"), ("prefix", "a/b")]),
        case("GET", "/b", query=[("prefix", "a/b c+d"), ("list-type", "2"),
                                 ("continuation-token", "1/ab+cd==")]),
        case("GET", "/", query=[("prefix", "J"), ("max-keys", "2")]),
        case("HEAD", "/b/results/17/result.json", host="b.s3.eu-west-1.amazonaws.com",
             region="eu-west-1"),
        case("GET", "/b/k", headers=[("X-Amz-Meta-Note", "  spaced   out  value ")]),
        case("GET", "/b/k", query=[("versionId", "v~1.2_3-4")], date="20251231T235959Z"),
        case("PUT", "/b/k", body="\u00fc" * 3, token="tok"),
    ]
    batch_body = json.dumps({"jobName": "sweep-x", "jobQueue": "q", "jobDefinition": "d",
                             "arrayProperties": {"size": 100}})
    for token in ("", "batch-session-token"):
        out.append(case("POST", "/v1/submitjob", body=batch_body, service="batch",
                        host="batch.us-east-1.amazonaws.com", token=token,
                        headers=[("Content-Type", "application/json")]))
    out.append(case("POST", "/v1/describejobs", body='{"jobs":["a:1"]}', service="batch",
                    host="batch.eu-west-1.amazonaws.com", region="eu-west-1",
                    headers=[("Content-Type", "application/json")]))
    return out


def botocore_sign(c):
    query = "&".join(quote(k, safe="-_.~") + "=" + quote(v, safe="-_.~") for k, v in c["query"])
    url = "https://" + c["host"] + quote(c["path"], safe="/~") + ("?" + query if query else "")
    body = c["body"].encode("utf-8")
    req = AWSRequest(method=c["method"], url=url, data=body, headers=dict(c["headers"]))
    creds = Credentials(c["key"], c["secret"], c["token"] or None)
    if c["service"] == "s3":
        auth = S3SigV4Auth(creds, "s3", c["region"])
        payload = "UNSIGNED-PAYLOAD" if c["unsigned"] else hashlib.sha256(body).hexdigest()
        auth.payload = lambda request: payload
    else:
        auth = SigV4Auth(creds, c["service"], c["region"])
    req.context["timestamp"] = c["date"]
    auth._modify_request_before_signing(req)
    canonical = auth.canonical_request(req)
    sts = auth.string_to_sign(req, canonical)
    auth._inject_signature_to_request(req, auth.signature(sts, req))
    return req.headers["Authorization"], canonical


def main():
    all_cases = cases()
    stdin = "".join(json.dumps(c) + "\n" for c in all_cases)
    ours = subprocess.run([sys.argv[1], "sign"], input=stdin, capture_output=True, text=True,
                          check=True).stdout.splitlines()
    assert len(ours) == len(all_cases), (len(ours), len(all_cases))
    bad = 0
    for c, mine in zip(all_cases, ours):
        theirs, canonical = botocore_sign(c)
        if mine != theirs:
            bad += 1
            print(f"MISMATCH {c['method']} {c['path']} {c['query']}\n ours:     {mine}\n"
                  f" botocore: {theirs}\n canonical request:\n{canonical}\n")
    print(f"sigv4 oracle: {len(all_cases) - bad}/{len(all_cases)} identical")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
