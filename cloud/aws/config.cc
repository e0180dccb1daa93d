#include "cloud/aws/config.h"

#include <cctype>

#include "base/check.h"
#include "base/file.h"
#include "base/strings.h"
#include "cloud/aws/credentials.h"

namespace sweep::aws {
namespace {

// "sso-oidc" -> "AWS_ENDPOINT_URL_SSO_OIDC", as the SDKs name the per-service variable.
std::string EndpointVariable(std::string_view service) {
  std::string name = "AWS_ENDPOINT_URL_";
  for (char c : service) {
    const auto u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    name += c == '-' || c == ' ' ? '_' : u;
  }
  return name;
}

std::string WithoutTrailingSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

std::string AwsConfig::Setting(const char* key) const { return SectionValue(&settings, key); }

AwsConfig LoadAwsConfig() {
  AwsConfig config;
  config.profile = ProfileName();
  const std::string path = SharedConfigPath();
  std::string text;
  if (!path.empty() && ReadFile(path, &text).ok()) {  // no file: no profile settings
    const IniFile ini = ParseIni(text);
    if (const auto* section = ConfigSection(ini, config.profile)) config.settings = *section;
  }
  for (std::string region :
       {GetEnv("AWS_REGION"), GetEnv("AWS_DEFAULT_REGION"), config.Setting("region")}) {
    if (!region.empty()) {
      config.region = region;
      break;
    }
  }
  return config;
}

std::string ConfiguredEndpoint(const AwsConfig& config, std::string_view service) {
  for (std::string url : {GetEnv(EndpointVariable(service).c_str()), GetEnv("AWS_ENDPOINT_URL"),
                          config.Setting("endpoint_url")}) {
    if (!url.empty()) return WithoutTrailingSlash(url);
  }
  return "";
}

std::string ServiceEndpoint(const AwsConfig& config, std::string_view service,
                            const std::string& region) {
  std::string url = ConfiguredEndpoint(config, service);
  return url.empty() ? StandardEndpoint(service, region) : url;
}

std::string StandardEndpoint(std::string_view service, const std::string& region) {
  if (service == "sts" && region.empty()) return "https://sts.amazonaws.com";
  std::string host;
  if (service == "s3" || service == "batch" || service == "sts") host = std::string(service);
  if (service == "sso") host = "portal.sso";
  if (service == "sso-oidc") host = "oidc";
  SWEEP_CHECK(!host.empty());
  return "https://" + host + "." + region + ".amazonaws.com";
}

Status CheckEndpoint(std::string_view what, std::string* url) {
  std::string& e = *url;
  e = WithoutTrailingSlash(e);
  const size_t scheme_end = e.find("://");
  const std::string scheme =
      scheme_end == std::string::npos ? "" : AsciiLower(e.substr(0, scheme_end));
  if ((scheme != "http" && scheme != "https") || e.size() == scheme_end + 3 ||
      e.find_first_of("/?#", scheme_end + 3) != std::string::npos) {
    std::string message(what);
    message += " endpoint '";
    message += e;
    message += "': expected http(s)://host[:port]";
    return Status::InvalidArgument(message);
  }
  return Status::Ok();
}

}  // namespace sweep::aws
