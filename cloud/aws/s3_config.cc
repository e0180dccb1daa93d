// The environment-facing parts of s3_client.h: configuration, s3:// URIs, backoff.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "base/strings.h"
#include "cloud/aws/s3_client.h"

namespace sweep::aws {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::map<std::string, std::string> ProfileConfig() {
  const std::string path = SharedConfigPath();
  std::ifstream in(path);
  if (path.empty() || !in) return {};
  std::ostringstream ss;
  ss << in.rdbuf();
  IniFile ini = ParseIni(ss.str());
  const auto* section = ConfigSection(ini, ProfileName());
  return section == nullptr ? std::map<std::string, std::string>{} : *section;
}

Status CheckEndpoint(std::string* endpoint) {
  std::string& e = *endpoint;
  while (!e.empty() && e.back() == '/') e.pop_back();
  const size_t scheme_end = e.find("://");
  const std::string scheme = scheme_end == std::string::npos ? "" : Lower(e.substr(0, scheme_end));
  if ((scheme != "http" && scheme != "https") || e.size() == scheme_end + 3 ||
      e.find_first_of("/?#", scheme_end + 3) != std::string::npos) {
    return Status::InvalidArgument("S3 endpoint '" + e + "': expected http(s)://host[:port]");
  }
  return Status::Ok();
}

// Appends instead of operator+ on a temporary: GCC 12 warns (-Wrestrict) about the latter.
std::string Quoted(std::string_view s) {
  std::string out = "'";
  out.append(s);
  out += '\'';
  return out;
}

}  // namespace

double BackoffMs(const RetryPolicy& policy, int attempt, std::mt19937_64& rng) {
  const double exp = std::ldexp(policy.base_delay_ms, std::clamp(attempt - 1, 0, 30));
  const double cap = std::min(policy.max_delay_ms, exp);
  return std::uniform_real_distribution<double>(0.0, cap)(rng);
}

StatusOr<S3Config> S3ConfigFromEnvironment() {
  const auto profile = ProfileConfig();
  auto from_profile = [&](const char* k) {
    auto it = profile.find(k);
    return it == profile.end() ? std::string() : it->second;
  };
  S3Config config;
  for (std::string region : {GetEnv("AWS_REGION"), GetEnv("AWS_DEFAULT_REGION"), from_profile("region")}) {
    if (!region.empty()) {
      config.region = region;
      break;
    }
  }
  for (std::string e : {GetEnv("AWS_ENDPOINT_URL_S3"), GetEnv("AWS_ENDPOINT_URL"),
                        from_profile("endpoint_url")}) {
    if (!e.empty()) {
      config.endpoint = e;
      break;
    }
  }
  if (!config.endpoint.empty()) SWEEP_RETURN_IF_ERROR(CheckEndpoint(&config.endpoint));
  const std::string force = Lower(GetEnv("AWS_S3_FORCE_PATH_STYLE"));
  config.force_path_style = force == "true" || force == "1" ||
                            Lower(from_profile("s3.addressing_style")) == "path";
  return config;
}

StatusOr<S3Uri> ParseS3Uri(std::string_view uri) {
  constexpr std::string_view kScheme = "s3://";
  if (uri.substr(0, kScheme.size()) != kScheme) {
    return Status::InvalidArgument(Quoted(uri) + ": not an s3:// URI");
  }
  std::string_view rest = uri.substr(kScheme.size());
  const size_t slash = rest.find('/');
  S3Uri out;
  out.bucket = std::string(rest.substr(0, slash));
  if (slash != std::string_view::npos) out.key = std::string(rest.substr(slash + 1));
  // Lenient on purpose (legacy buckets, test servers): S3 itself rejects names it dislikes.
  const bool bucket_ok = !out.bucket.empty() && out.bucket.size() <= 255 &&
      std::all_of(out.bucket.begin(), out.bucket.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '-' || c == '.' || c == '_';
      });
  if (!bucket_ok) {
    return Status::InvalidArgument(Quoted(uri) + ": bad bucket name " + Quoted(out.bucket));
  }
  return out;
}

}  // namespace sweep::aws
