#include "sweep/results/leaderboard.h"

#include <gtest/gtest.h>

#include <sstream>

#include "base/testing.h"

namespace sweep {
namespace {

using nlohmann::json;

// A minimal RFC 4180 reader, enough to check that our CSV parses back cell by cell.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        rows.back().back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        rows.back().back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().emplace_back();
    } else if (c == '\n') {
      rows.emplace_back(1);
    } else {
      rows.back().back() += c;
    }
  }
  if (rows.back().size() == 1 && rows.back()[0].empty()) rows.pop_back();
  return rows;
}

RowRecord Succeeded(int index, json params, std::map<std::string, double> metrics) {
  RowRecord rec;
  rec.state = RowState::kSucceeded;
  storage::RunResult r;
  r.index = index;
  r.status = storage::ResultStatus::kSucceeded;
  r.params = std::move(params);
  r.metrics = std::move(metrics);
  r.epochs = 3;
  r.seconds = 1.25;
  r.model = "model/model.h5";
  rec.result = r;
  return rec;
}

// 4 rows: 0, 2, 3 succeeded, 1 failed; hidden and lr vary, epochs does not.
Scan MakeScan() {
  Scan scan;
  scan.root = "/s";
  scan.expected = 5;
  auto p = [](double lr, json hidden) {
    return json{
        {"learning_rate", lr}, {"hidden", hidden}, {"epochs", 3}, {"dataset", "zoo, \"v2\".csv"}};
  };
  scan.rows.push_back(Succeeded(0, p(0.1, {128, 64}), {{"val_accuracy", 0.8}, {"val_loss", 0.5}}));
  RowRecord failed;
  failed.state = RowState::kFailed;
  storage::RunResult fr;
  fr.index = 1;
  fr.error = "dataset nope.csv: not found";
  fr.exit_code = 2;
  failed.result = fr;
  scan.rows.push_back(failed);
  scan.rows.push_back(Succeeded(2, p(0.01, {32}), {{"val_accuracy", 0.9}, {"val_loss", 0.3}}));
  scan.rows.push_back(Succeeded(3, p(0.001, {32}), {{"val_loss", 0.9}}));  // no val_accuracy
  scan.rows.push_back(RowRecord{});                                        // missing
  Plan plan;
  plan.source = "spec.yml";
  plan.rows = {p(0.1, {128, 64}), p(0.1, {32}), p(0.01, {32}), p(0.001, {32}), p(0.1, {32})};
  plan.rows[1]["dataset"] = "nope.csv";
  scan.plan = plan;
  return scan;
}

TEST(VaryingKeys, KeysThatDifferOrAreAbsentSomewhere) {
  std::vector<json> rows = {{{"a", 1}, {"b", 2}, {"c", {1, 2}}},
                            {{"a", 1}, {"b", 3}, {"c", {1, 2}}},
                            {{"a", 1}, {"b", 3}, {"c", {1, 2}}, {"d", 0}}};
  EXPECT_EQ(VaryingKeys(rows), (std::vector<std::string>{"b", "d"}));
  EXPECT_TRUE(VaryingKeys({}).empty());
}

TEST(ChooseMetric, ExplicitThenPlanThenValAccuracyThenFallbacks) {
  Scan scan = MakeScan();
  EXPECT_EQ(ChooseMetric("val_loss", std::nullopt, scan).maximize, false);
  EXPECT_EQ(ChooseMetric("val_loss", true, scan).maximize, true);
  MetricChoice def = ChooseMetric(std::nullopt, std::nullopt, scan);
  EXPECT_EQ(def.name, "val_accuracy");
  EXPECT_TRUE(def.maximize);
  scan.plan->metric = MetricGoal{"val_loss", false};
  MetricChoice from_plan = ChooseMetric(std::nullopt, std::nullopt, scan);
  EXPECT_EQ(from_plan.name, "val_loss");
  EXPECT_FALSE(from_plan.maximize);

  Scan only_test;
  only_test.rows.push_back(Succeeded(0, json::object(), {{"test_accuracy", 0.5}}));
  MetricChoice fb = ChooseMetric(std::nullopt, std::nullopt, only_test);
  EXPECT_EQ(fb.name, "test_accuracy");
  EXPECT_NE(fb.note.find("val_accuracy is in no result"), std::string::npos);
  Scan only_loss;
  only_loss.rows.push_back(Succeeded(0, json::object(), {{"train_loss", 0.5}}));
  MetricChoice loss = ChooseMetric(std::nullopt, std::nullopt, only_loss);
  EXPECT_EQ(loss.name, "train_loss");
  EXPECT_FALSE(loss.maximize);
}

