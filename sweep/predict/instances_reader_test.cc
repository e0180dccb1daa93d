// ReadInstances against RapidJSON's DOM (full precision) as the oracle: on generated bodies the
// same floats in the same order; on mutated bodies never accepting what RapidJSON refuses, and
// never calling JSON invalid what RapidJSON accepts.
#include "sweep/predict/instances_reader.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <string>

#include "base/testing.h"

namespace sweep::predict {
namespace {

std::string RandomNumber(std::mt19937_64& rng) {
  char buf[64];
  switch (rng() % 8) {
    case 0:
      return "0";
    case 1:
      return "0.0";
    case 2:
      std::snprintf(buf, sizeof buf, "%.17g", std::uniform_real_distribution<>(0, 1)(rng));
      break;
    case 3:
      std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(rng() % 2000) - 1000);
      break;
    case 4:
      std::snprintf(buf, sizeof buf, "%.6e", std::uniform_real_distribution<>(-1e30, 1e30)(rng));
      break;
    case 5:
      std::snprintf(buf, sizeof buf, "%.3E", std::uniform_real_distribution<>(-1e-30, 1e-30)(rng));
      break;
    case 6:
      return "-12345678901234567890123.25e-3";  // more than 19 digits: strtod
    default:
      std::snprintf(buf, sizeof buf, "-%.9f", std::uniform_real_distribution<>(0, 300)(rng));
      break;
  }
  return buf;
}

std::string RandomTensor(std::mt19937_64& rng, int n, int a, int b) {
  std::string s = "[";
  for (int i = 0; i < n; ++i) {
    s += i ? ", [" : "[";
    for (int j = 0; j < a; ++j) {
      s += j ? "," : "";
      if (b == 0) {
        s += RandomNumber(rng);
        continue;
      }
      s += "[";
      for (int k = 0; k < b; ++k) s += (k ? " , " : "") + RandomNumber(rng);
      s += "]";
    }
    s += "]";
  }
  return s + "]";
}

std::string RandomBody(std::mt19937_64& rng) {
  const std::string tensor = RandomTensor(rng, 1 + rng() % 3, 1 + rng() % 4, rng() % 3);
  const char* extras[] = {R"("parameters": {"a": [1, {"b": null}], "c": "x\"\\\u0041y"})",
                          R"("signature_name": "serving_default")",
                          R"("flag": true)",
                          R"("e": [])",
                          R"("f": {})",
                          R"("g": -0.5e+2)"};
  std::string body = "{";
  const bool first = rng() % 2;
  if (first) body += std::string(rng() % 2 ? "\"instances\"" : "\"inputs\"") + ": " + tensor;
  for (int i = 0, k = rng() % 3; i < k; ++i) {
    body += (body.size() > 1 ? ", " : "") + std::string(extras[rng() % 6]);
  }
  if (!first) body += std::string(body.size() > 1 ? ", " : "") + "\"instances\":" + tensor;
  return body + "}\n";
}

// The numbers under "instances"/"inputs" in document order, as floats.
bool Flatten(const rapidjson::Value& v, std::vector<float>* out) {
  if (v.IsNumber()) return out->push_back(static_cast<float>(v.GetDouble())), true;
  if (!v.IsArray()) return false;
  for (const auto& e : v.GetArray()) {
    if (!Flatten(e, out)) return false;
  }
  return true;
}

struct Oracle {
  bool json_ok = false;
  bool too_big = false;  // RapidJSON refuses exponents past its range even on 0.0E99999 (valid)
  bool has_tensor = false;
  std::vector<float> values;
};

Oracle Reference(const std::string& body) {
  rapidjson::Document d;
  d.Parse<rapidjson::kParseNanAndInfFlag | rapidjson::kParseFullPrecisionFlag>(body.data(),
                                                                               body.size());
  Oracle o;
  o.json_ok = !d.HasParseError();
  o.too_big = d.GetParseError() == rapidjson::kParseErrorNumberTooBig;
  if (!o.json_ok || !d.IsObject()) return o;
  for (const char* key : {"instances", "inputs"}) {
    if (d.HasMember(key) && d[key].IsArray()) o.has_tensor = Flatten(d[key], &o.values);
  }
  return o;
}

TEST(ReadInstances, GeneratedBodiesGiveRapidJsonsFloats) {
  std::mt19937_64 rng(1);
  for (int i = 0; i < 3000; ++i) {
    const std::string body = RandomBody(rng);
    const Oracle want = Reference(body);
    ASSERT_TRUE(want.json_ok && want.has_tensor) << body;
    TensorRead t;
    std::vector<float> got;
    ASSERT_OK(ReadInstances(body, &t, &got));
    ASSERT_EQ(got.size(), want.values.size()) << body;
    for (size_t k = 0; k < got.size(); ++k) ASSERT_EQ(got[k], want.values[k]) << body << " #" << k;
  }
}

TEST(ReadInstances, MutatedBodiesAgreeWithRapidJsonOnValidity) {
  std::mt19937_64 rng(2);
  const std::string alphabet = "[]{},:\"0123456789.eE+-NaIfinty \\u";
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string body = RandomBody(rng);
    for (int m = 0, k = 1 + rng() % 2; m < k && !body.empty(); ++m) {
      const size_t at = rng() % body.size();
      switch (rng() % 3) {
        case 0:
          body.erase(at, 1);
          break;
        case 1:
          body.insert(at, 1, alphabet[rng() % alphabet.size()]);
          break;
        default:
          body.resize(at);
          break;
      }
    }
    const Oracle want = Reference(body);
    TensorRead t;
    std::vector<float> got;
    const Status s = ReadInstances(body, &t, &got);
    if (want.too_big) continue;
    if (!want.json_ok) {
      ASSERT_FALSE(s.ok()) << "accepted invalid JSON: " << body;
      continue;
    }
    ASSERT_EQ(s.message().find("not JSON"), std::string::npos) << s.message() << "\n" << body;
    if (s.ok() && want.has_tensor) {
      ++accepted;
      ASSERT_EQ(got, want.values) << body;
    }
  }
  EXPECT_GT(accepted, 1000);  // the mutations leave many bodies valid: the check has teeth
}

TEST(ReadInstances, NumberEdgeCases) {
  TensorRead t;
  std::vector<float> v;
  ASSERT_OK(ReadInstances(R"({"instances": [0.1, 1e-50, -0, 3.4028234e38, 16777217, 0.000001]})",
                          &t, &v));
  EXPECT_EQ(v, (std::vector<float>{0.1f, 0.0f, -0.0f, 3.4028234e38f, 16777216.0f, 1e-6f}));
  EXPECT_EQ(t.rank, 1);
  EXPECT_EQ(t.dims[0], 6);
  for (const char* bad :
       {R"({"instances": [01]})", R"({"instances": [1.]})", R"({"instances": [.5]})",
        R"({"instances": [1e]})", R"({"instances": [+1]})", R"({"instances": [1,]})",
        R"({"instances": [1] "x": 2})", R"({"a": "\x"})", "{\"a\": \"\x01\"}"}) {
    EXPECT_NE(ReadInstances(bad, &t, &v).message().find("not JSON"), std::string::npos) << bad;
  }
}

}  // namespace
}  // namespace sweep::predict
