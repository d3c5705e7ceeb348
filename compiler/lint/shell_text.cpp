#include "compiler/lint/shell_text.h"

#include "llvm/ADT/StringExtras.h"

namespace rig::lint {

static bool isHostChar(char c) {
  return llvm::isAlnum(c) || c == '-' || c == '_' || c == '.';
}

std::vector<Endpoint> findEndpoints(
    llvm::StringRef text, llvm::function_ref<bool(llvm::StringRef)> isHost) {
  std::vector<Endpoint> found;
  size_t i = 0;
  while (i < text.size()) {
    if (!isHostChar(text[i]) || (i > 0 && isHostChar(text[i - 1]))) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < text.size() && isHostChar(text[end])) ++end;
    llvm::StringRef host = text.slice(i, end).rtrim('.');
    size_t hostEnd = i + host.size();
    if (host.empty() || !isHost(host)) {
      i = end;
      continue;
    }
    Endpoint e;
    e.host = host.str();
    e.begin = i;
    if (hostEnd < text.size() && text[hostEnd] == ':') {
      size_t digits = hostEnd + 1;
      while (digits < text.size() && llvm::isDigit(text[digits])) ++digits;
      bool boundary = digits == text.size() || !llvm::isAlnum(text[digits]);
      if (digits > hostEnd + 1 && digits - hostEnd - 1 <= 5 && boundary) {
        text.slice(hostEnd + 1, digits).getAsInteger(10, e.port);
        e.length = digits - i;
        found.push_back(e);
      }
    } else {
      // No port: the scheme's, when there is one.
      llvm::StringRef before = text.take_front(i);
      if (before.endswith("http://")) e.port = 80;
      if (before.endswith("https://")) e.port = 443;
      if (e.port) {
        e.length = hostEnd - i;
        found.push_back(e);
      }
    }
    i = end;
  }
  return found;
}

namespace {

// A shell word or an operator between commands.
struct Token {
  enum Kind { Word, Separator, OrElse } kind = Word;
  std::string text;  // the word with its quotes removed
  uint32_t begin = 0;
  uint32_t length = 0;
};

std::vector<Token> tokenize(llvm::StringRef s) {
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\\') {
      ++i;
      continue;
    }
    if (c == '|' && i + 1 < s.size() && s[i + 1] == '|') {
      tokens.push_back({Token::OrElse, "||", uint32_t(i), 2});
      i += 2;
      continue;
    }
    if (c == ';' || c == '|' || c == '&' || c == '\n' || c == '(' || c == ')' ||
        c == '`' || c == '{' || c == '}') {
      tokens.push_back({Token::Separator, std::string(1, c), uint32_t(i), 1});
      ++i;
      continue;
    }
    if (c == '$' && i + 1 < s.size() && s[i + 1] == '(') {
      tokens.push_back({Token::Separator, "$(", uint32_t(i), 2});
      i += 2;
      continue;
    }
    Token word;
    word.begin = i;
    while (i < s.size()) {
      char d = s[i];
      if (d == ' ' || d == '\t' || d == '\n' || d == ';' || d == '|' ||
          d == '&' || d == '(' || d == ')' || d == '`')
        break;
      if (d == '\'' || d == '"') {
        size_t close = s.find(d, i + 1);
        if (close == llvm::StringRef::npos) close = s.size();
        word.text += s.slice(i + 1, close).str();
        i = close + 1;
        continue;
      }
      word.text += d;
      ++i;
    }
    if (i > s.size()) i = s.size();
    word.length = i - word.begin;
    tokens.push_back(std::move(word));
  }
  return tokens;
}

// Words that run the command after them.
bool isPrefixCommand(llvm::StringRef w) {
  return w == "sudo" || w == "env" || w == "exec" || w == "command" ||
         w == "time" || w == "nice" || w == "nohup" || w == "timeout";
}

bool isAssignment(llvm::StringRef w) {
  size_t eq = w.find('=');
  if (eq == 0 || eq == llvm::StringRef::npos) return false;
  for (char c : w.take_front(eq))
    if (!llvm::isAlnum(c) && c != '_') return false;
  return true;
}

}  // namespace

