// Internal to compiler/lower: shared state of one lowering.
#ifndef RIG_COMPILER_LOWER_LOWER_INTERNAL_H
#define RIG_COMPILER_LOWER_LOWER_INTERNAL_H

#include <map>

#include "compiler/lower/lower.h"

namespace rig::lower {

class CodeLowering {
 public:
  CodeLowering(const sema::Program& program,
               const std::map<FileId, uint32_t>& fileIndex)
      : program_(program), fileIndex_(fileIndex) {}

  plan::SourceLoc loc(SourceRange range) const;
  plan::Expr expr(const ast::Expr& e) const;
  plan::Stmt stmt(const ast::Stmt& s) const;
  std::vector<plan::Stmt> block(const std::vector<ast::StmtPtr>& body) const;

 private:
  plan::Expr literal(const Value& v, SourceRange range) const;
  const sema::Program& program_;
  const std::map<FileId, uint32_t>& fileIndex_;
};

}  // namespace rig::lower

#endif
