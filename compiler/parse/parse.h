// Phase entry: source text -> AST. The only code that includes ANTLR lives in
// compiler/parse/*.cpp; nothing ANTLR leaves it.
#ifndef RIG_COMPILER_PARSE_PARSE_H
#define RIG_COMPILER_PARSE_PARSE_H

#include "compiler/ast/ast.h"
#include "compiler/base/source.h"
#include "compiler/diag/diagnostic.h"

namespace rig::parse {

// Parses one file of `sources`. Syntax errors are reported to `emitter`
// (several per file, with recovery); the returned AST holds whatever could be
// built and is safe to walk even when errors were reported.
ast::File parseFile(FileId file, const SourceFiles& sources,
                    diag::Emitter& emitter);

// Parses one file of `sources` as a sequence of statements, as in a test
// body (what `rig repl` reads). Same error handling as parseFile.
std::vector<ast::StmtPtr> parseStatements(FileId file,
                                          const SourceFiles& sources,
                                          diag::Emitter& emitter);

}  // namespace rig::parse

#endif
