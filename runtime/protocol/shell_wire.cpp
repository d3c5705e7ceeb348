#include "runtime/protocol/shell_wire.h"

#include <cstring>

namespace rig::protocol {
namespace {

constexpr const char kPrefix[] = "\x1b]rig-winsize;";
constexpr size_t kPrefixSize = sizeof kPrefix - 1;
constexpr char kEnd = '\x07';
// "65535;65535": anything longer after the prefix is not our message.
constexpr size_t kMaxBody = 11;

// "ROWS;COLS" -> a size; false when malformed or out of range.
bool parseBody(const std::string& body, WindowSize& size) {
  size_t semi = body.find(';');
  if (semi == std::string::npos || semi == 0 || semi + 1 == body.size())
    return false;
  unsigned long values[2] = {0, 0};
  const std::string parts[2] = {body.substr(0, semi), body.substr(semi + 1)};
  for (int i = 0; i < 2; ++i) {
    if (parts[i].size() > 5) return false;
    for (char c : parts[i]) {
      if (c < '0' || c > '9') return false;
      values[i] = values[i] * 10 + static_cast<unsigned long>(c - '0');
    }
    if (values[i] > 65535) return false;
  }
  size.rows = static_cast<uint16_t>(values[0]);
  size.cols = static_cast<uint16_t>(values[1]);
  return true;
}

}  // namespace

std::string encodeWindowSize(WindowSize size) {
  return std::string(kPrefix) + std::to_string(size.rows) + ";" +
         std::to_string(size.cols) + kEnd;
}

void ShellInputFilter::feed(const char* data, size_t size, std::string& input,
                            std::vector<WindowSize>& sizes) {
  std::string text = std::move(held_);
  held_.clear();
  text.append(data, size);
  size_t i = 0;
  while (i < text.size()) {
    size_t esc = text.find('\x1b', i);
    if (esc == std::string::npos) {
      input.append(text, i, std::string::npos);
      return;
    }
    input.append(text, i, esc - i);
    size_t rest = text.size() - esc;
    size_t compare = rest < kPrefixSize ? rest : kPrefixSize;
    if (std::memcmp(text.data() + esc, kPrefix, compare) != 0) {
      input += '\x1b';  // some other escape sequence: terminal input
      i = esc + 1;
      continue;
    }
    if (rest < kPrefixSize) {  // the beginning of a message, maybe
      held_ = text.substr(esc);
      return;
    }
    size_t bodyStart = esc + kPrefixSize;
    size_t end = text.find(kEnd, bodyStart);
    if (end == std::string::npos) {
      if (text.size() - bodyStart <= kMaxBody) {
        held_ = text.substr(esc);
        return;
      }
      input += '\x1b';  // too long to be ours
      i = esc + 1;
      continue;
    }
    WindowSize parsed;
    std::string body = text.substr(bodyStart, end - bodyStart);
    if (body.size() <= kMaxBody && parseBody(body, parsed)) {
      sizes.push_back(parsed);
      i = end + 1;
    } else {
      input += '\x1b';
      i = esc + 1;
    }
  }
}

std::string ShellInputFilter::flush() {
  std::string out = std::move(held_);
  held_.clear();
  return out;
}

}  // namespace rig::protocol
