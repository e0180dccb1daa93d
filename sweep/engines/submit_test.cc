#include "sweep/engines/submit.h"

#include <gtest/gtest.h>

#include "base/testing.h"
#include "sweep/engines/aws_batch.h"
#include "sweep/engines/k8s.h"
#include "sweep/engines/slurm.h"

namespace sweep {
namespace {

using nlohmann::json;

SubmitOptions BatchOptions() {
  SubmitOptions o;
  o.queue = "sweep-gpu";
  o.job_definition = "sweep-gpu:1";
  return o;
}

std::map<std::string, std::string> EnvOf(const json& body) {
  std::map<std::string, std::string> env;
  for (const auto& e : body["containerOverrides"]["environment"]) env[e["name"]] = e["value"];
  return env;
}

TEST(BatchSubmitBodies, OneRowIsAPlainJobWithSweepIndex) {
  auto bodies = BatchSubmitBodies(BatchOptions(), PlanAllRows(1, BatchLimits()), "s3://b/s.yml",
                                  "/storage", "sweep-1");
  ASSERT_EQ(bodies.size(), 1u);
  EXPECT_FALSE(bodies[0].contains("arrayProperties"));
  EXPECT_EQ(bodies[0]["jobName"], "sweep-1");
  EXPECT_EQ(EnvOf(bodies[0]), (std::map<std::string, std::string>{{"SWEEP_PARAMS", "s3://b/s.yml"},
                                                                  {"SWEEP_STORAGE", "/storage"},
                                                                  {"SWEEP_INDEX", "0"}}));
}

TEST(BatchSubmitBodies, SevenRowsIsOneArray) {
  auto bodies = BatchSubmitBodies(BatchOptions(), PlanAllRows(7, BatchLimits()), "s3://b/s.yml",
                                  "/storage", "sweep-1");
  ASSERT_EQ(bodies.size(), 1u);
  EXPECT_EQ(bodies[0]["arrayProperties"]["size"], 7);
  EXPECT_EQ(bodies[0]["jobQueue"], "sweep-gpu");
  EXPECT_EQ(bodies[0]["jobDefinition"], "sweep-gpu:1");
  EXPECT_EQ(EnvOf(bodies[0]).size(), 2u);
}

TEST(BatchSubmitBodies, ManyRowsSplitIntoNamedPartsWithOffsets) {
  auto bodies = BatchSubmitBodies(BatchOptions(), PlanAllRows(12345, BatchLimits()), "s3://b/s.yml",
                                  "/storage", "sweep-1");
  ASSERT_EQ(bodies.size(), 2u);
  EXPECT_EQ(bodies[0]["arrayProperties"]["size"], 10000);
  EXPECT_EQ(bodies[1]["arrayProperties"]["size"], 2345);
  EXPECT_EQ(bodies[0]["jobName"], "sweep-1-0");
  EXPECT_EQ(bodies[1]["jobName"], "sweep-1-1");
  EXPECT_EQ(EnvOf(bodies[0]).count("SWEEP_INDEX_OFFSET"), 0u);
  EXPECT_EQ(EnvOf(bodies[1])["SWEEP_INDEX_OFFSET"], "10000");
}

TEST(SlurmArraySpec, CapsParallelism) {
  ArrayPart part = PlanAllRows(4, SlurmLimits())[0];
  EXPECT_EQ(SlurmArraySpec(part, 0), "0-3");
  EXPECT_EQ(SlurmArraySpec(part, 2), "0-3%2");
}

TEST(ParseMaxArraySize, ReadsScontrolOutput) {
  EXPECT_EQ(ParseMaxArraySize("MaxArraySize            = 1001\nMaxJobCount = 10000\n", 7), 1001);
  EXPECT_EQ(ParseMaxArraySize("MaxArraySize = 40001\n", 7), 40001);
  EXPECT_EQ(ParseMaxArraySize("nothing here\n", 7), 7);
  EXPECT_EQ(ParseMaxArraySize("MaxArraySize = lots\n", 7), 7);
}

TEST(SlurmTaskEnv, SetsTheContractAndDropsInheritedIndexVariables) {
  SubmitOptions o;
  auto parts = PlanAllRows(2500, SlurmLimits(1001));
  Spec spec;
  ArraySubmission run{o, spec, parts, "/abs/spec.yml", "/abs/results", "sweep-1", 2500};
  auto env = SlurmTaskEnv(
      {"PATH=/bin", "SWEEP_INDEX_MAP=1,2", "SWEEP_INDEX=4", "AWS_BATCH_JOB_ARRAY_INDEX=2"}, run,
      parts[1], "/opt/sweep-worker");
  EXPECT_EQ(env, (std::vector<std::string>{
                     "PATH=/bin", "SWEEP_PARAMS=/abs/spec.yml", "SWEEP_STORAGE=/abs/results",
                     "SWEEP_WORKER_BIN=/opt/sweep-worker", "SWEEP_INDEX_OFFSET=1001"}));
}

TEST(RenderK8sJobs, FillsEveryPlaceholder) {
  SubmitOptions o;
  o.max_parallel = 3;
  auto text = RenderK8sJobs(o, PlanAllRows(7, K8sLimits()), "s3://b/s.yml", "/storage", "sweep-1");
  ASSERT_OK(text);
  EXPECT_EQ(text->find("${"), std::string::npos);
  EXPECT_NE(text->find("completions: 7\n"), std::string::npos);
  EXPECT_NE(text->find("parallelism: 3\n"), std::string::npos);
  EXPECT_NE(text->find("completionMode: Indexed"), std::string::npos);
}

TEST(RenderK8sJobs, RejectsNamesThatAreNotDnsLabels) {
  SubmitOptions o;
  EXPECT_FALSE(RenderK8sJobs(o, PlanAllRows(2, K8sLimits()), "p", "/s", "Sweep_1").ok());
  EXPECT_FALSE(RenderK8sJobs(o, PlanAllRows(2, K8sLimits()), "a\"b", "/s", "sweep-1").ok());
}

TEST(ParseEngine, KnowsTheEnginesAndSuggests) {
  EXPECT_EQ(*ParseEngine("aws-batch"), Engine::kAwsBatch);
  EXPECT_EQ(*ParseEngine("slurm"), Engine::kSlurm);
  EXPECT_EQ(*ParseEngine("kubernetes"), Engine::kK8s);
  auto bad = ParseEngine("slurn");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("slurm"), std::string::npos);
}

}  // namespace
}  // namespace sweep
