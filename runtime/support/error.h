// An llvm::Error that is only a message: what rig's runtime returns when
// something fails for a reason a user reads (no error code to act on).
#ifndef RIG_RUNTIME_SUPPORT_ERROR_H
#define RIG_RUNTIME_SUPPORT_ERROR_H

#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"

namespace rig {

// Not through a C string (createStringError's way): a console tail in the
// message may hold NUL bytes (SeaBIOS writes some), which would cut it there.
inline llvm::Error failure(const llvm::Twine& message) {
  return llvm::make_error<llvm::StringError>(message.str(),
                                             llvm::inconvertibleErrorCode());
}

}  // namespace rig

#endif
