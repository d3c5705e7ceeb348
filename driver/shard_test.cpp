// The partition of `rig run --shard K/N` and the shard from a CI engine's
// variables (driver/shard.h).
#include "driver/shard.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace rig::driver {
namespace {

std::vector<std::string> names(unsigned n) {
  std::vector<std::string> out;
  for (unsigned i = 0; i < n; ++i)
    out.push_back("specs/s" + std::to_string(i) + ".rig");
  return out;
}

// The suites of each shard, as sets keyed by path.
std::map<std::string, unsigned> assignment(
    const std::vector<std::string>& suites,
    const std::map<std::string, double>& d, unsigned total) {
  std::vector<unsigned> shardOf = partition(suites, d, total);
  std::map<std::string, unsigned> out;
  for (size_t i = 0; i < suites.size(); ++i) out[suites[i]] = shardOf[i];
  return out;
}

TEST(Shard, ParseShard) {
  EXPECT_EQ(parseShard("2/3")->index, 2u);
  EXPECT_EQ(parseShard("2/3")->total, 3u);
  EXPECT_FALSE(parseShard("0/3"));
  EXPECT_FALSE(parseShard("4/3"));
  EXPECT_FALSE(parseShard("3"));
  EXPECT_FALSE(parseShard("a/b"));
}

TEST(Shard, BySuiteCountEveryShardGetsItsShare) {
  std::vector<std::string> suites = names(10);
  std::map<std::string, unsigned> a = assignment(suites, {}, 3);
  std::vector<unsigned> counts(4, 0);
  for (auto& [path, shard] : a) {
    ASSERT_GE(shard, 1u);
    ASSERT_LE(shard, 3u);
    ++counts[shard];
  }
  EXPECT_EQ(counts[1], 4u);
  EXPECT_EQ(counts[2], 3u);
  EXPECT_EQ(counts[3], 3u);
}

TEST(Shard, DeterministicAndStableUnderReorderedInput) {
  std::vector<std::string> suites = names(25);
  std::map<std::string, double> durations;
  for (size_t i = 0; i < suites.size(); i += 2)
    durations[suites[i]] = 1000.0 * (i % 7 + 1);
  auto want = assignment(suites, durations, 4);
  EXPECT_EQ(assignment(suites, durations, 4), want);
  std::mt19937 random(42);
  for (int round = 0; round < 20; ++round) {
    std::shuffle(suites.begin(), suites.end(), random);
    EXPECT_EQ(assignment(suites, durations, 4), want) << "round " << round;
  }
}

TEST(Shard, LongestFirstOntoTheLeastLoaded) {
  // 9, 7, 6, 5, 4, 3 onto 2 shards, loads after each: 9->1 (9, 0),
  // 7->2 (9, 7), 6->2 (9, 13), 5->1 (14, 13), 4->2 (14, 17), 3->1 (17, 17).
  std::vector<std::string> suites = {"a", "b", "c", "d", "e", "f"};
  std::map<std::string, double> d = {{"a", 9}, {"b", 7}, {"c", 6},
                                     {"d", 5}, {"e", 4}, {"f", 3}};
  auto a = assignment(suites, d, 2);
  EXPECT_EQ(a["a"], 1u);
  EXPECT_EQ(a["b"], 2u);
  EXPECT_EQ(a["c"], 2u);
  EXPECT_EQ(a["d"], 1u);
  EXPECT_EQ(a["e"], 2u);
  EXPECT_EQ(a["f"], 1u);  // loads 17 and 17
  // The balance longest-first gives where count-only would not: one long
  // suite alone on a shard.
  std::vector<std::string> skewed = {"long", "s1", "s2", "s3", "s4"};
  std::map<std::string, double> sd = {
      {"long", 40}, {"s1", 10}, {"s2", 10}, {"s3", 10}, {"s4", 10}};
  auto b = assignment(skewed, sd, 2);
  for (const char* s : {"s1", "s2", "s3", "s4"})
    EXPECT_NE(b[s], b["long"]) << s;
}

TEST(Shard, UnknownDurationsCountAsTheMean) {
  std::vector<std::string> suites = {"a", "b", "new"};
  auto a = assignment(suites, {{"a", 100}, {"b", 50}}, 2);
  // "new" weighs 75: after a (100) on 1, new (75) goes to 2, then b to 2.
  EXPECT_EQ(a["a"], 1u);
  EXPECT_EQ(a["new"], 2u);
  EXPECT_EQ(a["b"], 2u);
}

TEST(Shard, MoreShardsThanSuitesLeavesSomeEmpty) {
  auto a = assignment({"a", "b"}, {}, 4);
  EXPECT_EQ(a["a"], 1u);
  EXPECT_EQ(a["b"], 2u);
}

Environment envOf(std::map<std::string, std::string> vars) {
  return [vars](const char* name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

unsigned indexOf(llvm::Expected<Shard> shard, unsigned total) {
  if (!shard) {
    ADD_FAILURE() << llvm::toString(shard.takeError());
    return 0;
  }
  EXPECT_EQ(shard->total, total);
  return shard->index;
}

std::string errorOf(llvm::Expected<Shard> shard) {
  if (shard) return "no error";
  return llvm::toString(shard.takeError());
}

TEST(Shard, FromEnvironment) {
  // GitLab: 1-based.
  EXPECT_EQ(indexOf(shardFromEnvironment(
                        envOf({{"CI_NODE_INDEX", "3"}, {"CI_NODE_TOTAL", "3"}}),
                        std::nullopt),
                    3),
            3u);
  // Slurm: ids from SLURM_ARRAY_TASK_MIN, here --array=0-2 and --array=5-7.
  EXPECT_EQ(
      indexOf(shardFromEnvironment(envOf({{"SLURM_ARRAY_TASK_ID", "0"},
                                          {"SLURM_ARRAY_TASK_MIN", "0"},
                                          {"SLURM_ARRAY_TASK_MAX", "2"},
                                          {"SLURM_ARRAY_TASK_COUNT", "3"}}),
                                   std::nullopt),
              3),
      1u);
  EXPECT_EQ(
      indexOf(shardFromEnvironment(envOf({{"SLURM_ARRAY_TASK_ID", "7"},
                                          {"SLURM_ARRAY_TASK_MIN", "5"},
                                          {"SLURM_ARRAY_TASK_MAX", "7"},
                                          {"SLURM_ARRAY_TASK_COUNT", "3"}}),
                                   std::nullopt),
              3),
      3u);
  EXPECT_NE(
      errorOf(shardFromEnvironment(envOf({{"SLURM_ARRAY_TASK_ID", "2"},
                                          {"SLURM_ARRAY_TASK_MIN", "0"},
                                          {"SLURM_ARRAY_TASK_MAX", "4"},
                                          {"SLURM_ARRAY_TASK_COUNT", "3"}}),
                                   std::nullopt))
          .find("not 3 consecutive"),
      std::string::npos);
  // Kubernetes: 0-based, the total from --shard-total or RIG_SHARD_TOTAL.
  EXPECT_EQ(
      indexOf(shardFromEnvironment(envOf({{"JOB_COMPLETION_INDEX", "0"}}), 4u),
              4),
      1u);
  EXPECT_EQ(indexOf(shardFromEnvironment(envOf({{"JOB_COMPLETION_INDEX", "3"},
                                                {"RIG_SHARD_TOTAL", "4"}}),
                                         std::nullopt),
                    4),
            4u);
  EXPECT_NE(errorOf(shardFromEnvironment(envOf({{"JOB_COMPLETION_INDEX", "0"}}),
                                         std::nullopt))
                .find("--shard-total"),
            std::string::npos);
  EXPECT_NE(
      errorOf(shardFromEnvironment(envOf({{"JOB_COMPLETION_INDEX", "4"}}), 4u))
          .find("shard 5 of 4"),
      std::string::npos);
  EXPECT_NE(errorOf(shardFromEnvironment(envOf({}), std::nullopt))
                .find("CI_NODE_INDEX"),
            std::string::npos);
}

TEST(Shard, EngineRunId) {
  EXPECT_EQ(engineRunId(envOf({})), "");
  EXPECT_EQ(engineRunId(
                envOf({{"GITHUB_RUN_ID", "77"}, {"GITHUB_RUN_ATTEMPT", "2"}})),
            "github:77");
  EXPECT_EQ(engineRunId(envOf({{"SLURM_ARRAY_JOB_ID", "12"}})), "slurm:12");
}

}  // namespace
}  // namespace rig::driver
