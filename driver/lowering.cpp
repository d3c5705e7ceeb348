#include "driver/lowering.h"

#include "compiler/lower/lower.h"

namespace rig::driver {

std::optional<plan::Plan> lowerSpec(Session& session, CheckedSpec& spec) {
  lower::Options options;
  const RunSettings& run = spec.config.run;
  if (run.waitTimeoutMs) options.waitTimeoutMs = *run.waitTimeoutMs;
  if (run.eventuallyTimeoutMs)
    options.eventuallyTimeoutMs = *run.eventuallyTimeoutMs;
  options.suiteTimeoutMs = run.suiteTimeoutMs;
  diag::Emitter emitter;
  spec.config.applyTo(emitter);
  std::optional<plan::Plan> plan = lower::lower(spec.program, options, emitter);
  session.addDiagnostics(emitter);
  return plan;
}

}  // namespace rig::driver
