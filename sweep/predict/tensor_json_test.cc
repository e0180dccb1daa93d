#include "sweep/predict/tensor_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "base/testing.h"

namespace sweep::predict {
namespace {

const InputSpec kImage{6, {2, 3}};  // a 2x3 "image"

std::string Body(const nlohmann::json& j) { return j.dump(); }

TEST(ParsePredict, RowFormatFlatAndNestedGiveTheSameValues) {
  RequestParser p;
  Batch flat, nested;
  ASSERT_OK(p.ParsePredict(R"({"instances": [[1,2,3,4,5,6], [6,5,4,3,2,1]]})", kImage, &flat));
  ASSERT_OK(p.ParsePredict(R"({"instances": [[[1,2,3],[4,5,6]], [[6,5,4],[3,2,1]]],
                               "parameters": {"x": 1}, "signature_name": "serving_default"})",
                           kImage, &nested));
  EXPECT_EQ(flat.n, 2);
  EXPECT_EQ(flat.form, BodyForm::kInstances);
  EXPECT_EQ(flat.values, nested.values);
  EXPECT_EQ(flat.values[6], 6.0f);
}

TEST(ParsePredict, ColumnarFormAndNamedInput) {
  RequestParser p;
  Batch b;
  ASSERT_OK(p.ParsePredict(R"({"inputs": [[1,2,3,4,5,6]]})", kImage, &b));
  EXPECT_EQ(b.form, BodyForm::kInputs);
  EXPECT_EQ(b.n, 1);
  ASSERT_OK(p.ParsePredict(R"({"inputs": {"flatten_input": [[[1,2,3],[4,5,6]]]}})", kImage, &b));
  EXPECT_EQ(b.values.back(), 6.0f);
}

TEST(ParsePredict, ScalarInstancesForAOneInputModel) {
  RequestParser p;
  Batch b;
  ASSERT_OK(p.ParsePredict(R"({"instances": [1.5, 2, -3e2]})", InputSpec{1, {}}, &b));
  EXPECT_EQ(b.n, 3);
  EXPECT_EQ(b.values, (std::vector<float>{1.5f, 2, -300}));
}

struct BadCase {
  const char* body;
  const char* message;  // a part of the message
};

class ParsePredictBad : public ::testing::TestWithParam<BadCase> {};

TEST_P(ParsePredictBad, IsInvalidArgumentWithAClearMessage) {
  RequestParser p;
  Batch b;
  Status s = p.ParsePredict(GetParam().body, kImage, &b);
  ASSERT_EQ(s.code(), StatusCode::kInvalidArgument) << GetParam().body;
  EXPECT_NE(s.message().find(GetParam().message), std::string::npos) << s.message();
}

INSTANTIATE_TEST_SUITE_P(
    Bodies, ParsePredictBad,
    ::testing::Values(
        BadCase{"", "not JSON"}, BadCase{"{\"instances\": [[1,2", "not JSON"},
        BadCase{"[1,2]", "must be a JSON object"}, BadCase{"{}", "needs \"instances\""},
        BadCase{R"({"instances": [], "inputs": []})", "not both"},
        BadCase{R"({"instances": []})", "is empty"},
        BadCase{R"({"instances": 3})", "must be a list"},
        BadCase{R"({"instances": [[1,2,3,4,5]]})", "6 numbers, flat or nested as [2, 3]"},
        BadCase{R"({"instances": [[[1,2],[3,4],[5,6]]]})", "got one of shape [3, 2]"},
        BadCase{R"({"instances": [[1,2,3,4,5,6],[1,2,3]]})", "ragged"},
        BadCase{R"({"instances": [[1,2,3,4,5,"x"]]})", "must be a number"},
        BadCase{R"({"instances": [[1,2,3,4,5,NaN]]})", "NaN or infinite"},
        BadCase{R"({"instances": [[1,2,3,4,5,-Infinity]]})", "NaN or infinite"},
        BadCase{R"({"instances": [[1,2,3,4,5,1e39]]})", "float32 range"},
        BadCase{R"({"inputs": {"a": [[1,2,3,4,5,6]], "b": []}})", "this model has one"},
        BadCase{R"({"instances": [[1,2,3,4,5,6]]} trailing)", "not JSON"},
        BadCase{R"({"instances": [[1,2,3,4,5,6]], "instances": [[1,2,3,4,5,6]]})", "twice"},
        BadCase{R"({"inputs": [[1,2,3,4,5,6]], "instances": [[1,2,3,4,5,6]]})", "not both"}));

