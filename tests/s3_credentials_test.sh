#!/usr/bin/env bash
# The container-credentials, EC2 IMDSv2, web identity, AssumeRole and SSO links of the credential
# chain against loopback endpoints serving the documented JSON/XML, including expiry and refresh;
# then a real S3 request signed with container credentials.
source "$(dirname "$0")/s3_lib.sh"

creds() { "$TOOL" creds "$1" | tr '\n' ' ' | sed 's/ $//'; }

echo "== container: FULL_URI + token file; cached while far from expiry"
start_fake container container "ASIA#" 3600 "Bearer-xyz"
printf 'Bearer-xyz\n' >"$T/token"
export AWS_CONTAINER_CREDENTIALS_FULL_URI="$FAKE_URL/v2/credentials/job" \
       AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE="$T/token"
got=$(creds 3)
[[ $got == "ASIA1 container ASIA1 container ASIA1 container" ]] || fail "container cached: $got"
[[ $(wc -l <"$FAKE_LOG") -eq 1 ]] || fail "container fetched $(wc -l <"$FAKE_LOG") times"

echo "== container: near expiry -> refreshed on every use"
start_fake container-short container "ASIA#" 60 "Bearer-xyz"
export AWS_CONTAINER_CREDENTIALS_FULL_URI="$FAKE_URL/v2/credentials/job"
got=$(creds 3)
[[ $got == "ASIA1 container ASIA2 container ASIA3 container" ]] || fail "container refresh: $got"

echo "== container: token from the environment; wrong token -> exit 2"
unset AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE
export AWS_CONTAINER_AUTHORIZATION_TOKEN="Bearer-xyz"
[[ $(creds 1) == "ASIA4 container" ]] || fail "token from env"
export AWS_CONTAINER_AUTHORIZATION_TOKEN="wrong"
set +e; "$TOOL" creds 1 >/dev/null 2>"$T/err"; rc=$?; set -e
[[ $rc -eq 2 ]] && grep -q "HTTP 401" "$T/err" || fail "wrong token: exit $rc $(cat "$T/err")"
unset AWS_CONTAINER_AUTHORIZATION_TOKEN AWS_CONTAINER_CREDENTIALS_FULL_URI

echo "== IMDSv2: token PUT, role, credentials; cached, then refreshed near expiry"
unset AWS_EC2_METADATA_DISABLED
start_fake imds imds "IMDS#" 3600
export AWS_EC2_METADATA_SERVICE_ENDPOINT=$FAKE_URL
[[ $(creds 2) == "IMDS1 imds IMDS1 imds" ]] || fail "imds cached"
grep -q "^PUT /latest/api/token" "$FAKE_LOG" || fail "no IMDSv2 token PUT"
grep -q "^GET /latest/meta-data/iam/security-credentials/sweep-role" "$FAKE_LOG" || fail "no role GET"
start_fake imds-short imds "IMDS#" 30
export AWS_EC2_METADATA_SERVICE_ENDPOINT=$FAKE_URL
[[ $(creds 2) == "IMDS1 imds IMDS2 imds" ]] || fail "imds refresh"

echo "== AWS_EC2_METADATA_DISABLED=true skips IMDS: no credentials, exit 2"
export AWS_EC2_METADATA_DISABLED=true
set +e; "$TOOL" creds 1 >/dev/null 2>"$T/err"; rc=$?; set -e
[[ $rc -eq 2 ]] && grep -q "no AWS credentials" "$T/err" || fail "disabled: exit $rc $(cat "$T/err")"

echo "== web identity (EKS IRSA): unsigned STS form POST; cached, refreshed near expiry"
printf 'eyJ.irsa-token\n' >"$T/irsa-token"
start_fake sts sts "IRSA#" 3600 "eyJ.irsa-token"
export AWS_WEB_IDENTITY_TOKEN_FILE=$T/irsa-token AWS_ROLE_ARN=arn:aws:iam::123456789012:role/sweep \
       AWS_ROLE_SESSION_NAME=row-7 AWS_ENDPOINT_URL_STS=$FAKE_URL
