// Hostile input for the parser: truncated and mutated versions of every
// spec in the repository, pathological nesting, huge lines, invalid UTF-8,
// binary data. Each must end in diagnostics or success, never a crash, and
// rendering the diagnostics and dumping the AST must not crash either.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/diag/render.h"
#include "compiler/parse/parse.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

namespace rig {
namespace {

struct Result {
  bool hasErrors;
  unsigned diagnostics;
};

// Parses `text`, renders every diagnostic in every format and dumps the AST.
Result parseText(const std::string& text, bool render = true) {
  SourceFiles sources;
  FileId file = sources.add("input.rig", text);
  diag::Emitter emitter;
  ast::File ast = parse::parseFile(file, sources, emitter);
  if (render) {
    std::string out;
    llvm::raw_string_ostream os(out);
    diag::renderText(emitter.diagnostics(), sources, os);
    diag::renderJson(emitter.diagnostics(), sources, os);
    diag::renderGithub(emitter.diagnostics(), sources, os);
    ast::dump(ast, sources, os);
  }
  return {emitter.hasErrors(),
          static_cast<unsigned>(emitter.diagnostics().size())};
}

std::vector<std::string> corpusFiles() {
  std::vector<std::string> files;
  for (const char* dir : {"tests", "examples", "stdlib"}) {
    std::string root = std::string(RIG_SOURCE_DIR) + "/" + dir;
    std::error_code ec;
    for (llvm::sys::fs::recursive_directory_iterator it(root, ec), end;
         it != end && !ec; it.increment(ec))
      if (llvm::StringRef(it->path()).endswith(".rig"))
        files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string readFile(const std::string& path) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  return buffer ? (*buffer)->getBuffer().str() : std::string();
}

TEST(ParseRobustness, CorpusIsNotEmpty) {
  EXPECT_GE(corpusFiles().size(), 10u);
}

TEST(ParseRobustness, Truncations) {
  for (const std::string& path : corpusFiles()) {
    std::string text = readFile(path);
    // Every prefix of small files; about 100 prefixes of larger ones.
    size_t step = std::max<size_t>(1, text.size() / 100);
    for (size_t n = 0; n <= text.size(); n += step) {
      SCOPED_TRACE(path + " truncated to " + std::to_string(n));
      parseText(text.substr(0, n), /*render=*/n % (step * 10) == 0);
    }
  }
}

TEST(ParseRobustness, Mutations) {
  std::mt19937 rng(20261125);  // deterministic
  const std::string specials = "{}[]()\"$\\#,=.:;\n\t -+*/%<>!~`'@\x80\xff";
  for (const std::string& path : corpusFiles()) {
    std::string text = readFile(path);
    if (text.empty()) continue;
    for (int i = 0; i < 60; ++i) {
      std::string m = text;
      size_t at = rng() % m.size();
      switch (rng() % 5) {
        case 0: m[at] = static_cast<char>(m[at] ^ (1u << (rng() % 8))); break;
        case 1: m.erase(at, 1 + rng() % 16); break;
        case 2: {
          size_t len = std::min<size_t>(1 + rng() % 64, m.size() - at);
          m.insert(rng() % m.size(), m.substr(at, len));
          break;
        }
        case 3: m.insert(at, 1, specials[rng() % specials.size()]); break;
        case 4: m[at] = specials[rng() % specials.size()]; break;
      }
      SCOPED_TRACE(path + " mutation " + std::to_string(i));
      parseText(m, /*render=*/i % 10 == 0);
    }
  }
}

std::string repeat(const std::string& s, size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

constexpr size_t kDeep = 100000;
// Chains that are loops in the parser (and only deep in the AST) are slower
// per element; 20000 is far past every limit already.
constexpr size_t kLong = 20000;

TEST(ParseRobustness, DeepNesting) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"let x = " + repeat("[", kDeep), "brackets"},
      {"let x = " + repeat("(", kDeep), "parentheses"},
      {"let x = " + repeat("{", kDeep), "braces in an expression"},
      {repeat("{", kDeep), "braces at the top level"},
      {"node n " + repeat("{ a ", kDeep), "blocks"},
      {"test \"t\" { " + repeat("if x { ", kLong), "if statements"},
      {"test \"t\" { if x { } " + repeat("else if x { } ", kLong) + "}",
       "else-if chain"},
      {"let x = " + repeat("\"${", kDeep), "interpolations"},
      {"let x = " + repeat("-", kLong) + "1", "unary minus"},
      {"let x = " + repeat("not ", kLong) + "a", "not"},
      {"let x = " + repeat("if a then b else ", kLong) + "c", "if expressions"},
      {"let x = a" + repeat(".b", kLong), "member chain"},
      {"let x = a" + repeat(" + a", kLong), "binary chain"},
      {"let x = f" + repeat("(1)", kLong), "call chain"},
      {"let x = " + repeat("[", kDeep) + repeat("]", kDeep), "balanced"},
  };
  for (const auto& [text, name] : cases) {
    SCOPED_TRACE(name);
    Result r = parseText(text);
    EXPECT_TRUE(r.hasErrors) << name;
  }
}

TEST(ParseRobustness, HugeLines) {
  std::string big(1 << 20, 'a');
  EXPECT_FALSE(parseText("let x = \"" + big + "\"\n").hasErrors);
  EXPECT_FALSE(parseText("let " + big + " = 1\n").hasErrors);
  EXPECT_FALSE(parseText("# " + big + "\nlet x = 1\n").hasErrors);
  EXPECT_FALSE(parseText("let x = \"\"\"\n" + big + "\n\"\"\"\n").hasErrors);
  EXPECT_TRUE(parseText("let x = " + std::string(1 << 20, '@')).hasErrors);
  EXPECT_TRUE(
      parseText("let x = " + std::string(1 << 20, '9') + "\n").hasErrors);
  // Many nodes on one long line: locating each must not rescan the line.
  std::string many = "let x = [";
  for (int i = 0; i < 200000; ++i) many += "1,";
  EXPECT_FALSE(parseText(many + "]\n").hasErrors);
  // An error far into a long line renders a window, not a megabyte.
  SourceFiles sources;
  FileId file = sources.add("long.rig", "let x = \"" + big + "\" )\n");
  diag::Emitter emitter;
  parse::parseFile(file, sources, emitter);
  ASSERT_TRUE(emitter.hasErrors());
  std::string out;
  llvm::raw_string_ostream os(out);
  diag::renderText(emitter.diagnostics(), sources, os);
  EXPECT_LT(out.size(), 2000u) << out;
}

TEST(ParseRobustness, EncodingAndBinary) {
  EXPECT_FALSE(parseText("").hasErrors);
  EXPECT_FALSE(parseText("\n\n  # only a comment").hasErrors);
  EXPECT_TRUE(parseText("let s = \"\xff\xfe\xc3\"").hasErrors);
  EXPECT_TRUE(parseText(std::string("let x = 1\0 2", 12)).hasErrors);
  std::mt19937 rng(7);
  std::string binary;
  for (int i = 0; i < 65536; ++i) binary.push_back(static_cast<char>(rng()));
  Result r = parseText(binary);
  EXPECT_TRUE(r.hasErrors);
  EXPECT_LT(r.diagnostics, 100u);  // capped, not one per byte
}

TEST(ParseRobustness, UnbalancedClosers) {
  EXPECT_TRUE(parseText("}}}}").hasErrors);
  EXPECT_TRUE(parseText("let x = \"${}}}\"").hasErrors);
  EXPECT_TRUE(parseText("]) }").hasErrors);
}

}  // namespace
}  // namespace rig
