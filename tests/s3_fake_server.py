#!/usr/bin/env python3
"""Loopback HTTP endpoints for the S3 end-to-end tests (standard library only).

  s3_fake_server.py PORT_FILE flaky UPSTREAM N KIND [MATCH]
      the first N requests whose "METHOD PATH" matches the regular expression MATCH (default:
      every request) meet fault KIND; all other requests are proxied to UPSTREAM. KIND:
        500        500 InternalError, not proxied
        slowdown   503 SlowDown, not proxied
        reset      the connection closed before any answer, not proxied
        midreset   proxied (the request takes effect), then the connection reset (RST) halfway
                   through the answer: half its body, or half its head when it has no body
        truncate   proxied, then the answer's head with its full Content-Length and half its
                   body, and the connection closed (a truncated body)
        slow:S     proxied, answered after S seconds (a slow answer that still succeeds)
      N = 1000000 makes the fault persist.
  s3_fake_server.py PORT_FILE failpart UPSTREAM       proxies, but UploadPart 2 gets 403
  s3_fake_server.py PORT_FILE slowput UPSTREAM TEXT SECONDS MARKER
                                                       proxies, but a PUT whose path holds TEXT
                                                       first touches MARKER, then waits SECONDS
  s3_fake_server.py PORT_FILE forbidden               every request: 403 AccessDenied
  s3_fake_server.py PORT_FILE conditional             an in-memory bucket: PUT stores (with
                                                       If-None-Match: * on an existing key: 412
                                                       PreconditionFailed, nothing stored), GET
                                                       reads (404 NoSuchKey)
  s3_fake_server.py PORT_FILE container KEYID TTL [TOKEN]  ECS/Batch container credentials JSON
  s3_fake_server.py PORT_FILE imds KEYID TTL [SPOT]   EC2 IMDSv2 (token PUT, role, credentials;
                                                       spot/instance-action: 404, or a terminate
                                                       notice once the file SPOT exists)
  s3_fake_server.py PORT_FILE sts KEYID TTL TOKEN [SECRET]
      STS: AssumeRoleWithWebIdentity (unsigned form POST; a WebIdentityToken other than TOKEN:
      400) and AssumeRole, whose SigV4 signature botocore recomputes (secret SECRET, or the
      served SecretAccessKey for keys this server handed out; a mismatch: 403
      SignatureDoesNotMatch) and whose form botocore's STS model validates (400 otherwise).
  s3_fake_server.py PORT_FILE sso KEYID TTL TOKEN
      SSO portal GetRoleCredentials: the query and bearer-token header read back through
      botocore's SSO model and validated with its parameter validator (400 otherwise); a token
      other than TOKEN: 401 UnauthorizedException. Logs "sso role_name=R account_id=A".
      Also SSO OIDC CreateToken (POST /token, JSON validated with botocore's sso-oidc model):
      refresh token "refresh-N" answers TOKEN, expiresIn 3600 and "refresh-N+1"; any other:
      400 invalid_grant. Logs "oidc grantType=G clientId=C refreshToken=R".

Standard library only, except the AssumeRole and SSO checks (Debian's python3-botocore).
Binds 127.0.0.1 on a free port and writes it to PORT_FILE. Each request is logged as one line
("METHOD PATH") on stdout. KEYID ending in '#' gets the request counter appended (ASIA1, ASIA2...);
TTL is the seconds until the served credentials' Expiration.
"""
import datetime
import http.client
import json
import os
import re
import socket
import struct
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARGS = sys.argv[2:]
MODE = ARGS[0]
STATE = {"requests": 0, "credentials": 0, "matched": 0}
LOCK = threading.Lock()


def error_xml(code, message):
    return (f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code>'
            f"<Message>{message}</Message><RequestId>1</RequestId></Error>").encode()


def next_credentials():
    """(key id, expiry) of the next credentials served: KEYID, numbered if it ends in '#'."""
    STATE["credentials"] += 1
    keyid = ARGS[1]
    if keyid.endswith("#"):
        keyid = keyid[:-1] + str(STATE["credentials"])
    return keyid, datetime.datetime.now(datetime.timezone.utc) + \
        datetime.timedelta(seconds=int(ARGS[2]))


