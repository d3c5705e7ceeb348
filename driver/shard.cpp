#include "driver/shard.h"

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "runtime/report/recorded.h"
#include "runtime/support/error.h"

namespace rig::driver {

namespace {

std::optional<long> integer(const Environment& env, const char* name) {
  std::optional<std::string> value = env(name);
  long n = 0;
  if (!value || llvm::StringRef(*value).trim().getAsInteger(10, n))
    return std::nullopt;
  return n;
}

llvm::Expected<Shard> checked(long index, long total, const char* from) {
  if (total < 1 || index < 1 || index > total)
    return failure(
        fmt::format("--shard=auto: {} gives shard {} of {}, not one "
                    "of 1..{}",
                    from, index, total, total));
  return Shard{static_cast<unsigned>(index), static_cast<unsigned>(total)};
}

}  // namespace

std::optional<Shard> parseShard(llvm::StringRef text) {
  auto [k, n] = text.split('/');
  Shard shard;
  if (k.getAsInteger(10, shard.index) || n.getAsInteger(10, shard.total) ||
      shard.index < 1 || shard.index > shard.total)
    return std::nullopt;
  return shard;
}

llvm::Expected<Shard> shardFromEnvironment(const Environment& env,
                                           std::optional<unsigned> total) {
  // GitLab `parallel: N`: CI_NODE_INDEX is 1..N.
  if (auto index = integer(env, "CI_NODE_INDEX")) {
    auto n = integer(env, "CI_NODE_TOTAL");
    if (!n)
      return failure(
          "--shard=auto: CI_NODE_INDEX is set but not CI_NODE_TOTAL");
    return checked(*index, *n, "CI_NODE_INDEX/CI_NODE_TOTAL");
  }
  // Slurm `--array=A-B`: the task ids run from SLURM_ARRAY_TASK_MIN (which
  // need not be 0 or 1), SLURM_ARRAY_TASK_COUNT of them.
  if (auto id = integer(env, "SLURM_ARRAY_TASK_ID")) {
    auto count = integer(env, "SLURM_ARRAY_TASK_COUNT");
    auto min = integer(env, "SLURM_ARRAY_TASK_MIN");
    if (!count || !min)
      return failure(
          "--shard=auto: SLURM_ARRAY_TASK_ID is set but not "
          "SLURM_ARRAY_TASK_COUNT and SLURM_ARRAY_TASK_MIN");
    // An array with a step (--array=0-10:2) has ids that are not
    // consecutive: the shard index would not be either.
    auto max = integer(env, "SLURM_ARRAY_TASK_MAX");
    if (max && *max - *min + 1 != *count)
      return failure(
          fmt::format("--shard=auto: the Slurm array's task ids "
                      "{}..{} are not {} consecutive ids (use "
                      "--array=0-{})",
                      *min, *max, *count, *count - 1));
    return checked(*id - *min + 1, *count,
                   "SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT");
  }
  // A Kubernetes Indexed Job: JOB_COMPLETION_INDEX is 0..completions-1; the
  // number of completions is not in the pod's environment.
  if (auto index = integer(env, "JOB_COMPLETION_INDEX")) {
    std::optional<long> n;
    if (total)
      n = *total;
    else
      n = integer(env, "RIG_SHARD_TOTAL");
    if (!n)
      return failure(
          "--shard=auto: JOB_COMPLETION_INDEX is set; give the "
          "number of shards (the Job's completions) with "
          "--shard-total N or RIG_SHARD_TOTAL");
    return checked(*index + 1, *n, "JOB_COMPLETION_INDEX");
  }
  return failure(
      "--shard=auto: no CI engine's shard variables are set "
      "(CI_NODE_INDEX for GitLab, SLURM_ARRAY_TASK_ID for Slurm, "
      "JOB_COMPLETION_INDEX for Kubernetes); give --shard K/N");
}

std::string engineRunId(const Environment& env) {
  auto get = [&](const char* name) { return env(name).value_or(""); };
  // Not the attempt: "re-run failed jobs" merges new shards with old ones.
  if (std::string id = get("GITHUB_RUN_ID"); !id.empty()) return "github:" + id;
  if (std::string id = get("CI_PIPELINE_ID"); !id.empty())
    return "gitlab:" + id;
  if (std::string id = get("SLURM_ARRAY_JOB_ID"); !id.empty())
    return "slurm:" + id;
  return "";
}

std::vector<unsigned> partition(
    llvm::ArrayRef<std::string> suites,
    const std::map<std::string, double>& durationsMs, unsigned total) {
  // The mean of the durations known for these suites stands in for the
  // others (a new suite), so that it neither lands everywhere nor nowhere.
  double known = 0;
  size_t knownCount = 0;
  for (const std::string& suite : suites)
    if (auto it = durationsMs.find(suite); it != durationsMs.end()) {
      known += it->second;
      ++knownCount;
    }
  double fallback = knownCount ? known / knownCount : 1;
  std::vector<double> weight(suites.size());
  for (size_t i = 0; i < suites.size(); ++i) {
    auto it = durationsMs.find(suites[i]);
    weight[i] = it != durationsMs.end() ? it->second : fallback;
  }
  std::vector<size_t> order(suites.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (weight[a] != weight[b]) return weight[a] > weight[b];
    if (suites[a] != suites[b]) return suites[a] < suites[b];
    return a < b;  // the same path twice: either order gives the same shards
  });
  std::vector<double> load(total, 0);
  std::vector<unsigned> shardOf(suites.size(), 1);
  for (size_t i : order) {
    // The first least-loaded shard: min_element keeps the lowest index.
    size_t least = std::min_element(load.begin(), load.end()) - load.begin();
    load[least] += weight[i];
    shardOf[i] = static_cast<unsigned>(least) + 1;
  }
  return shardOf;
}

llvm::Expected<std::map<std::string, double>> readDurations(
    const std::string& path) {
  std::map<std::string, double> durations;
  if (path.empty()) return durations;
  auto run = report::readRecordedRunFile(path);
  if (!run) return failure("--durations: " + llvm::toString(run.takeError()));
  for (const report::RecordedSuite& suite : run->suites)
    durations[suite.result.path] = suite.result.durationMs;
  return durations;
}

}  // namespace rig::driver
