#include "lsp/uri.h"

#include "llvm/ADT/StringExtras.h"

namespace rig::lsp {

std::string uriToPath(llvm::StringRef uri) {
  if (!uri.consume_front("file://")) return "";
  std::string path;
  for (size_t i = 0; i < uri.size(); ++i) {
    if (uri[i] == '%' && i + 2 < uri.size() && llvm::isHexDigit(uri[i + 1]) &&
        llvm::isHexDigit(uri[i + 2])) {
      path += static_cast<char>(llvm::hexFromNibbles(uri[i + 1], uri[i + 2]));
      i += 2;
    } else {
      path += uri[i];
    }
  }
  return path;
}

std::string pathToUri(llvm::StringRef path) {
  std::string uri = "file://";
  for (char c : path) {
    if (llvm::isAlnum(c) || llvm::StringRef("/-._~").contains(c)) {
      uri += c;
    } else {
      uri += '%';
      uri += llvm::hexdigit((static_cast<unsigned char>(c) >> 4) & 0xF, false);
      uri += llvm::hexdigit(static_cast<unsigned char>(c) & 0xF, false);
    }
  }
  return uri;
}

}  // namespace rig::lsp
