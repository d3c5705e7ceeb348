// The AST of a rig file: plain data, each node with its source range. Built
// by compiler/parse, read by sema, lint and lower. Nothing here knows ANTLR.
#ifndef RIG_COMPILER_AST_AST_H
#define RIG_COMPILER_AST_AST_H

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "compiler/base/source.h"
#include "llvm/Support/raw_ostream.h"

namespace rig::ast {

struct Expr;
struct Stmt;
using ExprPtr = std::unique_ptr<Expr>;
using StmtPtr = std::unique_ptr<Stmt>;

// ---- Expressions -------------------------------------------------------------

enum class ExprKind : uint8_t {
  Null,
  Bool,      // boolValue
  Int,       // intValue
  Float,     // floatValue
  Duration,  // floatValue = milliseconds
  Size,      // intValue = bytes
  String,    // parts (literal text and `${expr}`), escapes already decoded
  Ident,     // name
  List,      // operands = elements
  Object,    // entries
  Unary,     // op ("-", "not"), operands[0]
  Binary,    // op ("+", "==", "and", "in", "not in", "=~", ...), operands[0..1]
  If,        // `if C then A else B`: operands[0..2]
  Member,    // operands[0].name
  Index,     // operands[0][operands[1]]
  Call,      // operands[0](args): callee is an Ident (builtin, fn) or a
             // Member (machine operation `m.succeed`, module fn `common.f`)
  ListFor,   // `[for name in operands[0] if operands[2]: operands[1]]`;
             // operands[2] only with a filter; name bound in 1 and 2
};

struct StringPart {
  SourceRange range;
  std::string text;  // when expr is null: literal text (escapes decoded)
  ExprPtr expr;      // `${expr}`
};

struct ObjectEntry {
  SourceRange keyRange;
  std::string key;  // identifier or string key, decoded
  ExprPtr value;
};

struct Arg {
  SourceRange range;
  std::string name;  // "" for a positional argument
  SourceRange nameRange;
  ExprPtr value;
};

struct Expr {
  ExprKind kind = ExprKind::Null;
  SourceRange range;
  bool boolValue = false;
  int64_t intValue = 0;
  double floatValue = 0;
  std::string name;       // Ident name, Member field, operator
  SourceRange nameRange;  // Member: the field's range
  std::vector<StringPart> parts;
  std::vector<ExprPtr> operands;
  std::vector<ObjectEntry> entries;
  std::vector<Arg> args;
  bool tripleQuoted = false;  // String
};

// ---- Statements --------------------------------------------------------------

enum class StmtKind : uint8_t {
  Let,     // let name = expr
  Expect,  // expect expr [, message]
  Expr,    // expr
  If,      // if expr { body } else { elseBody }; `else if` = one If in elseBody
  For,     // for name in expr { body }
  Subtest,     // subtest "name" { body }: name decoded, or expr (a String
               // with `${...}`) when it interpolates
  Eventually,  // eventually [timeout] { body }
  Return,      // return [expr]
  Parallel,    // parallel { branch ... }: body = the Branch statements
  Branch,      // branch ["name"] { body }: name decoded ("" when unnamed)
};

struct Stmt {
  StmtKind kind = StmtKind::Expr;
  SourceRange range;
  std::string name;
  SourceRange nameRange;
  ExprPtr expr;
  ExprPtr message;  // Expect
  ExprPtr timeout;  // Eventually
  std::vector<StmtPtr> body;
  std::vector<StmtPtr> elseBody;
};

// ---- Node and module bodies ----------------------------------------------------

enum class ItemKind : uint8_t {
  Attr,   // name = value
  Block,  // name [label] { body }   e.g. service "x" { ... }, firewall { ... }
  // name label = value      e.g. file "/etc/x" = "...", unit "a.timer" = "..."
  Use,    // use name [{ body }]   (body: parameter assignments, Attr items)
  Param,  // param name [: type] [= value]   (module bodies only)
};

struct Item {
  ItemKind kind = ItemKind::Attr;
  SourceRange range;
  std::string name;  // attribute, block kind, module, parameter
  SourceRange nameRange;
  ExprPtr label;         // Block: a String expression, or null
  ExprPtr value;         // Attr, Param default, Block `= value`
  std::string typeName;  // Param type ("" when omitted)
  bool drop = false;     // Attr written `name -= value`: removes items
  SourceRange typeRange;
  bool hasBody = false;  // Block `{ ... }` or Use `{ ... }`
  std::vector<Item> body;
};

// ---- Declarations -------------------------------------------------------------

struct Import {
  SourceRange range;
  std::string path;  // "std/postgresql" or "./lib/common.rig"
  SourceRange pathRange;
  std::string alias;  // "" when no `as`
  SourceRange aliasRange;
};

struct Let {
  SourceRange range;
  std::string name;
  SourceRange nameRange;
  ExprPtr value;
};

struct FnParam {
  SourceRange range;
  std::string name;
  ExprPtr defaultValue;  // may be null
  SourceRange nameRange;
};

struct Fn {
  SourceRange range;
  std::string name;
  SourceRange nameRange;
  std::vector<FnParam> params;
  std::vector<StmtPtr> body;
};

struct Module {
  SourceRange range;
  std::string name;
  SourceRange nameRange;
  std::vector<Item> body;  // includes Param items
};

struct Node {
  SourceRange range;
  std::string name;
  SourceRange nameRange;
  std::vector<Item> body;
};

struct Test {
  SourceRange range;
  std::string name;  // decoded string literal
  SourceRange nameRange;
  std::vector<StmtPtr> body;
};

struct Meta {
  SourceRange range;
  std::vector<Item> body;  // Attr items: timeout, tags
};

// One parsed file. Each list is in source order.
struct File {
  FileId file = 0;
  std::vector<Import> imports;
  std::vector<Let> lets;
  std::vector<Fn> fns;
  std::vector<Module> modules;
  std::vector<Node> nodes;
  std::vector<Test> tests;
  std::vector<Meta> metas;
  // Top-level `prepare "NAME" { ... }` (steps nodes share): Block items as
  // a node body would hold them.
  std::vector<Item> prepares;
  // Statements, items and lines holding a syntax error: sema reports nothing
  // inside them (their meaning is whatever recovery made of them).
  std::vector<SourceRange> damaged;
};

// A stable, indented text dump for golden tests (ranges as line:col-line:col).
void dump(const File& file, const SourceFiles& sources, llvm::raw_ostream& os);
// The same without ranges: equal for two files that mean the same thing
// whatever their layout (what rig fmt's safety checks compare).
void dumpWithoutRanges(const File& file, const SourceFiles& sources,
                       llvm::raw_ostream& os);

}  // namespace rig::ast

#endif
