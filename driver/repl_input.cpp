#include "driver/repl_input.h"

#include <vector>

namespace rig::driver {

ReplCommand parseReplCommand(llvm::StringRef line) {
  ReplCommand command;
  llvm::StringRef text = line.trim();
  if (text.empty()) {
    command.kind = ReplCommand::Kind::Empty;
    return command;
  }
  if (!text.startswith(":")) return command;
  auto [word, rest] = text.split(' ');
  rest = rest.trim();
  command.word = word.str();
  using Kind = ReplCommand::Kind;
  if (word == ":tests") {
    command.kind = Kind::Tests;
  } else if (word == ":run") {
    command.kind = Kind::Run;
    if (rest.size() >= 2 && rest.startswith("\"") && rest.endswith("\""))
      rest = rest.drop_front().drop_back();
    command.argument = rest.str();
  } else if (word == ":shell") {
    command.kind = Kind::Shell;
    command.argument = rest.str();
  } else if (word == ":help" || word == ":h" || word == ":?") {
    command.kind = Kind::Help;
  } else if (word == ":quit" || word == ":q" || word == ":exit") {
    command.kind = Kind::Quit;
  } else {
    command.kind = Kind::Unknown;
  }
  return command;
}

bool inputComplete(llvm::StringRef text) {
  // What is open, innermost last: brackets, `${` (I), "..." (S) and
  // """...""" (T) strings.
  std::vector<char> open;
  // A line break ends every "..." string and what is open inside or around
  // it, up to the nearest """ string (the lexer's rule).
  // An unterminated "..." string makes the input complete: the parser
  // reports it now rather than after more lines that cannot fix it.
  bool unterminated = false;
  auto lineBreak = [&] {
    size_t cut = open.size();
    for (size_t k = open.size(); k-- > 0;) {
      if (open[k] == 'T') break;
      if (open[k] == 'S') cut = k;
    }
    unterminated |= cut != open.size();
    open.resize(cut);
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (!open.empty() && (open.back() == 'S' || open.back() == 'T')) {
      bool triple = open.back() == 'T';
      if (c == '\\') {
        ++i;
      } else if (c == '$' && i + 1 < text.size() && text[i + 1] == '{') {
        open.push_back('I');
        ++i;
      } else if (triple && text.substr(i).startswith("\"\"\"")) {
        open.pop_back();
        i += 2;
      } else if (!triple && c == '"') {
        open.pop_back();
      } else if (c == '\n') {
        lineBreak();
      }
      continue;
    }
    switch (c) {
      case '#':
        while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
        break;
      case '"':
        if (text.substr(i).startswith("\"\"\"")) {
          open.push_back('T');
          i += 2;
        } else {
          open.push_back('S');
        }
        break;
      case '(':
      case '[':
      case '{': open.push_back(c); break;
      case ')':
      case ']':
      case '}':
        if (open.empty()) return true;  // a stray closer: the parser says so
        open.pop_back();                // `}` also closes a `${`
        break;
      case '\n': lineBreak(); break;
      default: break;
    }
  }
  lineBreak();  // the input ends with its line
  return open.empty() || unterminated;
}

}  // namespace rig::driver
