#include "sweep/spec/spec.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "base/testing.h"

namespace sweep {
namespace {

using nlohmann::json;

StatusOr<Spec> Parse(const std::string& text) { return ParseSpec(text, "spec.yml", "/data"); }

TEST(Spec, ListFormKeepsFileOrderAndTypes) {
  auto spec = Parse(
      "- {dataset: synthetic:blobs, hidden: [64], learning_rate: 0.01}\n"
      "- dataset: b.h5\n"
      "  hidden: [[128, 64]]\n"
      "  epochs: 3\n");
  ASSERT_OK(spec);
  EXPECT_EQ(spec->form, "list");
  EXPECT_EQ(spec->source, "spec.yml");
  EXPECT_EQ(spec->base_dir, "/data");
  ASSERT_EQ(spec->rows.size(), 2u);
  EXPECT_EQ(spec->rows[0],
            json::parse(R"({"dataset":"synthetic:blobs","hidden":[64],"learning_rate":0.01})"));
  EXPECT_EQ(spec->rows[1], json::parse(R"({"dataset":"b.h5","hidden":[[128,64]],"epochs":3})"));
  EXPECT_FALSE(spec->metric.has_value());
}

TEST(Spec, ScalarsFollowYaml12CoreSchema) {
  auto spec = Parse(
      "- {i: 12, neg: -3, f: 1.5, e: 1e-3, dot: 3., b: true, B: False, yes_: yes, off: off,\n"
      "   q: '12', qq: \"true\", n: null, tilde: ~, empty: , s: relu, hex: 0x10, inf: .inf,\n"
      "   big: 18446744073709551615}\n");
  ASSERT_OK(spec);
  const json& r = spec->rows[0];
  EXPECT_TRUE(r["i"].is_number_integer());
  EXPECT_EQ(r["i"], 12);
  EXPECT_EQ(r["neg"], -3);
  EXPECT_TRUE(r["f"].is_number_float());
  EXPECT_TRUE(r["e"].is_number_float());  // PyYAML would read "1e-3" as a string
  EXPECT_DOUBLE_EQ(r["e"].get<double>(), 0.001);
  EXPECT_TRUE(r["dot"].is_number_float());
  EXPECT_EQ(r["b"], true);
  EXPECT_EQ(r["B"], false);
  EXPECT_EQ(r["yes_"], "yes");  // YAML 1.2: yes/no/on/off are strings
  EXPECT_EQ(r["off"], "off");
  EXPECT_EQ(r["q"], "12");  // quoted: always a string
  EXPECT_EQ(r["qq"], "true");
  EXPECT_TRUE(r["n"].is_null());
  EXPECT_TRUE(r["tilde"].is_null());
  EXPECT_TRUE(r["empty"].is_null());
  EXPECT_EQ(r["s"], "relu");
  EXPECT_EQ(r["hex"], 16);
  EXPECT_TRUE(std::isinf(r["inf"].get<double>()));
  EXPECT_TRUE(r["big"].is_number_unsigned());
}

TEST(Spec, NumberShapesOfPlainScalars) {
  auto spec = Parse(
      "- {a: +7, b: .5, c: -1., d: +.5e-2, e: 2E+3, f: ., h: 1e, i: e5, j: 1.2.3, k: 1_000,\n"
      "   l: 12a, m: '-.5', n: 0.}\n");
  ASSERT_OK(spec);
  const json& r = spec->rows[0];
  EXPECT_EQ(r["a"], 7);
  EXPECT_TRUE(r["a"].is_number_integer());
  EXPECT_DOUBLE_EQ(r["b"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(r["c"].get<double>(), -1.0);
  EXPECT_TRUE(r["c"].is_number_float());
  EXPECT_DOUBLE_EQ(r["d"].get<double>(), 0.005);
  EXPECT_DOUBLE_EQ(r["e"].get<double>(), 2000.0);
  EXPECT_TRUE(r["n"].is_number_float());
  for (const char* key : {"f", "h", "i", "j", "k", "l", "m"}) {
    EXPECT_TRUE(r[key].is_string()) << key << " = " << r[key];
  }
}

TEST(Spec, DefaultsAndRunsMergeRowOverDefaults) {
  auto spec = Parse(
      "defaults: {dataset: d.h5, epochs: 5, hidden: [32]}\n"
      "metric: {name: val_loss, goal: minimize}\n"
      "runs:\n"
      "  - {learning_rate: 0.1}\n"
      "  - {learning_rate: 0.01, epochs: 9}\n");
  ASSERT_OK(spec);
  EXPECT_EQ(spec->form, "defaults+runs");
  ASSERT_EQ(spec->rows.size(), 2u);
  EXPECT_EQ(spec->rows[0],
            json::parse(R"({"dataset":"d.h5","epochs":5,"hidden":[32],"learning_rate":0.1})"));
  EXPECT_EQ(spec->rows[1],
            json::parse(R"({"dataset":"d.h5","epochs":9,"hidden":[32],"learning_rate":0.01})"));
  ASSERT_TRUE(spec->metric.has_value());
  EXPECT_EQ(spec->metric->name, "val_loss");
  EXPECT_FALSE(spec->metric->maximize);
}

TEST(Spec, RunsWithoutDefaults) {
  auto spec = Parse("runs:\n  - {dataset: a}\n");
  ASSERT_OK(spec);
  EXPECT_EQ(spec->rows, std::vector<json>{json::parse(R"({"dataset":"a"})")});
}

TEST(Spec, DuplicateRowsAreKeptInFileOrderWithAWarning) {
  auto spec = Parse("- {a: 1, b: 2}\n- {a: 3}\n- {b: 2, a: 1}\n- {a: 3}\n");
  ASSERT_OK(spec);
  ASSERT_EQ(spec->rows.size(), 4u);  // as yaml.load(f) reads it: row 2 is {a: 1, b: 2}
  EXPECT_EQ(spec->rows[2], json::parse(R"({"a":1,"b":2})"));
  EXPECT_EQ(spec->rows[3], json::parse(R"({"a":3})"));
  ASSERT_EQ(spec->warnings.size(), 1u);
  EXPECT_NE(spec->warnings[0].find("row 2 repeats row 0, row 3 repeats row 1: every row is kept"),
            std::string::npos)
      << spec->warnings[0];
  auto runs = Parse("defaults: {a: 1}\nruns:\n  - {b: 1}\n  - {b: 1}\n");
  ASSERT_OK(runs);
  EXPECT_EQ(runs->rows.size(), 2u);
}

TEST(Spec, SetKeepsEveryRowAndNamesTheRepeats) {
  auto spec = Parse("- {a: 1}\n- {a: 2}\n");
  ASSERT_OK(spec);
  EXPECT_TRUE(spec->warnings.empty());
  ASSERT_OK(ApplyOverrides({"a=5"}, &*spec));
  ASSERT_EQ(spec->rows.size(), 2u);  // indices do not move under --set
  ASSERT_EQ(spec->warnings.size(), 1u);
  EXPECT_NE(spec->warnings[0].find("row 1 repeats row 0"), std::string::npos);
}

TEST(Spec, MalformedYamlNamesLineAndColumn) {
  auto spec = Parse("- {dataset: a}\n- {dataset: b\n- {dataset: c}\n");
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(spec.status().message().rfind("spec.yml: line ", 0), 0u) << spec.status().message();
  EXPECT_NE(spec.status().message().find(", column "), std::string::npos);

  auto tab = Parse("runs:\n  - a: 1\n   b: 2\n");
  ASSERT_FALSE(tab.ok());
  EXPECT_NE(tab.status().message().find("spec.yml: line 3, column"), std::string::npos)
      << tab.status().message();
}

TEST(Spec, WrongShapesAreClearErrors) {
  for (const char* text : {"hello", "", "a: 1", "- 3\n", "- [1, 2]\n"}) {
    auto spec = Parse(text);
    ASSERT_FALSE(spec.ok()) << text;
    EXPECT_EQ(spec.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(spec.status().message().rfind("spec.yml: ", 0), 0u);
  }
  EXPECT_NE(Parse("hello").status().message().find("expected a sequence of rows"),
            std::string::npos);
  EXPECT_NE(Parse("- 3\n").status().message().find("line 1: row 0: expected a mapping"),
            std::string::npos)
      << Parse("- 3\n").status().message();
  EXPECT_NE(Parse("runs: {a: 1}\n").status().message().find("runs: expected a sequence"),
            std::string::npos);
  EXPECT_NE(Parse("defualts: {}\nruns: []\n").status().message().find("did you mean 'defaults'"),
            std::string::npos);
}

TEST(Spec, EmptyRowsAreAnError) {
  EXPECT_NE(Parse("[]").status().message().find("no rows"), std::string::npos);
  EXPECT_NE(Parse("runs: []").status().message().find("no rows"), std::string::npos);
}

TEST(Spec, DuplicateKeysAreAnError) {
  auto spec = Parse("- {a: 1}\n- a: 1\n  a: 2\n");
  ASSERT_FALSE(spec.ok());
  EXPECT_NE(spec.status().message().find("line 3: duplicate key 'a'"), std::string::npos)
      << spec.status().message();
}

TEST(Spec, OverridesApplyToEveryRow) {
  auto spec = Parse("- {dataset: a, epochs: 5}\n- {dataset: a, epochs: 7}\n");
  ASSERT_OK(spec);
  ASSERT_OK(ApplyOverrides(
      {"epochs=1", "hidden=[64,32]", "dataset=synthetic:blobs", "lr = 1e-3", "test_dataset="},
      &*spec));
  ASSERT_EQ(spec->rows.size(), 2u);  // both rows became identical: kept, with a warning
  EXPECT_EQ(spec->rows[1], spec->rows[0]);
  EXPECT_EQ(spec->rows[0], json::parse(R"({"dataset":"synthetic:blobs","epochs":1,
      "hidden":[64,32],"lr":0.001,"test_dataset":""})"));
}

TEST(Spec, MalformedOverrides) {
  auto spec = Parse("- {dataset: a}\n");
  ASSERT_OK(spec);
  for (const char* set : {"epochs", "=3", "hidden=[1,"}) {
    Status s = ApplyOverrides({set}, &*spec);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << set;
    EXPECT_NE(s.message().find(std::string("--set ") + set), std::string::npos) << s.message();
  }
}

TEST(Spec, RowsToYamlRoundTripsAndPrintsShortFloats) {
  auto spec = Parse(
      "- {dataset: 'synthetic:blobs', learning_rate: 0.001, hidden: [128, 64], nesterov: true,\n"
      "   name: 'yes', num: '12', w: 2.0, weird: 'a b\"c', x: null}\n");
  ASSERT_OK(spec);
  const std::string yaml = RowsToYaml(spec->rows);
  EXPECT_EQ(
      yaml,
      "- {dataset: \"synthetic:blobs\", hidden: [128, 64], learning_rate: 0.001, name: \"yes\", "
      "nesterov: true, num: \"12\", w: 2.0, weird: \"a b\\\"c\", x: null}\n");
  auto again = Parse(yaml);
  ASSERT_OK(again);
  EXPECT_EQ(again->rows, spec->rows);
  EXPECT_EQ(RowsHash(again->rows), RowsHash(spec->rows));
}

TEST(Spec, RowsHashIsStableHexAndContentSensitive) {
  std::vector<json> rows = {json::parse(R"({"a":1,"b":[1,2]})")};
  EXPECT_EQ(RowsHash(rows), RowsHash({json::parse(R"({"b":[1,2],"a":1})")}));
  EXPECT_EQ(RowsHash(rows).size(), 16u);
  EXPECT_EQ(RowsHash(rows), "45c380a8c6627dc2");  // FNV-1a 64 of [{"a":1,"b":[1,2]}]
  EXPECT_NE(RowsHash(rows), RowsHash({json::parse(R"({"a":1.0,"b":[1,2]})")}));
}

TEST(Spec, LoadSpecFileSetsBaseDirAndNotFound) {
  const sweep::testing::TestDir tmp;
  const auto& dir = tmp.path();
  const auto path = dir / "s.yml";
  std::ofstream(path) << "- {dataset: x.h5}\n";
  auto spec = LoadSpecFile(path.string());
  ASSERT_OK(spec);
  EXPECT_EQ(spec->base_dir, dir.string());
  EXPECT_EQ(spec->source, path.string());
  auto with_sets = LoadSpec(path.string(), {"epochs=2"});
  ASSERT_OK(with_sets);
  EXPECT_EQ(with_sets->rows[0]["epochs"], 2);
  std::filesystem::remove_all(dir);
  EXPECT_EQ(LoadSpecFile(path.string()).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace sweep
