// Test-only CLI over the Cloud Storage client and Google credentials, for tests/gcs_*_test.sh.
// Not installed.
//
//   gcs_tool jwt KEY.json ISSUED_AT       the service-account JWT for a fixed time (stdout)
//   gcs_tool token                        resolves credentials: prints the source, never the token
//   gcs_tool put gs://b/k FILE            PutFile (resumable from 16 MiB)
//   gcs_tool put-resumable gs://b/k FILE  resumable in 256 KiB chunks whatever the size
//   gcs_tool putnew gs://b/k FILE         create-only (ifGenerationMatch=0)
//   gcs_tool create gs://b/k TEXT         PutIfAbsent: prints created, or exists on a 412
//   gcs_tool get gs://b/k OUT
//   gcs_tool head gs://b/k                prints "size generation"
//   gcs_tool ls gs://b/prefix             prints the names, one a line
//   gcs_tool fetch gs://b/k               FetchInput: prints the local cached path
//   gcs_tool ls-expire gs://b/p URL       ls, POST URL (the fake expires every token), ls again
//                                         with the same client: the 401 must fetch a new token
// Errors: one line on stderr, exit code from ExitCodeFor (2 bad input, 75 transient).
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/exit_code.h"
#include "base/file.h"
#include "cloud/gcp/gcs_client.h"
#include "cloud/gcp/jwt.h"
#include "storage/store.h"

namespace sweep::gcp {
namespace {

Status Jwt(const std::string& key_file, const std::string& issued_at) {
  std::string text;
  SWEEP_RETURN_IF_ERROR(ReadFile(key_file, &text));
  const auto key = nlohmann::json::parse(text);
  JwtClaims claims{key["client_email"], key.value("private_key_id", ""), std::string(kStorageScope),
                   key["token_uri"], std::stoll(issued_at)};
  SWEEP_ASSIGN_OR_RETURN(std::string jwt, MakeJwt(claims, key["private_key"].get<std::string>()));
  std::cout << jwt << "\n";
  return Status::Ok();
}

Status Objects(const std::vector<std::string>& a, std::shared_ptr<GoogleCredentials> creds) {
  SWEEP_ASSIGN_OR_RETURN(GcsUri uri, ParseGcsUri(a[1]));
  SWEEP_ASSIGN_OR_RETURN(GcsConfig config, GcsConfigFromEnvironment());
  if (a[0] == "put-resumable") {
    config.resumable_threshold = 0;
    config.chunk_size = 256 << 10;
  }
  GcsClient client(config, creds);
  if ((a[0] == "put" || a[0] == "put-resumable") && a.size() == 3) {
    return client.PutFile(uri.bucket, uri.key, a[2]);
  }
  if (a[0] == "putnew" && a.size() == 3) {
    return client.PutFile(uri.bucket, uri.key, a[2], WriteOptions{0});
  }
  if (a[0] == "create" && a.size() == 3) {  // create-only (Store::Create on gs://)
    SWEEP_ASSIGN_OR_RETURN(bool created, client.PutIfAbsent(uri.bucket, uri.key, a[2]));
    std::cout << (created ? "created" : "exists") << "\n";
    return Status::Ok();
  }
  if (a[0] == "get" && a.size() == 3) return client.GetToFile(uri.bucket, uri.key, a[2]).status();
  if (a[0] == "head" && a.size() == 2) {
    SWEEP_ASSIGN_OR_RETURN(GcsObject o, client.Head(uri.bucket, uri.key));
    std::cout << o.size << " " << o.generation << "\n";
    return Status::Ok();
  }
  if (a[0] == "ls" && a.size() == 2) {
    SWEEP_ASSIGN_OR_RETURN(auto objects, client.List(uri.bucket, uri.key));
    for (const auto& o : objects) std::cout << o.key << "\n";
    return Status::Ok();
  }
  if (a[0] == "ls-expire" && a.size() == 3) {
    SWEEP_ASSIGN_OR_RETURN(auto before, client.List(uri.bucket, uri.key));
    cloud::HttpClient http;
    cloud::HttpRequest expire;
    expire.method = "POST";
    expire.url = a[2];
    SWEEP_RETURN_IF_ERROR(http.Do(expire).status());
    SWEEP_ASSIGN_OR_RETURN(auto after, client.List(uri.bucket, uri.key));
    std::cout << before.size() << " " << after.size() << "\n";
    return Status::Ok();
  }
  return Status::InvalidArgument("usage: see tests/tools/gcs_tool.cc");
}

Status Run(const std::vector<std::string>& a) {
  if (a.size() == 3 && a[0] == "jwt") return Jwt(a[1], a[2]);
  auto creds = std::make_shared<GoogleCredentials>();
  if (a.size() == 1 && a[0] == "token") {
    SWEEP_RETURN_IF_ERROR(creds->Token().status());
    std::cout << creds->source() << "\n";
    return Status::Ok();
  }
  if (a.size() == 2 && a[0] == "fetch") {
    SWEEP_ASSIGN_OR_RETURN(std::string path, storage::FetchInput(a[1]));
    std::cout << path << "\n";
    return Status::Ok();
  }
  if (a.size() < 2) return Status::InvalidArgument("usage: see tests/tools/gcs_tool.cc");
  return Objects(a, creds);
}

}  // namespace
}  // namespace sweep::gcp

int main(int argc, char** argv) {
  sweep::Status s = sweep::gcp::Run(std::vector<std::string>(argv + 1, argv + argc));
  if (!s.ok()) std::fprintf(stderr, "gcs_tool: %s\n", s.ToString().c_str());
  return sweep::ToInt(sweep::ExitCodeFor(s));
}