role="web identity $AWS_ROLE_ARN"
[[ $(creds 2) == "IRSA1 $role IRSA1 $role" ]] || fail "web identity cached: $(creds 1)"
grep -q "^form Action=AssumeRoleWithWebIdentity RoleArn=$AWS_ROLE_ARN RoleSessionName=row-7 Version=2011-06-15$" \
  "$FAKE_LOG" || fail "STS form: $(cat "$FAKE_LOG")"
start_fake sts-short sts "IRSA#" 60 "eyJ.irsa-token"
export AWS_ENDPOINT_URL_STS=$FAKE_URL
[[ $(creds 2) == "IRSA1 $role IRSA2 $role" ]] || fail "web identity refresh"
printf 'stale-token' >"$T/irsa-token"
set +e; "$TOOL" creds 1 >/dev/null 2>"$T/err"; rc=$?; set -e
[[ $rc -eq 2 ]] && grep -q "InvalidIdentityToken" "$T/err" || fail "bad token: exit $rc $(cat "$T/err")"
unset AWS_WEB_IDENTITY_TOKEN_FILE AWS_ROLE_ARN AWS_ROLE_SESSION_NAME AWS_ENDPOINT_URL_STS

echo "== AssumeRole: role_arn + source_profile (and a chain), signed as botocore signs"
start_fake sts-role sts "ROLE#" 3600 "unused" "SourceSecret"
cat >"$T/aws-config" <<'INI'
[profile base]
aws_access_key_id = SRCKEY
aws_secret_access_key = SourceSecret
[profile admin]
role_arn = arn:aws:iam::123456789012:role/admin
source_profile = base
role_session_name = sweep-test
external_id = ext-1
duration_seconds = 1800
[profile chained]
role_arn = arn:aws:iam::123456789012:role/second
source_profile = admin
[profile wrong-secret]
aws_access_key_id = SRCKEY
aws_secret_access_key = NotTheSecret
role_arn = arn:aws:iam::123456789012:role/admin
source_profile = wrong-secret
INI
export AWS_CONFIG_FILE=$T/aws-config AWS_ENDPOINT_URL_STS=$FAKE_URL
got=$(export AWS_PROFILE=admin; creds 2)
via="profile admin role arn:aws:iam::123456789012:role/admin via profile base ($T/aws-config)"
[[ $got == "ROLE1 $via ROLE1 $via" ]] || fail "assume role cached: $got"
grep -q "^form Action=AssumeRole DurationSeconds=1800 ExternalId=ext-1 RoleArn=arn:aws:iam::123456789012:role/admin RoleSessionName=sweep-test Version=2011-06-15$" \
  "$FAKE_LOG" || fail "AssumeRole form: $(cat "$FAKE_LOG")"
grep -q "^signed by SRCKEY for us-east-1, as botocore signs$" "$FAKE_LOG" || fail "signature: $(cat "$FAKE_LOG")"
[[ $(AWS_PROFILE=chained creds 1) == "ROLE3 profile chained role arn:aws:iam::123456789012:role/second via $via" ]] \
  || fail "chained: $(AWS_PROFILE=chained creds 1)"
grep -q "^signed by ROLE2 for us-east-1, as botocore signs$" "$FAKE_LOG" || fail "chained signature (session token)"
set +e; AWS_PROFILE=wrong-secret "$TOOL" creds 1 >/dev/null 2>"$T/err"; rc=$?; set -e
[[ $rc -eq 2 ]] && grep -q "SignatureDoesNotMatch" "$T/err" || fail "wrong secret: exit $rc $(cat "$T/err")"
! grep -q "NotTheSecret\|FakeSecretFromEndpoint" "$T/err" || fail "secret in message"
unset AWS_CONFIG_FILE AWS_ENDPOINT_URL_STS

