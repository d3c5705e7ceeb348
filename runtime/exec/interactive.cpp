// `rig repl`'s side of the runtime: one interpreter kept between inputs.
#include "runtime/exec/interactive.h"

#include <algorithm>

#include "runtime/exec/locked_reporter.h"
#include "runtime/exec/suite_run.h"

namespace rig::exec {

// The interpreter's side (interpreter.h): the input's statements run in
// `interactive_`, a scope kept from one call to the next.
std::optional<Value> Interpreter::runInteractive(
    const std::vector<plan::Stmt>& body) {
  nodes_.touched().clear();
  callDepth_ = 0;
  frames_.assign(1, std::vector<Scope>(1));
  frames_[0][0] = std::move(interactive_);
  // Failing or not, the lets made so far stay for the next input.
  struct Keep {
    Interpreter* self;
    ~Keep() {
      self->interactive_ = std::move(self->frames_.at(0).at(0));
      self->frames_.clear();
    }
  } keep{this};
  std::optional<Value> last;
  for (const plan::Stmt& stmt : body) {
    last.reset();
    if (stmt.kind == plan::StmtKind::Eval) {
      checkContinue(stmt);
      last = eval(*stmt.expr);
      continue;
    }
    if (exec(stmt) == Flow::Return) break;
  }
  return last;
}

struct InteractiveSuite::Impl {
  Impl(const plan::Plan& plan, SuiteMachines& machines,
       const RunOptions& options, events::Sink& reporter, Clock& clock,
       Interaction interaction)
      : plan(plan),
        machines(machines),
        options(options),
        clock(clock),
        locked(reporter),
        reporting(plan, locked),
        interpreter(plan, machines, this->options, clock,
                    hooks(std::move(interaction))) {}

  Interpreter::Hooks hooks(Interaction interaction) {
    Interpreter::Hooks h = reporting.hooks(clock.nowMs());
    h.shell = std::move(interaction.shell);
    h.interrupted = std::move(interaction.interrupted);
    return h;
  }

  const plan::Plan& plan;
  SuiteMachines& machines;
  RunOptions options;
  Clock& clock;
  LockedReporter locked;  // start_all's boots report from their threads
  SuiteReporting reporting;
  Interpreter interpreter;
};

InteractiveSuite::InteractiveSuite(const plan::Plan& plan,
                                   SuiteMachines& machines,
                                   const RunOptions& options,
                                   events::Sink& reporter, Clock& clock,
                                   Interaction interaction)
    : impl_(std::make_unique<Impl>(plan, machines, options, reporter, clock,
                                   std::move(interaction))) {}

InteractiveSuite::~InteractiveSuite() = default;

std::optional<events::Failure> InteractiveSuite::evalGlobals() {
  try {
    impl_->interpreter.evalGlobals();
  } catch (Failure& f) {
    return impl_->interpreter.render(f);
  }
  return std::nullopt;
}

InteractiveSuite::Outcome InteractiveSuite::execute(
    const std::vector<plan::Stmt>& statements) {
  Outcome outcome;
  try {
    outcome.value = impl_->interpreter.runInteractive(statements);
  } catch (Failure& f) {
    outcome.failure = impl_->interpreter.render(f);
  }
  return outcome;
}

events::SuiteResult InteractiveSuite::runTests(
    const std::vector<std::string>& names) {
  std::vector<const plan::Test*> tests;
  for (const plan::Test& test : impl_->plan.tests)
    if (names.empty() ||
        std::find(names.begin(), names.end(), test.name) != names.end())
      tests.push_back(&test);
  events::SuiteResult result;
  result.name = impl_->plan.suiteName;
  result.path = impl_->plan.suitePath;
  events::Sink& reporter = impl_->reporting.reporter();
  events::SuiteInfo info = impl_->reporting.info();
  info.tests.clear();
  for (const plan::Test* test : tests) info.tests.push_back(test->name);
  double start = impl_->clock.nowMs();
  reporter.suiteStarted(info);
  impl_->reporting.runTests(impl_->interpreter, tests, impl_->options,
                            impl_->clock, false, result);
  SuiteReporting::settleStatus(result);
  result.durationMs = impl_->clock.nowMs() - start;
  reporter.suiteFinished(result);
  return result;
}

void InteractiveSuite::stopAll() { impl_->machines.stopAll(); }

}  // namespace rig::exec
