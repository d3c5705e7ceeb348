// JSON-RPC 2.0 messages with LSP's base protocol framing
// (`Content-Length: N\r\n\r\n` + N bytes of JSON) over two file descriptors.
#ifndef RIG_LSP_TRANSPORT_H
#define RIG_LSP_TRANSPORT_H

#include <optional>
#include <string>

#include "llvm/Support/JSON.h"

namespace rig::lsp {

// Splits a byte stream into message bodies. Separate from the descriptors
// so the framing is unit-tested on strings.
class Framer {
 public:
  void feed(llvm::StringRef bytes) {
    buffer_.append(bytes.data(), bytes.size());
  }
  // The next complete body, if one is buffered. A header block without a
  // valid Content-Length is skipped (and counted in malformed()).
  std::optional<std::string> next();
  unsigned malformed() const { return malformed_; }

 private:
  std::string buffer_;
  unsigned malformed_ = 0;
};

std::string frame(const llvm::json::Value& message);

class Transport {
 public:
  Transport(int in, int out) : in_(in), out_(out) {}

  enum class Read { Message, Timeout, Closed };
  // Waits up to `timeoutMs` (negative: forever) for the next message body.
  Read read(std::string& body, int timeoutMs);
  void send(const llvm::json::Value& message);

 private:
  int in_, out_;
  Framer framer_;
  bool closed_ = false;
};

}  // namespace rig::lsp

#endif
