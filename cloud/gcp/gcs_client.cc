#include "cloud/gcp/gcs_client.h"

#include <sys/stat.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "base/strings.h"

namespace sweep::gcp {

struct GcsClient::Call {
  Call(std::string op_, std::string method_, std::string bucket_, std::string key_,
       std::string url_)
      : op(std::move(op_)),
        method(std::move(method_)),
        bucket(std::move(bucket_)),
        key(std::move(key_)),
        url(std::move(url_)) {}

  std::string op;  // "objects.get": names the JSON API method in messages
  std::string method;
  std::string bucket;
  std::string key;
  std::string url;  // complete, already encoded
  cloud::HeaderList headers;
  std::string_view body;
  std::string body_file;
  int64_t body_offset = 0;
  int64_t body_length = 0;
  std::string response_file;
  bool accept_308 = false;   // resumable uploads: "308 Resume Incomplete" is an answer
  bool once = false;         // no retry of transient failures (the caller has its own plan)
  bool accept_412 = false;   // a create-only write: 412 (it exists) is an answer, not an error
  bool read_pinned = false;  // a read with ifGenerationMatch: 412 means "changed meanwhile"
};

namespace {

std::string GsPath(const std::string& bucket, const std::string& key) {
  return "gs://" + bucket + "/" + key;
}

std::string Query(const cloud::HeaderList& pairs) {
  std::string out;
  for (const auto& [k, v] : pairs) {
    out += (out.empty() ? "?" : "&") + cloud::UriEncode(k) + "=" + cloud::UriEncode(v);
  }
  return out;
}

std::string OneLine(std::string s, size_t max = 200) {
  for (char& c : s) c = (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  return s.size() > max ? s.substr(0, max) + "..." : s;
}

int64_t JsonInt(const nlohmann::json& j, const char* name) {
  if (!j.contains(name)) return 0;
  if (j[name].is_number_integer()) return j[name].get<int64_t>();
  if (j[name].is_string()) return ParseInt(j[name].get<std::string>(), 0).value_or(0);
  return 0;
}

// An object resource (the JSON API sends size and generation as decimal strings).
StatusOr<GcsObject> ParseObject(const nlohmann::json& j) {
  if (!j.is_object() || !j.contains("name") || !j["name"].is_string()) {
    return Status::Corruption("object resource without a name");
  }
  return GcsObject{j["name"].get<std::string>(), JsonInt(j, "size"), JsonInt(j, "generation")};
}

// "bytes=0-262143" (a resumable session's Range header) -> the next offset, 262144.
int64_t NextOffset(const cloud::HttpResponse& r) {
  const std::string range = r.Header("range");
  const size_t dash = range.rfind('-');
  if (range.rfind("bytes=", 0) != 0 || dash == std::string::npos) return 0;
  return ParseInt(range.substr(dash + 1), 0).value_or(-1) + 1;
}

void AddPrecondition(const WriteOptions& o, cloud::HeaderList* query) {
  if (o.if_generation_match) {
    query->emplace_back("ifGenerationMatch", std::to_string(*o.if_generation_match));
  }
}

}  // namespace

StatusOr<GcsConfig> GcsConfigFromEnvironment() {
  GcsConfig config;
  std::string host = GetEnv("STORAGE_EMULATOR_HOST");
  if (host.empty()) return config;
  while (!host.empty() && host.back() == '/') host.pop_back();
  if (host.find("://") == std::string::npos) host = "http://" + host;
  const bool http = host.rfind("http://", 0) == 0 || host.rfind("https://", 0) == 0;
  if (!http || host.find('/', host.find("://") + 3) != std::string::npos ||
      host.size() == host.find("://") + 3) {
    return Status::InvalidArgument("STORAGE_EMULATOR_HOST '" + OneLine(host, 80) +
                                   "': expected [http://]host[:port]");
  }
  config.endpoint = host;
  return config;
}

StatusOr<GcsUri> ParseGcsUri(std::string_view uri) {
  if (uri.rfind("gs://", 0) != 0) {
    return Status::InvalidArgument(std::string(uri) + ": not a gs:// URI");
  }
  std::string_view rest = uri.substr(5);
  const size_t slash = rest.find('/');
  GcsUri out{std::string(rest.substr(0, slash)),
             slash == std::string_view::npos ? "" : std::string(rest.substr(slash + 1))};
  if (out.bucket.empty()) return Status::InvalidArgument(std::string(uri) + ": no bucket name");
  return out;
}

GcsClient::GcsClient(GcsConfig config, std::shared_ptr<GoogleCredentials> credentials)
    : config_(std::move(config)), credentials_(std::move(credentials)) {}

std::string GcsClient::CredentialsNote() const {
  const std::string source = credentials_->source();
  return source.empty() ? "" : " (credentials: " + source + ")";
}

StatusOr<cloud::HttpResponse> GcsClient::SendOnce(const Call& call, const std::string& token) {
  cloud::HttpRequest req;
  req.method = call.method;
  req.url = call.url;
  req.headers = call.headers;
  if (!token.empty()) req.headers.emplace_back("Authorization", "Bearer " + token);
  req.body = call.body;
  req.body_file = call.body_file;
  req.body_offset = call.body_offset;
  req.body_length = call.body_length;
  req.response_file = call.response_file;
  return http_.Do(req);
}

Status GcsClient::ErrorFor(const Call& call, const cloud::HttpResponse& r) const {
  std::string reason, text;
  nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
  if (j.is_object() && j.contains("error") && j["error"].is_object()) {
    const nlohmann::json& e = j["error"];
    if (e.contains("message") && e["message"].is_string()) text = e["message"];
    if (e.contains("errors") && e["errors"].is_array() && !e["errors"].empty() &&
        e["errors"][0].is_object() && e["errors"][0].contains("reason") &&
        e["errors"][0]["reason"].is_string()) {
      reason = e["errors"][0]["reason"];
    }
  }
  std::string msg =
      "GCS " + call.op + " " + GsPath(call.bucket, call.key) + ": HTTP " + std::to_string(r.status);
  if (!reason.empty()) msg += " " + OneLine(reason, 64);
  if (!text.empty()) msg += ": " + OneLine(text);
  msg += CredentialsNote();
  if (r.status == 404) return Status::NotFound(msg);
  if (r.status == 412 && call.read_pinned) {
    return Status::Unavailable(msg + " (the object changed during the download)");
  }
  if (r.status == 408 || r.status == 429 || r.status >= 500) return Status::Unavailable(msg);
  return Status::InvalidArgument(msg);
}

StatusOr<cloud::HttpResponse> GcsClient::Send(const Call& call) {
  cloud::Backoff backoff(config_.retry, cloud::RandomSeed());
  bool refreshed = false;
  for (;;) {
    // Token errors name their source and were retried where transient (credentials.h).
    StatusOr<std::string> token = credentials_->Token();
    if (!token.ok()) {
      return token.status().WithContext("GCS " + call.op + " " + GsPath(call.bucket, call.key));
    }
    auto r = SendOnce(call, *token);
    if (r.ok() && (r->status / 100 == 2 || (call.accept_308 && r->status == 308) ||
                   (call.accept_412 && r->status == 412))) {
      return r;
    }
    if (!r.ok()) {
      Status err = r.status().WithContext("GCS " + call.op + " " + GsPath(call.bucket, call.key));
      err = Status(err.code(), err.message() + CredentialsNote());
      if (call.once || !backoff.RetryAfter(err)) return err;
      continue;
    }
    const Status err = ErrorFor(call, *r);
    if (r->status == 412) return err;  // a precondition fails the same way every time
    if (r->status == 401 && !refreshed) {
      credentials_->Invalidate();  // the token expired or was revoked: one more try, at once
      refreshed = true;
      continue;
    }
    if (call.once || !backoff.RetryAfter(err)) return err;
  }
}

namespace {

std::string ObjectUrl(const GcsConfig& c, const std::string& bucket, const std::string& key,
                      const cloud::HeaderList& query = {}) {
  return c.endpoint + "/storage/v1/b/" + cloud::UriEncode(bucket) + "/o/" + cloud::UriEncode(key) +
         Query(query);
}

std::string BucketUrl(const GcsConfig& c, const std::string& bucket, bool upload,
                      const cloud::HeaderList& query) {
  return c.endpoint + (upload ? "/upload" : "") + "/storage/v1/b/" + cloud::UriEncode(bucket) +
         "/o" + Query(query);
}

GcsObject FromMediaHeaders(const std::string& key, const cloud::HttpResponse& r) {
  return GcsObject{key, ParseInt(r.Header("content-length"), 0).value_or(0),
                   ParseInt(r.Header("x-goog-generation"), 0).value_or(0)};
}

}  // namespace

StatusOr<GcsObject> GcsClient::Head(const std::string& bucket, const std::string& key) {
  Call call{"objects.get", "GET", bucket, key, ObjectUrl(config_, bucket, key)};
  SWEEP_ASSIGN_OR_RETURN(cloud::HttpResponse r, Send(call));
  auto object = ParseObject(nlohmann::json::parse(r.body, nullptr, false));
  if (!object.ok()) return object.status().WithContext("GCS objects.get " + GsPath(bucket, key));
  return object;
}

StatusOr<std::string> GcsClient::Get(const std::string& bucket, const std::string& key) {
  Call call{"objects.get", "GET", bucket, key, ObjectUrl(config_, bucket, key, {{"alt", "media"}})};
  SWEEP_ASSIGN_OR_RETURN(cloud::HttpResponse r, Send(call));
  return std::move(r.body);
}

StatusOr<GcsObject> GcsClient::GetToFile(const std::string& bucket, const std::string& key,
                                         const std::string& local_path, int64_t generation) {
  cloud::HeaderList query = {{"alt", "media"}};
  if (generation > 0) query.emplace_back("ifGenerationMatch", std::to_string(generation));
  Call call{"objects.get", "GET", bucket, key, ObjectUrl(config_, bucket, key, query)};
  call.response_file = local_path;
  call.read_pinned = generation > 0;
  SWEEP_ASSIGN_OR_RETURN(cloud::HttpResponse r, Send(call));
  return FromMediaHeaders(key, r);
}

Status GcsClient::Put(const std::string& bucket, const std::string& key, std::string_view body,
                      const WriteOptions& options) {
  cloud::HeaderList query = {{"uploadType", "media"}, {"name", key}};
  AddPrecondition(options, &query);
  Call call{"objects.insert", "POST", bucket, key, BucketUrl(config_, bucket, true, query)};
  call.headers = {{"Content-Type", "application/octet-stream"}};
  call.body = body;
  return Send(call).status();
}

StatusOr<bool> GcsClient::PutIfAbsent(const std::string& bucket, const std::string& key,
                                      std::string_view body) {
  WriteOptions only_if_absent;
  only_if_absent.if_generation_match = 0;
  cloud::HeaderList query = {{"uploadType", "media"}, {"name", key}};
  AddPrecondition(only_if_absent, &query);
  Call call{"objects.insert", "POST", bucket, key, BucketUrl(config_, bucket, true, query)};
  call.headers = {{"Content-Type", "application/octet-stream"}};
  call.body = body;
  call.accept_412 = true;
  SWEEP_ASSIGN_OR_RETURN(cloud::HttpResponse r, Send(call));
  return r.status != 412;
}

Status GcsClient::PutFile(const std::string& bucket, const std::string& key,
                          const std::string& local_path, const WriteOptions& options) {
  struct stat st {};
  if (::stat(local_path.c_str(), &st) != 0) {
    return Status::NotFound("GCS objects.insert " + GsPath(bucket, key) + ": cannot stat " +
                            local_path);
  }
  const int64_t size = st.st_size;
  if (size >= config_.resumable_threshold && size > 0) {
    return PutResumable(bucket, key, local_path, size, options);
  }
  cloud::HeaderList query = {{"uploadType", "media"}, {"name", key}};
  AddPrecondition(options, &query);
  Call call{"objects.insert", "POST", bucket, key, BucketUrl(config_, bucket, true, query)};
  call.headers = {{"Content-Type", "application/octet-stream"}};
  call.body_file = local_path;
  call.body_length = size;
  return Send(call).status();
}

Status GcsClient::Delete(const std::string& bucket, const std::string& key) {
  Call call{"objects.delete", "DELETE", bucket, key, ObjectUrl(config_, bucket, key)};
  Status s = Send(call).status();
  return s.code() == StatusCode::kNotFound ? Status::Ok() : s;
}

StatusOr<std::vector<GcsObject>> GcsClient::List(const std::string& bucket,
                                                 const std::string& prefix) {
  std::vector<GcsObject> out;
  std::string token;
  // Bounded: a server that always sends a nextPageToken must not loop forever.
  for (int page = 0; page < 1000000; ++page) {
    cloud::HeaderList query = {{"prefix", prefix}};
    if (!token.empty()) query.emplace_back("pageToken", token);
    Call call{"objects.list", "GET", bucket, prefix, BucketUrl(config_, bucket, false, query)};
    SWEEP_ASSIGN_OR_RETURN(cloud::HttpResponse r, Send(call));
    nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
    if (!j.is_object()) {
      return Status::Corruption("GCS objects.list " + GsPath(bucket, prefix) + ": not JSON");
    }
    if (j.contains("items") && j["items"].is_array()) {
      for (const nlohmann::json& item : j["items"]) {
        SWEEP_ASSIGN_OR_RETURN(GcsObject o, ParseObject(item));
        out.push_back(std::move(o));
      }
    }
    if (!j.contains("nextPageToken") || !j["nextPageToken"].is_string()) return out;
    token = j["nextPageToken"].get<std::string>();
    if (token.empty()) return out;
  }
  return Status::Internal("GCS objects.list " + GsPath(bucket, prefix) + ": too many pages");
}

// The session URI carries the upload's authority: it is never put in a message (http.cc cuts
// query strings from its messages, where upload_id lives).
StatusOr<std::string> GcsClient::StartResumable(const std::string& bucket, const std::string& key,
                                                int64_t size, const WriteOptions& options) {
  cloud::HeaderList query = {{"uploadType", "resumable"}, {"name", key}};
  AddPrecondition(options, &query);
  Call call{"objects.insert", "POST", bucket, key, BucketUrl(config_, bucket, true, query)};
  const std::string metadata = nlohmann::json{{"name", key}}.dump();
  call.headers = {{"Content-Type", "application/json; charset=UTF-8"},
                  {"X-Upload-Content-Type", "application/octet-stream"},
                  {"X-Upload-Content-Length", std::to_string(size)}};
  call.body = metadata;
  SWEEP_ASSIGN_OR_RETURN(cloud::HttpResponse r, Send(call));
  std::string session = r.Header("location");
  if (session.empty()) {
    return Status::Corruption("GCS objects.insert " + GsPath(bucket, key) +
                              ": resumable upload answered without a Location");
  }
  return session;
}

// Chunks go one at a time; the answer's Range says how much the session holds, which is where
// the next chunk starts (a server may keep less than it was sent). After a transient failure
// the session is asked (an empty PUT, "bytes */total") and the upload goes on from there.
Status GcsClient::PutResumable(const std::string& bucket, const std::string& key,
                               const std::string& local_path, int64_t size,
                               const WriteOptions& options) {
  SWEEP_ASSIGN_OR_RETURN(std::string session, StartResumable(bucket, key, size, options));
  const int64_t quantum = 256 << 10;
  const int64_t chunk = std::max(quantum, config_.chunk_size / quantum * quantum);
  cloud::Backoff backoff(config_.retry, cloud::RandomSeed());
  int64_t offset = 0;
  bool ask = false;
  for (int round = 0; round < 1000000; ++round) {
    Call call{"objects.insert", "PUT", bucket, key, session};
    call.accept_308 = call.once = true;
    std::string range = "*";
    if (!ask && offset < size) {
      call.body_file = local_path;
      call.body_offset = offset;
      call.body_length = std::min(chunk, size - offset);
      range = std::to_string(offset) + "-" + std::to_string(offset + call.body_length - 1);
    }
    call.headers = {{"Content-Range", "bytes " + range + "/" + std::to_string(size)}};
    StatusOr<cloud::HttpResponse> r = Send(call);
    if (!r.ok() && r.status().code() == StatusCode::kNotFound) {
      return Status::Unavailable(r.status().message() + " (resumable session expired)");
    }
    if (!r.ok() && !backoff.RetryAfter(r.status())) return r.status();
    ask = !r.ok();
    if (ask) continue;
    if (r->status != 308) return Status::Ok();
    const int64_t next = NextOffset(*r);
    if (next < 0 || next > size) {
      return Status::Corruption("GCS objects.insert " + GsPath(bucket, key) +
                                ": resumable session answered a bad Range");
    }
    offset = next;
  }
  return Status::Internal("GCS objects.insert " + GsPath(bucket, key) + ": too many chunks");
}

}  // namespace sweep::gcp
