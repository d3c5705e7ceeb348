// `rig run --shard K/N`: which suites one piece of a run gets
// (docs/scaling.md). The partition depends only on the suite paths, the
// recorded durations and N, never on the order the suites were given in, so
// every runner computes the same one.
#ifndef RIG_DRIVER_SHARD_H
#define RIG_DRIVER_SHARD_H

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace rig::driver {

struct Shard {
  unsigned index = 1;  // K, 1-based
  unsigned total = 1;  // N
};

// "K/N" with 1 <= K <= N; nullopt otherwise.
std::optional<Shard> parseShard(llvm::StringRef text);

// The shard of this process from a CI engine's variables (`--shard=auto`):
// GitLab (CI_NODE_INDEX, 1-based, of CI_NODE_TOTAL), a Slurm job array
// (SLURM_ARRAY_TASK_ID counted from SLURM_ARRAY_TASK_MIN, of
// SLURM_ARRAY_TASK_COUNT), a Kubernetes Indexed Job (JOB_COMPLETION_INDEX,
// 0-based, of `total` or RIG_SHARD_TOTAL). The error says which variables
// were looked for.
using Environment = std::function<std::optional<std::string>(const char*)>;
llvm::Expected<Shard> shardFromEnvironment(const Environment& env,
                                           std::optional<unsigned> total);

// The engine's id of the pipeline or job that the shards belong to
// (GitHub's run, GitLab's pipeline, Slurm's array job), "" when
// none is set: part of the run's identity, so that two runs of the same
// suites are told apart by `rig merge`.
std::string engineRunId(const Environment& env);

// The shard (1..total) of each of `suites` (paths; the result is in their
// order): longest first onto the least-loaded shard, ties broken by path
// and then by the lowest shard. A suite without a recorded duration counts
// as the mean of the recorded ones (1 when none is: by suite count).
std::vector<unsigned> partition(
    llvm::ArrayRef<std::string> suites,
    const std::map<std::string, double>& durationsMs, unsigned total);

// The suite durations of a previous run's JSON report or event stream, by
// path (--durations FILE); none for "". The error starts "--durations:".
llvm::Expected<std::map<std::string, double>> readDurations(
    const std::string& path);

}  // namespace rig::driver

#endif
