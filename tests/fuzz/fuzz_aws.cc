// What AWS and the AWS config files send us: S3 XML, credential JSON (container, IMDS,
// credential_process, SSO), STS XML, Batch JSON, INI config files, ISO 8601 times, s3:// URIs.
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <string>

#include "cloud/aws/batch_client.h"
#include "cloud/aws/credential_sources.h"
#include "cloud/aws/credential_sso.h"
#include "cloud/aws/credentials.h"
#include "cloud/aws/s3_client.h"
#include "cloud/aws/xml.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sweep::aws;
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)XmlValues(text, "Contents");
  (void)FirstXml(text, "Key");
  (void)ParseCredentialsJson(text).ok();
  (void)ParseProcessCredentials(text).ok();
  (void)ParseStsCredentials(text).ok();
  (void)ParseSsoRoleCredentials(text).ok();
  (void)ParseSubmitJobResponse(text).ok();
  (void)ParseIni(text);
  (void)ParseIso8601(text);
  (void)ParseS3Uri(text).ok();
  return 0;
}