TEST(CheckMetricPresent, AnExplicitMetricNoSucceededRowHasIsAnError) {
  Scan scan;
  scan.rows.push_back(Succeeded(
      0, json::object(),
      {{"train_accuracy", 0.9}, {"train_loss", 0.2}, {"val_accuracy", 0.8}, {"val_loss", 0.4}}));
  RowRecord failed;
  failed.state = RowState::kFailed;
  storage::RunResult fr;
  fr.metrics = {{"val_acc", 0.1}};  // a failed row's metrics do not count
  failed.result = fr;
  scan.rows.push_back(failed);
  EXPECT_TRUE(CheckMetricPresent("val_loss", scan).ok());
  Status st = CheckMetricPresent("val_acc", scan);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.message(),
            "--metric val_acc: no succeeded row has it (did you mean 'val_accuracy'?); the rows "
            "have: train_accuracy, train_loss, val_accuracy, val_loss");
  EXPECT_NE(CheckMetricPresent("val_los", scan).message().find("did you mean 'val_loss'"),
            std::string::npos);
  EXPECT_EQ(CheckMetricPresent("f1", scan).message().find("did you mean"), std::string::npos);
  Scan none_succeeded;
  none_succeeded.rows.push_back(failed);
  none_succeeded.rows.push_back(RowRecord{});
  EXPECT_TRUE(CheckMetricPresent("val_acc", none_succeeded).ok());
}

TEST(FormatForPath, FollowsTheExtensionElseTable) {
  EXPECT_EQ(FormatForPath("leaderboard.csv"), Format::kCsv);
  EXPECT_EQ(FormatForPath("out/Board.JSON"), Format::kJson);
  EXPECT_EQ(FormatForPath("board.md"), Format::kMd);
  EXPECT_EQ(FormatForPath("board.markdown"), Format::kMd);
  EXPECT_EQ(FormatForPath("board.txt"), Format::kTable);
  EXPECT_EQ(FormatForPath("csv"), Format::kTable);
  EXPECT_EQ(FormatForPath("board.csv.bak"), Format::kTable);
}

TEST(FallbackMetric, UsualMetricsFirstThenAnyByName) {
  EXPECT_EQ(FallbackMetric({"train_loss", "test_accuracy"}), "test_accuracy");
  EXPECT_EQ(FallbackMetric({"val_loss", "zeta"}), "val_loss");
  EXPECT_EQ(FallbackMetric({"zeta", "alpha"}), "alpha");
  EXPECT_EQ(FallbackMetric({}), std::nullopt);
  EXPECT_TRUE(MaximizeByDefault("val_accuracy"));
  EXPECT_FALSE(MaximizeByDefault("val_loss"));
}

TEST(BuildLeaderboard, RanksByMetricWithRowsLackingItLast) {
  Scan scan = MakeScan();
  Leaderboard board = BuildLeaderboard(scan, ChooseMetric(std::nullopt, std::nullopt, scan));
  EXPECT_EQ(board.order, (std::vector<int>{2, 0, 3}));
  EXPECT_EQ(board.param_keys, (std::vector<std::string>{"dataset", "hidden", "learning_rate"}));
  EXPECT_EQ(board.other_metrics, (std::vector<std::string>{"val_loss"}));
  Leaderboard by_loss = BuildLeaderboard(scan, ChooseMetric("val_loss", std::nullopt, scan));
  EXPECT_EQ(by_loss.order, (std::vector<int>{2, 0, 3}));
  Leaderboard worst = BuildLeaderboard(scan, ChooseMetric("val_loss", true, scan));
  EXPECT_EQ(worst.order, (std::vector<int>{3, 0, 2}));
}

