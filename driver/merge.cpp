// `rig merge [REPORT OPTIONS] SHARD_REPORT...`: the JSON reports or event
// streams of a run's shards (rig run --shard K/N) into the reports the
// whole run would have written, its terminal summary and its exit code
// (docs/scaling.md). The recorded suites are replayed, in the whole run's
// order, into the same reporters as `rig run`'s.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "driver/execute.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"
#include "runtime/report/recorded.h"

namespace rig::driver {

namespace {

struct ShardReport {
  std::string path;
  report::RecordedRun run;
  unsigned index = 1;  // K; an unsharded run's report is shard 1 of 1
};

std::string describe(unsigned k, unsigned n) {
  return fmt::format("{}/{}", k, n);
}

// A suite of the run that no report has: marked as an infrastructure error
// so that every format shows it and the exit code is 3.
report::RecordedSuite missingSuite(const std::string& path,
                                   const std::vector<unsigned>& missingShards,
                                   unsigned total) {
  report::RecordedSuite s;
  s.info.name = s.result.name = llvm::sys::path::stem(path).str();
  s.info.path = s.result.path = path;
  s.result.status = events::Status::Error;
  events::Failure why;
  if (!missingShards.empty()) {
    std::vector<std::string> names;
    for (unsigned k : missingShards) names.push_back(describe(k, total));
    why.message = fmt::format(
        "not run: the report of shard {} is missing "
        "(the merged report is incomplete)",
        llvm::join(names, ", "));
  } else {
    why.message =
        "not run: its shard's report ends before the suite finished "
        "(the merged report is incomplete)";
  }
  s.result.error = std::move(why);
  return s;
}

}  // namespace

int runMerge(Session& session) {
  const Invocation& inv = session.invocation();
  std::vector<ShardReport> shards;
  for (const std::string& path : inv.files) {
    auto run = report::readRecordedRunFile(path);
    if (!run) {
      session.error(llvm::toString(run.takeError()));
      return kExitUsage;
    }
    if (!run->identity || run->identity->id.empty()) {
      session.error(
          fmt::format("{}: the report names no run (written by an "
                      "older rig?): rig merge needs the reports of "
                      "rig run --shard",
                      path));
      return kExitUsage;
    }
    unsigned index = std::max(run->identity->shard, 1u);  // 0: the whole run
    shards.push_back(ShardReport{path, std::move(*run), index});
  }
  const report::RunIdentity& first = *shards.front().run.identity;
  std::map<unsigned, const ShardReport*> byIndex;
  for (const ShardReport& s : shards) {
    const report::RunIdentity& id = *s.run.identity;
    if (id.id != first.id || id.shards != first.shards) {
      session.error(fmt::format(
          "{} is of another run than {} (run {} in {} shards, not {} in {}): "
          "merge the shards of one run",
          s.path, shards.front().path, id.id, id.shards, first.id,
          first.shards));
      return kExitUsage;
    }
    auto [it, added] = byIndex.emplace(s.index, &s);
    if (!added) {
      session.error(fmt::format("shard {} is given twice: {} and {}",
                                describe(s.index, id.shards), it->second->path,
                                s.path));
      return kExitUsage;
    }
  }
  report::RunIdentity merged = first;
  merged.shard = 0;
  merged.missingShards.clear();
  for (unsigned k = 1; k <= first.shards; ++k)
    if (!byIndex.count(k)) merged.missingShards.push_back(k);

  // Each suite's result from the shard that ran it.
  std::map<std::string,
           std::pair<const report::RecordedSuite*, const ShardReport*>>
      recorded;
  for (const ShardReport& s : shards)
    for (const report::RecordedSuite& suite : s.run.suites) {
      auto [it, added] =
          recorded.emplace(suite.result.path, std::make_pair(&suite, &s));
      if (!added) {
        session.error(fmt::format(
            "suite {} was run by both {} and {}: the shards were cut "
            "differently (give every shard the same suites and --durations)",
            suite.result.path, it->second.second->path, s.path));
        return kExitUsage;
      }
    }

  report::MultiReporter reporters;
  addReporters(session, merged, /*live=*/false, reporters);
  unsigned jobs = 1;
  double durationMs = 0;
  for (const ShardReport& s : shards) {
    jobs = std::max(jobs, s.run.jobs);
    // The shards ran at the same time: the whole run took the longest.
    durationMs = std::max(durationMs, s.run.durationMs);
  }
  reporters.runStarted(first.suites.size(), jobs);
  events::RunSummary summary;
  std::vector<report::RecordedSuite> missing;
  for (const std::string& path : first.suites) {
    auto it = recorded.find(path);
    if (it != recorded.end()) {
      report::replaySuite(*it->second.first, reporters);
      summary.suites.push_back(it->second.first->result);
      continue;
    }
    report::RecordedSuite gap =
        missingSuite(path, merged.missingShards, first.shards);
    report::replaySuite(gap, reporters);
    summary.suites.push_back(gap.result);
  }
  summary.durationMs = durationMs;
  reporters.runFinished(summary);
  int code = events::exitCode(summary);
  if (llvm::Error error = reporters.finish()) {
    session.error(llvm::toString(std::move(error)));
    code = kExitInfrastructure;
  }
  session.out().flush();
  if (!merged.missingShards.empty()) {
    std::vector<std::string> names;
    for (unsigned k : merged.missingShards)
      names.push_back(describe(k, first.shards));
    session.error(fmt::format(
        "shard {} missing: no report of it among the {} given; the merged "
        "reports are written and marked incomplete",
        llvm::join(names, ", "), shards.size()));
    code = kExitInfrastructure;
  }
  return code;
}

}  // namespace rig::driver
