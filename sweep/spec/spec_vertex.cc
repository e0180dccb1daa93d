// VertexStudySpec (spec.h): a W&B-style spec's parameters as Vertex AI parameter specs.
#include <algorithm>
#include <cmath>

#include "sweep/spec/spec.h"
#include "sweep/spec/spec_wandb.h"

namespace sweep {
namespace {

using internal::Dist;
using internal::Param;

Status Unmappable(const Param& p, const std::string& why) {
  return Status::InvalidArgument("parameters." + p.name + ": " + why);
}

nlohmann::json Categorical(const Param& p) {
  const bool numbers = std::all_of(p.values.begin(), p.values.end(),
                                   [](const nlohmann::json& v) { return v.is_number(); });
  if (numbers) {
    std::vector<double> values;
    for (const auto& v : p.values) values.push_back(v.get<double>());
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    return {{"discreteValueSpec", {{"values", values}}}, {"scaleType", "UNIT_LINEAR_SCALE"}};
  }
  std::vector<std::string> texts;
  for (const auto& v : p.values) texts.push_back(v.is_string() ? v.get<std::string>() : v.dump());
  return {{"categoricalValueSpec", {{"values", texts}}}};
}

nlohmann::json DoubleRange(double min, double max, const char* scale) {
  return {{"doubleValueSpec", {{"minValue", min}, {"maxValue", max}}}, {"scaleType", scale}};
}

StatusOr<nlohmann::json> ParameterSpec(const Param& p) {
  nlohmann::json spec;
  switch (p.info->dist) {
    case Dist::kCategorical:
      if (!p.cumulative.empty()) {
        return Unmappable(p, "Vertex AI has no categorical probabilities; drop them");
      }
      spec = Categorical(p);
      break;
    case Dist::kIntUniform:
      spec = {{"integerValueSpec",
               {{"minValue", std::to_string(static_cast<int64_t>(p.min))},
                {"maxValue", std::to_string(static_cast<int64_t>(p.max))}}},
              {"scaleType", "UNIT_LINEAR_SCALE"}};
      break;
    case Dist::kUniform:
      spec = DoubleRange(p.min, p.max, "UNIT_LINEAR_SCALE");
      break;
    case Dist::kLogUniformValues:
      spec = DoubleRange(p.min, p.max, "UNIT_LOG_SCALE");
      break;
    case Dist::kLogUniform:
      spec = DoubleRange(std::exp(p.min), std::exp(p.max), "UNIT_LOG_SCALE");
      break;
    default:
      return Unmappable(p, std::string("Vertex AI cannot draw distribution ") + p.info->name +
                               " (use values, int_uniform, uniform or log_uniform_values)");
  }
  spec["parameterId"] = p.name;
  return spec;
}

}  // namespace

StatusOr<nlohmann::json> VertexStudySpec(const Spec& spec) {
  if (spec.wandb.is_null()) {
    return Status::InvalidArgument(spec.source + ": a Vertex AI study needs a W&B-style spec " +
                                   "(method and parameters), this one is " + spec.form);
  }
  nlohmann::json parameters = nlohmann::json::array();
  for (const auto& [name, p] : spec.wandb["parameters"].items()) {
    auto param = internal::ParseParam(name, p);
    if (!param.ok()) return param.status().WithContext(spec.source);
    if (param->info->dist == Dist::kConstant) continue;
    auto mapped = ParameterSpec(*param);
    if (!mapped.ok()) return mapped.status().WithContext(spec.source);
    parameters.push_back(std::move(*mapped));
  }
  if (parameters.empty()) {
    return Status::InvalidArgument(spec.source + ": no parameter varies: nothing to tune");
  }
  const MetricGoal metric = spec.metric.value_or(MetricGoal{});
  return nlohmann::json{
      {"metrics",
       {{{"metricId", metric.name}, {"goal", metric.maximize ? "MAXIMIZE" : "MINIMIZE"}}}},
      {"parameters", std::move(parameters)},
      {"algorithm", spec.form == "grid" ? "GRID_SEARCH" : "RANDOM_SEARCH"},
      {"measurementSelectionType", "LAST_MEASUREMENT"}};
}

}  // namespace sweep