TEST(ParseInfer, FlatOrNestedDataWithShapeAndId) {
  RequestParser p;
  Batch b;
  ASSERT_OK(p.ParseInfer(R"({"id": "r1", "inputs": [{"name": "input_0", "shape": [2, 6],
      "datatype": "FP32", "data": [1,2,3,4,5,6,7,8,9,10,11,12]}]})",
                         kImage, &b));
  EXPECT_EQ(b.n, 2);
  EXPECT_EQ(b.id, "r1");
  EXPECT_EQ(b.values[11], 12.0f);
  ASSERT_OK(p.ParseInfer(R"({"inputs": [{"name": "x", "shape": [1, 2, 3], "datatype": "FP32",
      "data": [[[1,2,3],[4,5,6]]]}]})",
                         kImage, &b));
  EXPECT_EQ(b.id, "");
  EXPECT_EQ(b.n, 1);
}

TEST(ParseInfer, Refusals) {
  RequestParser p;
  Batch b;
  const auto message = [&](const char* body) {
    Status s = p.ParseInfer(body, kImage, &b);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << body;
    return s.message();
  };
  EXPECT_NE(message(R"({"inputs": []})").find("one input"), std::string::npos);
  EXPECT_NE(message(R"({"inputs": [{"shape": [1, 6], "datatype": "BYTES", "data": []}]})")
                .find("not numeric"),
            std::string::npos);
  EXPECT_NE(message(R"({"inputs": [{"shape": [1, 5], "datatype": "FP32", "data": [1]}]})")
                .find("does not fit"),
            std::string::npos);
  EXPECT_NE(message(R"({"inputs": [{"shape": [2, 6], "datatype": "FP32", "data": [1,2,3]}]})")
                .find("needs 12"),
            std::string::npos);
}

TEST(Responses, PredictInferAndErrorBodiesParse) {
  const float p[4] = {0.25f, 0.75f, 1e-7f, 1.0f};
  std::string out;
  AppendPredictResponse(BodyForm::kInstances, p, 2, 2, &out);
  EXPECT_EQ(out, R"({"predictions":[[0.25,0.75],[1e-07,1]]})");
  out.clear();
  AppendPredictResponse(BodyForm::kInputs, p, 1, 2, &out);
  EXPECT_EQ(out, R"({"outputs":[[0.25,0.75]]})");
  out.clear();
  AppendInferResponse("model", 3, "a\"b", p, 2, 2, &out);
  const auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["model_version"], "3");
  EXPECT_EQ(j["id"], "a\"b");
  EXPECT_EQ(j["outputs"][0]["shape"], nlohmann::json({2, 2}));
  EXPECT_EQ(j["outputs"][0]["data"].size(), 4u);
  EXPECT_EQ(
      nlohmann::json::parse(ErrorJson("bad \xff byte"))["error"].get<std::string>().substr(0, 3),
      "bad");
}

TEST(Responses, FloatsReadBackExactly) {
  for (float v : {0.1f, 1.0f / 3, 123456.789f, 1e-30f, -2.5e10f}) {
    std::string s;
    AppendFloat(v, &s);
    EXPECT_EQ(std::stof(s), v) << s;
  }
}

TEST(ShapeText, NamesTheModelsShape) {
  EXPECT_EQ(ShapeText(InputSpec{784, {28, 28}}), "[28, 28]");
  EXPECT_EQ(ShapeText(InputSpec{16, {}}), "[16]");
}

}  // namespace
}  // namespace sweep::predict
