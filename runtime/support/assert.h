// RIG_ASSERT(condition, why): an invariant the code relies on. Unlike
// assert() it stays on in release builds (rig builds RelWithDebInfo, which
// defines NDEBUG): the checks are cheap, and a broken invariant must stop
// rig with a message naming it, not run on into a crash or a wrong result.
#ifndef RIG_RUNTIME_SUPPORT_ASSERT_H
#define RIG_RUNTIME_SUPPORT_ASSERT_H

#include <cstdio>
#include <cstdlib>

namespace rig {

[[noreturn]] inline void assertionFailed(const char* condition, const char* why,
                                         const char* file, int line) {
  std::fprintf(stderr, "rig: internal error at %s:%d: %s (`%s` is false)\n",
               file, line, why, condition);
  std::abort();
}

}  // namespace rig

#define RIG_ASSERT(condition, why)    \
  ((condition) ? static_cast<void>(0) \
               : ::rig::assertionFailed(#condition, why, __FILE__, __LINE__))

#endif