std::string programAt(llvm::StringRef command, size_t offset) {
  std::vector<Token> tokens = tokenize(command);
  std::string program;
  bool atStart = true;
  for (const Token& t : tokens) {
    if (t.kind != Token::Word) {
      atStart = true;
      program.clear();
      if (t.begin > offset) return "";
      continue;
    }
    if (atStart && !isAssignment(t.text) && !isPrefixCommand(t.text)) {
      llvm::StringRef name = t.text;
      program = name.substr(name.rfind('/') + 1).str();
      atStart = false;
    }
    if (t.begin <= offset && offset < t.begin + t.length) return program;
  }
  return "";
}

std::vector<CurlCommand> findCurlCommands(llvm::StringRef command) {
  std::vector<CurlCommand> found;
  std::vector<Token> tokens = tokenize(command);
  size_t i = 0;
  while (i < tokens.size()) {
    if (tokens[i].kind != Token::Word) {
      ++i;
      continue;
    }
    // The start of a simple command: skip assignments and prefixes.
    size_t j = i;
    while (j < tokens.size() && tokens[j].kind == Token::Word) {
      llvm::StringRef w = tokens[j].text;
      if (isAssignment(w)) {
        ++j;
      } else if (isPrefixCommand(w)) {
        ++j;
        // `timeout 5 curl`, `sudo -u x curl`, `timeout -s KILL 5 curl`
        while (j < tokens.size() && tokens[j].kind == Token::Word) {
          llvm::StringRef option = tokens[j].text;
          if (option == "-u" || option == "-g" || option == "-s" ||
              option == "-k") {
            j += 2;
          } else if (option.startswith("-") ||
                     (!option.empty() && llvm::isDigit(option[0]))) {
            ++j;
          } else {
            break;
          }
        }
        if (j > tokens.size()) j = tokens.size();
      } else {
        break;
      }
    }
    size_t end = j;
    while (end < tokens.size() && tokens[end].kind == Token::Word) ++end;
    if (j < end) {
      llvm::StringRef program = tokens[j].text;
      if (program == "curl" || program.endswith("/curl")) {
        CurlCommand curl;
        curl.begin = tokens[j].begin;
        curl.length = tokens[j].length;
        for (size_t k = j + 1; k < end; ++k) {
          llvm::StringRef a = tokens[k].text;
          if (a.startswith_insensitive("http://") ||
              a.startswith_insensitive("https://"))
            curl.http = true;
          if (a == "--fail" || a == "--fail-with-body") curl.fails = true;
          if (a == "--write-out" || a == "--include" || a == "--head")
            curl.inspectsStatus = true;
          if (a.size() >= 2 && a[0] == '-' && a[1] != '-') {
            // A cluster of short options: `-fsSL`; stop at the first letter
            // that takes a value (`-o file`, `-w fmt`, ...).
            for (char c : a.drop_front()) {
              if (!llvm::isAlpha(c)) break;
              if (c == 'f') curl.fails = true;
              if (c == 'w' || c == 'i' || c == 'I') curl.inspectsStatus = true;
              if (llvm::StringRef("oOdHXuAeErTwKbcmxyYzCDFQ").contains(c))
                break;
            }
          }
        }
        curl.failureHandled =
            end < tokens.size() && tokens[end].kind == Token::OrElse;
        found.push_back(curl);
      }
    }
    i = end;
  }
  return found;
}

std::vector<PrivateAddress> findPrivateAddresses(llvm::StringRef text) {
  std::vector<PrivateAddress> found;
  size_t from = 0;
  while (true) {
    size_t at = text.find("192.168.", from);
    if (at == llvm::StringRef::npos) return found;
    from = at + 1;
    if (at > 0 && (llvm::isDigit(text[at - 1]) || text[at - 1] == '.'))
      continue;
    PrivateAddress a;
    a.begin = at;
    size_t i = at + 8;
    auto number = [&](int64_t& out) {
      size_t start = i;
      while (i < text.size() && llvm::isDigit(text[i]) && i - start < 3) ++i;
      if (i == start) return false;
      text.slice(start, i).getAsInteger(10, out);
      return true;
    };
    if (number(a.vlan) && i < text.size() && text[i] == '.') {
      ++i;
      if (!number(a.host)) a.vlan = -1;
    } else {
      a.vlan = -1;
    }
    a.length = i - at;
    found.push_back(a);
    from = i;
  }
}

}  // namespace rig::lint
