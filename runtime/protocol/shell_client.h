// The host side of rig-guest's shell port (`org.rig.shell`, raw terminal
// bytes; runtime/guest/shell.h): attaches a terminal to a root shell in the
// guest, for `m.shell()` and rig-agent-cli.
#ifndef RIG_RUNTIME_PROTOCOL_SHELL_CLIENT_H
#define RIG_RUNTIME_PROTOCOL_SHELL_CLIENT_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace rig::protocol {

// The byte that detaches (Ctrl-], as in telnet).
inline constexpr char kShellDetachByte = 0x1d;

// Connects to QEMU's chardev socket for the shell port (retrying for
// `connectTimeoutMs`) and relays `inFd` -> guest and guest -> `outFd` until
// the user types Ctrl-], the guest side closes, or `inFd` has ended and the
// guest has been quiet for 2 s. When `inFd`
// is a terminal it is put in raw mode and restored afterwards, and its size
// is sent to the guest on attach and on every SIGWINCH (shell_wire.h; the
// SIGWINCH handler is this function's while it runs).
llvm::Error attachShell(llvm::StringRef socketPath, int inFd, int outFd,
                        double connectTimeoutMs = 10'000);

}  // namespace rig::protocol

#endif
