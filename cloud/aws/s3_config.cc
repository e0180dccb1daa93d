// The environment-facing parts of s3_client.h: configuration and s3:// URIs.
#include <algorithm>
#include <cctype>

#include "base/strings.h"
#include "cloud/aws/config.h"
#include "cloud/aws/s3_client.h"

namespace sweep::aws {
namespace {

// Appends instead of operator+ on a temporary: GCC 12 warns (-Wrestrict) about the latter.
std::string Quoted(std::string_view s) {
  std::string out = "'";
  out.append(s);
  out += '\'';
  return out;
}

}  // namespace

StatusOr<S3Config> S3ConfigFromEnvironment() {
  const AwsConfig aws = LoadAwsConfig();
  S3Config config;
  if (!aws.region.empty()) config.region = aws.region;
  config.endpoint = ConfiguredEndpoint(aws, "s3");
  if (!config.endpoint.empty()) SWEEP_RETURN_IF_ERROR(CheckEndpoint("S3", &config.endpoint));
  const std::string force = AsciiLower(GetEnv("AWS_S3_FORCE_PATH_STYLE"));
  config.force_path_style =
      force == "true" || force == "1" || AsciiLower(aws.Setting("s3.addressing_style")) == "path";
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
