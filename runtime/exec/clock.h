// Time for the executor, behind an interface so that tests of timeouts,
// polling and `eventually` run instantly with a fake clock.
#ifndef RIG_RUNTIME_EXEC_CLOCK_H
#define RIG_RUNTIME_EXEC_CLOCK_H

namespace rig::exec {

class Clock {
 public:
  virtual ~Clock() = default;
  // Monotonic milliseconds since an arbitrary origin. Thread-safe.
  virtual double nowMs() = 0;
  virtual void sleepMs(double ms) = 0;
};

// std::chrono::steady_clock and std::this_thread::sleep_for.
Clock& systemClock();

}  // namespace rig::exec

#endif
