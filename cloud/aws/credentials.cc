#include "cloud/aws/credentials.h"

#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <sstream>

#include "base/file.h"
#include "base/log.h"
#include "base/strings.h"
#include "cloud/aws/credential_sources.h"
#include "cloud/aws/credential_sso.h"

namespace sweep::aws {
namespace {

std::string HomeFile(const char* env_override, const char* rel) {
  if (std::string v = GetEnv(env_override); !v.empty()) return v;
  std::string home = GetEnv("HOME");
  return home.empty() ? "" : home + "/.aws/" + rel;
}

StatusOr<TimedCredentials> FromEnvironment() {
  TimedCredentials t;
  t.credentials = {GetEnv("AWS_ACCESS_KEY_ID"), GetEnv("AWS_SECRET_ACCESS_KEY"),
                   GetEnv("AWS_SESSION_TOKEN")};
  if (t.credentials.access_key_id.empty() || t.credentials.secret_access_key.empty()) {
    return Status::NotFound("environment: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY not set");
  }
  return t;
}

bool KeysFromSection(const std::map<std::string, std::string>* s, TimedCredentials* t) {
  t->credentials = {SectionValue(s, "aws_access_key_id"), SectionValue(s, "aws_secret_access_key"),
                    SectionValue(s, "aws_session_token")};
  return !t->credentials.access_key_id.empty() && !t->credentials.secret_access_key.empty();
}

// ~/.aws/credentials and ~/.aws/config, read once per resolution.
struct SharedFiles {
  std::string cred_path, config_path;
  IniFile cred, config;

