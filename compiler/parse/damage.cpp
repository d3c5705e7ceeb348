// The parts of a file that a syntax error damaged (ast::File::damaged): sema
// reports nothing inside them, so one stray `"` gives its syntax error and
// not a follow-on "unknown name" for each word recovery turned into code.
#include "compiler/parse/parse_internal.h"

namespace rig::parse {

namespace {

bool isSyntaxError(diag::Kind kind) {
  switch (kind) {
    case diag::Kind::SyntaxError:
    case diag::Kind::UnterminatedString:
    case diag::Kind::UnexpectedCharacter:
    case diag::Kind::UnknownDeclaration:
    case diag::Kind::UnexpectedToken:
    case diag::Kind::UnclosedDelimiter:
    case diag::Kind::ExpectedExpression: return true;
    default: return false;
  }
}

bool contains(SourceRange r, uint32_t offset) {
  return r.begin <= offset && offset < r.end;
}

// The innermost statement of `body` holding `offset`, or null.
const ast::Stmt* innermost(const std::vector<ast::StmtPtr>& body,
                           uint32_t offset) {
  for (const ast::StmtPtr& s : body) {
    if (!s || !contains(s->range, offset)) continue;
    if (const ast::Stmt* inner = innermost(s->body, offset)) return inner;
    if (const ast::Stmt* inner = innermost(s->elseBody, offset)) return inner;
    return s.get();
  }
  return nullptr;
}

const ast::Item* innermostItem(const std::vector<ast::Item>& body,
                               uint32_t offset) {
  for (const ast::Item& item : body) {
    if (!contains(item.range, offset)) continue;
    if (const ast::Item* inner = innermostItem(item.body, offset)) return inner;
    return &item;
  }
  return nullptr;
}

// The line of `offset`, without its line break.
SourceRange lineOf(FileId file, llvm::StringRef text, uint32_t offset) {
  size_t begin = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  begin = begin == llvm::StringRef::npos || offset == 0 ? 0 : begin + 1;
  size_t end = text.find('\n', offset);
  if (end == llvm::StringRef::npos) end = text.size();
  return {file, static_cast<uint32_t>(begin), static_cast<uint32_t>(end)};
}

}  // namespace

void markDamaged(ast::File& file, const SourceFiles& sources,
                 const diag::Emitter& emitter) {
  llvm::StringRef text = sources.text(file.file);
  for (const diag::Diagnostic& d : emitter.diagnostics()) {
    if (!isSyntaxError(d.kind) || d.range.file != file.file) continue;
    uint32_t at = d.range.begin;
    // The error's line: recovery often turns the rest of it into statements
    // of their own (`echo "a" b"` -> a string, then the name `b`).
    file.damaged.push_back(lineOf(file.file, text, at));
    const ast::Stmt* stmt = nullptr;
    for (const ast::Test& t : file.tests)
      if (!stmt) stmt = innermost(t.body, at);
    for (const ast::Fn& f : file.fns)
      if (!stmt) stmt = innermost(f.body, at);
    if (stmt) {
      file.damaged.push_back(stmt->range);
      continue;
    }
    const ast::Item* item = nullptr;
    for (const ast::Node& n : file.nodes)
      if (!item) item = innermostItem(n.body, at);
    for (const ast::Module& m : file.modules)
      if (!item) item = innermostItem(m.body, at);
    if (item) {
      file.damaged.push_back(item->range);
      continue;
    }
    for (const ast::Let& let : file.lets)
      if (contains(let.range, at)) file.damaged.push_back(let.range);
  }
}

}  // namespace rig::parse
