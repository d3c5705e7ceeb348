// Monotonic time in milliseconds, for deadlines and durations (never for
// wall-clock dates).
#ifndef RIG_RUNTIME_SUPPORT_CLOCK_H
#define RIG_RUNTIME_SUPPORT_CLOCK_H

#include <chrono>

namespace rig {

inline double steadyNowMs() {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace rig

#endif
