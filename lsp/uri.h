// file:// URIs <-> paths (RFC 3986 percent-encoding).
#ifndef RIG_LSP_URI_H
#define RIG_LSP_URI_H

#include <string>

#include "llvm/ADT/StringRef.h"

namespace rig::lsp {

std::string uriToPath(llvm::StringRef uri);  // "" when not a file: URI
std::string pathToUri(llvm::StringRef path);

}  // namespace rig::lsp

#endif
