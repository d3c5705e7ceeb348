#include "compiler/driver/lowering.h"

namespace rig::driver {

std::optional<plan::Plan> lowerSpec(Session& session, CheckedSpec& spec) {
  // compiler/lower has not published lower.h yet.
  session.error(fmt::format("{}: lowering to a plan is not built yet",
                            spec.path));
  return std::nullopt;
}

}  // namespace rig::driver
