// The driver's one call into compiler/lower: a checked spec -> its plan.
#ifndef RIG_DRIVER_LOWERING_H
#define RIG_DRIVER_LOWERING_H

#include <optional>

#include "driver/session.h"
#include "runtime/plan/plan.h"

namespace rig::driver {

// The plan of `spec` (which must be ok), with the rig.toml [run] settings
// applied. Diagnostics of lowering go to the session; nullopt on error.
std::optional<plan::Plan> lowerSpec(Session& session, CheckedSpec& spec);

}  // namespace rig::driver

#endif
