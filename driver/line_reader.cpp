#include "driver/line_reader.h"

#include <histedit.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

#include "runtime/support/utf8.h"

namespace rig::driver {
namespace {

class EditLineReader : public LineReader {
 public:
  EditLineReader(std::string historyPath, std::atomic<bool>& interrupt)
      : historyPath_(std::move(historyPath)), interrupt_(interrupt) {
    editLine_ = el_init("rig", stdin, stdout, stderr);
    history_ = history_init();
    HistEvent event;
    history(history_, &event, H_SETSIZE, 1000);
    history(history_, &event, H_SETUNIQUE, 1);
    if (!historyPath_.empty())
      history(history_, &event, H_LOAD, historyPath_.c_str());
    el_set(editLine_, EL_CLIENTDATA, this);
    el_set(editLine_, EL_PROMPT, &EditLineReader::promptOf);
    el_set(editLine_, EL_EDITOR, "emacs");
    el_set(editLine_, EL_HIST, history, history_);
    el_wset(editLine_, EL_GETCFN, &EditLineReader::readKey);
    el_source(editLine_, nullptr);  // ~/.editrc, as other libedit programs
  }
  ~EditLineReader() override {
    el_end(editLine_);
    history_end(history_);
  }

  Result read(const std::string& prompt) override {
    prompt_ = prompt;
    interrupt_ = false;  // a Ctrl-C that ended a running input
    interrupted_ = false;
    int count = 0;
    const char* line = el_gets(editLine_, &count);
    if (!line && count < 0 && interrupted_) {
      interrupted_ = false;
      return {Status::Interrupted, ""};
    }
    if (!line) return {Status::End, ""};
    std::string text(line, size_t(count));
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
      text.pop_back();
    return {Status::Line, std::move(text)};
  }

  void remember(const std::string& input) override {
    HistEvent event;
    history(history_, &event, H_ENTER, input.c_str());
    // Saved at once: a session that is killed keeps its history.
    if (!historyPath_.empty())
      history(history_, &event, H_SAVE, historyPath_.c_str());
  }

 private:
  // libedit's prompt function type returns a non-const char*; it only reads.
  static char* promptOf(EditLine* el) {
    void* self = nullptr;
    el_get(el, EL_CLIENTDATA, &self);
    return static_cast<EditLineReader*>(self)->prompt_.data();
  }

  // One byte of the terminal: 1, 0 at its end, -1 on an error or when
  // interrupted. The SIGINT handler interrupts read() (it has no
  // SA_RESTART) after setting the flag.
  int readByte(unsigned char& byte) {
    for (;;) {
      if (interrupt_.exchange(false)) {
        interrupted_ = true;
        errno = EINTR;
        return -1;
      }
      ssize_t n = ::read(STDIN_FILENO, &byte, 1);
      if (n == 1) return 1;
      if (n == 0) return 0;
      if (errno != EINTR) return -1;
    }
  }

  // One character (UTF-8 decoded) for libedit; an invalid sequence is
  // U+FFFD.
  static int readKey(EditLine* el, wchar_t* out) {
    void* data = nullptr;
    el_get(el, EL_CLIENTDATA, &data);
    auto* self = static_cast<EditLineReader*>(data);
    unsigned char lead = 0;
    if (int n = self->readByte(lead); n != 1) return n;
    char bytes[4] = {static_cast<char>(lead)};
    unsigned length = utf8::sequenceLength(lead);
    for (unsigned i = 1; i < length; ++i) {
      unsigned char next = 0;
      if (int n = self->readByte(next); n != 1) return n;
      bytes[i] = static_cast<char>(next);
    }
    uint32_t code = 0xFFFD;
    if (length == 0 ||
        utf8::decode(llvm::StringRef(bytes, length), 0, code) == 0)
      code = 0xFFFD;
    *out = wchar_t(code);
    return 1;
  }

  std::string historyPath_;
  std::atomic<bool>& interrupt_;
  bool interrupted_ = false;
  std::string prompt_;
  EditLine* editLine_ = nullptr;
  History* history_ = nullptr;
};

class PlainLineReader : public LineReader {
 public:
  PlainLineReader(int fd, int promptFd) : fd_(fd), promptFd_(promptFd) {}

  Result read(const std::string& prompt) override {
    if (promptFd_ >= 0 && !prompt.empty())
      (void)!::write(promptFd_, prompt.data(), prompt.size());
    std::string line;
    for (;;) {
      char c = 0;
      ssize_t n = ::read(fd_, &c, 1);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        if (line.empty()) return {Status::End, ""};
        break;
      }
      if (c == '\n') break;
      line += c;
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return {Status::Line, std::move(line)};
  }

 private:
  int fd_;
  int promptFd_;
};

}  // namespace

std::unique_ptr<LineReader> makeEditLineReader(const std::string& historyPath,
                                               std::atomic<bool>& interrupt) {
  return std::make_unique<EditLineReader>(historyPath, interrupt);
}

std::unique_ptr<LineReader> makePlainLineReader(int fd, int promptFd) {
  return std::make_unique<PlainLineReader>(fd, promptFd);
}

LineReader::Result ListLineReader::read(const std::string& prompt) {
  prompts.push_back(prompt);
  if (lines_.empty()) return {Status::End, ""};
  std::string line = std::move(lines_.front());
  lines_.pop_front();
  return {Status::Line, std::move(line)};
}

}  // namespace rig::driver
