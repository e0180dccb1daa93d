#include "sweep/spec/spec_wandb.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "base/testing.h"
#include "sweep/spec/spec.h"

namespace sweep {
namespace {

using nlohmann::json;

StatusOr<Spec> Parse(const std::string& text) { return ParseSpec(text, "sweep.yml", "."); }

std::string ErrorOf(const std::string& text) {
  auto spec = Parse(text);
  return spec.ok() ? "OK" : spec.status().message();
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(RowRng, MatchesReferenceSplitmixXoshiro) {
  // Pinned against an independent Python implementation: a change here changes every random
  // sweep's rows.
  internal::RowRng a(0, 0);
  EXPECT_EQ(a.Next(), 0x8c4986f3f0e565d5ULL);
  EXPECT_EQ(a.Next(), 0xf4547fdf5c2f56b6ULL);
  EXPECT_EQ(a.Next(), 0x6a9e0d6a14f022fbULL);
  internal::RowRng b(42, 7);
  EXPECT_EQ(b.Next(), 0x0719e15cf3d4342fULL);
  EXPECT_EQ(b.Next(), 0x40efa5d3e1980cd0ULL);
  internal::RowRng c(0, 0);
  EXPECT_EQ(Normal(c), 1.2088710769284654);  // Box-Muller on the first two uniforms
}

TEST(RowRng, UniformIntCoversBothEnds) {
  internal::RowRng rng(1, 2);
  std::set<int64_t> seen;
  for (int i = 0; i < 1000; ++i) {
    int64_t v = UniformInt(rng, -2, 2);
    ASSERT_GE(v, -2);
    ASSERT_LE(v, 2);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 5u);
}

constexpr char kGrid[] = R"(
method: grid
name: ignored
program: train.py
command: [python, train.py]
project: p
entity: e
description: d
metric: {name: val_accuracy, goal: maximize}
defaults: {dataset: synthetic:blobs, epochs: 2}
parameters:
  optimizer: {values: [adam, sgd]}
  hidden: {values: [[64], [128, 64]]}
  batch_size: {value: 32}
  learning_rate: {distribution: categorical, values: [0.1, 0.01]}
)";

TEST(WandbGrid, ProductOrderLastParameterFastest) {
  auto spec = Parse(kGrid);
  ASSERT_OK(spec);
  EXPECT_EQ(spec->form, "grid");
  ASSERT_TRUE(spec->metric.has_value());
  EXPECT_EQ(spec->metric->name, "val_accuracy");
  EXPECT_TRUE(spec->metric->maximize);
  const char* expected[] = {
      R"({"batch_size":32,"dataset":"synthetic:blobs","epochs":2,)"
      R"("hidden":[64],"learning_rate":0.1,"optimizer":"adam"})",
      R"({"batch_size":32,"dataset":"synthetic:blobs","epochs":2,)"
      R"("hidden":[64],"learning_rate":0.01,"optimizer":"adam"})",
      R"({"batch_size":32,"dataset":"synthetic:blobs","epochs":2,)"
      R"("hidden":[128,64],"learning_rate":0.1,"optimizer":"adam"})",
      R"({"batch_size":32,"dataset":"synthetic:blobs","epochs":2,)"
      R"("hidden":[128,64],"learning_rate":0.01,"optimizer":"adam"})",
      R"({"batch_size":32,"dataset":"synthetic:blobs","epochs":2,)"
      R"("hidden":[64],"learning_rate":0.1,"optimizer":"sgd"})",
      R"({"batch_size":32,"dataset":"synthetic:blobs","epochs":2,)"
      R"("hidden":[64],"learning_rate":0.01,"optimizer":"sgd"})",
      R"({"batch_size":32,"dataset":"synthetic:blobs","epochs":2,)"
      R"("hidden":[128,64],"learning_rate":0.1,"optimizer":"sgd"})",
      R"({"batch_size":32,"dataset":"synthetic:blobs","epochs":2,)"
      R"("hidden":[128,64],"learning_rate":0.01,"optimizer":"sgd"})",
  };
  ASSERT_EQ(spec->rows.size(), 8u);
  for (size_t i = 0; i < 8; ++i) EXPECT_EQ(spec->rows[i].dump(), expected[i]) << i;
}

TEST(WandbGrid, RunCapKeepsFirstRowsAndDuplicatesDropped) {
  auto capped = Parse(
      "method: grid\nrun_cap: 3\nparameters:\n  a: {values: [1, 2]}\n"
      "  b: {values: [x, y]}\n");
  ASSERT_OK(capped);
  ASSERT_EQ(capped->rows.size(), 3u);
  EXPECT_EQ(capped->rows[2].dump(), R"({"a":2,"b":"x"})");
  auto dup = Parse("method: grid\nparameters:\n  a: {values: [1, 2, 1]}\n");
  ASSERT_OK(dup);
  EXPECT_EQ(dup->rows, (std::vector<json>{json{{"a", 1}}, json{{"a", 2}}}));
}

TEST(WandbGrid, RejectsDistributionsAndBayesWithoutRunCap) {
  EXPECT_TRUE(Contains(ErrorOf("method: grid\nparameters:\n  lr: {min: 0.1, max: 1.0}\n"),
                       "sweep.yml: parameters.lr: method: grid takes only value or values"));
  EXPECT_TRUE(Contains(ErrorOf("method: bayes\nparameters:\n  a: {values: [1]}\n"),
                       "method: bayes needs run_cap"));
  EXPECT_TRUE(
      Contains(ErrorOf("method: gird\nparameters:\n  a: {values: [1]}\n"), "did you mean 'grid'"));
  EXPECT_TRUE(Contains(ErrorOf("parameters:\n  a: {values: [1]}\n"), "method: required key"));
  EXPECT_TRUE(Contains(ErrorOf("method: grid\nparamters:\n  a: {values: [1]}\n"),
                       "paramters: unknown key (did you mean 'parameters'?)"));
  EXPECT_TRUE(Contains(ErrorOf("method: grid\nparameters:\n  a: {values: [1], mni: 2}\n"),
                       "parameters.a.mni: unknown key (did you mean 'min'?)"));
  EXPECT_TRUE(Contains(ErrorOf("method: grid\nparameters:\n  a: 3\n"), "parameters.a: expected"));
  EXPECT_TRUE(Contains(ErrorOf("method: grid\nparameters:\n  o: {parameters: {lr: {value: 1}}}\n"),
                       "nested"));
  EXPECT_TRUE(Contains(ErrorOf("method: grid\nmetric: {goal: up}\nparameters: {}\n"),
                       "metric.goal: expected minimize or maximize"));
}

TEST(WandbGrid, EarlyTerminateIsParsedAndLeavesTheRowsAlone) {
  auto spec = Parse(
      "method: grid\nearly_terminate: {type: hyperband, min_iter: 3, eta: 2, strict: true}\n"
      "parameters:\n  a: {value: 1}\n");
  ASSERT_OK(spec);
  EXPECT_EQ(spec->rows, (std::vector<json>{json{{"a", 1}}}));
  EXPECT_TRUE(spec->warnings.empty());
  ASSERT_TRUE(spec->early_terminate.has_value());
  EXPECT_EQ(spec->early_terminate->min_iter, 3);
  EXPECT_EQ(spec->early_terminate->eta, 2);
  EXPECT_TRUE(spec->early_terminate->strict);
  EXPECT_EQ(spec->early_terminate->brackets, 1);
}

TEST(WandbGrid, EarlyTerminateDefaultsAreWandbs) {
  auto spec = Parse(
      "method: grid\nearly_terminate: {type: hyperband, max_iter: 27, s: 2}\n"
      "parameters:\n  a: {value: 1}\n");
  ASSERT_OK(spec);
  EXPECT_EQ(spec->early_terminate->max_iter, 27);
  EXPECT_EQ(spec->early_terminate->s, 2);
  EXPECT_EQ(spec->early_terminate->eta, 3);
  EXPECT_FALSE(spec->early_terminate->strict);
}

TEST(WandbGrid, EarlyTerminateErrorsNameTheKey) {
  const std::pair<const char*, const char*> cases[] = {
      {"{type: envelope, min_iter: 1}", "early_terminate.type"},
      {"{type: hyperband}", "give min_iter, or max_iter and s"},
      {"{type: hyperband, min_iter: 1, max_iter: 9}", "give min_iter, or max_iter and s"},
      {"{type: hyperband, max_iter: 9}", "early_terminate.s: required"},
      {"{type: hyperband, min_iter: 1, eta: 1}", "early_terminate.eta"},
      {"{type: hyperband, min_iter: 0}", "early_terminate.min_iter"},
      {"{type: hyperband, min_iter: 1, etta: 3}", "early_terminate.etta: unknown key"},
      {"{type: hyperband, min_iter: 1, strict: 1}", "early_terminate.strict"},
  };
  for (const auto& [text, want] : cases) {
    auto spec = Parse(std::string("method: grid\nearly_terminate: ") + text +
                      "\nparameters:\n  a: {value: 1}\n");
    ASSERT_FALSE(spec.ok()) << text;
    EXPECT_TRUE(Contains(spec.status().message(), want))
        << text << ": " << spec.status().ToString();
  }
}

TEST(WandbBayes, ParsesTheSearchSpaceAndDrawsRandomRows) {
  auto spec = Parse(
      "method: bayes\nrun_cap: 24\nwave_size: 8\nseed: 3\nparameters:\n"
      "  lr: {distribution: log_uniform_values, min: 0.001, max: 0.1}\n"
      "  n: {min: 1, max: 9}\n  act: {values: [relu, tanh]}\n  e: {value: 3}\n");
  ASSERT_OK(spec);
  ASSERT_TRUE(spec->bayes.has_value());
  EXPECT_EQ(spec->form, "bayes");
  EXPECT_EQ(spec->rows.size(), 24u);
  EXPECT_EQ(spec->bayes->wave_size, 8);
  EXPECT_EQ(spec->bayes->waves(), 3);
  ASSERT_EQ(spec->bayes->params.size(), 4u);
  EXPECT_TRUE(spec->bayes->params[0].log);
  EXPECT_EQ(spec->bayes->params[1].kind, SearchParam::Kind::kInt);
  EXPECT_EQ(spec->bayes->params[2].kind, SearchParam::Kind::kCategorical);
  auto random = Parse(
      "method: random\nrun_cap: 24\nseed: 3\nparameters:\n"
      "  lr: {distribution: log_uniform_values, min: 0.001, max: 0.1}\n"
      "  n: {min: 1, max: 9}\n  act: {values: [relu, tanh]}\n  e: {value: 3}\n");
  ASSERT_OK(random);
  EXPECT_EQ(spec->rows, random->rows);  // wave 0 is the random search's first rows
}

TEST(WandbBayes, RefusesWhatHasNoRange) {
  auto spec = Parse("method: bayes\nrun_cap: 4\nparameters:\n  x: {mu: 0, sigma: 1}\n");
  ASSERT_FALSE(spec.ok());
  EXPECT_TRUE(Contains(spec.status().message(), "needs a range")) << spec.status().ToString();
  spec = Parse("method: random\nrun_cap: 4\nwave_size: 2\nparameters:\n  x: {value: 1}\n");
  ASSERT_FALSE(spec.ok());
  EXPECT_TRUE(Contains(spec.status().message(), "wave_size")) << spec.status().ToString();
}

constexpr char kRandom[] = R"(
method: random
run_cap: 4
seed: 7
defaults: {dataset: synthetic:blobs}
parameters:
  learning_rate: {distribution: log_uniform_values, min: 1.0e-4, max: 1.0e-1}
  batch_size: {values: [16, 32, 64]}
  hidden: {values: [[64], [128, 64]], probabilities: [0.25, 0.75]}
  epochs: {min: 1, max: 10}
  momentum: {min: 0.5, max: 0.99}
  validation_split: {value: 0.1}
)";

TEST(WandbRandom, ByteIdenticalAcrossExpansionsAndPinned) {
  auto a = Parse(kRandom);
  auto b = Parse(kRandom);
  ASSERT_OK(a);
  ASSERT_OK(b);
  EXPECT_EQ(a->form, "random");
  EXPECT_EQ(RowsToYaml(a->rows), RowsToYaml(b->rows));
  EXPECT_EQ(RowsHash(a->rows), RowsHash(b->rows));
  ASSERT_EQ(a->rows.size(), 4u);
  // Pinned: a change of PRNG, draw order or inference changes these.
  // The values match an independent Python implementation of RowRng and the draw rules.
  EXPECT_EQ(a->rows[0].dump(),
            R"({"batch_size":32,"dataset":"synthetic:blobs","epochs":4,"hidden":[64],)"
            R"("learning_rate":0.0418538958869561,"momentum":0.9429287240335714,)"
            R"("validation_split":0.1})");
  EXPECT_EQ(a->rows[1].dump(),
            R"({"batch_size":32,"dataset":"synthetic:blobs","epochs":10,"hidden":[128,64],)"
            R"("learning_rate":0.08826583029439032,"momentum":0.914447753565391,)"
            R"("validation_split":0.1})");
  // Row i depends only on (seed, i): a larger run_cap keeps the first rows.
  std::string more = kRandom;
  more.replace(more.find("run_cap: 4"), 10, "run_cap: 9");
  auto c = Parse(more);
  ASSERT_OK(c);
  EXPECT_EQ(c->rows[1], a->rows[1]);
  std::string other_seed = kRandom;
  other_seed.replace(other_seed.find("seed: 7"), 7, "seed: 8");
  EXPECT_NE(Parse(other_seed)->rows[0], a->rows[0]);
}

TEST(WandbRandom, RunCapRequiredAndPositive) {
  EXPECT_TRUE(Contains(ErrorOf("method: random\nparameters:\n  a: {min: 0, max: 1}\n"),
                       "run_cap: method: random needs run_cap"));
  EXPECT_TRUE(Contains(ErrorOf("method: random\nrun_cap: -1\nparameters:\n  a: {value: 1}\n"),
                       "run_cap: expected an integer >= 0"));
  auto spec = Parse("method: random\nrun_cap: 50\nparameters:\n  a: {values: [1, 2]}\n");
  ASSERT_OK(spec);
  EXPECT_EQ(spec->rows.size(), 50u);  // W&B's random search runs a repeated draw again
  ASSERT_FALSE(spec->warnings.empty());
  EXPECT_NE(spec->warnings.back().find("row 2 repeats row"), std::string::npos)
      << spec->warnings.back();
}

TEST(WandbRandom, InfersDistributionsAsWandb) {
  auto spec = Parse(R"(
method: random
run_cap: 100
parameters:
  cat: {values: [a, b, c]}
  const: {value: [1, 2]}
  ints: {min: 3, max: 5}
  floats: {min: 3, max: 5.0}
  gauss: {mu: 10, sigma: 0.5}
)");
  ASSERT_OK(spec);
  std::set<std::string> cats;
  std::set<int64_t> ints;
  for (const json& row : spec->rows) {
    cats.insert(row["cat"].get<std::string>());
    EXPECT_EQ(row["const"], json::parse("[1,2]"));
    ASSERT_TRUE(row["ints"].is_number_integer());
    ints.insert(row["ints"].get<int64_t>());
    ASSERT_TRUE(row["floats"].is_number_float());
    EXPECT_GE(row["floats"].get<double>(), 3.0);
    EXPECT_LT(row["floats"].get<double>(), 5.0);
    ASSERT_TRUE(row["gauss"].is_number_float());
    EXPECT_LT(std::fabs(row["gauss"].get<double>() - 10), 0.5 * 6);
  }
  EXPECT_EQ(cats, (std::set<std::string>{"a", "b", "c"}));
  EXPECT_EQ(ints, (std::set<int64_t>{3, 4, 5}));  // inclusive of both ends
}

bool IsMultiple(double x, double q) {
  const double k = std::round(x / q);
  return std::fabs(x - k * q) <= 1e-9 * std::max(1.0, std::fabs(x));
}

TEST(WandbRandom, EveryDistributionWithinBoundsAndQuantised) {
  auto spec = Parse(R"(
method: random
run_cap: 300
seed: 3
parameters:
  u: {distribution: uniform, min: -1, max: 2}
  qu: {distribution: q_uniform, min: 0, max: 64, q: 8}
  quf: {distribution: q_uniform, min: 0.0, max: 1.0, q: 0.25}
  lu: {distribution: log_uniform, min: -4, max: 0}
  luv: {distribution: log_uniform_values, min: 0.001, max: 0.1}
  qluv: {distribution: q_log_uniform_values, min: 16, max: 256, q: 16}
  n: {distribution: normal, mu: 0, sigma: 1}
  qn: {distribution: q_normal, mu: 100, sigma: 10, q: 5}
  ln: {distribution: log_normal, mu: 0, sigma: 0.5}
  qln: {distribution: q_log_normal, mu: 3, sigma: 0.5, q: 2}
  iu: {distribution: int_uniform, min: 0, max: 1}
  c: {distribution: constant, value: x}
  p: {values: [a, b], probabilities: [1.0, 0.0]}
)");
  ASSERT_OK(spec);
  ASSERT_EQ(spec->rows.size(), 300u);
  double n_sum = 0;
  for (const json& r : spec->rows) {
    EXPECT_GE(r["u"].get<double>(), -1);
    EXPECT_LT(r["u"].get<double>(), 2);
    ASSERT_TRUE(r["qu"].is_number_integer());  // integer q: integer values
    EXPECT_EQ(r["qu"].get<int64_t>() % 8, 0);
    EXPECT_GE(r["qu"].get<int64_t>(), 0);
    EXPECT_LE(r["qu"].get<int64_t>(), 64);
    ASSERT_TRUE(r["quf"].is_number_float());
    EXPECT_TRUE(IsMultiple(r["quf"].get<double>(), 0.25));
    EXPECT_GE(r["lu"].get<double>(), std::exp(-4.0));
    EXPECT_LE(r["lu"].get<double>(), 1.0);
    EXPECT_GE(r["luv"].get<double>(), 0.001);
    EXPECT_LE(r["luv"].get<double>(), 0.1);
    EXPECT_EQ(r["qluv"].get<int64_t>() % 16, 0);
    EXPECT_GE(r["qluv"].get<int64_t>(), 16);
    EXPECT_LE(r["qluv"].get<int64_t>(), 256);
    n_sum += r["n"].get<double>();
    EXPECT_EQ(r["qn"].get<int64_t>() % 5, 0);
    EXPECT_GT(r["ln"].get<double>(), 0);
    EXPECT_EQ(r["qln"].get<int64_t>() % 2, 0);
    EXPECT_TRUE(r["iu"] == 0 || r["iu"] == 1);
    EXPECT_EQ(r["c"], "x");
    EXPECT_EQ(r["p"], "a");
  }
  EXPECT_LT(std::fabs(n_sum / 300), 0.25);  // mean of 300 standard normals
}

// Pinned bit for bit (recorded before the PRNG moved to base/random.h): every distribution's
// first draws. JSON prints doubles in the shortest form that reads back to the same bits.
TEST(WandbRandom, EveryDistributionPinned) {
  auto spec = Parse(R"(
method: random
run_cap: 3
seed: 11
parameters:
  c: {values: [a, b, c]}
  p: {values: [a, b], probabilities: [0.3, 0.7]}
  iu: {distribution: int_uniform, min: -5, max: 1000}
  u: {distribution: uniform, min: -1, max: 2}
  qu: {distribution: q_uniform, min: 0, max: 64, q: 8}
  quf: {distribution: q_uniform, min: 0.0, max: 1.0, q: 0.25}
  lu: {distribution: log_uniform, min: -4, max: 0}
  luv: {distribution: log_uniform_values, min: 0.001, max: 0.1}
  qluv: {distribution: q_log_uniform_values, min: 16, max: 256, q: 16}
  n: {distribution: normal, mu: 0, sigma: 1}
  qn: {distribution: q_normal, mu: 100, sigma: 10, q: 5}
  ln: {distribution: log_normal, mu: 0, sigma: 0.5}
  qln: {distribution: q_log_normal, mu: 3, sigma: 0.5, q: 2}
)");
  ASSERT_OK(spec);
  ASSERT_EQ(spec->rows.size(), 3u);
  EXPECT_EQ(spec->rows[0].dump(),
            R"({"c":"c","iu":803,"ln":0.7189298631640566,"lu":0.08616080769654415,)"
            R"("luv":0.08463144362341671,"n":-0.08408049980154426,"p":"b","qln":28,"qluv":16,)"
            R"("qn":90,"qu":48,"quf":0.25,"u":1.284288168120741})");
  EXPECT_EQ(spec->rows[1].dump(),
            R"({"c":"c","iu":713,"ln":1.1648653575156604,"lu":0.26989374465670235,)"
            R"("luv":0.0017514957963620497,"n":-1.2415260597887534,"p":"a","qln":24,"qluv":256,)"
            R"("qn":85,"qu":56,"quf":0.75,"u":1.0661306385714289})");
  EXPECT_EQ(spec->rows[2].dump(),
            R"({"c":"b","iu":327,"ln":2.064880264943336,"lu":0.2294750320681545,)"
            R"("luv":0.0041908464444117745,"n":0.31266060408172075,"p":"a","qln":14,"qluv":64,)"
            R"("qn":75,"qu":24,"quf":0.5,"u":0.5299232206472233})");
}

TEST(WandbRandom, BadDistributionParameters) {
  auto err = [](const std::string& param) {
    return ErrorOf("method: random\nrun_cap: 2\nparameters:\n  x: " + param + "\n");
  };
  EXPECT_TRUE(Contains(err("{distribution: unifrom, min: 0, max: 1}"), "did you mean 'uniform'"));
  EXPECT_TRUE(Contains(err("{distribution: uniform, min: 2, max: 1}"), "min must be <= max"));
  EXPECT_TRUE(Contains(err("{distribution: uniform, min: 1}"), "needs min and max"));
  EXPECT_TRUE(
      Contains(err("{distribution: log_uniform_values, min: 0, max: 1}"), "x.min: must be > 0"));
  EXPECT_TRUE(Contains(err("{distribution: q_uniform, min: 0, max: 1, q: 0}"), "x.q: must be > 0"));
  EXPECT_TRUE(
      Contains(err("{distribution: int_uniform, min: 0, max: 1.5}"), "integer min and max"));
  EXPECT_TRUE(Contains(err("{values: [1, 2], probabilities: [0.5]}"), "one number per value"));
  EXPECT_TRUE(Contains(err("{values: [1, 2], probabilities: [0.5, 0.6]}"), "must sum to 1"));
  EXPECT_TRUE(Contains(err("{values: [1, 2], min: 0}"),
                       "x.min: does not apply to distribution categorical"));
  EXPECT_TRUE(Contains(err("{q: 2}"), "give value, values"));
  EXPECT_TRUE(Contains(err("{min: a, max: b}"), "x.min: expected a number"));
}

}  // namespace
}  // namespace sweep
