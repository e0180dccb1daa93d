#include "sweep/report/report_data.h"

#include <gtest/gtest.h>

namespace sweep::report {
namespace {

using nlohmann::json;

RowRecord Row(RowState state, json params, double val_accuracy, int epochs) {
  RowRecord rec;
  rec.state = state;
  storage::RunResult r;
  r.status = state == RowState::kSucceeded  ? storage::ResultStatus::kSucceeded
             : state == RowState::kDiverged ? storage::ResultStatus::kDiverged
                                            : storage::ResultStatus::kFailed;
  r.params = std::move(params);
  r.epochs = epochs;
  r.seconds = 1.23456789;
  for (int e = 1; e <= epochs; ++e) {
    r.history.push_back({{"epoch", e}, {"train_accuracy", 0.1 * e}, {"val_accuracy", 0.09 * e}});
  }
  if (state == RowState::kSucceeded) {
    r.metrics["val_accuracy"] = val_accuracy;
    r.model = "model/model.h5";
  } else {
    r.error = "diverged at epoch 2 (step 5): train loss nan </script>";
  }
  rec.result = std::move(r);
  return rec;
}

class ReportDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    scan_.root = "/tmp/s";
    scan_.expected = 5;
    scan_.rows.push_back(Row(RowState::kSucceeded, {{"lr", 0.1}, {"hidden", {16}}}, 0.5, 3));
    scan_.rows.push_back(Row(RowState::kSucceeded, {{"lr", 0.01}, {"hidden", {32, 16}}}, 0.9, 3));
    scan_.rows.push_back(Row(RowState::kSucceeded, {{"lr", 0.001}, {"hidden", {16}}}, 0.7, 250));
    scan_.rows.push_back(Row(RowState::kDiverged, {{"lr", 100.0}, {"hidden", {16}}}, 0, 1));
    scan_.rows.emplace_back();  // missing
    board_ = BuildLeaderboard(scan_, MetricChoice{"val_accuracy", true, ""});
    data_ = json::parse(ReportDataJson(scan_, board_));
  }
  Scan scan_;
  Leaderboard board_;
  json data_;
};

TEST_F(ReportDataTest, SummaryBestAndRanking) {
  EXPECT_EQ(data_["v"], kReportDataVersion);
  EXPECT_EQ(data_["counts"]["succeeded"], 3);
  EXPECT_EQ(data_["counts"]["diverged"], 1);
  EXPECT_EQ(data_["counts"]["missing"], 1);
  EXPECT_EQ(data_["missing"], "4");
  EXPECT_EQ(data_["epochs"], 257);
  EXPECT_EQ(data_["rank"], json({1, 2, 0}));
  EXPECT_EQ(data_["best"]["i"], 1);
  EXPECT_EQ(data_["best"]["model"], "/tmp/s/1/model/model.h5");
  EXPECT_EQ(data_["curve"], json({"train_accuracy", "val_accuracy"}));
}

TEST_F(ReportDataTest, ParamsAsNumbersOrChoiceIndicesWithLogAxes) {
  ASSERT_EQ(data_["params"].size(), 2u);
  EXPECT_EQ(data_["params"][0], json({{"k", "hidden"}, {"t", "c"}, {"c", {"[16]", "[32, 16]"}}}));
  EXPECT_EQ(data_["params"][1], json({{"k", "lr"}, {"t", "n"}, {"log", true}}));
  ASSERT_EQ(data_["rows"].size(), 4u);  // the missing row has no result
  EXPECT_EQ(data_["rows"][1]["p"], json({1, 0.01}));
  EXPECT_EQ(data_["rows"][3]["s"], "d");
  EXPECT_TRUE(data_["rows"][3]["m"].is_null());
  EXPECT_NE(data_["rows"][3]["err"].get<std::string>().find("diverged at epoch 2"),
            std::string::npos);
  EXPECT_EQ(data_["rows"][0]["t"], 1.235);  // 4 significant digits
}

TEST_F(ReportDataTest, HistoriesKeptAndLongOnesThinnedWithTheirEpochs) {
  EXPECT_EQ(data_["rows"][0]["h"], json({{0.1, 0.2, 0.3}, {0.09, 0.18, 0.27}}));
  EXPECT_FALSE(data_["rows"][0].contains("x"));
  const json& thin = data_["rows"][2];
  ASSERT_EQ(thin["h"][0].size(), kMaxCurvePoints);
  ASSERT_EQ(thin["x"].size(), kMaxCurvePoints);
  EXPECT_EQ(thin["x"].front(), 1);
  EXPECT_EQ(thin["x"].back(), 250);
  EXPECT_EQ(thin["h"][0].back(), 25);
}

TEST_F(ReportDataTest, ImportanceOverSucceededRows) {
  ASSERT_EQ(data_["imp"].size(), 2u);
  EXPECT_EQ(data_["imp"][0]["k"], "hidden");
  EXPECT_TRUE(data_["imp"][0]["rho"].is_null());  // no rank correlation for choices
  EXPECT_EQ(data_["imp"][1]["n"], 3);
  EXPECT_TRUE(data_["imp"][1]["eta"].is_number());
}

TEST(ParamColumns, LogOnlyForWidePositiveRanges) {
  std::vector<json> rows = {{{"bs", 16}, {"lr", 0.1}, {"wd", 0}},
                            {{"bs", 128}, {"lr", 0.001}, {"wd", 0.1}}};
  std::vector<ParamColumn> cols = ParamColumns({"bs", "lr", "wd"}, rows);
  EXPECT_FALSE(cols[0].log);
  EXPECT_TRUE(cols[1].log);
  EXPECT_FALSE(cols[2].log);  // a zero cannot go on a log axis
}

TEST(CurveSeries, SplitPrefixReplacedByTrainAndVal) {
  EXPECT_EQ(CurveSeries("test_loss"), (std::vector<std::string>{"train_loss", "val_loss"}));
  EXPECT_EQ(CurveSeries("loss"), (std::vector<std::string>{"loss", "loss"}));
}

TEST(ThinPoints, KeepsFirstAndLastSpreadEvenly) {
  EXPECT_EQ(ThinPoints(3, 5), (std::vector<size_t>{0, 1, 2}));
  EXPECT_EQ(ThinPoints(9, 3), (std::vector<size_t>{0, 4, 8}));
  std::vector<size_t> k = ThinPoints(1000, 100);
  EXPECT_EQ(k.size(), 100u);
  EXPECT_EQ(k.front(), 0u);
  EXPECT_EQ(k.back(), 999u);
}

}  // namespace
}  // namespace sweep::report
