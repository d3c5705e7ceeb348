// How a failure travels inside the executor. A failing expect, a machine
// operation that fails, a timeout: each throws a `Failure`, which unwinds
// to the nearest test, subtest or `eventually` boundary. The exception never
// leaves rig_exec: the suite runner catches it and turns it into a
// events::Failure. Control flow that is not a failure (`return`) does not
// use exceptions.
#ifndef RIG_RUNTIME_EXEC_FAILURE_H
#define RIG_RUNTIME_EXEC_FAILURE_H

#include <string>
#include <vector>

#include "fmt/format.h"
#include "runtime/plan/plan.h"

namespace rig::exec {

enum class FailureKind : unsigned char {
  Failed,  // the system under test misbehaved: exit code 1
  Error,   // the infrastructure failed (boot, agent, host): exit code 3
};

struct Failure {
  FailureKind kind = FailureKind::Failed;
  // The suite cannot go on (a dead machine, the suite timeout, a VM that did
  // not boot): later tests are skipped even with --keep-going, and
  // `eventually` does not retry.
  bool fatal = false;
  std::string message;  // one line, lowercase, no trailing period
  std::string details;  // more lines, or ""
  bool located = false;
  plan::SourceLoc loc;  // the innermost expression with a location
  std::vector<std::pair<std::string, plan::SourceLoc>>
      callers;                        // fn, call site
  std::vector<std::string> machines;  // whose console tails to show
  // The details already hold a console tail (machine::Machine errors about a
  // dead or unbootable machine include one): show no other.
  bool consoleIncluded = false;
};

[[noreturn]] inline void fail(std::string message, std::string details = "") {
  Failure f;
  f.message = std::move(message);
  f.details = std::move(details);
  throw f;
}

template <typename... Args>
[[noreturn]] void failf(fmt::format_string<Args...> format, Args&&... args) {
  fail(fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace rig::exec

#endif