echo "== SSO (IAM Identity Center): the token \`aws sso login\` cached, traded at the portal"
start_fake sso sso "SSO#" 3600 "sso-access-token"
SSO_URL=$FAKE_URL SSO_LOG=$FAKE_LOG
cat >"$T/aws-config" <<'INI'
[profile dev]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = Trainer
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1
sso_registration_scopes = sso:account:access
[profile legacy]
sso_start_url = https://legacy.awsapps.com/start
sso_region = us-east-1
sso_account_id = 210987654321
sso_role_name = Reader
[profile trainer-admin]
role_arn = arn:aws:iam::123456789012:role/admin
source_profile = dev
INI
sso_cache() {  # sso_cache NAME TOKEN EXPIRES: the file `aws sso login` leaves for NAME
  mkdir -p "$HOME/.aws/sso/cache"
  printf '{"startUrl": "https://corp.awsapps.com/start", "region": "eu-west-1", "accessToken": "%s", "expiresAt": "%s"}' \
    "$2" "$3" >"$HOME/.aws/sso/cache/$(printf %s "$1" | sha1sum | cut -c1-40).json"
}
hour=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)
sso_cache corp sso-access-token "$hour"
sso_cache https://legacy.awsapps.com/start sso-access-token "$hour"
export AWS_CONFIG_FILE=$T/aws-config AWS_ENDPOINT_URL_SSO=$FAKE_URL
got=$(export AWS_PROFILE=dev; creds 2)
[[ $got == "SSO1 profile dev sso Trainer@123456789012 SSO1 profile dev sso Trainer@123456789012" ]] \
  || fail "sso cached: $got"
grep -q "^sso role_name=Trainer account_id=123456789012$" "$FAKE_LOG" || fail "sso request: $(cat "$FAKE_LOG")"
[[ $(AWS_PROFILE=legacy creds 1) == "SSO2 profile legacy sso Reader@210987654321" ]] || fail "legacy sso"
# botocore, given the same config, cache and portal, finds the same token and asks the same
# (Debian's botocore predates AWS_ENDPOINT_URL_SSO: its sso client is pointed at the portal here).
botocore_key() {
  AWS_PROFILE=$1 "$PY" -c 'import os, botocore.session
s = botocore.session.Session()
create = s.create_client
s.create_client = lambda name, **kw: create(name, **(
    dict(kw, endpoint_url=os.environ["AWS_ENDPOINT_URL_SSO"]) if name in ("sso", "sso-oidc") else kw))
print(s.get_credentials().get_frozen_credentials().access_key)'
}
got=$(botocore_key dev)
[[ $got == SSO3 ]] || fail "botocore via sso: $got"
[[ $(grep -c "^sso role_name=Trainer account_id=123456789012$" "$FAKE_LOG") -eq 2 ]] \
  || fail "botocore asked otherwise: $(cat "$FAKE_LOG")"
start_fake sts-sso sts "ROLE#" 3600 "unused" "FakeSecretFromEndpoint"
got=$(AWS_PROFILE=trainer-admin AWS_ENDPOINT_URL_STS=$FAKE_URL creds 1)
[[ $got == "ROLE1 profile trainer-admin role arn:aws:iam::123456789012:role/admin via profile dev sso Trainer@123456789012" ]] \
  || fail "role with an sso source_profile: $got"
grep -q "^signed by SSO4 for us-east-1, as botocore signs$" "$FAKE_LOG" || fail "signed with sso keys: $(cat "$FAKE_LOG")"
sso_cache corp stale-token "$hour"
set +e; AWS_PROFILE=dev "$TOOL" creds 1 >/dev/null 2>"$T/err"; rc=$?; set -e
[[ $rc -eq 2 ]] && grep -q "HTTP 401: Session token not found or invalid (run \`aws sso login --profile dev\`)" "$T/err" \
  || fail "refused token: exit $rc $(cat "$T/err")"
sso_cache corp sso-access-token "$(date -u -d '-1 minute' +%Y-%m-%dT%H:%M:%SZ)"
set +e; AWS_PROFILE=dev "$TOOL" creds 1 >/dev/null 2>"$T/err"; rc=$?; set -e
[[ $rc -eq 2 ]] && grep -q "SSO token for sso-session corp expired at .*: run \`aws sso login --profile dev\`" "$T/err" \
  || fail "expired token: exit $rc $(cat "$T/err")"
! grep -q "sso-access-token\|stale-token" "$T/err" || fail "token in message"

