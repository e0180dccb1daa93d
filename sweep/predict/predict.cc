#include "sweep/predict/predict.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <numeric>

#include "base/file.h"
#include "base/strings.h"
#include "data/dataset_reader.h"
#include "model/train.h"
#include "storage/store.h"
#include "sweep/predict/loaded_model.h"
#include "sweep/predict/model_source.h"

namespace sweep::predict {
namespace {

struct Input {
  Dataset data;
  bool has_labels = false;
};

// A {"instances": ...} / {"inputs": ...} file, as the server would read the same body.
StatusOr<Input> ReadJsonInput(const std::string& local, const std::string& name,
                              const LoadedModel& m) {
  std::string body;
  SWEEP_RETURN_IF_ERROR(ReadFile(local, &body));
  RequestParser parser;
  Batch batch;
  Status s = parser.ParsePredict(body, m.input, &batch);
  if (!s.ok()) return Status::InvalidArgument(name + ": " + s.message());
  Input in;
  in.data = ZeroDataset(batch.n, m.input.width, 0);
  in.data.x = std::move(batch.values);
  in.data.source = name;
  return in;
}

StatusOr<Input> ReadInput(const std::string& path, const LoadedModel& m) {
  SWEEP_ASSIGN_OR_RETURN(std::string local, storage::FetchInput(path));
  if (EndsWith(AsciiLower(path), ".json")) return ReadJsonInput(local, path, m);
  SWEEP_ASSIGN_OR_RETURN(data::PredictInput in,
                         data::ReadPredictInput(local, m.input.width, m.class_names));
  in.data.source = path;
  return Input{std::move(in.data), in.has_labels};
}

struct Row {
  int64_t index = 0;
  std::vector<std::pair<int, float>> top;  // class, probability (classifier)
  float value = 0;                         // regression output
  std::optional<float> label;
};

std::vector<Row> Rank(const model::Matrix& out, const Input& in, bool classifier, int top) {
  std::vector<Row> rows(in.data.rows);
  std::vector<int> order(out.rows());
  for (int64_t i = 0; i < in.data.rows; ++i) {
    Row& r = rows[i];
    r.index = i;
    if (in.has_labels) r.label = in.data.y[i];
    if (!classifier) {
      r.value = out(0, i);
      continue;
    }
    std::iota(order.begin(), order.end(), 0);
    const int k = std::min<int>(top, out.rows());
    std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](int a, int b) {
      return out(a, i) > out(b, i) || (out(a, i) == out(b, i) && a < b);
    });
    for (int j = 0; j < k; ++j) r.top.emplace_back(order[j], out(order[j], i));
  }
  return rows;
}

struct Score {
  std::string name;  // "accuracy" or "mse"
  double value = 0;
  int64_t correct = 0, rows = 0;
};

std::optional<Score> ScoreOf(const std::vector<Row>& rows, bool classifier) {
  if (rows.empty() || !rows[0].label) return std::nullopt;
  Score s{classifier ? "accuracy" : "mse", 0, 0, static_cast<int64_t>(rows.size())};
  double se = 0;
  for (const Row& r : rows) {
    if (classifier) {
      s.correct += r.top[0].first == static_cast<int>(*r.label);
    } else {
      se += (r.value - *r.label) * (r.value - *r.label);
    }
  }
  s.value = classifier ? static_cast<double>(s.correct) / s.rows : se / s.rows;
  return s;
}

std::string ScoreLine(const Score& s) {
  if (s.name == "mse") return fmt::format("mse {:.6g} over {} rows\n", s.value, s.rows);
  return fmt::format("accuracy {:.4f} ({} of {} rows)\n", s.value, s.correct, s.rows);
}

std::string LabelText(const LoadedModel& m, float label) {
  return m.classifier() ? m.ClassName(static_cast<int>(label)) : fmt::format("{:.6g}", label);
}

std::string RenderTable(const LoadedModel& m, const std::vector<Row>& rows) {
  const bool labels = !rows.empty() && rows[0].label.has_value();
  size_t w = 9;  // "predicted"
  for (int k = 0; k < m.outputs(); ++k) w = std::max(w, m.ClassName(k).size());
  std::string out = fmt::format("{:>5}  {:<{}}  {:>11}", "index", "predicted", w,
                                m.classifier() ? "probability" : "");
  if (labels) out += fmt::format("  {:<{}}", "label", w);
  if (!rows.empty() && rows[0].top.size() > 1) out += "  top";
  out = TrimRight(out) + "\n";
  for (const Row& r : rows) {
    std::string line = fmt::format("{:>5}  ", r.index);
    if (m.classifier()) {
      line += fmt::format("{:<{}}  {:>11.4f}", m.ClassName(r.top[0].first), w, r.top[0].second);
    } else {
      line += fmt::format("{:<{}}  {:>11}", fmt::format("{:.6g}", r.value), w, "");
    }
    if (r.label) {
      const bool wrong = m.classifier() && r.top[0].first != static_cast<int>(*r.label);
      line += fmt::format("  {:<{}}{}", LabelText(m, *r.label), w, wrong ? " x" : "");
    }
    for (size_t j = 1; j < r.top.size(); ++j) {
      line += fmt::format("{}{} {:.4f}", j == 1 ? "  " : ", ", m.ClassName(r.top[j].first),
                          r.top[j].second);
    }
    out += TrimRight(line) + "\n";
  }
  return out;
}

