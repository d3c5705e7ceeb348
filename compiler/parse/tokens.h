// The token stream of a file, comments included, for tools that lay out or
// inspect source text (rig fmt, rig lsp). Built by the same lexer as the
// parser; no ANTLR type leaves compiler/parse.
#ifndef RIG_COMPILER_PARSE_TOKENS_H
#define RIG_COMPILER_PARSE_TOKENS_H

#include <vector>

#include "compiler/base/source.h"

namespace rig::parse {

enum class TokenKind {
  Ident,
  Keyword,  // import, let, ..., true, false, null, and, or, not, in
  Number,
  String,   // a whole "..." or """...""" literal, interpolations included
  Punct,    // operators and brackets: the text says which
  Comment,  // `# ...` to the end of the line
  Error,    // a character the lexer does not know
};

struct Token {
  TokenKind kind;
  SourceRange range;
};

// Every token of `file` in source order, whitespace and line breaks left
// out (they are the gaps between ranges). A string literal is one token from
// its opening quote to its closing one (to the end of its line when it is
// unterminated, to the end of file for an unterminated """).
std::vector<Token> lexTokens(FileId file, const SourceFiles& sources);

}  // namespace rig::parse

#endif
