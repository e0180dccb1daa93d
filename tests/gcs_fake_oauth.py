"""OAuth 2.0 for tests/gcs_fake_server.py, the way Google's token endpoint and metadata server
answer:
  POST /token             jwt-bearer grant: the RS256 JWT is verified with the server's public
                          key (python3-cryptography), aud/iat/exp/scope checked; refresh_token
                          grant with the one --refresh-token
  GET  /computeMetadata/v1/instance/service-accounts/default/token  (Metadata-Flavor: Google)
OAuthRoutes is a mixin of the server's request handler: it uses the handler's send() and
server.state (lock, public_key, args.refresh_token, issue_token()).
"""
import base64
import json
import time
import urllib.parse

JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer'
SCOPE = 'https://www.googleapis.com/auth/devstorage.read_write'


def b64url_decode(s):
    return base64.urlsafe_b64decode(s + '=' * (-len(s) % 4))


def jwt_problem(public_key, assertion, audience):
    """None when `assertion` is a live, signed service-account JWT for `audience` with the
    storage scope; else the reason Google's endpoint gives."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding
    try:
        head, claims, sig = assertion.split('.')
        header = json.loads(b64url_decode(head))
        body = json.loads(b64url_decode(claims))
    except ValueError:
        return 'Invalid JWT.'
    if public_key is None or header.get('alg') != 'RS256':
        return 'Invalid JWT Signature.'
    try:
        public_key.verify(b64url_decode(sig), f'{head}.{claims}'.encode(), padding.PKCS1v15(),
                          hashes.SHA256())
    except InvalidSignature:
        return 'Invalid JWT Signature.'
    now = time.time()
    if body.get('aud') != audience:
        return 'Invalid JWT: audience.'
    if not body.get('iat', 1e18) - 60 <= now <= body.get('exp', 0) or \
            body['exp'] - body['iat'] > 3600:
        return 'Invalid JWT: Token must be a short-lived token (60 minutes).'
    if SCOPE not in body.get('scope', '').split():
        return 'Invalid JWT: scope.'
    return None


class OAuthRoutes:
    def token(self, data):
        form = dict(urllib.parse.parse_qsl(data.decode()))
        state = self.server.state
        if form.get('grant_type') == JWT_GRANT:
            audience = 'http://127.0.0.1:%d/token' % self.server.server_address[1]
            why = jwt_problem(state.public_key, form.get('assertion', ''), audience)
        elif form.get('grant_type') == 'refresh_token':
            ok = state.args.refresh_token and \
                form.get('refresh_token') == state.args.refresh_token
            why = None if ok else 'Token has been expired or revoked.'
        else:
            why = 'Unsupported grant type.'
        if why:
            return self.send(400, {'error': 'invalid_grant', 'error_description': why})
        with state.lock:
            return self.send(200, state.issue_token())

    def metadata_token(self):
        if self.headers.get('Metadata-Flavor') != 'Google':
            return self.send(403, b'Missing Metadata-Flavor header', None, 'text/plain')
        with self.server.state.lock:
            self.send(200, self.server.state.issue_token())