  SharedFiles() : cred_path(SharedCredentialsPath()), config_path(SharedConfigPath()) {
    std::string text;
    if (!cred_path.empty() && ReadFile(cred_path, &text).ok()) cred = ParseIni(text);
    if (!config_path.empty() && ReadFile(config_path, &text).ok()) config = ParseIni(text);
  }
  const std::map<std::string, std::string>* CredSection(const std::string& profile) const {
    auto it = cred.find(profile);
    return it == cred.end() ? nullptr : &it->second;
  }
};

// A profile's role chain may name other profiles; the SDKs stop cycles too.
constexpr int kMaxRoleChain = 5;

StatusOr<TimedCredentials> ProfileCredentials(const SharedFiles& files, const std::string& profile,
                                              int depth, bool allow_role, std::string* source);

// The credentials a role profile assumes its role with: its source_profile's (the profile's
// own keys when it names itself), or its credential_source.
StatusOr<TimedCredentials> RoleSourceCredentials(const SharedFiles& files,
                                                 const std::string& profile,
                                                 const std::map<std::string, std::string>* s,
                                                 int depth, std::string* source) {
  const std::string named = SectionValue(s, "source_profile");
  const std::string kind = SectionValue(s, "credential_source");
  if (!named.empty()) {
    if (depth + 1 >= kMaxRoleChain) {
      return Status::InvalidArgument("profile " + profile + ": source_profile chain longer than " +
                                     std::to_string(kMaxRoleChain) + " profiles (a cycle?)");
    }
    auto t = ProfileCredentials(files, named, depth + 1, named != profile, source);
    if (t.status().code() == StatusCode::kNotFound) {
      return Status::InvalidArgument("profile " + profile + ": source_profile " + named +
                                     " has no credentials (" + t.status().message() + ")");
    }
    return t;
  }
  *source = "credential_source " + kind;
  if (kind == "Environment") return FromEnvironment();
  if (kind == "Ec2InstanceMetadata") return FromImds();
  if (kind == "EcsContainer") return FromContainer();
  return Status::InvalidArgument("profile " + profile +
                                 (kind.empty()
                                      ? ": role_arn needs source_profile, credential_source or "
                                        "web_identity_token_file"
                                      : ": credential_source " + kind +
                                            " is not one of "
                                            "Environment, Ec2InstanceMetadata, EcsContainer"));
}

// A profile's role_arn: assumed with web identity, or with a source's credentials (AssumeRole).
StatusOr<TimedCredentials> FromRole(const SharedFiles& files, const std::string& profile,
                                    const std::map<std::string, std::string>* s, int depth,
                                    std::string* source) {
  const std::string role = SectionValue(s, "role_arn");
  const std::string token_file = SectionValue(s, "web_identity_token_file");
  if (!token_file.empty()) {
    *source = "profile " + profile + " web identity";
    return AssumeRoleWithWebIdentity({role, token_file, SectionValue(s, "role_session_name")});
  }
  if (!SectionValue(s, "mfa_serial").empty()) {
    return Status::InvalidArgument(
        "profile " + profile +
        ": mfa_serial needs a code typed at a prompt, which a worker has "
        "none of; use credential_process (e.g. `aws configure export-credentials --format "
        "process`) "
        "or export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN");
  }
  RoleToAssume r{role, SectionValue(s, "role_session_name"), SectionValue(s, "external_id"), 0};
  if (const std::string d = SectionValue(s, "duration_seconds"); !d.empty()) {
    const std::optional<int64_t> v = ParseInt(d, 900, 43200);
    if (!v) {
      return Status::InvalidArgument("profile " + profile + ": duration_seconds " + d +
                                     " is not 900..43200");
    }
    r.duration_seconds = static_cast<int>(*v);
  }
  std::string from;
  auto base = RoleSourceCredentials(files, profile, s, depth, &from);
  if (!base.ok()) {
    // A source with nothing to offer is this profile's error, not "no such profile".
    const Status& e = base.status();
    return Status(e.code() == StatusCode::kNotFound ? StatusCode::kInvalidArgument : e.code(),
                  "profile " + profile + " role " + role + ": " + e.message());
  }
  *source = "profile " + profile + " role " + role + " via " + from;
  auto t = AssumeRole(r, base->credentials);
  if (!t.ok()) return t.status().WithContext("profile " + profile + " (credentials: " + from + ")");
  return t;
}

// One profile, in the SDKs' order: role_arn (unless `allow_role` is false: a profile that is
// its own source_profile lends its keys), SSO (config file only), static keys, credential_process.
// The credentials file wins over the config file. NotFound when the profile has none of them.
StatusOr<TimedCredentials> ProfileCredentials(const SharedFiles& files, const std::string& profile,
                                              int depth, bool allow_role, std::string* source) {
  const auto* cred = files.CredSection(profile);
  const auto* config = ConfigSection(files.config, profile);
  if (allow_role) {
    for (const auto* s : {cred, config}) {
      if (!SectionValue(s, "role_arn").empty()) return FromRole(files, profile, s, depth, source);
    }
  }
  if (IsSsoProfile(config)) {
    SWEEP_ASSIGN_OR_RETURN(SsoProfile sso, ReadSsoProfile(files.config, profile, *config));
    *source = "profile " + profile + " sso " + sso.role_name + "@" + sso.account_id;
    auto t = FromSso(sso);
    if (!t.ok()) return t.status().WithContext("profile " + profile);
    return t;
  }
  TimedCredentials t;
  if (KeysFromSection(cred, &t)) {
    *source = "profile " + profile + " (" + files.cred_path + ")";
    return t;
  }
  if (KeysFromSection(config, &t)) {
    *source = "profile " + profile + " (" + files.config_path + ")";
    return t;
  }
  for (const auto* s : {cred, config}) {
    if (std::string command = SectionValue(s, "credential_process"); !command.empty()) {
      *source = "profile " + profile + " credential_process";
      auto p = RunCredentialProcess(command);
      if (!p.ok()) return p.status().WithContext("profile " + profile);
      return p;
    }
  }
  if (cred == nullptr && config == nullptr) return Status::NotFound("no profile " + profile);
  return Status::NotFound("profile " + profile +
                          ": no keys, credential_process, role_arn or sso_*");
}

StatusOr<TimedCredentials> FromProfile(std::string* source) {
  const std::string profile = ProfileName();
  const bool named = !GetEnv("AWS_PROFILE").empty() || !GetEnv("AWS_DEFAULT_PROFILE").empty();
  const SharedFiles files;
  auto t = ProfileCredentials(files, profile, 0, true, source);
  if (named && t.status().code() == StatusCode::kNotFound) {
    return Status::InvalidArgument("profile " + profile + ": no aws_access_key_id/" +
                                   "aws_secret_access_key, credential_process, role_arn or " +
                                   "sso_session/sso_account_id in " + files.cred_path + " or " +
                                   files.config_path);
  }
  return t;
}

}  // namespace

IniFile ParseIni(std::string_view text) {
  IniFile ini;
  std::string section, parent;
  std::istringstream in{std::string(text)};
  for (std::string raw; std::getline(in, raw);) {
    std::string line = Trim(raw);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[' && line.back() == ']') {
      section = Trim(line.substr(1, line.size() - 2));
      parent.clear();
      ini[section];
      continue;
    }
    size_t eq = line.find('=');
    if (eq == std::string::npos || section.empty()) continue;
    std::string key = Trim(line.substr(0, eq)), value = Trim(line.substr(eq + 1));
    const bool indented = std::isspace(static_cast<unsigned char>(raw[0]));
    if (indented && !parent.empty()) {
      ini[section][parent + "." + key] = value;
      continue;
    }
    parent = value.empty() ? key : "";
    ini[section][key] = value;
  }
  return ini;
}

