#!/usr/bin/python3
"""A stand-in for the AWS Batch API on loopback, and a botocore check of what it received.

  batch_loopback.py serve PORT_FILE LOG [--status CODE]
      Listens on 127.0.0.1 (free port written to PORT_FILE), appends every request to LOG (JSON
      Lines: method, path, headers, body) and answers SubmitJob like Batch:
      200 {"jobArn", "jobName", "jobId"}; with --status 400/429/500 a Batch-style error instead.
  batch_loopback.py verify LOG SECRET [TOKEN]
      Recomputes each request's SigV4 signature with botocore's SigV4Auth (service batch, the
      region of its credential scope, its own X-Amz-Date) and fails unless the Authorization
      headers match exactly; also validates each body as SubmitJob input. Prints the bodies.
"""
import http.server
import json
import re
import sys
import uuid


def serve(port_file, log, status):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            with open(log, "a", encoding="utf-8") as f:
                f.write(json.dumps({"method": "POST", "path": self.path,
                                    "headers": dict(self.headers.items()),
                                    "body": body.decode("utf-8")}) + "\n")
            if status != 200:
                kind = {400: "ClientException", 429: "TooManyRequestsException"}.get(
                    status, "ServerException")
                out = json.dumps({"message": f"{kind} from the loopback stand-in"}).encode()
                self.send_response(status)
                self.send_header("x-amzn-ErrorType", kind + ":http://internal.amazon.com/")
            else:
                name = json.loads(body).get("jobName", "")
                job_id = str(uuid.uuid4())
                out = json.dumps({"jobArn": f"arn:aws:batch:us-east-1:123456789012:job/{job_id}",
                                  "jobName": name, "jobId": job_id}).encode()
                self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    with open(port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    import os
    os.rename(port_file + ".tmp", port_file)
    server.serve_forever()


AUTH = re.compile(r"^AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request, "
                  r"SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$")


def verify(log, secret, token):
    import botocore.session
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    from botocore.validate import ParamValidator

    shape = botocore.session.get_session().get_service_model("batch") \
        .operation_model("SubmitJob").input_shape
    requests = [json.loads(line) for line in open(log, encoding="utf-8") if line.strip()]
    if not requests:
        print("no request recorded", file=sys.stderr)
        return 1
    bad = 0
    for i, r in enumerate(requests):
        headers = {k.lower(): v for k, v in r["headers"].items()}
        m = AUTH.match(headers.get("authorization", ""))
        if not m:
            print(f"request {i}: malformed Authorization: {headers.get('authorization')}",
                  file=sys.stderr)
            bad += 1
            continue
        key_id, _, region, service, signed, _ = m.groups()
        want_signed = ["content-type", "host", "x-amz-date"] + (
            ["x-amz-security-token"] if token else [])
        if service != "batch" or signed.split(";") != sorted(want_signed):
            print(f"request {i}: service {service}, SignedHeaders {signed}", file=sys.stderr)
            bad += 1
        if r["path"] != "/v1/submitjob" or headers.get("content-type") != "application/json":
            print(f"request {i}: path {r['path']}, content-type {headers.get('content-type')}",
                  file=sys.stderr)
            bad += 1
        req = AWSRequest(method=r["method"], url="http://" + headers["host"] + r["path"],
                         data=r["body"].encode("utf-8"),
                         headers={h: headers[h] for h in signed.split(";")
                                  if h not in ("host", "x-amz-date", "x-amz-security-token")})
        auth = SigV4Auth(Credentials(key_id, secret, token or None), "batch", region)
        req.context["timestamp"] = headers["x-amz-date"]
        auth._modify_request_before_signing(req)
        sts = auth.string_to_sign(req, auth.canonical_request(req))
        auth._inject_signature_to_request(req, auth.signature(sts, req))
        if req.headers["Authorization"] != headers["authorization"]:
            print(f"request {i}: signature mismatch\n  sent:     {headers['authorization']}\n"
                  f"  botocore: {req.headers['Authorization']}\n"
                  f"  canonical request:\n{auth.canonical_request(req)}", file=sys.stderr)
            bad += 1
        report = ParamValidator().validate(json.loads(r["body"]), shape)
        if report.has_errors():
            print(f"request {i}: {report.generate_report()}", file=sys.stderr)
            bad += 1
        print(r["body"])
    print(f"{len(requests) - bad}/{len(requests)} requests signed as botocore signs them",
          file=sys.stderr)
    return 1 if bad else 0


def main(argv):
    if len(argv) >= 3 and argv[0] == "serve":
        status = int(argv[4]) if len(argv) == 5 and argv[3] == "--status" else 200
        serve(argv[1], argv[2], status)
        return 0
    if len(argv) in (3, 4) and argv[0] == "verify":
        return verify(argv[1], argv[2], argv[3] if len(argv) == 4 else "")
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
