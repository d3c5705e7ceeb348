// Renderers of diagnostics: text with carets (for a terminal), JSON, SARIF
// 2.1.0 (code scanning) and GitHub workflow commands (annotations).
#ifndef RIG_COMPILER_DIAG_RENDER_H
#define RIG_COMPILER_DIAG_RENDER_H

#include <deque>
#include <optional>
#include <string>

#include "compiler/base/source.h"
#include "compiler/diag/diagnostic.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

namespace rig::diag {

enum class Format { Text, Json, Sarif, Github };
// "text", "json", "sarif", "github".
std::optional<Format> parseFormat(llvm::StringRef name);

struct RenderOptions {
  bool color = false;           // ANSI colours (text only)
  unsigned tabWidth = 4;        // tab stops in the source snippet
  unsigned maxLineWidth = 120;  // longer source lines are cut around the caret
  std::string toolVersion = "0.1.0";  // SARIF tool.driver.version
};

// Text: for each diagnostic, `in file imported from a.rig:3:1` lines for an
// imported file, then `file:line:col: error: message [E0100]`, the source
// line with a caret range, each note in the same form, and `help: ...`.
void renderText(const std::deque<Diagnostic>& diags, const SourceFiles& sources,
                llvm::raw_ostream& os, const RenderOptions& options = {});
// JSON: an array of {file, line, col, endLine, endCol, severity, code, name,
// message, notes: [{file, line, col, endLine, endCol, message}], help}.
void renderJson(const std::deque<Diagnostic>& diags, const SourceFiles& sources,
                llvm::raw_ostream& os, const RenderOptions& options = {});
// SARIF 2.1.0: one run; rules are every kind (lints by their lint name).
void renderSarif(const std::deque<Diagnostic>& diags,
                 const SourceFiles& sources, llvm::raw_ostream& os,
                 const RenderOptions& options = {});
// GitHub: `::error file=F,line=L,col=C,endLine=L,endColumn=C,title=CODE::msg`.
void renderGithub(const std::deque<Diagnostic>& diags,
                  const SourceFiles& sources, llvm::raw_ostream& os,
                  const RenderOptions& options = {});

void render(Format format, const std::deque<Diagnostic>& diags,
            const SourceFiles& sources, llvm::raw_ostream& os,
            const RenderOptions& options = {});

}  // namespace rig::diag

#endif
