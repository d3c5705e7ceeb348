// The answers to LSP requests, from one Analysis (and the last one that
// parsed, for completion while the text is broken). Results are LSP JSON.
#ifndef RIG_LSP_FEATURES_H
#define RIG_LSP_FEATURES_H

#include <string>

#include "llvm/Support/JSON.h"
#include "lsp/analysis.h"

namespace rig::lsp {

// publishDiagnostics' `diagnostics`: errors and lints with codes, notes as
// related information, problems in imported files shown at the import.
llvm::json::Array diagnosticsOf(const Analysis& a, llvm::StringRef uri);

llvm::json::Array documentSymbols(const Analysis& a);
llvm::json::Value definition(const Analysis& a, uint32_t offset);
llvm::json::Array references(const Analysis& a, uint32_t offset,
                             bool includeDeclaration);
llvm::json::Value hover(const Analysis& a, uint32_t offset);
// `good`: the latest analysis whose file parsed (may be `a`, or null).
llvm::json::Array completion(const Analysis& a, const Analysis* good,
                             uint32_t offset);
llvm::json::Array codeActions(const Analysis& a, llvm::StringRef uri,
                              uint32_t begin, uint32_t end);
llvm::json::Value signatureHelp(const Analysis& a, uint32_t offset);

}  // namespace rig::lsp

#endif
