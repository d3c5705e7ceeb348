// The one control message of the shell port (`org.rig.shell`), which
// otherwise carries raw terminal bytes: the host's window size, so that
// full-screen programs in the guest fit the user's terminal. The host
// sends it when it attaches and on every SIGWINCH, in one write, as
//
//   ESC ] rig-winsize ; ROWS ; COLS BEL
//
// (an OSC sequence with a name no terminal uses: typed keys and terminal
// answers never look like it). The guest strips it from the input and sets
// the pty's size (TIOCSWINSZ, which sends SIGWINCH to the shell's
// foreground job). Free of LLVM: linked into the static guest.
#ifndef RIG_RUNTIME_PROTOCOL_SHELL_WIRE_H
#define RIG_RUNTIME_PROTOCOL_SHELL_WIRE_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace rig::protocol {

struct WindowSize {
  uint16_t rows = 0;
  uint16_t cols = 0;
};

std::string encodeWindowSize(WindowSize size);

// Splits the host's bytes into terminal input and window sizes. A message
// may arrive split over several reads: a possible beginning of one at the
// end of a read is held back until more bytes come or flush() is called
// (the guest flushes when the port has been quiet for a moment, so that an
// Escape key typed on its own is never held).
class ShellInputFilter {
 public:
  // Appends the terminal bytes of `data` to `input` and the sizes found to
  // `sizes`.
  void feed(const char* data, size_t size, std::string& input,
            std::vector<WindowSize>& sizes);
  // The held-back bytes, as terminal input.
  std::string flush();
  bool holding() const { return !held_.empty(); }

 private:
  std::string held_;
};

}  // namespace rig::protocol

#endif
