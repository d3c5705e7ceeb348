#include "compiler/diag/render.h"

#include <gtest/gtest.h>

#include "llvm/Support/JSON.h"

namespace rig::diag {
namespace {

std::string text(const Emitter& e, const SourceFiles& s, RenderOptions o = {}) {
  std::string out;
  llvm::raw_string_ostream os(out);
  renderText(e.diagnostics(), s, os, o);
  return os.str();
}

TEST(RenderText, CaretNoteAndHelp) {
  SourceFiles sources;
  FileId f = sources.add("a.rig", "let x = 1\nlet y = wait_for_port\n");
  Emitter e;
  e.emit({f, 18, 31}, Kind::UnknownName, "wait_for_port")
      .note({f, 4, 5}, "declared here")
      .withHelp("did you mean `wait_for_open_port`?");
  EXPECT_EQ(text(e, sources),
            "a.rig:2:9: error: unknown name `wait_for_port` [E0200]\n"
            " 2 | let y = wait_for_port\n"
            "   |         ^~~~~~~~~~~~~\n"
            "a.rig:1:5: note: declared here\n"
            " 1 | let x = 1\n"
            "   |     ^\n"
            "help: did you mean `wait_for_open_port`?\n");
}

TEST(RenderText, TabsExpandAndCaretFollows) {
  SourceFiles sources;
  FileId f = sources.add("t.rig", "\tlet\tx = oops\n");
  Emitter e;
  e.emit({f, 9, 13}, Kind::UnknownName, "oops");
  EXPECT_EQ(text(e, sources),
            "t.rig:1:10: error: unknown name `oops` [E0200]\n"
            " 1 |     let x = oops\n"
            "   |             ^~~~\n");
}

TEST(RenderText, InvalidUtf8AndControlCharactersAreReplaced) {
  SourceFiles sources;
  FileId f = sources.add("u.rig", "a\xff\x01 b\n");
  Emitter e;
  e.emit({f, 4, 5}, Kind::UnknownName, "b");
  EXPECT_EQ(text(e, sources),
            "u.rig:1:5: error: unknown name `b` [E0200]\n"
            " 1 | a\xEF\xBF\xBD\xEF\xBF\xBD b\n"
            "   |     ^\n");
}

TEST(RenderText, MultiByteCharactersCountOneColumn) {
  SourceFiles sources;
  FileId f = sources.add("m.rig", "let é = ✓x\n");
  Emitter e;
  e.emit({f, 12, 13}, Kind::UnknownName, "x");
  std::string out = text(e, sources);
  EXPECT_NE(out.find("   |          ^\n"), std::string::npos) << out;
}

TEST(RenderText, LongLinesShowAWindow) {
  SourceFiles sources;
  std::string line = std::string(5000, 'a') + " bad " + std::string(5000, 'b');
  FileId f = sources.add("l.rig", line + "\n");
  Emitter e;
  e.emit({f, 5001, 5004}, Kind::UnknownName, "bad");
  std::string out = text(e, sources);
  EXPECT_LT(out.size(), 400u);
  EXPECT_NE(out.find("...aaaa"), std::string::npos) << out;
  EXPECT_NE(out.find("bbbb..."), std::string::npos) << out;
  EXPECT_NE(out.find("^~~"), std::string::npos) << out;
  // The caret sits under `bad`.
  size_t lineAt = out.rfind('\n', out.find(" | ...")) + 1;
  size_t caretLine = out.find('\n', lineAt) + 1;
  size_t badCol = out.find(" bad ", lineAt) + 1 - lineAt;
  size_t caretCol = out.find('^', caretLine) - caretLine;
  EXPECT_EQ(badCol, caretCol) << out;
}

TEST(RenderText, ImportChainAndColour) {
  SourceFiles sources;
  FileId a = sources.add("a.rig", "import \"b.rig\"\n");
  FileId b = sources.add("b.rig", "let z = q\n", {a, 0, 14});
  Emitter e;
  e.emit({b, 8, 9}, Kind::UnknownName, "q");
  std::string plain = text(e, sources);
  EXPECT_EQ(
      plain.rfind("in file imported from a.rig:1:1\nb.rig:1:9: error:", 0), 0u)
      << plain;
  RenderOptions colour;
  colour.color = true;
  EXPECT_NE(text(e, sources, colour).find("\x1b[1;31merror:"),
            std::string::npos);
}

TEST(RenderText, EmptyRangeAtEndOfFile) {
  SourceFiles sources;
  FileId f = sources.add("e.rig", "node a {");
  Emitter e;
  e.emit({f, 8, 8}, Kind::SyntaxError, "expected `}`");
  EXPECT_EQ(text(e, sources),
            "e.rig:1:9: error: expected `}` [E0100]\n"
            " 1 | node a {\n"
            "   |         ^\n");
}

TEST(RenderJson, Fields) {
  SourceFiles sources;
  FileId f = sources.add("a.rig", "let x = y\n");
  Emitter e;
  e.emit({f, 8, 9}, Kind::UnknownName, "y")
      .note({f, 0, 3}, "here")
      .withHelp("h");
  std::string out;
  llvm::raw_string_ostream os(out);
  renderJson(e.diagnostics(), sources, os);
  auto parsed = llvm::json::parse(os.str());
  ASSERT_TRUE(bool(parsed)) << llvm::toString(parsed.takeError());
  const llvm::json::Object& d = *parsed->getAsArray()->front().getAsObject();
  EXPECT_EQ(*d.getString("file"), "a.rig");
  EXPECT_EQ(*d.getInteger("line"), 1);
  EXPECT_EQ(*d.getInteger("col"), 9);
  EXPECT_EQ(*d.getInteger("endLine"), 1);
  EXPECT_EQ(*d.getInteger("endCol"), 10);
  EXPECT_EQ(*d.getString("severity"), "error");
  EXPECT_EQ(*d.getString("code"), "E0200");
  EXPECT_EQ(*d.getString("name"), "UnknownName");
  EXPECT_EQ(*d.getString("message"), "unknown name `y`");
  EXPECT_EQ(*d.getString("help"), "h");
  EXPECT_EQ(d.getArray("notes")->size(), 1u);
}

TEST(RenderSarif, Shape) {
  SourceFiles sources;
  FileId f = sources.add("a.rig", "let x = y\n");
  Emitter e;
  e.emit({f, 8, 9}, Kind::UnusedLet, "x");
  std::string out;
  llvm::raw_string_ostream os(out);
  renderSarif(e.diagnostics(), sources, os);
  auto parsed = llvm::json::parse(os.str());
  ASSERT_TRUE(bool(parsed));
  const llvm::json::Object& root = *parsed->getAsObject();
  EXPECT_EQ(*root.getString("version"), "2.1.0");
  const llvm::json::Object& run = *root.getArray("runs")->front().getAsObject();
  const llvm::json::Object& driver =
      *run.getObject("tool")->getObject("driver");
  EXPECT_EQ(driver.getArray("rules")->size(), allKinds().size());
  const llvm::json::Object& result =
      *run.getArray("results")->front().getAsObject();
  EXPECT_EQ(*result.getString("ruleId"), "L0001");
  EXPECT_EQ(*result.getString("level"), "warning");
  const llvm::json::Object& rule =
      *(*driver.getArray("rules"))[*result.getInteger("ruleIndex")]
           .getAsObject();
  EXPECT_EQ(*rule.getString("name"), "unused-let");
}

TEST(RenderGithub, EscapesAndFields) {
  SourceFiles sources;
  FileId f = sources.add("dir,x/a.rig", "let x = y\n");
  Emitter e;
  e.emit({f, 8, 9}, Kind::UnknownName, "y").withHelp("100% sure");
  std::string out;
  llvm::raw_string_ostream os(out);
  renderGithub(e.diagnostics(), sources, os);
  EXPECT_EQ(os.str(),
            "::error file=dir%2Cx/a.rig,line=1,col=9,endLine=1,endColumn=10,"
            "title=E0200::unknown name `y`%0Ahelp: 100%25 sure\n");
}

TEST(RenderFormat, Names) {
  EXPECT_EQ(parseFormat("sarif"), Format::Sarif);
  EXPECT_EQ(parseFormat("xml"), std::nullopt);
}

}  // namespace
}  // namespace rig::diag
