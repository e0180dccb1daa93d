// Hostile specs (issue 16): each ends as InvalidArgument with a line that says what is wrong,
// never an abort, a stack overflow, an unbounded allocation or a hang.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "base/testing.h"
#include "sweep/spec/spec.h"

namespace sweep {
namespace {

std::string ErrorOf(const std::string& text) {
  StatusOr<Spec> spec = ParseSpec(text, "spec.yml", "/data");
  EXPECT_FALSE(spec.ok()) << text.substr(0, 80);
  if (spec.ok()) return "";
  EXPECT_EQ(spec.status().code(), StatusCode::kInvalidArgument);
  return spec.status().message();
}

TEST(HostileSpec, BytesThatAreNotUtf8AreRefusedWithTheirPlace) {
  EXPECT_EQ(ErrorOf("- {dataset: d, note: \"caf\xe9\"}\n"),
            "spec.yml: line 1, column 26: byte 0xE9 is not UTF-8 (save the file as UTF-8)");
  EXPECT_NE(ErrorOf("- {dataset: d}\n- {dataset: \xff}\n").find("line 2, column 13: byte 0xFF"),
            std::string::npos);
  Spec spec = *ParseSpec("- {dataset: d}\n", "spec.yml", "/data");
  Status s = ApplyOverrides({"note=caf\xc3"}, &spec);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "--set: byte 8 of the argument is not UTF-8");
  // yaml-cpp can turn UTF-8 text into other bytes (the fuzzer's find): refused, not thrown.
  EXPECT_NE(ErrorOf(std::string("\x01\x00\x00\x00- {dataset: \"2synthetizer: Adam, lr_sc\x08", 43))
                .find("not UTF-8"),
            std::string::npos);
  EXPECT_EQ(ApplyOverrides({std::string(300, 'k') + "=1"}, &spec).message(),
            "--set: a key of 300 characters (at most 256)");
}

TEST(HostileSpec, ASelfReferencingAliasIsTooDeep) {
  EXPECT_NE(ErrorOf("- &a [*a]\n").find("nested deeper than 64 levels"), std::string::npos);
  EXPECT_NE(ErrorOf("a: &a {b: *a}\n").find("nested deeper than 64 levels"), std::string::npos);
}

TEST(HostileSpec, AnAliasBombStopsAtAMillionValuesQuickly) {
  std::string bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 10; ++i) {
    bomb += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) bomb += (k ? ", *a" : "*a") + std::to_string(i - 1);
    bomb += "]\n";
  }
  ASSERT_LT(bomb.size(), 600u);
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_NE(ErrorOf(bomb).find("more than 1000000 values once aliases are expanded"),
            std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
}

TEST(HostileSpec, DeepNestingWithoutAliases) {
  std::string deep(100, '[');
  deep += std::string(100, ']');
  EXPECT_NE(ErrorOf("- {dataset: d, x: " + deep + "}\n").find("nested deeper than 64"),
            std::string::npos);
}

TEST(HostileSpec, ASecondDocumentIsNotDroppedSilently) {
  EXPECT_EQ(ErrorOf("- {dataset: a}\n---\n- {dataset: b}\n"),
            "spec.yml: line 2: a second YAML document (after '---'): a spec is one document");
  EXPECT_TRUE(ParseSpec("- {dataset: a}\n---\n", "spec.yml", "/data").ok());  // '---' alone
}

TEST(HostileSpec, KeysLongerThan256CharactersAreRefused) {
  EXPECT_NE(ErrorOf("- dataset: d\n  " + std::string(300, 'k') + ": 1\n")
                .find("a key of 300 characters (at most 256)"),
            std::string::npos);
}

TEST(HostileSpec, WandbDrawsBeyondTheIntegerRangeStayNumbersTheRowKeysRefuse) {
  StatusOr<Spec> spec = ParseSpec(
      "method: random\nrun_cap: 3\nparameters:\n  dataset: {value: d}\n"
      "  epochs: {distribution: q_uniform, min: 1, max: 1e30}\n",
      "spec.yml", "/data");
  ASSERT_OK(spec);
  for (const auto& row : spec->rows) EXPECT_TRUE(row["epochs"].is_number_float()) << row;
  EXPECT_NE(ErrorOf("method: random\nrun_cap: 1\nparameters:\n  dataset: {value: d}\n"
                    "  seed: {distribution: int_uniform, min: 0, max: 18446744073709551615}\n")
                .find("int_uniform min and max must be within +-2^53"),
            std::string::npos);
}

TEST(HostileSpec, OnlyRegularFilesOfAtMost16MiBAreRead) {
  sweep::testing::TestDir tmp;
  const std::string dir = tmp.path().string();
  StatusOr<Spec> d = LoadSpecFile(dir);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(), dir + ": not a regular file (a directory)");
  EXPECT_EQ(LoadSpecFile("/dev/zero").status().message(), "/dev/zero: not a regular file");
  const std::string fifo = dir + "/fifo.yml";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(LoadSpecFile(fifo).status().code(), StatusCode::kInvalidArgument);  // no hang
  const std::string big = dir + "/big.yml";
  std::ofstream(big) << std::string((16 << 20) + 1, '#');
  EXPECT_NE(LoadSpecFile(big).status().message().find("a spec may have at most 16777216"),
            std::string::npos);
}

}  // namespace
}  // namespace sweep
