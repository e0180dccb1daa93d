#!/usr/bin/env python3
"""A loopback stand-in for the parts of Google Cloud the product uses, for the gs:// tests.

No real Cloud Storage emulator can be had offline here (README "Google Cloud"), so this serves
the documented JSON API subset (https://cloud.google.com/storage/docs/json_api/v1):
  GET    /storage/v1/b/B/o                      objects.list: prefix, delimiter, maxResults,
                                                pageToken -> nextPageToken
  GET    /storage/v1/b/B/o/NAME                 objects.get: metadata, or bytes with alt=media
                                                (x-goog-generation, x-goog-hash crc32c + md5)
  DELETE /storage/v1/b/B/o/NAME                 objects.delete
  POST   /upload/storage/v1/b/B/o               objects.insert: uploadType=media, multipart
                                                (multipart/related), resumable (session URI in
                                                Location; PUT chunks with Content-Range, 308
                                                with Range until the last; "bytes */N" asks)
  ifGenerationMatch / ifGenerationNotMatch on reads and writes (412 conditionNotMet),
  generation on reads; request bodies with Content-Length or chunked transfer encoding.
and OAuth2 the way Google's token endpoint and metadata server answer (gcs_fake_oauth.py):
  POST   /token                                 jwt-bearer grant verified with --public-key;
                                                refresh_token grant with --refresh-token
  GET    /computeMetadata/v1/instance/service-accounts/default/token  (Metadata-Flavor: Google)
  POST   /_control/expire-tokens                every token issued so far stops working (401)
With --require-auth every storage request needs a live "Authorization: Bearer" token.
--fail-chunk N: the N-th resumable chunk PUT keeps half its bytes and answers 503.
--fail-every N: every N-th storage request answers 503 backendError before doing anything.

Usage: gcs_fake_server.py PORT_FILE [options]; listens on 127.0.0.1 (an ephemeral port,
written to PORT_FILE), logs one line per request on stdout.
"""
import argparse
import base64
import email.parser
import functools
import hashlib
import json
import os
import secrets
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from gcs_fake_oauth import OAuthRoutes


def _crc_table():
    table = []
    for n in range(256):
        for _ in range(8):
            n = (n >> 1) ^ (0x82F63B78 & -(n & 1))
        table.append(n)
    return table


CRC_TABLE = _crc_table()


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc = CRC_TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def b64(raw):
    return base64.b64encode(raw).decode()


@functools.lru_cache(maxsize=64)
def hashes(data):
    """(crc32c, md5) of an object's bytes, base64, as Cloud Storage reports them."""
    return b64(crc32c(data).to_bytes(4, 'big')), b64(hashlib.md5(data).digest())


class State:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.buckets = {b: {} for b in args.bucket}   # bucket -> name -> (bytes, generation)
        self.sessions = {}                            # upload_id -> dict
        self.tokens = set()
        self.last_generation = 0
        self.chunk_puts = 0
        self.storage_requests = 0
        self.public_key = None
        if args.public_key:
            from cryptography.hazmat.primitives import serialization
            with open(args.public_key, 'rb') as f:
                self.public_key = serialization.load_pem_public_key(f.read())

    def next_generation(self):
        self.last_generation = max(self.last_generation + 1, int(time.time() * 1e6))
        return self.last_generation

    def issue_token(self):
        token = 'ya29.fake-' + secrets.token_urlsafe(24)
        self.tokens.add(token)
        return {'access_token': token, 'expires_in': self.args.token_lifetime,
                'token_type': 'Bearer'}


def resource(bucket, name, data, generation):
    return {'kind': 'storage#object', 'id': f'{bucket}/{name}/{generation}', 'name': name,
            'bucket': bucket, 'generation': str(generation), 'metageneration': '1',
            'size': str(len(data)), 'contentType': 'application/octet-stream',
            'md5Hash': hashes(data)[1], 'crc32c': hashes(data)[0],
            'timeCreated': time.strftime('%Y-%m-%dT%H:%M:%S.000Z', time.gmtime()),
            'updated': time.strftime('%Y-%m-%dT%H:%M:%S.000Z', time.gmtime())}


