// Where `rig repl` reads its input: libedit on a terminal (line editing,
// persistent history), plain lines otherwise (scripts, tests), or a list of
// lines (unit tests). Internal to driver.
#ifndef RIG_DRIVER_LINE_READER_H
#define RIG_DRIVER_LINE_READER_H

#include <atomic>
#include <deque>
#include <memory>
#include <optional>
#include <string>

namespace rig::driver {

class LineReader {
 public:
  enum class Status { Line, Interrupted, End };
  struct Result {
    Status status = Status::End;
    std::string line;  // without its line break
  };
  virtual ~LineReader() = default;
  // Shows `prompt` and reads one line. Interrupted: Ctrl-C (the line typed
  // so far is dropped). End: end of input (Ctrl-D).
  virtual Result read(const std::string& prompt) = 0;
  // Remembers a complete input for history (up arrow, the history file).
  virtual void remember(const std::string& input) {}
};

// libedit (emacs key bindings, ~/.editrc) on the terminal `fd` 0/1/2.
// History is loaded from and saved to `historyPath` ("" = none). Ctrl-C is
// reported when `interrupt` becomes true while waiting for a key (the
// SIGINT handler of `rig repl` sets it); the reader clears it.
std::unique_ptr<LineReader> makeEditLineReader(const std::string& historyPath,
                                               std::atomic<bool>& interrupt);

// Lines from file descriptor `fd`, read byte by byte so that nothing after
// the line is consumed (a shell attached later reads the rest). The prompt
// is written to `promptFd` when it is >= 0.
std::unique_ptr<LineReader> makePlainLineReader(int fd, int promptFd);

// Lines from a list (unit tests); End after the last.
class ListLineReader : public LineReader {
 public:
  explicit ListLineReader(std::deque<std::string> lines)
      : lines_(std::move(lines)) {}
  Result read(const std::string& prompt) override;
  void remember(const std::string& input) override {
    remembered.push_back(input);
  }
  std::deque<std::string> remembered;
  std::deque<std::string> prompts;

 private:
  std::deque<std::string> lines_;
};

}  // namespace rig::driver

#endif
