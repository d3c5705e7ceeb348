#include "lsp/transport.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>

#include "llvm/ADT/StringExtras.h"

namespace rig::lsp {

std::optional<std::string> Framer::next() {
  while (true) {
    size_t end = buffer_.find("\r\n\r\n");
    if (end == std::string::npos) return std::nullopt;
    llvm::StringRef headers(buffer_.data(), end);
    std::optional<size_t> length;
    llvm::SmallVector<llvm::StringRef, 4> lines;
    headers.split(lines, "\r\n");
    for (llvm::StringRef line : lines) {
      auto [name, value] = line.split(':');
      size_t n = 0;
      if (name.trim().equals_insensitive("content-length") &&
          !value.trim().getAsInteger(10, n))
        length = n;
    }
    size_t bodyStart = end + 4;
    if (!length) {
      ++malformed_;
      buffer_.erase(0, bodyStart);
      continue;
    }
    if (buffer_.size() < bodyStart + *length) return std::nullopt;
    std::string body = buffer_.substr(bodyStart, *length);
    buffer_.erase(0, bodyStart + *length);
    return body;
  }
}

std::string frame(const llvm::json::Value& message) {
  std::string body;
  llvm::raw_string_ostream os(body);
  os << message;
  os.flush();
  return "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

Transport::Read Transport::read(std::string& body, int timeoutMs) {
  while (true) {
    if (std::optional<std::string> next = framer_.next()) {
      body = std::move(*next);
      return Read::Message;
    }
    if (closed_) return Read::Closed;
    pollfd p{in_, POLLIN, 0};
    int ready = ::poll(&p, 1, timeoutMs);
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) return Read::Timeout;
    char chunk[65536];
    ssize_t n = ::read(in_, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      closed_ = true;
      continue;
    }
    framer_.feed(llvm::StringRef(chunk, static_cast<size_t>(n)));
  }
}

void Transport::send(const llvm::json::Value& message) {
  std::string bytes = frame(message);
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(out_, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the client is gone; exit comes with end of input
    done += static_cast<size_t>(n);
  }
}

}  // namespace rig::lsp