class Handler(OAuthRoutes, BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'gcs-fake/1'

    def log_message(self, fmt, *args):
        sys.stdout.write('%s %s\n' % (self.command, self.path.split('?')[0]))
        sys.stdout.flush()

    # -- plumbing -------------------------------------------------------------------------------
    def body(self):
        if 'chunked' in self.headers.get('Transfer-Encoding', '').lower():
            out = b''
            while True:
                size = int(self.rfile.readline().split(b';')[0].strip() or b'0', 16)
                if size == 0:
                    while self.rfile.readline() not in (b'\r\n', b'\n', b''):
                        pass
                    return out
                out += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get('Content-Length') or 0))

    def send(self, status, payload=b'', headers=None, content_type='application/json'):
        if isinstance(payload, (dict, list)):
            payload = json.dumps(payload).encode()
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if payload or status not in (204, 304):
            self.send_header('Content-Type', content_type)
        self.send_header('Content-Length', str(len(payload)))
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(payload)

    def error(self, status, reason, message):
        self.send(status, {'error': {'code': status, 'message': message,
                                     'errors': [{'reason': reason, 'message': message}]}})

    def parse(self):
        url = urllib.parse.urlsplit(self.path)
        self.query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        self.parts = [urllib.parse.unquote(p) for p in url.path.split('/')[1:]]
        return url.path

    def authorized(self):
        """False (answered) when the request is refused: injected 503, or no live token."""
        state = self.server.state
        with state.lock:
            state.storage_requests += 1
            injected = state.args.fail_every and state.storage_requests % state.args.fail_every == 0
        if injected:
            self.error(503, 'backendError', 'Injected failure.')
            return False
        if not state.args.require_auth:
            return True
        auth = self.headers.get('Authorization', '')
        if auth.startswith('Bearer ') and auth[7:] in self.server.state.tokens:
            return True
        self.error(401, 'authError', 'Invalid Credentials')
        return False

    # -- routing --------------------------------------------------------------------------------
    def do_GET(self):
        path = self.parse()
        if path == '/computeMetadata/v1/instance/service-accounts/default/token':
            return self.metadata_token()
        if not self.authorized():
            return
        p = self.parts
        if len(p) == 5 and p[:2] == ['storage', 'v1'] and p[2] == 'b' and p[4] == 'o':
            return self.list_objects(p[3])
        if len(p) >= 6 and p[:3] == ['storage', 'v1', 'b'] and p[4] == 'o':
            return self.get_object(p[3], '/'.join(p[5:]))
        if len(p) >= 7 and p[:4] == ['download', 'storage', 'v1', 'b'] and p[5] == 'o':
            self.query['alt'] = 'media'
            return self.get_object(p[4], '/'.join(p[6:]))
        self.error(404, 'notFound', 'Not Found')

    def do_DELETE(self):
        self.parse()
        if not self.authorized():
            return
        p = self.parts
        if len(p) >= 6 and p[:3] == ['storage', 'v1', 'b'] and p[4] == 'o':
            return self.delete_object(p[3], '/'.join(p[5:]))
        self.error(404, 'notFound', 'Not Found')

    def do_POST(self):
        path = self.parse()
        data = self.body()
        if path == '/token':
            return self.token(data)
        if path == '/_control/expire-tokens':
            with self.server.state.lock:
                self.server.state.tokens.clear()
            return self.send(200, {})
        if not self.authorized():
            return
        p = self.parts
        if len(p) == 6 and p[:4] == ['upload', 'storage', 'v1', 'b'] and p[5] == 'o':
            return self.insert(p[4], data)
        self.error(404, 'notFound', 'Not Found')

    def do_PUT(self):
        self.parse()
        data = self.body()
        if not self.authorized():
            return
        if self.query.get('uploadType') == 'resumable' and 'upload_id' in self.query:
            return self.put_chunk(self.query['upload_id'], data)
        self.error(404, 'notFound', 'Not Found')

    # -- objects --------------------------------------------------------------------------------
    def precondition_fails(self, current):
        gen = current[1] if current else 0
        match = self.query.get('ifGenerationMatch')
        not_match = self.query.get('ifGenerationNotMatch')
        if (match is not None and int(match) != gen) or \
                (not_match is not None and int(not_match) == gen):
            self.error(412, 'conditionNotMet',
                       'At least one of the pre-conditions you specified did not hold.')
            return True
        return False

    def bucket(self, name):
        b = self.server.state.buckets.get(name)
        if b is None:
            self.error(404, 'notFound', 'The specified bucket does not exist.')
        return b

    def get_object(self, bucket, name):
        with self.server.state.lock:
            b = self.bucket(bucket)
            if b is None:
                return
            obj = b.get(name)
            if obj is not None and 'generation' in self.query and \
                    int(self.query['generation']) != obj[1]:
                obj = None
            if obj is None:
                return self.error(404, 'notFound', f'No such object: {bucket}/{name}')
            if self.precondition_fails(obj):
                return
        data, gen = obj
        if self.query.get('alt') != 'media':
            return self.send(200, resource(bucket, name, data, gen))
        headers = {'x-goog-generation': str(gen), 'x-goog-metageneration': '1',
                   'x-goog-stored-content-length': str(len(data)),
                   'x-goog-hash': 'crc32c=%s,md5=%s' % hashes(data)}
        self.send(200, data, headers, 'application/octet-stream')

    def delete_object(self, bucket, name):
        with self.server.state.lock:
            b = self.bucket(bucket)
            if b is None:
                return
            if name not in b:
                return self.error(404, 'notFound', f'No such object: {bucket}/{name}')
            if self.precondition_fails(b[name]):
                return
            del b[name]
        self.send(204)

    def list_objects(self, bucket):
        prefix = self.query.get('prefix', '')
        delimiter = self.query.get('delimiter', '')
        page = int(self.query.get('maxResults') or 1000)
        start = self.query.get('pageToken', '')
        with self.server.state.lock:
            b = self.bucket(bucket)
            if b is None:
                return
            names = sorted(n for n in b if n.startswith(prefix) and n > start)
            items, prefixes = [], set()
            for n in names:
                cut = n.find(delimiter, len(prefix)) if delimiter else -1
                if cut >= 0:
                    prefixes.add(n[:cut + len(delimiter)])
                else:
                    items.append(resource(bucket, n, *b[n]))
        out = {'kind': 'storage#objects'}
        if len(items) > page:
            items = items[:page]
            out['nextPageToken'] = items[-1]['name']
        if items:
            out['items'] = items
        if prefixes:
            out['prefixes'] = sorted(prefixes)
        self.send(200, out)

    def commit(self, bucket, name, data, query):
        """Stores the object unless a precondition fails; answers either way."""
        self.query = query
        with self.server.state.lock:
            b = self.bucket(bucket)
            if b is None or self.precondition_fails(b.get(name)):
                return
            gen = self.server.state.next_generation()
            b[name] = (data, gen)
        self.send(200, resource(bucket, name, data, gen))

    def insert(self, bucket, data):
        kind = self.query.get('uploadType', 'media')
        if kind == 'media':
            return self.commit(bucket, self.query.get('name', ''), data, self.query)
        if kind == 'multipart':
            msg = email.parser.BytesParser().parsebytes(
                b'Content-Type: ' + self.headers['Content-Type'].encode() + b'\r\n\r\n' + data)
            parts = msg.get_payload()
            meta = json.loads(parts[0].get_payload(decode=True))
            return self.commit(bucket, meta.get('name') or self.query.get('name', ''),
                               parts[1].get_payload(decode=True), self.query)
        if kind == 'resumable':
            meta = json.loads(data) if data.strip() else {}
            name = meta.get('name') or self.query.get('name', '')
            with self.server.state.lock:
                b = self.bucket(bucket)
                if b is None or self.precondition_fails(b.get(name)):
                    return
                upload_id = secrets.token_urlsafe(16)
                self.server.state.sessions[upload_id] = {
                    'bucket': bucket, 'name': name, 'data': b'', 'query': dict(self.query)}
            host = 'http://127.0.0.1:%d' % self.server.server_address[1]
            location = (f'{host}/upload/storage/v1/b/{urllib.parse.quote(bucket)}/o?'
                        f'uploadType=resumable&upload_id={upload_id}')
            return self.send(200, b'', {'Location': location}, 'text/plain')
        self.error(400, 'invalid', f'uploadType {kind} is not supported here')

    def put_chunk(self, upload_id, data):
        state = self.server.state
        session = state.sessions.get(upload_id)
        if session is None:
            return self.error(404, 'notFound', 'No such upload session.')
        spec = self.headers.get('Content-Range', '').replace('bytes ', '', 1)
        span, _, total = spec.partition('/')
        with state.lock:
            if span != '*':
                first, _, last = span.partition('-')
                first = int(first)
                if first > len(session['data']):
                    return self.error(400, 'invalid', 'Chunk starts past the persisted bytes.')
                keep = data[len(session['data']) - first:]
                state.chunk_puts += 1
                if state.chunk_puts == state.args.fail_chunk:
                    session['data'] += keep[:len(keep) // 2]
                    return self.error(503, 'backendError', 'Injected failure mid-chunk.')
                session['data'] += keep
                if last == '*':      # "bytes N-*/*": this request carried the rest
                    total = str(len(session['data']))
            done = total != '*' and len(session['data']) >= int(total)
        if done:
            del state.sessions[upload_id]
            return self.commit(session['bucket'], session['name'], session['data'],
                               session['query'])
        headers = {'Range': 'bytes=0-%d' % (len(session['data']) - 1)} if session['data'] else {}
        self.send(308, b'', headers, 'text/plain')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('port_file')
    ap.add_argument('--bucket', action='append', default=[])
    ap.add_argument('--require-auth', action='store_true')
    ap.add_argument('--public-key', help='PEM public key that verifies service-account JWTs')
    ap.add_argument('--refresh-token', help='the one refresh_token the token endpoint accepts')
    ap.add_argument('--token-lifetime', type=int, default=3600)
    ap.add_argument('--fail-chunk', type=int, default=0)
    ap.add_argument('--fail-every', type=int, default=0)
    args = ap.parse_args()
    server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    server.daemon_threads = True
    server.state = State(args)
    with open(args.port_file + '.tmp', 'w') as f:
        f.write(str(server.server_address[1]))
    os.replace(args.port_file + '.tmp', args.port_file)
    server.serve_forever()


if __name__ == '__main__':
    main()