def credentials_json(with_code):
    keyid, expires = next_credentials()
    body = {"AccessKeyId": keyid, "SecretAccessKey": "FakeSecretFromEndpoint",
            "Token": f"session-token-{STATE['credentials']}",
            "Expiration": expires.strftime("%Y-%m-%dT%H:%M:%SZ")}
    if with_code:
        body.update(Code="Success", Type="AWS-HMAC", LastUpdated="2026-01-01T00:00:00Z")
    else:
        body["RoleArn"] = "arn:aws:iam::123456789012:role/sweep-job"
    return json.dumps(body).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", content_type="application/xml"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def handle_any(self):
        STATE["requests"] += 1
        print(f"{self.command} {self.path}", flush=True)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        getattr(self, "mode_" + MODE)(body)

    do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = handle_any

    def mode_failpart(self, body):
        if "partNumber=2&" in self.path:
            return self.reply(403, error_xml("AccessDenied", "Access Denied"))
        self.proxy(ARGS[1], body)

    def mode_slowput(self, body):
        upstream, text, seconds, marker = ARGS[1], ARGS[2], float(ARGS[3]), ARGS[4]
        if self.command == "PUT" and text in self.path:
            open(marker, "a").close()
            time.sleep(seconds)
        self.proxy(upstream, body)

    def mode_flaky(self, body):
        upstream, failures, kind = ARGS[1], int(ARGS[2]), ARGS[3]
        match = ARGS[4] if len(ARGS) > 4 else ""
        with LOCK:
            faulty = re.search(match, f"{self.command} {self.path}") is not None
            if faulty:
                STATE["matched"] += 1
                faulty = STATE["matched"] <= failures
        if not faulty:
            return self.proxy(upstream, body)
        if kind == "reset":
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if kind == "slowdown":
            return self.reply(503, error_xml("SlowDown", "Please reduce your request rate."))
        if kind == "500":
            return self.reply(500, error_xml("InternalError", "We encountered an internal error."))
        if kind.startswith("slow:"):
            time.sleep(float(kind[5:]))
            return self.proxy(upstream, body)
        if kind in ("midreset", "truncate"):
            return self.proxy(upstream, body, cut=kind)
        raise ValueError("unknown fault " + kind)

    def proxy(self, upstream, body, cut=None):
        """Forwards the request; `cut` (midreset | truncate) breaks the answer on its way back."""
        host, port = upstream.split("//")[1].split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        headers = {k: v for k, v in self.headers.items()}
        conn.request(self.command, self.path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        if self.command == "HEAD":
            data = b""
        head = [f"HTTP/1.1 {resp.status} {resp.reason}\r\n"]
        for k, v in resp.getheaders():
            if k.lower() not in ("content-length", "transfer-encoding", "connection", "date",
                                 "server"):
                head.append(f"{k}: {v}\r\n")
        length = resp.getheader("Content-Length") if self.command == "HEAD" else len(data)
        head.append(f"Content-Length: {length}\r\n\r\n")
        head = "".join(head).encode("latin-1")
        if cut is None:
            return self.wfile.write(head + data)
        self.close_connection = True
        if cut == "midreset":
            sent = head + data[:len(data) // 2] if data else head[:len(head) // 2]
            self.wfile.write(sent)
            self.wfile.flush()
            # SO_LINGER 0: close sends RST, not FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
            return
        self.wfile.write(head + data[:len(data) // 2])
        self.wfile.flush()
        self.connection.shutdown(socket.SHUT_RDWR)

    def mode_conditional(self, body):
        with LOCK:
            objects = STATE.setdefault("objects", {})
            if self.command == "PUT":
                if self.headers.get("If-None-Match") == "*" and self.path in objects:
                    return self.reply(412, error_xml("PreconditionFailed", "At least one of the "
                                                     "pre-conditions you specified did not hold"))
                objects[self.path] = body
                return self.reply(200)
            if self.path in objects:
                return self.reply(200, objects[self.path], "application/octet-stream")
        return self.reply(404, error_xml("NoSuchKey", "The specified key does not exist."))

    def mode_forbidden(self, body):
        self.reply(403, error_xml("AccessDenied", "Access Denied"))

    def mode_container(self, body):
        token = ARGS[3] if len(ARGS) > 3 else ""
        if token and self.headers.get("Authorization") != token:
            return self.reply(401, b'{"message":"bad token"}', "application/json")
        self.reply(200, credentials_json(with_code=False), "application/json")

    def mode_imds(self, body):
        token = "imds-session-token"
        if self.command == "PUT" and self.path == "/latest/api/token":
            if not self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
                return self.reply(400, b"", "text/plain")
            return self.reply(200, token.encode(), "text/plain")
        if self.headers.get("X-aws-ec2-metadata-token") != token:
            return self.reply(401, b"", "text/plain")
        base = "/latest/meta-data/iam/security-credentials/"
        if self.path == base:
            return self.reply(200, b"sweep-role", "text/plain")
        if self.path == base + "sweep-role":
            return self.reply(200, credentials_json(with_code=True), "text/plain")
        if self.path == "/latest/meta-data/spot/instance-action" and len(ARGS) > 3 and \
                os.path.exists(ARGS[3]):
            notice = {"action": "terminate", "time": "2026-12-07T05:00:00Z"}
            return self.reply(200, json.dumps(notice).encode(), "text/plain")
        self.reply(404, b"", "text/plain")


def sts_xml(action="AssumeRoleWithWebIdentity"):
    keyid, expires = next_credentials()
    return (
        f'<{action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
        f"<{action}Result><Credentials>"
        f"<AccessKeyId>{keyid}</AccessKeyId><SecretAccessKey>FakeSecretFromEndpoint</SecretAccessKey>"
        f"<SessionToken>session-token-{STATE['credentials']}</SessionToken>"
        f"<Expiration>{expires.strftime('%Y-%m-%dT%H:%M:%SZ')}</Expiration>"
        f"</Credentials></{action}Result></{action}Response>"
    ).encode()


def check_assume_role(self, body, form):
    """An error reply's (status, code, message) for a bad AssumeRole request, else None."""
    import re
    import botocore.session
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    from botocore.validate import ParamValidator

    headers = {k.lower(): v for k, v in self.headers.items()}
    m = re.match(r"^AWS4-HMAC-SHA256 Credential=([^/]+)/\d{8}/([^/]+)/sts/aws4_request, "
                 r"SignedHeaders=([a-z0-9;-]+), Signature=[0-9a-f]{64}$",
                 headers.get("authorization", ""))
    if not m:
        return 403, "IncompleteSignature", "no SigV4 Authorization for service sts"
    key_id, region, signed = m.groups()
    secret = "FakeSecretFromEndpoint" if key_id.startswith(ARGS[1].rstrip("#")) else ARGS[4]
    req = AWSRequest(method="POST", url="http://" + headers["host"] + self.path, data=body,
                     headers={h: headers[h] for h in signed.split(";")
                              if h not in ("host", "x-amz-date", "x-amz-security-token")})
    auth = SigV4Auth(Credentials(key_id, secret, headers.get("x-amz-security-token")), "sts",
                     region)
    req.context["timestamp"] = headers["x-amz-date"]
    auth._modify_request_before_signing(req)
    auth._inject_signature_to_request(
        req, auth.signature(auth.string_to_sign(req, auth.canonical_request(req)), req))
    if req.headers["Authorization"] != headers["authorization"]:
        return 403, "SignatureDoesNotMatch", "signature differs from botocore's"
    params = {k: v for k, v in form.items() if k not in ("Action", "Version")}
    if "DurationSeconds" in params:
        params["DurationSeconds"] = int(params["DurationSeconds"])
    shape = botocore.session.get_session().get_service_model("sts") \
        .operation_model("AssumeRole").input_shape
    report = ParamValidator().validate(params, shape)
    if report.has_errors():
        return 400, "ValidationError", report.generate_report()
    print(f"signed by {key_id} for {region}, as botocore signs", flush=True)
    return None


def _sts(self, body):
    form = {k: v[0] for k, v in urllib.parse.parse_qs(body.decode()).items()}
    print("form " + " ".join(f"{k}={form[k]}" for k in sorted(form) if k != "WebIdentityToken"),
          flush=True)
    if form.get("Action") == "AssumeRole" and form.get("Version") == "2011-06-15":
        error = check_assume_role(self, body, form)
        if error:
            return self.reply(error[0], error_xml(error[1], error[2]))
        return self.reply(200, sts_xml("AssumeRole"), "text/xml")
    if self.command != "POST" or self.headers.get("Authorization"):
        return self.reply(400, error_xml("InvalidRequest", "expected an unsigned POST"))
    if form.get("Action") != "AssumeRoleWithWebIdentity" or form.get("Version") != "2011-06-15":
        return self.reply(400, error_xml("InvalidAction", "bad Action/Version"))
    if form.get("WebIdentityToken") != ARGS[3]:
        return self.reply(400, error_xml("InvalidIdentityToken", "Incorrect token audience"))
    self.reply(200, sts_xml(), "text/xml")


Handler.mode_sts = _sts


def _sso_oidc(self, body):
    import botocore.session
    from botocore.validate import ParamValidator

    shape = botocore.session.get_session().get_service_model("sso-oidc") \
        .operation_model("CreateToken").input_shape
    try:
        params = json.loads(body)
    except ValueError:
        params = None
    report = ParamValidator().validate(params, shape) if isinstance(params, dict) else None
    if report is None or report.has_errors() or self.headers.get("Authorization") \
            or not self.headers.get("Content-Type", "").startswith("application/json"):
        message = report.generate_report() if report else "body is not a JSON object"
        return self.reply(400, json.dumps({"error": "invalid_request",
                                           "error_description": message}).encode(),
                          "application/json")
    print(f"oidc grantType={params['grantType']} clientId={params['clientId']} "
          f"refreshToken={params.get('refreshToken')}", flush=True)
    refresh = params.get("refreshToken", "")
    if params["grantType"] != "refresh_token" or not refresh.startswith("refresh-") \
            or params["clientSecret"] != "client-secret":
        return self.reply(400, b'{"error":"invalid_grant"}', "application/json")
    self.reply(200, json.dumps({"accessToken": ARGS[3], "tokenType": "Bearer", "expiresIn": 3600,
                                "refreshToken": f"refresh-{int(refresh[8:]) + 1}"}).encode(),
               "application/json")


def _sso(self, body):
    import botocore.session
    from botocore.validate import ParamValidator

    if self.command == "POST" and self.path == "/token":
        return _sso_oidc(self, body)
    op = botocore.session.get_session().get_service_model("sso") \
        .operation_model("GetRoleCredentials")
    url = urllib.parse.urlsplit(self.path)
    query = {k: v[0] for k, v in urllib.parse.parse_qs(url.query).items()}
    if self.command != op.http["method"] or url.path != op.http["requestUri"] \
            or self.headers.get("Authorization"):
        return self.reply(400, b'{"message":"expected an unsigned GET /federation/credentials"}',
                          "application/json")
    params, known = {}, set()
    for name, member in op.input_shape.members.items():
        where = member.serialization["location"]
        key = member.serialization["name"]
        known.add((where, key.lower()))
        value = query.get(key) if where == "querystring" else self.headers.get(key)
        if value is not None:
            params[name] = value
    extra = [k for k in query if ("querystring", k.lower()) not in known]
    report = ParamValidator().validate(params, op.input_shape)
    if extra or report.has_errors():
        message = report.generate_report() if report.has_errors() else f"unknown query {extra}"
        return self.reply(400, json.dumps({"message": message}).encode(), "application/json")
    print(f"sso role_name={params['roleName']} account_id={params['accountId']}", flush=True)
    if params["accessToken"] != ARGS[3]:
        self.send_response(401)
        self.send_header("x-amzn-ErrorType", "UnauthorizedException")
        data = b'{"message":"Session token not found or invalid"}'
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return self.wfile.write(data)
    keyid, expires = next_credentials()
    creds = {"accessKeyId": keyid, "secretAccessKey": "FakeSecretFromEndpoint",
             "sessionToken": f"session-token-{STATE['credentials']}",
             "expiration": int(expires.timestamp() * 1000)}
    self.reply(200, json.dumps({"roleCredentials": creds}).encode(), "application/json")


Handler.mode_sso = _sso


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(sys.argv[1] + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    import os
    os.rename(sys.argv[1] + ".tmp", sys.argv[1])
    server.serve_forever()


if __name__ == "__main__":
    main()
