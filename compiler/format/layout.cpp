// Layout in four steps: read the tokens with the line breaks the author
// wrote; decide which bracket groups are "exploded" (one element per line);
// derive every token's line breaks from that; render with indentation and
// spacing. Lines still wider than the width get their outermost list
// exploded and the last two steps run again.
#include "compiler/format/layout.h"

#include <algorithm>

namespace rig::format {

namespace {

using parse::TokenKind;

struct Tok {
  TokenKind kind;
  llvm::StringRef text;
  unsigned srcBreaks = 0;   // line breaks before it in the source, capped at 2
  unsigned breaks = 0;      // in the output (0: same line, 2: blank line)
  int match = -1;           // opener <-> closer
  int owner = -1;           // the opener of the group it is in (-1: top)
  bool itemStart = false;   // a declaration, body item or statement begins
  bool object = false;      // `{` of an object
  bool deleted = false;     // a trailing comma on a one-line list
  bool commaAfter = false;  // gets a trailing comma (exploded list)
};

bool isOpener(const Tok& t) {
  return t.kind == TokenKind::Punct &&
         (t.text == "(" || t.text == "[" || t.text == "{");
}
bool isCloser(const Tok& t) {
  return t.kind == TokenKind::Punct &&
         (t.text == ")" || t.text == "]" || t.text == "}");
}
bool isPunct(const Tok& t, llvm::StringRef s) {
  return t.kind == TokenKind::Punct && t.text == s;
}
// A token after which `(` or `[` on the same line is a call or an index
// and `-` is binary (the grammar's reading).
bool endsOperand(const Tok& t) {
  switch (t.kind) {
    case TokenKind::Ident:
    case TokenKind::Number:
    case TokenKind::String: return true;
    case TokenKind::Keyword:
      return t.text == "true" || t.text == "false" || t.text == "null";
    case TokenKind::Punct: return isCloser(t);
    default: return false;
  }
}

size_t codePoints(llvm::StringRef s) {
  size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

class Layout {
 public:
  struct Line {
    unsigned indent = 0;
    std::string code;
    std::string comment;    // a trailing comment, aligned when assembled
    bool verbatim = false;  // ends inside a string: kept byte for byte
  };

  Layout(llvm::StringRef text, const std::vector<parse::Token>& tokens,
         const Structure& structure, const Options& options)
      : options_(options) {
    uint32_t prevEnd = 0;
    for (const parse::Token& t : tokens) {
      Tok tok;
      tok.kind = t.kind;
      tok.text = text.substr(t.range.begin, t.range.end - t.range.begin);
      if (tok.kind == TokenKind::Comment) tok.text = tok.text.rtrim();
      size_t newlines =
          text.substr(prevEnd, t.range.begin - prevEnd).count('\n');
      tok.srcBreaks =
          toks_.empty() ? 0
                        : static_cast<unsigned>(std::min<size_t>(newlines, 2));
      tok.itemStart = structure.itemStarts.count(t.range.begin) != 0;
      tok.object =
          tok.text == "{" && structure.objectOpeners.count(t.range.begin) != 0;
      auto top = structure.topLevel.find(t.range.begin);
      if (top != structure.topLevel.end()) topKind_[toks_.size()] = top->second;
      toks_.push_back(tok);
      prevEnd = t.range.end;
    }
  }

  bool run(std::string& out, std::string& problem) {
    if (!nest(problem)) return false;
    readSource();
    exploded_.assign(toks_.size(), false);
    for (size_t i = 0; i < toks_.size(); ++i)
      if (isOpener(toks_[i]))
        exploded_[i] = brokenInSource(static_cast<int>(i));
    // Each round explodes one more group; there are finitely many.
    for (size_t round = 0; round <= toks_.size(); ++round) {
      decideBreaks();
      render();
      int group = groupToWrap();
      if (group < 0) break;
      exploded_[group] = true;
    }
    out = assemble();
    return true;
  }

 private:
  // Matches brackets; sets match and owner.
  bool nest(std::string& problem) {
    std::vector<int> stack;
    for (size_t i = 0; i < toks_.size(); ++i) {
      Tok& t = toks_[i];
      t.owner = stack.empty() ? -1 : stack.back();
      if (isOpener(t)) {
        stack.push_back(static_cast<int>(i));
      } else if (isCloser(t)) {
        if (stack.empty()) {
          problem = "unbalanced `" + t.text.str() + "`";
          return false;
        }
        int o = stack.back();
        stack.pop_back();
        t.match = o;
        t.owner = o;
        toks_[o].match = static_cast<int>(i);
      }
    }
    if (!stack.empty()) {
      problem = "unclosed `" + toks_[stack.back()].text.str() + "`";
      return false;
    }
    return true;
  }

  int prevCode(int i) const {
    for (--i; i >= 0; --i)
      if (toks_[i].kind != TokenKind::Comment) return i;
    return -1;
  }
  int nextCode(int i) const {
    for (++i; i < static_cast<int>(toks_.size()); ++i)
      if (toks_[i].kind != TokenKind::Comment) return i;
    return -1;
  }

  // Source facts that do not depend on the layout: breaks forced by
  // comments, joins (`} else`, a block's `{` on its header's line), `else if`.
  void readSource() {
    for (size_t i = 0; i < toks_.size(); ++i) {
      Tok& t = toks_[i];
      if (i > 0 && toks_[i - 1].kind == TokenKind::Comment)
        t.srcBreaks = std::max(t.srcBreaks, 1u);
      bool afterComment = i > 0 && toks_[i - 1].kind == TokenKind::Comment;
      if (!afterComment && i > 0) {
        if (t.kind == TokenKind::Keyword && t.text == "else" &&
            isPunct(toks_[i - 1], "}"))
          t.srcBreaks = 0;
        if (isPunct(t, "{") && !t.object) t.srcBreaks = 0;
      }
      if (t.itemStart) {
        int p = prevCode(static_cast<int>(i));
        if (p >= 0 && toks_[p].kind == TokenKind::Keyword &&
            toks_[p].text == "else")
          t.itemStart = false;  // `else if`
      }
    }
  }

  bool isBlock(int o) const {
    return isPunct(toks_[o], "{") && !toks_[o].object;
  }
  bool hasComma(int o) const {
    for (int j = o + 1; j < toks_[o].match; ++j)
      if (toks_[j].owner == o && isPunct(toks_[j], ",")) return true;
    return false;
  }
  bool postfix(int o) const {
    return o > 0 && toks_[o].srcBreaks == 0 && endsOperand(toks_[o - 1]) &&
           !isPunct(toks_[o], "{");
  }
  bool takesTrailingComma(int o) const {
    if (isBlock(o)) return false;
    if (hasComma(o) || toks_[o].object) return true;
    if (isPunct(toks_[o], "(")) return postfix(o);
    return isPunct(toks_[o], "[") && !postfix(o);
  }

  bool brokenInSource(int o) const {
    if (toks_[o].match == o + 1) return false;  // `{}`, `[]`, `()`
    unsigned items = 0;
    for (int j = o + 1; j <= toks_[o].match; ++j) {
      if (toks_[j].owner != o) continue;
      if (toks_[j].srcBreaks > 0) return true;
      if (toks_[j].itemStart) ++items;
    }
    return isBlock(o) && items >= 2;
  }

  void decideBreaks() {
    int prevTop = -1;  // the previous top-level declaration's first token
    for (int j = 0; j < static_cast<int>(toks_.size()); ++j) {
      Tok& t = toks_[j];
      t.breaks = j == 0 ? 0 : t.srcBreaks;
      t.deleted = false;
      t.commaAfter = false;
      int g = t.owner;
      bool trailingComment = t.kind == TokenKind::Comment && t.srcBreaks == 0;
      if (g < 0 || exploded_[g]) {
        bool lineStart = t.itemStart;
        if (g >= 0) {
          lineStart = lineStart || j == g + 1 || j == toks_[g].match;
          int p = prevCode(j);
          if (p > g && !isBlock(g) && toks_[p].owner == g &&
              isPunct(toks_[p], ","))
            lineStart = true;
        }
        if (lineStart && !trailingComment && j > 0)
          t.breaks = std::max(t.breaks, 1u);
      }
      if (isCloser(t) && t.match == j - 1) t.breaks = 0;
      if (t.breaks == 2 && j > 0 && (isOpener(toks_[j - 1]) || isCloser(t)))
        t.breaks = 1;
      if (g < 0 && topKind_.count(j)) {
        int k = j;
        while (k > 0 && toks_[k].breaks == 1 &&
               toks_[k - 1].kind == TokenKind::Comment &&
               (k - 1 == 0 || toks_[k - 1].srcBreaks > 0))
          --k;
        if (prevTop >= 0 && k > 0) {
          TopKind a = topKind_[prevTop], b = topKind_[j];
          bool sameRun =
              a == b && a != TopKind::Other && toks_[k].srcBreaks < 2;
          toks_[k].breaks = sameRun ? 1 : 2;
        }
        prevTop = j;
      }
    }
    // A `;` that ends a line or a block separates nothing: gone, unless the
    // next line starts with `-` (without the `;` it would continue the
    // expression above).
    for (int j = 0; j < static_cast<int>(toks_.size()); ++j) {
      if (!isPunct(toks_[j], ";")) continue;
      int k = nextCode(j);
      bool lineEnds = k < 0 || toks_[k].breaks > 0 || isCloser(toks_[k]) ||
                      (j + 1 < static_cast<int>(toks_.size()) &&
                       toks_[j + 1].kind == TokenKind::Comment);
      bool doubled = k >= 0 && isPunct(toks_[k], ";");
      if (doubled || (lineEnds && (k < 0 || !isPunct(toks_[k], "-"))))
        toks_[j].deleted = true;
    }
    // Trailing commas: added to exploded lists, removed from one-line ones.
    for (int o = 0; o < static_cast<int>(toks_.size()); ++o) {
      if (!isOpener(toks_[o]) || toks_[o].match == o + 1) continue;
      int c = toks_[o].match;
      int last = prevCode(c);
      if (last <= o) continue;
      bool lastIsComma = isPunct(toks_[last], ",");
      if (!exploded_[o]) {
        if (lastIsComma) toks_[last].deleted = true;
      } else if (!lastIsComma && takesTrailingComma(o)) {
        toks_[last].commaAfter = true;
      }
    }
  }

  // Whether token j, starting a line, continues an expression of the line
  // above (indented one more level) rather than starting an element.
  bool continues(int j) const {
    const Tok& t = toks_[j];
    if (t.itemStart || isCloser(t)) return false;
    // `else` below a comment that follows `}`: level with its `if`.
    if (t.kind == TokenKind::Keyword && t.text == "else") return false;
    int g = t.owner;
    int p = prevCode(j);
    if (p < 0) return false;
    if (g >= 0 && (p == g || (toks_[p].owner == g && isPunct(toks_[p], ","))))
      return false;
    return true;
  }

  unsigned indentOf(int j) const {
    const Tok& t = toks_[j];
    if (t.kind == TokenKind::Comment) {
      int k = nextCode(j);
      if (k < 0) return 0;
      if (isCloser(toks_[k]))
        return lineIndent_[toks_[k].match] + options_.indent;
      return indentOf(k);
    }
    if (isCloser(t)) return lineIndent_[t.match];
    unsigned base = t.owner < 0 ? 0 : lineIndent_[t.owner] + options_.indent;
    return base + (continues(j) ? options_.indent : 0);
  }

  unsigned spaceBefore(int j) const {
    const Tok& t = toks_[j];
    int p = j - 1;
    while (p >= 0 && toks_[p].deleted) --p;
    if (p < 0) return 0;
    const Tok& prev = toks_[p];
    if (t.kind == TokenKind::Comment) return 2;
    if (prev.commaAfter) return 1;
    if (isPunct(prev, "(") || isPunct(prev, "[")) return 0;
    if (isPunct(prev, "{")) return isPunct(t, "}") ? 0 : 1;
    if (isPunct(t, ")") || isPunct(t, "]")) return 0;
    if (isPunct(t, "}")) return 1;
    if (isPunct(t, ",") || isPunct(t, ";") || isPunct(t, ":") ||
        isPunct(t, "."))
      return 0;
    if (isPunct(prev, ".")) return 0;
    if ((isPunct(t, "(") || isPunct(t, "[")) && endsOperand(prev)) return 0;
    if (isPunct(prev, "-")) {
      int pp = prevCode(p);
      if (pp < 0 || !endsOperand(toks_[pp])) return 0;  // unary minus
    }
    return 1;
  }

  void render() {
    lines_.assign(1, Line{});
    lineIndent_.assign(toks_.size(), 0);
    tokLine_.assign(toks_.size(), 0);
    unsigned pending = 0;  // the line breaks before a deleted token
    for (int j = 0; j < static_cast<int>(toks_.size()); ++j) {
      const Tok& t = toks_[j];
      if (t.deleted) {
        pending = std::max(pending, t.breaks);
        continue;
      }
      unsigned breaks = std::max(t.breaks, pending);
      pending = 0;
      if (j > 0 && breaks > 0 && !lineIsBlank()) {
        if (breaks > 1) lines_.push_back(Line{});
        lines_.push_back(Line{});
        unsigned indent = indentOf(j);
        lines_.back().indent = indent;
        lines_.back().code.assign(indent, ' ');
      } else if (j > 0) {
        // A comment after code; one alone on the first line stays there.
        bool trailing = t.kind == TokenKind::Comment && !lineIsBlank();
        if (trailing) {
          lines_.back().comment = t.text.str();
          tokLine_[j] = lines_.size() - 1;
          continue;
        }
        lines_.back().code.append(spaceBefore(j), ' ');
      }
      tokLine_[j] = lines_.size() - 1;
      if (isOpener(t)) lineIndent_[j] = lines_.back().indent;
      llvm::StringRef text = t.text;
      size_t nl;
      while ((nl = text.find('\n')) != llvm::StringRef::npos) {
        lines_.back().code += text.substr(0, nl).str();
        lines_.back().verbatim = true;
        lines_.push_back(Line{});
        text = text.substr(nl + 1);
      }
      lines_.back().code += text.str();
      if (t.commaAfter) lines_.back().code += ",";
    }
  }

  bool lineIsBlank() const {
    return llvm::StringRef(lines_.back().code).trim().empty() &&
           !lines_.back().verbatim && lines_.back().comment.empty();
  }

  // The outermost list with two elements or more on the first line that is
  // too wide, or -1.
  int groupToWrap() const {
    for (size_t o = 0; o < toks_.size(); ++o) {
      if (!isOpener(toks_[o]) || exploded_[o] || isBlock(static_cast<int>(o)))
        continue;
      int c = toks_[o].match;
      if (tokLine_[o] != tokLine_[c] || !hasComma(static_cast<int>(o)))
        continue;
      const Line& line = lines_[tokLine_[o]];
      if (codePoints(line.code) > options_.width) return static_cast<int>(o);
    }
    return -1;
  }

  // Trailing comments of consecutive lines share a column, two spaces after
  // the longest code among them.
  std::string assemble() {
    std::string out;
    for (size_t i = 0; i < lines_.size();) {
      size_t end = i;
      size_t column = 0;
      while (end < lines_.size() && !lines_[end].comment.empty()) {
        column = std::max(column, codePoints(lines_[end].code));
        ++end;
      }
      if (end == i) {
        appendLine(out, lines_[i], 0);
        ++i;
        continue;
      }
      for (; i < end; ++i) appendLine(out, lines_[i], column + 2);
    }
    while (!out.empty() && out.back() == '\n') out.pop_back();
    if (!out.empty()) out += '\n';
    return out;
  }
  void appendLine(std::string& out, const Line& line,
                  size_t commentColumn) const {
    std::string code = line.code;
    if (!line.verbatim)
      while (!code.empty() && code.back() == ' ') code.pop_back();
    out += code;
    if (!line.comment.empty()) {
      out.append(commentColumn - codePoints(code), ' ');
      out += line.comment;
    }
    out += '\n';
  }

  const Options& options_;
  std::vector<Tok> toks_;
  std::map<int, TopKind> topKind_;
  std::vector<bool> exploded_;
  std::vector<Line> lines_;
  std::vector<unsigned> lineIndent_;
  std::vector<size_t> tokLine_;
};

}  // namespace

bool layout(llvm::StringRef text, const std::vector<parse::Token>& tokens,
            const Structure& structure, const Options& options,
            std::string& out, std::string& problem) {
  return Layout(text, tokens, structure, options).run(out, problem);
}

}  // namespace rig::format
