// `rig run FILE|DIR|PLAN.json...`: compile the specs (a directory means its
// *.rig files that declare nodes or tests), read the plans, run them all, or
// with --shard K/N the suites of shard K (docs/scaling.md).
#include <algorithm>

#include "driver/execute.h"
#include "driver/lowering.h"
#include "driver/shard.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

namespace rig::driver {

namespace {

// Keeps in `plans` the suites of this process's shard (--shard K/N or
// auto); records the shard in `identity`. False after an error.
bool selectShard(Session& session, std::vector<plan::Plan>& plans,
                 report::RunIdentity& identity) {
  const Invocation& inv = session.invocation();
  Shard shard;
  if (inv.shard == "auto") {
    llvm::Expected<Shard> fromEnv =
        shardFromEnvironment(session.host().env, inv.shardTotal);
    if (!fromEnv) {
      session.error(llvm::toString(fromEnv.takeError()));
      return false;
    }
    shard = *fromEnv;
  } else {
    shard = *parseShard(inv.shard);  // args.cpp checked it
  }
  auto durations = readDurations(inv.durationsPath);
  if (!durations) {
    session.error(llvm::toString(durations.takeError()));
    return false;
  }
  std::vector<unsigned> shardOf =
      partition(identity.suites, *durations, shard.total);
  std::vector<plan::Plan> mine;
  for (size_t i = 0; i < plans.size(); ++i)
    if (shardOf[i] == shard.index) mine.push_back(std::move(plans[i]));
  // Which piece this runner ran, in its CI log (not in TAP's stream).
  if (!inv.tap && !inv.quiet)
    session.out() << fmt::format(
        "shard {}/{}: {} of {} suites{}\n", shard.index, shard.total,
        mine.size(), plans.size(),
        inv.durationsPath.empty() ? "" : " (balanced by --durations)");
  plans = std::move(mine);
  identity.shard = shard.index;
  identity.shards = shard.total;
  return true;
}

}  // namespace

int runRun(Session& session) {
  const Invocation& inv = session.invocation();
  std::vector<plan::Plan> plans;
  const Config* config = nullptr;
  bool failed = false;

  for (const std::string& input : inv.files) {
    if (!config) config = session.configFor(input);
    if (!config) return kExitUsage;
    if (llvm::StringRef(input).endswith(".json")) {
      auto buffer = llvm::MemoryBuffer::getFile(input, /*IsText=*/true);
      if (!buffer) {
        session.error(fmt::format("cannot read {}: {}", input,
                                  buffer.getError().message()));
        failed = true;
        continue;
      }
      llvm::Expected<plan::Plan> plan = plan::parsePlan((*buffer)->getBuffer());
      if (!plan) {
        session.error(
            fmt::format("{}: {}", input, llvm::toString(plan.takeError())));
        failed = true;
        continue;
      }
      plans.push_back(std::move(*plan));
      continue;
    }
    std::vector<std::string> specs;
    bool fromDirectory = llvm::sys::fs::is_directory(input);
    if (fromDirectory)
      specs = specsIn(input);  // session.h
    else
      specs.push_back(input);
    for (const std::string& path : specs) {
      std::unique_ptr<CheckedSpec> spec = session.check(path, false);
      if (!spec || !spec->ok) {
        failed = true;
        continue;
      }
      // A library found in a directory is not a suite.
      if (fromDirectory && spec->program.nodes.empty() &&
          spec->program.tests.empty())
        continue;
      std::optional<plan::Plan> plan = lowerSpec(session, *spec);
      if (!plan) {
        failed = true;
        continue;
      }
      plans.push_back(std::move(*plan));
    }
  }
  session.printDiagnostics();
  if (failed || session.errorCount()) return kExitUsage;
  if (plans.empty()) {
    session.error("no suite to run (a suite declares nodes or tests)");
    return kExitUsage;
  }
  report::RunIdentity identity;
  for (const plan::Plan& plan : plans)
    identity.suites.push_back(plan.suitePath);
  identity.id =
      report::runIdentityHash(identity.suites, engineRunId(session.host().env));
  if (!inv.shard.empty() && !selectShard(session, plans, identity))
    return kExitUsage;
  return executePlans(session, plans, config->run, identity);
}

}  // namespace rig::driver