TEST(RenderLeaderboard, CsvParsesBackWithQuotingAndLists) {
  Scan scan = MakeScan();
  Leaderboard board = BuildLeaderboard(scan, ChooseMetric(std::nullopt, std::nullopt, scan));
  auto rows = ParseCsv(RenderLeaderboard(scan, board, Format::kCsv, 0));
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0],
            (std::vector<std::string>{"rank", "index", "dataset", "hidden", "learning_rate",
                                      "val_accuracy", "epochs", "seconds", "val_loss", "model"}));
  for (const auto& r : rows) EXPECT_EQ(r.size(), rows[0].size());
  EXPECT_EQ(rows[1][1], "2");
  EXPECT_EQ(rows[1][2], "zoo, \"v2\".csv");
  EXPECT_EQ(rows[1][3], "[32]");
  EXPECT_EQ(rows[1][4], "0.01");
  EXPECT_EQ(rows[1][5], "0.9");
  EXPECT_EQ(rows[1][9], "/s/2/model/model.h5");
  EXPECT_EQ(rows[2][3], "[128, 64]");
  EXPECT_EQ(rows[3][5], "");  // no val_accuracy: an empty cell (NaN in pandas)
}

TEST(RenderLeaderboard, JsonIsAnArrayOfFlatRecordsInRankOrder) {
  Scan scan = MakeScan();
  Leaderboard board = BuildLeaderboard(scan, ChooseMetric(std::nullopt, std::nullopt, scan));
  json j = json::parse(RenderLeaderboard(scan, board, Format::kJson, 2));
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0]["index"], 2);
  EXPECT_EQ(j[0]["rank"], 1);
  EXPECT_EQ(j[0]["val_accuracy"], 0.9);
  EXPECT_EQ(j[1]["hidden"], json({128, 64}));
  for (const auto& rec : j) {
    for (const auto& [k, v] : rec.items()) EXPECT_FALSE(v.is_object()) << k;
  }
}

TEST(RenderLeaderboard, TableIsAlignedAndMarkdownHasASeparator) {
  Scan scan = MakeScan();
  Leaderboard board = BuildLeaderboard(scan, ChooseMetric(std::nullopt, std::nullopt, scan));
  std::string table = RenderLeaderboard(scan, board, Format::kTable, 0);
  std::istringstream in(table);
  std::string header, line;
  std::getline(in, header);
  size_t metric_end = header.find("val_accuracy") + std::string("val_accuracy").size();
  while (std::getline(in, line)) {
    ASSERT_GE(line.size(), metric_end) << line;
    EXPECT_NE(line[metric_end - 1], ' ') << "right-aligned numbers end under the header\n" << table;
  }
  EXPECT_NE(table.find("0.9000"), std::string::npos) << table;
  std::string md = RenderLeaderboard(scan, board, Format::kMd, 1);
  EXPECT_EQ(md.rfind("| rank |", 0), 0u) << md;
  EXPECT_NE(md.find("\n| ---: |"), std::string::npos) << md;
  EXPECT_EQ(std::count(md.begin(), md.end(), '\n'), 3);
}

