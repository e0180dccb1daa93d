#include "cloud/aws/s3_client.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>

#include "base/log.h"
#include "cloud/aws/config.h"
#include "cloud/aws/xml.h"

namespace sweep::aws {

struct S3Client::Call {
  Call(std::string op_, std::string method_, std::string bucket_, std::string key_,
       cloud::HeaderList query_ = {})
      : op(std::move(op_)),
        method(std::move(method_)),
        bucket(std::move(bucket_)),
        key(std::move(key_)),
        query(std::move(query_)) {}

  std::string op;      // "GetObject": names the operation in messages
  std::string method;  // HTTP verb
  std::string bucket;
  std::string key;
  cloud::HeaderList query;    // raw name/value pairs
  cloud::HeaderList headers;  // extra headers (Range, Content-Type)
  std::string_view body;
  std::string body_file;
  int64_t body_offset = 0;
  int64_t body_length = 0;
  std::string response_file;
  bool if_none_match = false;  // If-None-Match: *; a 412 answer is returned, not an error
};

namespace {

std::string Unquote(std::string s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return s.substr(1, s.size() - 2);
  return s;
}

// Short, single-line: S3 messages are plain sentences, but never let a body spill into a log.
std::string OneLine(std::string s, size_t max = 200) {
  for (char& c : s) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (s.size() > max) s = s.substr(0, max) + "...";
  return s;
}

bool IsHostIpOrLocal(std::string_view host) {
  host =
      host.substr(0, host.rfind(':') == std::string_view::npos || host[0] == '[' ? host.size()
                                                                                 : host.rfind(':'));
  if (host == "localhost" || (!host.empty() && host[0] == '[')) return true;
  return !host.empty() && std::all_of(host.begin(), host.end(),
                                      [](unsigned char c) { return std::isdigit(c) || c == '.'; });
}

bool IsDnsCompatibleBucket(const std::string& b) {
  return b.size() >= 3 && b.size() <= 63 && b.front() != '-' && b.back() != '-' &&
         std::all_of(b.begin(), b.end(), [](unsigned char c) {
           return std::islower(c) || std::isdigit(c) || c == '-';
         });
}

bool IsExpiredToken(const std::string& code) {
  return code == "ExpiredToken" || code == "InvalidToken";
}

std::string S3Path(const std::string& bucket, const std::string& key) {
  return "s3://" + bucket + "/" + key;
}

}  // namespace

S3Client::S3Client(S3Config config, std::shared_ptr<CredentialProvider> credentials)
    : config_(std::move(config)), credentials_(std::move(credentials)) {}

StatusOr<cloud::HttpResponse> S3Client::SendOnce(const Call& call) {
  SWEEP_ASSIGN_OR_RETURN(AwsCredentials creds, credentials_->Get());
  std::string endpoint = config_.endpoint;
  if (endpoint.empty()) endpoint = StandardEndpoint("s3", config_.region);
  const size_t p = endpoint.find("://");
  const std::string scheme = endpoint.substr(0, p);
  std::string host = endpoint.substr(p + 3);
  std::string path = "/" + call.key;
  if (config_.force_path_style || IsHostIpOrLocal(host) || !IsDnsCompatibleBucket(call.bucket)) {
    path = "/" + call.bucket + (call.key.empty() ? "" : path);
  } else {
    host = call.bucket + "." + host;
  }
  SigV4Request sr;
  sr.method = call.method;
  sr.host = host;
  sr.canonical_uri = UriEncodePath(path);
  sr.query = call.query;
  sr.headers = call.headers;
  sr.payload_hash = call.body_file.empty() ? Sha256Hex(call.body) : std::string(kUnsignedPayload);
  sr.service = "s3";
  sr.region = config_.region;
  sr.amz_date = AmzDate(std::time(nullptr));
  cloud::HttpRequest req = Sign(sr, scheme, creds);
  req.body = call.body;
  req.body_file = call.body_file;
  req.body_offset = call.body_offset;
  req.body_length = call.body_length;
  req.response_file = call.response_file;
  return http_.Do(req);
}

std::string S3Client::CredentialsNote() const {
  const std::string source = credentials_->source();
  return source.empty() ? "" : " (credentials: " + source + ")";
}

Status S3Client::ErrorFor(const Call& call, const cloud::HttpResponse& r) const {
  std::string code = FirstXml(r.body, "Code");
  // HEAD responses have no body: name the status the way botocore does.
  if (code.empty() && r.status == 404) code = "NotFound";
  if (code.empty() && r.status == 403) code = "Forbidden";
  std::string msg =
      "S3 " + call.op + " " + S3Path(call.bucket, call.key) + ": HTTP " + std::to_string(r.status);
  if (!code.empty()) msg += " " + OneLine(code, 64);
  if (std::string m = FirstXml(r.body, "Message"); !m.empty()) msg += ": " + OneLine(m);
  msg += CredentialsNote();
  if (r.status == 404) return Status::NotFound(msg);
  return FromHttp(r.status, code, msg);
}

StatusOr<cloud::HttpResponse> S3Client::Send(const Call& call) {
  Backoff backoff(config_.retry, RandomSeed());
  bool refreshed = false;
  for (;;) {
    auto r = SendOnce(call);
    if (r.ok() && (r->status / 100 == 2 || (call.if_none_match && r->status == 412))) return r;
    if (!r.ok()) {
      Status err = r.status().WithContext("S3 " + call.op + " " + S3Path(call.bucket, call.key));
      err = Status(err.code(), err.message() + CredentialsNote());
      if (!backoff.RetryAfter(err)) return err;
      continue;
    }
    const Status err = ErrorFor(call, *r);
    if (!refreshed && IsExpiredToken(FirstXml(r->body, "Code"))) {
      credentials_->Invalidate();  // temporary credentials went stale under us
      refreshed = true;
      if (!backoff.Next(err.message())) return err;
      continue;
    }
    if (!backoff.RetryAfter(err)) return err;
  }
}

StatusOr<S3Object> S3Client::Head(const std::string& bucket, const std::string& key) {
  SWEEP_ASSIGN_OR_RETURN(cloud::HttpResponse r, Send({"HeadObject", "HEAD", bucket, key}));
  return S3Object{key, std::atoll(r.Header("content-length").c_str()), Unquote(r.Header("etag"))};
}

StatusOr<std::string> S3Client::Get(const std::string& bucket, const std::string& key,
                                    std::optional<ByteRange> range) {
  Call call{"GetObject", "GET", bucket, key};
  if (range) {
    call.headers.emplace_back(
        "Range", "bytes=" + std::to_string(range->first) + "-" + std::to_string(range->last));
  }
  SWEEP_ASSIGN_OR_RETURN(cloud::HttpResponse r, Send(call));
  return std::move(r.body);
}

StatusOr<S3Object> S3Client::GetToFile(const std::string& bucket, const std::string& key,
                                       const std::string& local_path,
                                       std::optional<ByteRange> range) {
  Call call{"GetObject", "GET", bucket, key};
  call.response_file = local_path;
  if (range) {
    call.headers.emplace_back(
        "Range", "bytes=" + std::to_string(range->first) + "-" + std::to_string(range->last));
  }
  SWEEP_ASSIGN_OR_RETURN(cloud::HttpResponse r, Send(call));
  return S3Object{key, std::atoll(r.Header("content-length").c_str()), Unquote(r.Header("etag"))};
}

Status S3Client::Put(const std::string& bucket, const std::string& key, std::string_view body) {
  Call call{"PutObject", "PUT", bucket, key};
  call.body = body;
  return Send(call).status();
}

StatusOr<bool> S3Client::PutIfAbsent(const std::string& bucket, const std::string& key,
                                     std::string_view body) {
  Call call{"PutObject", "PUT", bucket, key};
  call.body = body;
  call.if_none_match = true;
  call.headers.emplace_back("If-None-Match", "*");
  SWEEP_ASSIGN_OR_RETURN(cloud::HttpResponse r, Send(call));
  return r.status != 412;
}

Status S3Client::PutFile(const std::string& bucket, const std::string& key,
                         const std::string& local_path) {
  struct stat st {};
  if (::stat(local_path.c_str(), &st) != 0) {
    return Status::NotFound("S3 PutObject " + S3Path(bucket, key) + ": cannot stat " + local_path);
  }
  const int64_t size = st.st_size;
  if (size >= config_.multipart_threshold) return PutMultipart(bucket, key, local_path, size);
  Call call{"PutObject", "PUT", bucket, key};
  call.body_file = local_path;
  call.body_length = size;
  return Send(call).status();
}

Status S3Client::Delete(const std::string& bucket, const std::string& key) {
  Call call{"DeleteObject", "DELETE", bucket, key};
  return Send(call).status();
}

StatusOr<std::vector<S3Object>> S3Client::List(const std::string& bucket,
                                               const std::string& prefix) {
  std::vector<S3Object> out;
  std::string token;
  // Bounded: a server that never stops saying IsTruncated must not loop forever.
  for (int page = 0; page < 1000000; ++page) {
    Call call{"ListObjectsV2", "GET", bucket, ""};
    call.query = {{"list-type", "2"}, {"prefix", prefix}};
    if (!token.empty()) call.query.emplace_back("continuation-token", token);
    SWEEP_ASSIGN_OR_RETURN(cloud::HttpResponse r, Send(call));
    for (const std::string& c : XmlValues(r.body, "Contents")) {
      out.push_back({FirstXml(c, "Key"), std::atoll(FirstXml(c, "Size").c_str()),
                     Unquote(FirstXml(c, "ETag"))});
    }
    if (FirstXml(r.body, "IsTruncated") != "true") return out;
    token = FirstXml(r.body, "NextContinuationToken");
    if (token.empty()) {
      return Status::Corruption("S3 ListObjectsV2 " + S3Path(bucket, prefix) +
                                ": truncated listing without NextContinuationToken");
    }
  }
  return Status::Internal("S3 ListObjectsV2 " + S3Path(bucket, prefix) + ": too many pages");
}

Status S3Client::PutMultipart(const std::string& bucket, const std::string& key,
                              const std::string& local_path, int64_t size) {
  Call create{"CreateMultipartUpload", "POST", bucket, key, {{"uploads", ""}}};
  SWEEP_ASSIGN_OR_RETURN(cloud::HttpResponse created, Send(create));
  const std::string upload_id = FirstXml(created.body, "UploadId");
  if (upload_id.empty()) {
    return Status::Corruption("S3 CreateMultipartUpload " + S3Path(bucket, key) + ": no UploadId");
  }
  auto completed = UploadParts(bucket, key, local_path, size, upload_id);
  if (completed.ok()) return Status::Ok();
  // Abort so the parts do not linger (and cost) in the bucket; keep the first error.
  Call abort{"AbortMultipartUpload", "DELETE", bucket, key, {{"uploadId", upload_id}}};
  if (Status s = Send(abort).status(); !s.ok()) log::Warn(s.message());
  return completed.status();
}

StatusOr<std::string> S3Client::UploadParts(const std::string& bucket, const std::string& key,
                                            const std::string& local_path, int64_t size,
                                            const std::string& upload_id) {
  const int64_t part_size = std::max<int64_t>(config_.part_size, 5 << 20);
  std::string xml = "<CompleteMultipartUpload>";
  int part = 1;
  for (int64_t offset = 0; offset < size; offset += part_size, ++part) {
    Call call{"UploadPart",
              "PUT",
              bucket,
              key,
              {{"partNumber", std::to_string(part)}, {"uploadId", upload_id}}};
    call.body_file = local_path;
    call.body_offset = offset;
    call.body_length = std::min(part_size, size - offset);
    SWEEP_ASSIGN_OR_RETURN(cloud::HttpResponse r, Send(call));
    const std::string etag = r.Header("etag");
    if (etag.empty()) {
      return Status::Corruption("S3 UploadPart " + S3Path(bucket, key) + ": no ETag for part " +
                                std::to_string(part));
    }
    xml += "<Part><PartNumber>" + std::to_string(part) + "</PartNumber><ETag>" + etag +
           "</ETag></Part>";
  }
  xml += "</CompleteMultipartUpload>";
  Call complete{"CompleteMultipartUpload", "POST", bucket, key, {{"uploadId", upload_id}}};
  complete.headers.emplace_back("Content-Type", "application/xml");
  complete.body = xml;
  SWEEP_ASSIGN_OR_RETURN(cloud::HttpResponse r, Send(complete));
  // S3 may answer 200 and still fail the completion: the error is then in the body.
  if (r.body.find("<Error>") != std::string::npos) {
    r.status = 500;
    return ErrorFor(complete, r);
  }
  return Unquote(FirstXml(r.body, "ETag"));
}

}  // namespace sweep::aws
