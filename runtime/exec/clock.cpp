#include "runtime/exec/clock.h"

#include <chrono>
#include <thread>

#include "runtime/support/clock.h"

namespace rig::exec {
namespace {

class SystemClock : public Clock {
 public:
  double nowMs() override { return steadyNowMs(); }
  void sleepMs(double ms) override {
    if (ms > 0)
      std::this_thread::sleep_for(
          std::chrono::duration<double, std::milli>(ms));
  }
};

}  // namespace

Clock& systemClock() {
  static SystemClock clock;
  return clock;
}

}  // namespace rig::exec