TEST(RenderSummary, NamesBestFailedMissingAndTheRerunCommand) {
  Scan scan = MakeScan();
  Leaderboard board = BuildLeaderboard(scan, ChooseMetric(std::nullopt, std::nullopt, scan));
  std::string s = RenderSummary(scan, board);
  EXPECT_NE(s.find("best: index 2 val_accuracy=0.9 (max) model /s/2/model/model.h5"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("failed: 1 (exit 2): dataset nope.csv: not found"), std::string::npos) << s;
  EXPECT_NE(s.find("missing: 4"), std::string::npos) << s;
  EXPECT_NE(s.find("sweep run spec.yml --storage /s"), std::string::npos) << s;
}

TEST(RenderStatus, CountsAndIndicesToRerun) {
  Scan scan = MakeScan();
  scan.rows[1].result->exit_code = 75;  // transient: worth a rerun as it is
  std::string s = RenderStatus(scan);
  EXPECT_NE(s.find("succeeded        3"), std::string::npos) << s;
  EXPECT_NE(s.find("failed           1  1"), std::string::npos) << s;
  EXPECT_NE(s.find("to rerun: 1,4"), std::string::npos) << s;
  EXPECT_EQ(s.find("bad input"), std::string::npos) << s;
}

// Row 1 failed with exit 2: rerunning it as it is fails again, so status says to fix the spec
// and replan, and lists only the missing row as "to rerun".
TEST(RenderStatus, BadInputRowsGetFixTheSpecNotARerun) {
  Scan scan = MakeScan();
  std::string s = RenderStatus(scan);
  EXPECT_NE(s.find("failed           1  1"), std::string::npos) << s;
  EXPECT_NE(s.find("bad input (exit 2) in row 1: rerunning it as it is fails again; fix the spec "
                   "(or its data), then run: sweep run spec.yml --storage /s --replan\n"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("to rerun: 4  ("), std::string::npos) << s;
  scan.rows[4] = scan.rows[2];  // no longer missing: nothing but the bad row is left
  s = RenderStatus(scan);
  EXPECT_EQ(s.find("to rerun"), std::string::npos) << s;
  EXPECT_EQ(s.find("nothing to rerun"), std::string::npos) << s;
}

TEST(RenderSummary, SuggestsFailedOnlyForRowsThatDidNotFailOnBadInput) {
  Scan scan = MakeScan();
  scan.rows[4] = scan.rows[2];  // rows 0, 2, 3, 4 succeeded; row 1 failed with exit 2
  Leaderboard board = BuildLeaderboard(scan, ChooseMetric(std::nullopt, std::nullopt, scan));
  std::string s = RenderSummary(scan, board);
  EXPECT_EQ(s.find("--failed"), std::string::npos) << s;
  EXPECT_EQ(s.find("rerun what is left"), std::string::npos) << s;
  EXPECT_NE(s.find("bad input (exit 2) in row 1: "), std::string::npos) << s;
  EXPECT_NE(s.find("then run: sweep run spec.yml --storage /s --replan\n"), std::string::npos) << s;
  scan.rows[1].result->exit_code = 75;
  s = RenderSummary(scan, board);
  EXPECT_NE(s.find("rerun what is left: sweep run spec.yml --storage /s --failed\n"),
            std::string::npos)
      << s;
  EXPECT_EQ(s.find("bad input"), std::string::npos) << s;
}

RowRecord Diverged(int index, std::map<std::string, double> metrics) {
  RowRecord rec = Succeeded(index, json::object(), std::move(metrics));
  rec.state = RowState::kDiverged;
  rec.result->status = storage::ResultStatus::kDiverged;
  rec.result->model.clear();
  rec.result->error = "diverged at epoch 2 (step 14): train loss nan";
  return rec;
}

// A diverged row keeps the metrics of its last finite epoch, which may look good: it is never
// ranked, and status and collect list it on its own line, not as something to rerun.
TEST(Diverged, NeverRankedListedOnItsOwnLineNotToRerun) {
  Scan scan = MakeScan();
  scan.rows[4] = Diverged(4, {{"val_accuracy", 0.99}, {"val_loss", 0.01}});
  Leaderboard board = BuildLeaderboard(scan, ChooseMetric(std::nullopt, std::nullopt, scan));
  EXPECT_EQ(board.order, (std::vector<int>{2, 0, 3}));
  std::string summary = RenderSummary(scan, board);
  EXPECT_NE(summary.find("5 rows: 3 succeeded, 1 failed, 1 diverged, 0 unfinished, 0 missing"),
            std::string::npos)
      << summary;
  EXPECT_NE(summary.find("best: index 2 "), std::string::npos) << summary;
  EXPECT_NE(summary.find("\ndiverged: 4: diverged at epoch 2 (step 14): train loss nan\n"),
            std::string::npos)
      << summary;
  EXPECT_EQ(summary.find("rerun what is left"), std::string::npos) << summary;
  std::string status = RenderStatus(scan);
  EXPECT_NE(status.find("\n  diverged         1  4\n"), std::string::npos) << status;
  EXPECT_EQ(status.find("to rerun"), std::string::npos) << status;
  EXPECT_NE(status.find("diverged rows are finished"), std::string::npos) << status;
}

TEST(TieBreakMetric, TheLossOfTheSameSplitOrItsAccuracy) {
  EXPECT_EQ(TieBreakMetric({"val_accuracy", true, ""})->name, "val_loss");
  EXPECT_FALSE(TieBreakMetric({"val_accuracy", true, ""})->maximize);
  EXPECT_EQ(TieBreakMetric({"test_accuracy", true, ""})->name, "test_loss");
  EXPECT_EQ(TieBreakMetric({"train_loss", false, ""})->name, "train_accuracy");
  EXPECT_TRUE(TieBreakMetric({"train_loss", false, ""})->maximize);
  EXPECT_FALSE(TieBreakMetric({"accuracy", true, ""}).has_value());
}

// Rows 1 and 3 tie with row 0 on val_accuracy: the lower val_loss ranks first, then the index.
TEST(BuildLeaderboard, TiesAtTheTopBrokenByTheSplitsLossThenIndex) {
  Scan scan;
  scan.root = "/s";
  scan.expected = 4;
  scan.rows.push_back(Succeeded(0, json::object(), {{"val_accuracy", 0.9}, {"val_loss", 0.40}}));
  scan.rows.push_back(Succeeded(1, json::object(), {{"val_accuracy", 0.9}, {"val_loss", 0.30}}));
  scan.rows.push_back(Succeeded(2, json::object(), {{"val_accuracy", 0.8}, {"val_loss", 0.10}}));
  scan.rows.push_back(Succeeded(3, json::object(), {{"val_accuracy", 0.9}, {"val_loss", 0.40}}));
  Leaderboard board = BuildLeaderboard(scan, ChooseMetric(std::nullopt, std::nullopt, scan));
  EXPECT_EQ(board.order, (std::vector<int>{1, 0, 3, 2}));
  EXPECT_EQ(TiedAtTheTop(scan, board), (std::vector<int>{0, 1, 3}));
  std::string s = RenderSummary(scan, board);
  EXPECT_NE(s.find("best: index 1 val_accuracy=0.9 (max)"), std::string::npos) << s;
  EXPECT_NE(s.find("tie at the top: rows 0,1,3 have val_accuracy=0.9; ranked by val_loss (min), "
                   "then index\n"),
            std::string::npos)
      << s;
  scan.rows[1].result->metrics["val_accuracy"] = 0.95;
  board = BuildLeaderboard(scan, ChooseMetric(std::nullopt, std::nullopt, scan));
  EXPECT_EQ(RenderSummary(scan, board).find("tie at the top"), std::string::npos);
}

TEST(RenderLeaderboard, SubSecondTimesKeepTwoSignificantDigits) {
  Scan scan = MakeScan();
  scan.rows[2].result->seconds = 0.04;
  scan.rows[0].result->seconds = 0.123;
  scan.rows[3].result->seconds = 12.34;
  Leaderboard board = BuildLeaderboard(scan, ChooseMetric(std::nullopt, std::nullopt, scan));
  std::string table = RenderLeaderboard(scan, board, Format::kTable, 0);
  std::istringstream in(table);
  std::string line;
  std::vector<std::string> last_cells;
  std::getline(in, line);  // header
  while (std::getline(in, line)) last_cells.push_back(line.substr(line.rfind(' ') + 1));
  EXPECT_EQ(last_cells, (std::vector<std::string>{"0.04", "0.12", "12.3"})) << table;
}

}  // namespace
}  // namespace sweep
