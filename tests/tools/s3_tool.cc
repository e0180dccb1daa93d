// Test-only CLI over the S3 client, for tests/s3_*_test.sh. Not installed.
//
//   s3_tool sign < cases.jsonl           one Authorization header per input line (fixed times)
//   s3_tool get s3://b/k OUT [FIRST-LAST]
//   s3_tool put s3://b/k FILE            (multipart from 16 MiB)
//   s3_tool putstr s3://b/k TEXT
//   s3_tool putmany s3://b/prefix N      puts {prefix}/{i}/result.json for i < N (one process)
//   s3_tool head s3://b/k                 prints "size etag"
//   s3_tool ls s3://b/prefix              prints the keys, one a line
//   s3_tool fetch s3://b/k               FetchInput: prints the local cached path
//   s3_tool store-create ROOT KEY TEXT   Store::Create (create-only): prints created or exists
//   s3_tool store-ls s3://b/root          OpenStore + List: prints the key count
//   s3_tool creds N                       resolves N times, 1 s apart: "access_key_id source"
// Errors: one line on stderr, exit code from ExitCodeFor (2 bad input, 75 transient).
#include <chrono>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "base/exit_code.h"
#include "cloud/aws/s3_client.h"
#include "storage/layout.h"
#include "storage/s3_store.h"
#include "storage/store.h"

namespace sweep::storage {
namespace {

cloud::HeaderList Pairs(const nlohmann::json& j) {
  cloud::HeaderList out;
  for (const auto& p : j) out.emplace_back(p[0].get<std::string>(), p[1].get<std::string>());
  return out;
}

Status Sign() {
  for (std::string line; std::getline(std::cin, line);) {
    nlohmann::json c = nlohmann::json::parse(line, nullptr, false);
    if (c.is_discarded()) return Status::InvalidArgument("sign: bad JSON line");
    aws::SigV4Request r;
    r.method = c["method"];
    r.host = c["host"];
    r.canonical_uri = aws::UriEncodePath(c["path"].get<std::string>());
    r.query = Pairs(c["query"]);
    r.headers = Pairs(c["headers"]);
    r.payload_hash = c.value("unsigned", false) ? std::string(aws::kUnsignedPayload)
                                                : aws::Sha256Hex(c["body"].get<std::string>());
    r.service = c["service"];
    r.region = c["region"];
    r.amz_date = c["date"];
    aws::AwsCredentials creds{c["key"], c["secret"], c.value("token", "")};
    std::cout << aws::SignV4(r, creds).authorization << "\n";
  }
  return Status::Ok();
}

StatusOr<std::unique_ptr<aws::S3Client>> Client() {
  SWEEP_ASSIGN_OR_RETURN(aws::S3Config config, aws::S3ConfigFromEnvironment());
  return std::make_unique<aws::S3Client>(config, std::make_shared<aws::CredentialProvider>());
}

Status Creds(int n) {
  aws::CredentialProvider p(/*refresh_before_s=*/300);
  for (int i = 0; i < n; ++i) {
    if (i > 0) std::this_thread::sleep_for(std::chrono::seconds(1));
    SWEEP_ASSIGN_OR_RETURN(aws::AwsCredentials c, p.Get());
    std::cout << c.access_key_id << " " << p.source() << std::endl;
  }
  return Status::Ok();
}

Status Run(const std::vector<std::string>& a) {
  if (a.size() == 1 && a[0] == "sign") return Sign();
  if (a.size() == 2 && a[0] == "creds") return Creds(std::stoi(a[1]));
  if (a.size() == 2 && a[0] == "fetch") {
    SWEEP_ASSIGN_OR_RETURN(std::string path, FetchInput(a[1]));
    std::cout << path << "\n";
    return Status::Ok();
  }
  if (a.size() == 2 && a[0] == "store-ls") {
    SWEEP_ASSIGN_OR_RETURN(auto store, OpenStore(a[1]));
    SWEEP_ASSIGN_OR_RETURN(auto keys, store->List(""));
    std::cout << keys.size() << "\n";
    return Status::Ok();
  }
  if (a.size() == 4 && a[0] == "store-create") {  // store-create ROOT KEY TEXT: Store::Create
    SWEEP_ASSIGN_OR_RETURN(auto store, OpenStore(a[1]));
    SWEEP_ASSIGN_OR_RETURN(bool created, store->Create(a[2], a[3]));
    std::cout << (created ? "created" : "exists") << "\n";
    return Status::Ok();
  }
  if (a.size() < 2) return Status::InvalidArgument("usage: see tests/tools/s3_tool.cc");
  SWEEP_ASSIGN_OR_RETURN(aws::S3Uri uri, aws::ParseS3Uri(a[1]));
  SWEEP_ASSIGN_OR_RETURN(auto client, Client());
  if (a[0] == "get" && (a.size() == 3 || a.size() == 4)) {
    std::optional<aws::ByteRange> range;
    if (a.size() == 4) {
      range = aws::ByteRange{std::stoll(a[3]), std::stoll(a[3].substr(a[3].find('-') + 1))};
    }
    return client->GetToFile(uri.bucket, uri.key, a[2], range).status();
  }
  if (a[0] == "put" && a.size() == 3) return client->PutFile(uri.bucket, uri.key, a[2]);
  if (a[0] == "putstr" && a.size() == 3) return client->Put(uri.bucket, uri.key, a[2]);
  if (a[0] == "putmany" && a.size() == 3) {
    for (int i = 0; i < std::stoi(a[2]); ++i) {
      const std::string key = sweep::storage::ResultPath(uri.key, i);
      SWEEP_RETURN_IF_ERROR(client->Put(uri.bucket, key, "{\"index\": " + std::to_string(i) + "}"));
    }
    return Status::Ok();
  }
  if (a[0] == "head" && a.size() == 2) {
    SWEEP_ASSIGN_OR_RETURN(aws::S3Object o, client->Head(uri.bucket, uri.key));
    std::cout << o.size << " " << o.etag << "\n";
    return Status::Ok();
  }
  if (a[0] == "ls" && a.size() == 2) {
    SWEEP_ASSIGN_OR_RETURN(auto objects, client->List(uri.bucket, uri.key));
    for (const auto& o : objects) std::cout << o.key << "\n";
    return Status::Ok();
  }
  return Status::InvalidArgument("usage: see tests/tools/s3_tool.cc");
}

}  // namespace
}  // namespace sweep::storage

int main(int argc, char** argv) {
  sweep::Status s = sweep::storage::Run(std::vector<std::string>(argv + 1, argv + argc));
  if (!s.ok()) std::fprintf(stderr, "s3_tool: %s\n", s.ToString().c_str());
  return sweep::ToInt(sweep::ExitCodeFor(s));
}
