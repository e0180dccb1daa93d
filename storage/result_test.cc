#include "storage/result.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "base/testing.h"

namespace sweep::storage {
namespace {

using nlohmann::json;

RunResult Succeeded() {
  RunResult r;
  r.index = 2;
  r.status = ResultStatus::kSucceeded;
  r.params =
      json::parse(R"({"dataset": "synthetic:blobs", "hidden": [64], "learning_rate": 0.001})");
  r.metrics = {{"train_loss", 0.25}, {"val_accuracy", 0.875}};
  r.history = json::parse(R"([{"epoch": 1, "train_loss": 0.5, "seconds": 0.1}])");
  r.epochs = 3;
  r.best_epoch = 2;
  r.stopped_early = true;
  r.seconds = 12.5;
  r.attempt = 2;
  r.host = "ip-10-0-0-1";
  r.version = "0.1.0";
  r.model = "model/model.h5";
  return r;
}

TEST(Result, SucceededRoundTrips) {
  const RunResult r = Succeeded();
  const std::string text = ToJsonText(r);
  EXPECT_EQ(text.back(), '\n');
  auto back = ParseResult(text);
  ASSERT_OK(back);
  EXPECT_EQ(back->index, 2);
  EXPECT_TRUE(back->succeeded());
  EXPECT_EQ(back->params, r.params);
  EXPECT_EQ(back->metrics, r.metrics);
  EXPECT_EQ(back->history, r.history);
  EXPECT_EQ(back->epochs, 3);
  EXPECT_EQ(back->best_epoch, 2);
  EXPECT_TRUE(back->stopped_early);
  EXPECT_EQ(back->seconds, 12.5);
  EXPECT_EQ(back->attempt, 2);
  EXPECT_EQ(back->host, r.host);
  EXPECT_EQ(back->version, r.version);
  EXPECT_EQ(back->model, r.model);
  EXPECT_EQ(ToJsonText(*back), text);
  const json j = json::parse(text);
  EXPECT_EQ(j["format_version"], 1);  // readable by sweep versions before "diverged"
  EXPECT_EQ(j["status"], "succeeded");
  EXPECT_FALSE(j.contains("error"));
  EXPECT_FALSE(j.contains("exit_code"));
}

TEST(Result, InputShapeAndClassNamesRoundTripAndAreOmittedWhenEmpty) {
  RunResult r = Succeeded();
  json plain = ToJson(r);
  EXPECT_FALSE(plain.contains("input_shape"));
  EXPECT_FALSE(plain.contains("class_names"));
  r.input_shape = {28, 28};
  r.class_names = {"Iris-setosa", "Iris-versicolor", "Iris-virginica"};
  json j = ToJson(r);
  EXPECT_EQ(j["input_shape"], json::parse("[28, 28]"));
  EXPECT_EQ(j["class_names"],
            json::parse(R"(["Iris-setosa", "Iris-versicolor", "Iris-virginica"])"));
  auto back = ParseResult(ToJsonText(r));
  ASSERT_OK(back);
  EXPECT_EQ(back->input_shape, r.input_shape);
  EXPECT_EQ(back->class_names, r.class_names);
  j["class_names"] = json::parse("[1, 2]");
  auto bad = ParseResult(j.dump());
  EXPECT_EQ(bad.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(bad.status().message(), "class_names: expected an array of strings, got [1,2]");
  j.erase("class_names");
  j["input_shape"] = json::parse(R"([28, "x"])");
  EXPECT_EQ(ParseResult(j.dump()).status().code(), StatusCode::kCorruption);
}

TEST(Result, HistoryIsOneLinePerEpochTheRestIndented) {
  RunResult r = Succeeded();
  r.params["note"] = "\n  \"history\": []";  // looks like the top level's key, but escaped
  r.history = json::array();
  for (int e = 1; e <= 3; ++e) r.history.push_back({{"epoch", e}, {"train_loss", 1.0 / e}});
  const std::string text = ToJsonText(r);
  EXPECT_NE(text.find("\n  \"history\": [\n    {\"epoch\":1,\"train_loss\":1.0},\n"
                      "    {\"epoch\":2,\"train_loss\":0.5},\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\n  \"index\": 2,\n"), std::string::npos) << text;
  auto back = ParseResult(text);
  ASSERT_OK(back);
  EXPECT_EQ(back->history, r.history);
  EXPECT_EQ(back->params, r.params);
  r.history = json::array();
  EXPECT_NE(ToJsonText(r).find("\"history\": []"), std::string::npos);
}

TEST(Result, FailedRoundTripsWithoutModel) {
  RunResult r;
  r.index = 0;
  r.status = ResultStatus::kFailed;
  r.error = "load dataset: x.h5: not found";
  r.exit_code = 2;
  const json j = ToJson(r);
  EXPECT_EQ(j["status"], "failed");
  EXPECT_FALSE(j.contains("model"));
  auto back = ParseResult(j.dump());
  ASSERT_OK(back);
  EXPECT_FALSE(back->succeeded());
  EXPECT_EQ(back->status, ResultStatus::kFailed);
  EXPECT_EQ(back->error, r.error);
  EXPECT_EQ(back->exit_code, 2);
  EXPECT_EQ(back->model, "");
}

TEST(Result, DivergedRoundTripsWithItsEpochAndNoModel) {
  RunResult r = Succeeded();
  r.status = ResultStatus::kDiverged;
  r.model = "";
  r.error = "diverged at epoch 3 (step 12): train loss nan";
  r.diverged_epoch = 3;
  r.diverged_step = 12;
  const json j = ToJson(r);
  EXPECT_EQ(j["status"], "diverged");
  EXPECT_EQ(j["format_version"], 2);  // a version-1 reader says "upgrade", not "corrupt"
  EXPECT_EQ(j["diverged_epoch"], 3);
  EXPECT_EQ(j["diverged_step"], 12);
  EXPECT_EQ(j["error"], r.error);
  EXPECT_FALSE(j.contains("model"));
  EXPECT_FALSE(j.contains("exit_code"));  // the worker exits 0: rerunning will not help
  auto back = ParseResult(ToJsonText(r));
  ASSERT_OK(back);
  EXPECT_EQ(back->status, ResultStatus::kDiverged);
  EXPECT_FALSE(back->succeeded());
  EXPECT_EQ(back->diverged_epoch, 3);
  EXPECT_EQ(back->diverged_step, 12);
  EXPECT_EQ(back->error, r.error);
  EXPECT_EQ(back->metrics, r.metrics);
  EXPECT_EQ(ToJsonText(*back), ToJsonText(r));
}

TEST(Result, DivergedNeedsFormatTwo) {
  json j = ToJson(Succeeded());
  j["status"] = "diverged";
  auto old = ParseResult(j.dump());
  EXPECT_EQ(old.status().code(), StatusCode::kCorruption);
  j["status"] = "exploded";
  j["format_version"] = 2;
  auto bad = ParseResult(j.dump());
  EXPECT_EQ(bad.status().code(), StatusCode::kCorruption);
  EXPECT_NE(bad.status().message().find("\"diverged\""), std::string::npos);
}

TEST(Result, NanMetricsStayValidJson) {
  RunResult r = Succeeded();
  r.metrics["val_loss"] = std::numeric_limits<double>::quiet_NaN();
  r.metrics["test_loss"] = std::numeric_limits<double>::infinity();
  r.history[0]["train_loss"] = std::numeric_limits<double>::quiet_NaN();
  r.seconds = std::numeric_limits<double>::quiet_NaN();
  const std::string text = ToJsonText(r);
  EXPECT_EQ(text.find("NaN"), std::string::npos);
  EXPECT_EQ(text.find("nan"), std::string::npos);
  auto back = ParseResult(text);
  ASSERT_OK(back);
  EXPECT_EQ(back->metrics.count("val_loss"), 0u);
  EXPECT_EQ(back->metrics.count("test_loss"), 0u);
  EXPECT_EQ(back->metrics.at("val_accuracy"), 0.875);
  EXPECT_TRUE(back->history[0]["train_loss"].is_null());
}

TEST(Result, NullMetricFromAnotherWriterIsSkipped) {
  auto r = ParseResult(R"({"format_version":1,"index":1,"status":"succeeded",
                           "metrics":{"val_loss":null,"train_loss":0.5}})");
  ASSERT_OK(r);
  EXPECT_EQ(r->metrics.size(), 1u);
}

TEST(Result, InvalidUtf8InErrorDoesNotThrow) {
  RunResult r;
  r.index = 1;
  r.error = std::string("bad \xff\xfe bytes");
  auto back = ParseResult(ToJsonText(r));
  ASSERT_OK(back);
}

void ExpectCorrupt(const std::string& text, const std::string& needle) {
  auto r = ParseResult(text);
  ASSERT_FALSE(r.ok()) << text;
  EXPECT_EQ(r.status().code(), StatusCode::kCorruption) << text;
  EXPECT_NE(r.status().message().find(needle), std::string::npos)
      << text << " -> " << r.status().message();
}

TEST(Result, CorruptHalfWrittenAndForeignFilesAreRejected) {
  const std::string full = ToJsonText(Succeeded());
  ExpectCorrupt("", "empty file");
  ExpectCorrupt(full.substr(0, full.size() / 2), "not valid JSON");
  ExpectCorrupt(std::string("\x00\x01garbage", 9), "not valid JSON");
  ExpectCorrupt("[1, 2]", "expected a JSON object");
  ExpectCorrupt(R"({"name": "package.json"})", "format_version: missing");
  ExpectCorrupt(R"({"format_version": 3, "index": 1, "status": "succeeded"})",
                "format_version: 3 is newer than this program's 2");
  ExpectCorrupt(R"({"format_version": "1", "index": 1, "status": "failed"})",
                "format_version: expected an integer");
  ExpectCorrupt(R"({"format_version": 1, "status": "failed"})", "index: missing");
  ExpectCorrupt(R"({"format_version": 1, "index": "3", "status": "failed"})",
                "index: expected an integer, got \"3\"");
  ExpectCorrupt(R"({"format_version": 1, "index": -1, "status": "failed"})",
                "index: expected >= 0");
  ExpectCorrupt(R"({"format_version": 1, "index": 1})", "status: missing");
  ExpectCorrupt(R"({"format_version": 1, "index": 1, "status": "ok"})", "status: expected");
  ExpectCorrupt(R"({"format_version": 1, "index": 1, "status": "failed", "metrics": [1]})",
                "metrics: expected an object");
  ExpectCorrupt(R"({"format_version": 1, "index": 1, "status": "failed", "metrics": {"a": "x"}})",
                "metrics.a: expected a number");
  ExpectCorrupt(R"({"format_version": 1, "index": 1, "status": "failed", "epochs": 1.5})",
                "epochs: expected an integer");
  ExpectCorrupt(R"({"format_version": 1, "index": 1, "status": "failed", "host": 3})",
                "host: expected a string");
  ExpectCorrupt(R"({"format_version": 1, "index": 1, "status": "failed", "stopped_early": 0})",
                "stopped_early: expected true or false");
  ExpectCorrupt(R"({"format_version": 1, "index": 1, "status": "failed", "params": []})",
                "params: expected an object");
}

}  // namespace
}  // namespace sweep::storage