std::string SectionValue(const std::map<std::string, std::string>* section, const char* key) {
  if (section == nullptr) return "";
  auto it = section->find(key);
  return it == section->end() ? std::string() : it->second;
}

const std::map<std::string, std::string>* ConfigSection(const IniFile& config,
                                                        const std::string& profile) {
  auto it = config.find(profile == "default" ? "default" : "profile " + profile);
  if (it == config.end()) it = config.find(profile);
  return it == config.end() ? nullptr : &it->second;
}

std::string SharedCredentialsPath() {
  return HomeFile("AWS_SHARED_CREDENTIALS_FILE", "credentials");
}
std::string SharedConfigPath() { return HomeFile("AWS_CONFIG_FILE", "config"); }

std::string ProfileName() {
  if (std::string p = GetEnv("AWS_PROFILE"); !p.empty()) return p;
  if (std::string p = GetEnv("AWS_DEFAULT_PROFILE"); !p.empty()) return p;
  return "default";
}

std::optional<std::time_t> ParseIso8601(std::string_view s) {
  std::tm tm{};
  int y, mo, d, h, mi, sec;
  if (std::sscanf(std::string(s).c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &sec) !=
      6) {
    return std::nullopt;
  }
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = sec;
  return timegm(&tm);
}

std::string FormatIso8601(std::time_t t) { return FormatUtc(t, "%Y-%m-%dT%H:%M:%SZ"); }

StatusOr<TimedCredentials> CredentialProvider::Resolve(std::string* source) {
  auto env = FromEnvironment();
  if (env.ok()) {
    *source = "environment";
    return env;
  }
  if (WebIdentity w; WebIdentityFromEnv(&w)) {
    *source = "web identity " + w.role_arn;
    return AssumeRoleWithWebIdentity(w);
  }
  auto profile = FromProfile(source);
  if (profile.ok() || profile.status().code() != StatusCode::kNotFound) return profile;
  auto container = FromContainer();
  if (container.ok()) *source = "container";
  if (container.ok() || container.status().code() != StatusCode::kNotFound) return container;
  auto imds = FromImds();
  if (imds.ok()) *source = "imds";
  if (imds.ok() || imds.status().code() != StatusCode::kNotFound) return imds;
  return Status::InvalidArgument(
      "no AWS credentials: tried environment, web identity (AWS_WEB_IDENTITY_TOKEN_FILE), "
      "profile " +
      ProfileName() + ", container (AWS_CONTAINER_CREDENTIALS_*), EC2 instance metadata");
}

StatusOr<AwsCredentials> CredentialProvider::Get() {
  std::lock_guard<std::mutex> lock(mu_);
  const std::time_t now = std::time(nullptr);
  if (cached_ && (!cached_->expiration || now < *cached_->expiration - refresh_before_s_)) {
    return cached_->credentials;
  }
  std::string source;
  auto fresh = Resolve(&source);
  if (!fresh.ok()) {
    // A failed refresh keeps credentials that have not expired yet.
    if (cached_ && cached_->expiration && now < *cached_->expiration) {
      log::Warn("credential refresh failed, using current credentials: " +
                fresh.status().ToString());
      return cached_->credentials;
    }
    return fresh.status();
  }
  cached_ = *fresh;
  source_ = source;
  return cached_->credentials;
}

void CredentialProvider::Invalidate() {
  std::lock_guard<std::mutex> lock(mu_);
  cached_.reset();
}

std::string CredentialProvider::source() const {
  std::lock_guard<std::mutex> lock(mu_);
  return source_;
}

}  // namespace sweep::aws
