// One check of a document by the real front end (parse, sema, lint), kept
// for the requests that follow until the text changes.
#ifndef RIG_LSP_ANALYSIS_H
#define RIG_LSP_ANALYSIS_H

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "compiler/base/source.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/lint/lint.h"
#include "compiler/sema/sema.h"

namespace rig::lsp {

struct AnalysisOptions {
  std::string stdlibDir;
  const lint::HostFacts* hostFacts = nullptr;
  // Applies the spec's rig.toml to the emitter (lint severities); may be
  // empty.
  std::function<void(llvm::StringRef path, diag::Emitter&)> configure;
  // Imports of these files (by real path) read the text given, not the
  // disk: the editor's other open documents, saved or not. The texts must
  // outlive analyze().
  std::map<std::string, llvm::StringRef> overlays;
};

struct Analysis {
  std::unique_ptr<SourceFiles> sources;  // stable: the program points in it
  FileId file = 0;
  sema::Program program;
  std::deque<diag::Diagnostic> diagnostics;
  // Real paths of the files the document imports, directly or not (for
  // re-checking importers).
  std::vector<std::string> importedPaths;

  llvm::StringRef text() const { return sources->text(file); }
};

std::unique_ptr<Analysis> analyze(llvm::StringRef path, llvm::StringRef text,
                                  const AnalysisOptions& options);

}  // namespace rig::lsp

#endif