std::string RenderCsv(const LoadedModel& m, const std::vector<Row>& rows) {
  const size_t top = rows.empty() ? 0 : rows[0].top.size();
  std::string out = m.classifier() ? "index,predicted,probability" : "index,prediction";
  if (!rows.empty() && rows[0].label) out += ",label";
  for (size_t j = 1; j < top; ++j) out += fmt::format(",class_{0},probability_{0}", j + 1);
  out += "\n";
  for (const Row& r : rows) {
    out += std::to_string(r.index);
    if (m.classifier()) {
      out += "," + CsvField(m.ClassName(r.top[0].first)) + fmt::format(",{}", r.top[0].second);
    } else {
      out += fmt::format(",{}", r.value);
    }
    if (r.label) out += "," + CsvField(LabelText(m, *r.label));
    for (size_t j = 1; j < r.top.size(); ++j) {
      out += "," + CsvField(m.ClassName(r.top[j].first)) + fmt::format(",{}", r.top[j].second);
    }
    out += "\n";
  }
  return out;
}

nlohmann::json ClassJson(const LoadedModel& m, int k) {
  return m.class_names.empty() ? nlohmann::json(k) : nlohmann::json(m.class_names[k]);
}

std::string RenderJson(const LoadedModel& m, const std::vector<Row>& rows,
                       const std::optional<Score>& score) {
  nlohmann::json doc = {{"model", m.source}, {"version", m.version}, {"rows", rows.size()}};
  nlohmann::json list = nlohmann::json::array();
  for (const Row& r : rows) {
    nlohmann::json j = {{"index", r.index}};
    if (m.classifier()) {
      j["predicted"] = ClassJson(m, r.top[0].first);
      j["probability"] = r.top[0].second;
      if (r.top.size() > 1) {
        j["top"] = nlohmann::json::array();
        for (auto [k, p] : r.top)
          j["top"].push_back({{"class", ClassJson(m, k)}, {"probability", p}});
      }
    } else {
      j["prediction"] = r.value;
    }
    if (r.label) {
      j["label"] =
          m.classifier() ? ClassJson(m, static_cast<int>(*r.label)) : nlohmann::json(*r.label);
    }
    list.push_back(std::move(j));
  }
  doc["predictions"] = std::move(list);
  if (score) doc[score->name] = score->value;
  return doc.dump(1) + "\n";
}

}  // namespace

Status RunPredict(const PredictOptions& o) {
  if (o.format != "table" && o.format != "csv" && o.format != "json") {
    return Status::InvalidArgument("--format " + o.format + ": use table, csv or json");
  }
  if (o.top < 1) return Status::InvalidArgument("--top must be at least 1");
  SWEEP_ASSIGN_OR_RETURN(Policy policy, ParsePolicy(o.policy));
  SWEEP_ASSIGN_OR_RETURN(std::unique_ptr<ModelWatcher> watcher,
                         ModelWatcher::Open(o.model, policy));
  SWEEP_ASSIGN_OR_RETURN(ModelChoice choice, watcher->Choose());
  SWEEP_ASSIGN_OR_RETURN(std::shared_ptr<const LoadedModel> m,
                         LoadModel(choice.model, choice.result ? &*choice.result : nullptr));
  SWEEP_ASSIGN_OR_RETURN(Input in, ReadInput(o.input, *m));
  const model::Matrix out = model::Predict(m->mlp, in.data, o.threads);
  const std::vector<Row> rows = Rank(out, in, m->classifier(), o.top);
  const std::optional<Score> score = ScoreOf(rows, m->classifier());
  std::string text = o.format == "json"  ? RenderJson(*m, rows, score)
                     : o.format == "csv" ? RenderCsv(*m, rows)
                                         : RenderTable(*m, rows);
  std::string summary =
      fmt::format("model {} (version {}: {})\n", m->source, m->version, choice.why);
  if (score) summary += ScoreLine(*score);
  if (o.format == "table") text += summary, summary.clear();
  if (!o.output.empty()) {
    SWEEP_RETURN_IF_ERROR(WriteFileAtomic(o.output, text));
    std::fputs(summary.c_str(), stdout);
    std::printf("wrote %zu predictions to %s\n", rows.size(), o.output.c_str());
    return Status::Ok();
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fputs(summary.c_str(), stderr);
  return Status::Ok();
}

}  // namespace sweep::predict