echo "== SSO: a token near expiry is refreshed with its cached refresh token, as the AWS CLI does"
export AWS_ENDPOINT_URL_SSO_OIDC=$SSO_URL
corp_cache=$HOME/.aws/sso/cache/$(printf corp | sha1sum | cut -c1-40).json
soon=$(date -u -d '+5 minutes' +%Y-%m-%dT%H:%M:%SZ)
refreshable() {  # refreshable TOKEN EXPIRES REFRESH: a token with its client registration
  printf '{"startUrl": "https://corp.awsapps.com/start", "region": "eu-west-1", "accessToken": "%s", "expiresAt": "%s", "refreshToken": "%s", "clientId": "client-id", "clientSecret": "client-secret", "registrationExpiresAt": "%s"}' \
    "$1" "$2" "$3" "$(date -u -d '+30 days' +%Y-%m-%dT%H:%M:%SZ)" >"$corp_cache"
}
token_field() { "$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$corp_cache" "$1"; }
refreshable old-token "$soon" refresh-1
[[ $(AWS_PROFILE=dev creds 1) == "SSO5 profile dev sso Trainer@123456789012" ]] || fail "refreshed sso"
grep -q "^oidc grantType=refresh_token clientId=client-id refreshToken=refresh-1$" "$SSO_LOG" \
  || fail "no CreateToken: $(cat "$SSO_LOG")"
[[ $(token_field accessToken) == sso-access-token && $(token_field refreshToken) == refresh-2 ]] \
  || fail "cache not rewritten: $(cat "$corp_cache")"
(( $(date -u -d "$(token_field expiresAt)" +%s) > $(date -u +%s) + 3000 )) || fail "expiresAt: $(token_field expiresAt)"
[[ $(stat -c %a "$corp_cache") == 600 ]] || fail "cache mode $(stat -c %a "$corp_cache")"
refreshable old-token "$soon" refresh-1
[[ $(botocore_key dev) == SSO6 ]] || fail "botocore refresh"
[[ $(grep -c "^oidc grantType=refresh_token clientId=client-id refreshToken=refresh-1$" "$SSO_LOG") -eq 2 ]] \
  || fail "botocore refreshed otherwise: $(cat "$SSO_LOG")"
[[ $(token_field refreshToken) == refresh-2 ]] || fail "botocore's rewrite: $(cat "$corp_cache")"
refreshable sso-access-token "$soon" revoked
AWS_PROFILE=dev "$TOOL" creds 1 >"$T/out" 2>"$T/err" || fail "a failed refresh of a valid token: $(cat "$T/err")"
grep -q "SSO token refresh failed, using the current token: .*invalid_grant" "$T/err" || fail "no warning: $(cat "$T/err")"
refreshable old-token "$(date -u -d '-1 minute' +%Y-%m-%dT%H:%M:%SZ)" revoked
set +e; AWS_PROFILE=dev "$TOOL" creds 1 >/dev/null 2>"$T/err"; rc=$?; set -e
if [[ $rc -ne 2 ]] || ! grep -q "HTTP 400: invalid_grant (run \`aws sso login --profile dev\`)" "$T/err"; then
  fail "expired and refresh refused: exit $rc $(cat "$T/err")"
fi
! grep -q "client-secret\|revoked\|old-token" "$T/err" || fail "secret in message"
unset AWS_CONFIG_FILE AWS_ENDPOINT_URL_SSO AWS_ENDPOINT_URL_SSO_OIDC

echo "== environment beats container"
start_fake container-s3 container "S3RVER" 3600
export AWS_CONTAINER_CREDENTIALS_FULL_URI="$FAKE_URL/creds"
[[ $(AWS_ACCESS_KEY_ID=ENVKEY AWS_SECRET_ACCESS_KEY=x "$TOOL" creds 1) == "ENVKEY environment" ]] ||
  fail "environment first"

echo "== a real S3 request signed with container credentials (session token)"
start_s3rver b
export AWS_ENDPOINT_URL=$S3_URL
"$TOOL" putstr s3://b/via-container.txt "hello"
"$TOOL" get s3://b/via-container.txt "$T/got"
[[ $(cat "$T/got") == hello ]] || fail "round-trip with container credentials"
set +e; "$TOOL" head s3://b/absent 2>"$T/err"; rc=$?; set -e
[[ $rc -eq 2 ]] && grep -q "(credentials: container)" "$T/err" || fail "source in message: $(cat "$T/err")"
! grep -q "FakeSecretFromEndpoint\|session-token-" "$T/err" || fail "secret in message"
echo "s3 credentials test: ok"
