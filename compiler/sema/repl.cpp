// Statements typed at `rig repl`, checked against the suite's scope.
#include "compiler/sema/checker.h"

namespace rig::sema {

struct ReplScope::Impl {
  llvm::StringMap<Binding> names;
};

ReplScope::ReplScope() : impl(std::make_unique<Impl>()) {}
ReplScope::~ReplScope() = default;

bool checkStatements(Program& program, SourceFiles& sources,
                     const Options& options,
                     const std::vector<ast::StmtPtr>& statements,
                     ReplScope& scope, diag::Emitter& emitter) {
  unsigned errorsBefore = emitter.errorCount();
  Checker checker(sources, options, emitter, program);
  Scope file;
  file.unit = &program.suite();
  // The earlier inputs' lets are locals of one long test body.
  Scope body{&file, nullptr, false, scope.impl->names};
  checker.checkBlock(statements, body);
  if (emitter.errorCount() != errorsBefore) return false;
  scope.impl->names = std::move(body.names);
  return true;
}

}  // namespace rig::sema
