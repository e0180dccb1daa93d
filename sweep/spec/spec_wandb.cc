// The W&B-style sweep form: `method: grid|random`, `parameters:` with W&B's distributions.
// Grid = itertools.product over the parameters in file order; random = row i draws every
// parameter in file order from RowRng(seed, i). See spec.h for the documented order.
#include "sweep/spec/spec_wandb.h"

#include <algorithm>
#include <cmath>

#include "base/random.h"
#include "base/strings.h"

namespace sweep::internal {
namespace {

using ojson = nlohmann::ordered_json;

const std::vector<DistInfo>& Dists() {
  static const std::vector<DistInfo> kDists = {
      {Dist::kConstant, "constant", {"value"}},
      {Dist::kCategorical, "categorical", {"values", "probabilities"}},
      {Dist::kIntUniform, "int_uniform", {"min", "max"}},
      {Dist::kUniform, "uniform", {"min", "max"}},
      {Dist::kQUniform, "q_uniform", {"min", "max", "q"}},
      {Dist::kLogUniform, "log_uniform", {"min", "max"}},
      {Dist::kLogUniformValues, "log_uniform_values", {"min", "max"}},
      {Dist::kQLogUniformValues, "q_log_uniform_values", {"min", "max", "q"}},
      {Dist::kNormal, "normal", {"mu", "sigma"}},
      {Dist::kQNormal, "q_normal", {"mu", "sigma", "q"}},
      {Dist::kLogNormal, "log_normal", {"mu", "sigma"}},
      {Dist::kQLogNormal, "q_log_normal", {"mu", "sigma", "q"}},
  };
  return kDists;
}

Status Bad(const std::string& path, const std::string& message) {
  return Status::InvalidArgument(path + ": " + message);
}

StatusOr<double> Number(const ojson& p, const char* key, const std::string& path, double fallback) {
  if (!p.contains(key)) return fallback;
  if (!p[key].is_number()) return Bad(path + "." + key, "expected a number, got " + p[key].dump());
  return p[key].get<double>();
}

// Infers the distribution as W&B does when `distribution:` is omitted.
StatusOr<const DistInfo*> FindDist(const ojson& p, const std::string& path) {
  std::string name;
  if (p.contains("distribution")) {
    if (!p["distribution"].is_string()) return Bad(path + ".distribution", "expected a name");
    name = p["distribution"].get<std::string>();
  } else if (p.contains("values")) {
    name = "categorical";
  } else if (p.contains("value")) {
    name = "constant";
  } else if (p.contains("min") && p.contains("max")) {
    name = p["min"].is_number_integer() && p["max"].is_number_integer() ? "int_uniform" : "uniform";
  } else if (p.contains("mu") || p.contains("sigma")) {
    name = "normal";
  } else {
    return Bad(path, "give value, values, min and max, or a distribution");
  }
  std::vector<std::string> names;
  for (const auto& d : Dists()) {
    if (name == d.name) return &d;
    names.push_back(d.name);
  }
  return Bad(path + ".distribution",
             "unknown distribution '" + name + "'" + DidYouMean(name, names));
}

Status CheckKeys(const ojson& p, const DistInfo& info, const std::string& path) {
  static const std::vector<std::string> kAll = {
      "distribution", "value", "values", "probabilities", "min", "max", "mu", "sigma", "q"};
  for (const auto& [key, unused] : p.items()) {
    if (key == "distribution") continue;
    if (std::find(kAll.begin(), kAll.end(), key) == kAll.end()) {
      return Bad(path + "." + key, "unknown key" + DidYouMean(key, kAll));
    }
    if (std::find(info.keys.begin(), info.keys.end(), key) == info.keys.end()) {
      return Bad(path + "." + key, "does not apply to distribution " + std::string(info.name));
    }
  }
  return Status::Ok();
}

Status FillCategorical(const ojson& p, const std::string& path, Param* param) {
  if (!p.contains("values") || !p["values"].is_array() || p["values"].empty()) {
    return Bad(path + ".values", "expected a non-empty sequence");
  }
  for (const auto& v : p["values"]) param->values.push_back(nlohmann::json(v));
  if (!p.contains("probabilities")) return Status::Ok();
  const ojson& probs = p["probabilities"];
  if (!probs.is_array() || probs.size() != param->values.size()) {
    return Bad(path + ".probabilities", "expected one number per value");
  }
  double total = 0;
  for (const auto& pr : probs) {
    if (!pr.is_number() || pr.get<double>() < 0) {
      return Bad(path + ".probabilities", "expected numbers >= 0, got " + pr.dump());
    }
    total += pr.get<double>();
    param->cumulative.push_back(total);
  }
  if (std::fabs(total - 1.0) > 1e-6) {
    return Bad(path + ".probabilities", "must sum to 1, got " + std::to_string(total));
  }
  return Status::Ok();
}

nlohmann::json Quantise(double x, const Param& p) {
  const double steps = std::nearbyint(x / p.q);  // round half to even, like numpy.round
  // An integer only where a double holds it exactly (the cast is undefined past int64); larger
  // values stay doubles, which the row keys then refuse by name.
  if (p.int_q && std::fabs(steps * p.q) < 0x1p53) {
    return static_cast<int64_t>(steps) * static_cast<int64_t>(p.q);
  }
  return steps * p.q;
}

nlohmann::json Draw(const Param& p, RowRng& rng) {
  switch (p.info->dist) {
    case Dist::kConstant:
      return p.value;
    case Dist::kCategorical: {
      if (p.cumulative.empty()) return p.values[UniformInt(rng, 0, p.values.size() - 1)];
      const double u = Uniform01(rng) * p.cumulative.back();
      for (size_t i = 0; i < p.values.size(); ++i) {
        if (u < p.cumulative[i]) return p.values[i];
      }
      return p.values.back();
    }
    case Dist::kIntUniform:
      return UniformInt(rng, static_cast<int64_t>(p.min), static_cast<int64_t>(p.max));
    case Dist::kUniform:
      return UniformReal(rng, p.min, p.max);
    case Dist::kQUniform:
      return Quantise(UniformReal(rng, p.min, p.max), p);
    case Dist::kLogUniform:
      return std::exp(UniformReal(rng, p.min, p.max));  // exponents
    case Dist::kLogUniformValues:
      return LogUniform(rng, p.min, p.max);
    case Dist::kQLogUniformValues:
      return Quantise(LogUniform(rng, p.min, p.max), p);
    case Dist::kNormal:
      return Normal(rng, p.mu, p.sigma);
    case Dist::kQNormal:
      return Quantise(Normal(rng, p.mu, p.sigma), p);
    case Dist::kLogNormal:
      return LogNormal(rng, p.mu, p.sigma);
    case Dist::kQLogNormal:
      return Quantise(LogNormal(rng, p.mu, p.sigma), p);
  }
  return nullptr;
}

std::vector<nlohmann::json> Grid(const std::vector<Param>& params, const nlohmann::json& base) {
  std::vector<nlohmann::json> rows = {base};
  for (const Param& p : params) {  // later parameters vary faster: itertools.product order
    const std::vector<nlohmann::json> one = {p.value};
    const auto& choices = p.info->dist == Dist::kConstant ? one : p.values;
    std::vector<nlohmann::json> next;
    next.reserve(rows.size() * choices.size());
    for (const auto& row : rows) {
      for (const auto& v : choices) {
        next.push_back(row);
        next.back()[p.name] = v;
      }
    }
    rows = std::move(next);
  }
  return rows;
}

// The TPE planner's view of a parameter: its kind and range (search_space.h).
StatusOr<SearchParam> ToSearchParam(const Param& p) {
  SearchParam s;
  s.name = p.name;
  s.min = p.min, s.max = p.max;
  switch (p.info->dist) {
    case Dist::kConstant:
      s.kind = SearchParam::Kind::kCategorical, s.values = {p.value};
      return s;
    case Dist::kCategorical:
      s.kind = SearchParam::Kind::kCategorical, s.values = p.values;
      return s;
    case Dist::kIntUniform:
      s.kind = SearchParam::Kind::kInt;
      return s;
    case Dist::kQUniform:
    case Dist::kQLogUniformValues:
      s.q = p.q, s.int_q = p.int_q;
      [[fallthrough]];
    case Dist::kUniform:
    case Dist::kLogUniformValues:
      s.log = p.info->dist == Dist::kLogUniformValues || p.info->dist == Dist::kQLogUniformValues;
      return s;
    case Dist::kLogUniform:  // exponents
      s.log = true, s.min = std::exp(p.min), s.max = std::exp(p.max);
      return s;
    default:
      return Bad("parameters." + p.name,
                 std::string("method: bayes needs a range: ") + p.info->name + " has none");
  }
}

StatusOr<BayesSearch> MakeBayes(const ojson& doc, const std::vector<Param>& params,
                                const nlohmann::json& base, int64_t seed, int64_t run_cap) {
  BayesSearch bayes;
  bayes.run_cap = static_cast<int>(run_cap);
  bayes.seed = static_cast<uint64_t>(seed);
  bayes.base = base;
  if (doc.contains("wave_size")) {
    if (!doc["wave_size"].is_number_integer() || doc["wave_size"].get<int64_t>() < 1 ||
        doc["wave_size"].get<int64_t>() > 100000) {
      return Bad("wave_size", "expected an integer in [1, 100000], got " + doc["wave_size"].dump());
    }
    bayes.wave_size = doc["wave_size"].get<int>();
  }
  if (doc.contains("early_terminate")) return Bad("early_terminate", "not with method: bayes");
  for (const Param& p : params) {
    SWEEP_ASSIGN_OR_RETURN(SearchParam s, ToSearchParam(p));
    bayes.params.push_back(std::move(s));
  }
  return bayes;
}

StatusOr<int64_t> NonNegativeInt(const ojson& doc, const char* key) {
  if (!doc[key].is_number_integer() || doc[key].get<int64_t>() < 0) {
    return Bad(key, "expected an integer >= 0, got " + doc[key].dump());
  }
  return doc[key].get<int64_t>();
}

Status CheckTopKeys(const ojson& doc) {
  static const std::vector<std::string> kKeys = {
      "method",  "metric", "parameters",  "run_cap", "seed",   "defaults",        "command",
      "program", "name",   "description", "project", "entity", "early_terminate", "wave_size"};
  for (const auto& [key, unused] : doc.items()) {
    if (std::find(kKeys.begin(), kKeys.end(), key) == kKeys.end()) {
      return Bad(key, "unknown key" + DidYouMean(key, kKeys));
    }
  }
  return Status::Ok();
}

}  // namespace

StatusOr<Param> ParseParam(const std::string& name, const ojson& p) {
  const std::string path = "parameters." + name;
  if (!p.is_object()) return Bad(path, "expected a mapping with value, values or distribution");
  if (p.contains("parameters"))
    return Bad(path, "nested parameters are not supported; flatten them");
  Param param;
  param.name = name;
  SWEEP_ASSIGN_OR_RETURN(param.info, FindDist(p, path));
  SWEEP_RETURN_IF_ERROR(CheckKeys(p, *param.info, path));
  const Dist d = param.info->dist;
  if (d == Dist::kConstant) {
    if (!p.contains("value")) return Bad(path + ".value", "required for distribution constant");
    param.value = nlohmann::json(p["value"]);
    return param;
  }
  if (d == Dist::kCategorical) {
    SWEEP_RETURN_IF_ERROR(FillCategorical(p, path, &param));
    return param;
  }
  const bool ranged = d == Dist::kIntUniform || d == Dist::kUniform || d == Dist::kQUniform ||
                      d == Dist::kLogUniform || d == Dist::kLogUniformValues ||
                      d == Dist::kQLogUniformValues;
  if (ranged && !(p.contains("min") && p.contains("max"))) {
    return Bad(path, std::string("distribution ") + param.info->name + " needs min and max");
  }
  SWEEP_ASSIGN_OR_RETURN(param.min, Number(p, "min", path, 0));
  SWEEP_ASSIGN_OR_RETURN(param.max, Number(p, "max", path, 0));
  SWEEP_ASSIGN_OR_RETURN(param.mu, Number(p, "mu", path, 0));
  SWEEP_ASSIGN_OR_RETURN(param.sigma, Number(p, "sigma", path, 1));
  SWEEP_ASSIGN_OR_RETURN(param.q, Number(p, "q", path, 1));
  param.int_q = !p.contains("q") || p["q"].is_number_integer();
  if (d == Dist::kIntUniform && !(p["min"].is_number_integer() && p["max"].is_number_integer())) {
    return Bad(path, "int_uniform needs integer min and max");
  }
  if (d == Dist::kIntUniform && !(std::fabs(param.min) < 0x1p53 && std::fabs(param.max) < 0x1p53)) {
    return Bad(path, "int_uniform min and max must be within +-2^53");
  }
  if (ranged && param.min > param.max) return Bad(path, "min must be <= max");
  if ((d == Dist::kLogUniformValues || d == Dist::kQLogUniformValues) && param.min <= 0) {
    return Bad(path + ".min", "must be > 0 for " + std::string(param.info->name));
  }
  if (param.sigma < 0) return Bad(path + ".sigma", "must be >= 0");
  if (param.q <= 0) return Bad(path + ".q", "must be > 0");
  return param;
}

StatusOr<MetricGoal> ParseMetric(const ojson& metric) {
  if (!metric.is_object()) return Bad("metric", "expected a mapping with name and goal");
  MetricGoal goal;
  for (const auto& [key, value] : metric.items()) {
    if (key == "name") {
      if (!value.is_string()) return Bad("metric.name", "expected a string");
      goal.name = value.get<std::string>();
    } else if (key == "goal") {
      if (value != "minimize" && value != "maximize") {
        return Bad("metric.goal", "expected minimize or maximize, got " + value.dump());
      }
      goal.maximize = value == "maximize";
    } else if (key != "target") {
      return Bad("metric." + key, "unknown key" + DidYouMean(key, {"name", "goal", "target"}));
    }
  }
  if (!metric.contains("name")) return Bad("metric.name", "required key missing");
  if (!metric.contains("goal")) goal.maximize = false;  // W&B's default goal
  return goal;
}

StatusOr<WandbPlan> ExpandWandb(const ojson& doc) {
  SWEEP_RETURN_IF_ERROR(CheckTopKeys(doc));
  WandbPlan plan;
  if (doc.contains("early_terminate")) {
    SWEEP_ASSIGN_OR_RETURN(plan.early_terminate, ParseEarlyTerminate(doc["early_terminate"]));
  }
  if (!doc.contains("method")) return Bad("method", "required key missing (grid or random)");
  const std::string method = doc["method"].is_string() ? doc["method"].get<std::string>() : "";
  if (method != "grid" && method != "random" && method != "bayes") {
    return Bad("method", "expected grid, random or bayes, got " + doc["method"].dump() +
                             DidYouMean(method, {"grid", "random", "bayes"}));
  }
  plan.form = method;
  if (method != "bayes" && doc.contains("wave_size"))
    return Bad("wave_size", "is for method: bayes");
  if (doc.contains("metric")) {
    SWEEP_ASSIGN_OR_RETURN(plan.metric, ParseMetric(doc["metric"]));
  }
  nlohmann::json base = nlohmann::json::object();
  if (doc.contains("defaults") && !doc["defaults"].is_null()) {
    if (!doc["defaults"].is_object()) return Bad("defaults", "expected a mapping");
    base = nlohmann::json(doc["defaults"]);
  }
  if (!doc.contains("parameters") || !doc["parameters"].is_object()) {
    return Bad("parameters", "expected a mapping of parameter name -> {value|values|...}");
  }
  std::vector<Param> params;
  for (const auto& [name, p] : doc["parameters"].items()) {
    SWEEP_ASSIGN_OR_RETURN(Param param, ParseParam(name, p));
    const Dist d = param.info->dist;
    if (method == "grid" && d != Dist::kConstant && d != Dist::kCategorical) {
      return Bad("parameters." + name,
                 "method: grid takes only value or values (as in W&B); "
                 "distribution " +
                     std::string(param.info->name) + " needs method: random");
    }
    if (method == "grid" && !param.cumulative.empty()) {
      return Bad("parameters." + name + ".probabilities", "applies to method: random only");
    }
    params.push_back(std::move(param));
  }
  int64_t run_cap = -1, seed = 0;
  if (doc.contains("run_cap")) {
    SWEEP_ASSIGN_OR_RETURN(run_cap, NonNegativeInt(doc, "run_cap"));
  }
  if (doc.contains("seed")) {
    SWEEP_ASSIGN_OR_RETURN(seed, NonNegativeInt(doc, "seed"));
  }
  if (method == "grid") {
    double count = 1;
    for (const auto& p : params) count *= p.info->dist == Dist::kConstant ? 1 : p.values.size();
    if (count > 1e6) return Bad("parameters", "the grid has more than 1000000 rows");
    plan.rows = DropDuplicateRows(Grid(params, base));
    if (run_cap >= 0 && plan.rows.size() > static_cast<size_t>(run_cap)) plan.rows.resize(run_cap);
    return plan;
  }
  if (run_cap < 1) {
    return Bad("run_cap", "method: " + method + " needs run_cap >= 1 (the number of rows)");
  }
  if (run_cap > 1000000) return Bad("run_cap", "at most 1000000 rows");
  for (int64_t i = 0; i < run_cap; ++i) {
    RowRng rng(static_cast<uint64_t>(seed), static_cast<uint64_t>(i));
    nlohmann::json row = base;
    for (const Param& p : params) row[p.name] = Draw(p, rng);
    plan.rows.push_back(std::move(row));
  }
  if (method == "bayes") {
    SWEEP_ASSIGN_OR_RETURN(plan.bayes, MakeBayes(doc, params, base, seed, run_cap));
  }
  return plan;
}

}  // namespace sweep::internal
