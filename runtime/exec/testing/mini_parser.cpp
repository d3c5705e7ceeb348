#include "runtime/exec/testing/mini_parser.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <optional>
#include <set>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Path.h"
#include "runtime/plan/signatures.h"

namespace rig::exec::testing {
namespace {

using plan::Expr;
using plan::ExprKind;
using plan::Stmt;
using plan::StmtKind;

struct ParseError {
  std::string message;
};

class Parser {
 public:
  explicit Parser(const std::string& text) : text_(text) {}

  plan::Plan parseFile() {
    plan::Plan p;
    while (true) {
      skipSpace();
      if (pos_ >= text_.size()) break;
      size_t begin = pos_;
      std::string word = ident();
      if (word == "let") {
        plan::Global g;
        g.name = ident();
        expect("=");
        g.value = expr();
        p.globals.push_back(std::move(g));
      } else if (word == "fn") {
        plan::Function fn;
        fn.name = ident();
        expect("(");
        while (!accept(")")) {
          plan::Param param;
          param.name = ident();
          if (accept("=")) param.defaultValue = expr();
          fn.params.push_back(std::move(param));
          if (!accept(",")) {
            expect(")");
            break;
          }
        }
        fn.body = block();
        fn.loc = loc(begin, pos_);
        p.functions.push_back(std::move(fn));
      } else if (word == "node") {
        plan::Node node;
        node.name = ident();
        node.loc = loc(begin, pos_);
        skipBraces();
        p.nodes.push_back(std::move(node));
      } else if (word == "meta") {
        expect("{");
        while (!accept("}")) {
          std::string key = ident();
          expect("=");
          Expr value = expr();
          if (key == "timeout") p.settings.suiteTimeoutMs = value.literal.asDurationMs();
          if (key == "wait_timeout") p.settings.waitTimeoutMs = value.literal.asDurationMs();
          if (key == "eventually_timeout")
            p.settings.eventuallyTimeoutMs = value.literal.asDurationMs();
        }
      } else if (word == "test") {
        plan::Test t;
        skipSpace();
        t.name = stringLiteral();
        t.body = block();
        t.loc = loc(begin, pos_);
        p.tests.push_back(std::move(t));
      } else {
        throw ParseError{"unexpected `" + word + "` at top level"};
      }
    }
    std::sort(p.nodes.begin(), p.nodes.end(),
              [](const plan::Node& a, const plan::Node& b) { return a.name < b.name; });
    return p;
  }

 private:
  // ---- Characters and tokens ----
  void skipSpace() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '#') {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      } else if (std::isspace(static_cast<unsigned char>(c)) || c == ';') {
        ++pos_;
      } else {
        break;
      }
    }
  }
  bool startsWith(llvm::StringRef s) {
    return llvm::StringRef(text_).substr(pos_).startswith(s);
  }
  bool isIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
  // Accepts punctuation or a keyword (whole word).
  bool accept(llvm::StringRef s) {
    skipSpace();
    if (!startsWith(s)) return false;
    if (isIdentChar(s.back()) && pos_ + s.size() < text_.size() &&
        isIdentChar(text_[pos_ + s.size()]))
      return false;
    // `=` must not take the first char of `==` or `=~`.
    if ((s == "=" || s == "<" || s == ">" || s == "!") && pos_ + 1 < text_.size() &&
        (text_[pos_ + 1] == '=' || (s == "=" && text_[pos_ + 1] == '~')))
      return false;
    pos_ += s.size();
    return true;
  }
  void expect(llvm::StringRef s) {
    if (!accept(s)) throw ParseError{"expected `" + s.str() + "` at " + where()};
  }
  std::string where() {
    auto l = loc(pos_, pos_);
    return std::to_string(l.line) + ":" + std::to_string(l.col);
  }
  std::string ident() {
    skipSpace();
    size_t begin = pos_;
    while (pos_ < text_.size() && isIdentChar(text_[pos_])) ++pos_;
    if (begin == pos_) throw ParseError{"expected a name at " + where()};
    return text_.substr(begin, pos_ - begin);
  }
  bool peekIdent(size_t& end) {
    skipSpace();
    end = pos_;
    if (end >= text_.size() || !(std::isalpha(static_cast<unsigned char>(text_[end])) || text_[end] == '_'))
      return false;
    while (end < text_.size() && isIdentChar(text_[end])) ++end;
    return true;
  }
  void skipBraces() {
    expect("{");
    int depth = 1;
    while (pos_ < text_.size() && depth > 0) {
      if (text_[pos_] == '{') ++depth;
      if (text_[pos_] == '}') --depth;
      ++pos_;
    }
  }
  plan::SourceLoc loc(size_t begin, size_t end) {
    plan::SourceLoc l;
    auto lineCol = [&](size_t at, uint32_t& line, uint32_t& col) {
      line = 1;
      size_t lineStart = 0;
      for (size_t i = 0; i < at && i < text_.size(); ++i)
        if (text_[i] == '\n') {
          ++line;
          lineStart = i + 1;
        }
      col = uint32_t(at - lineStart + 1);
    };
    lineCol(begin, l.line, l.col);
    lineCol(end, l.endLine, l.endCol);
    return l;
  }

  // ---- Statements ----
  std::vector<Stmt> block() {
    expect("{");
    std::vector<Stmt> body;
    while (!accept("}")) body.push_back(stmt());
    return body;
  }

  Stmt stmt() {
    skipSpace();
    size_t begin = pos_;
    Stmt s;
    if (accept("let")) {
      s.kind = StmtKind::Let;
      s.name = ident();
      expect("=");
      s.expr = expr();
    } else if (accept("expect")) {
      s.kind = StmtKind::Expect;
      s.expr = expr();
      if (accept(",")) s.message = expr();
    } else if (accept("if")) {
      s.kind = StmtKind::If;
      s.expr = expr();
      s.body = block();
      if (accept("else")) {
        skipSpace();
        if (startsWith("if"))
          s.elseBody.push_back(stmt());
        else
          s.elseBody = block();
      }
    } else if (accept("for")) {
      s.kind = StmtKind::For;
      s.name = ident();
      expect("in");
      s.expr = expr();
      s.body = block();
    } else if (accept("subtest")) {
      s.kind = StmtKind::Subtest;
      skipSpace();
      s.name = stringLiteral();
      s.body = block();
    } else if (accept("eventually")) {
      s.kind = StmtKind::Eventually;
      skipSpace();
      if (!startsWith("{")) s.timeout = expr();
      s.body = block();
    } else if (accept("return")) {
      s.kind = StmtKind::Return;
      skipSpace();
      if (!startsWith("}")) s.expr = expr();
    } else {
      s.kind = StmtKind::Eval;
      s.expr = expr();
    }
    s.loc = loc(begin, pos_);
    return s;
  }

  // ---- Expressions ----
  Expr make(ExprKind kind, size_t begin, std::string name = "",
            std::vector<Expr> args = {}) {
    Expr e;
    e.kind = kind;
    e.name = std::move(name);
    e.args = std::move(args);
    e.loc = loc(begin, pos_);
    return e;
  }

  Expr expr() {
    skipSpace();
    size_t begin = pos_;
    if (accept("if")) {
      Expr c = expr();
      expect("then");
      Expr a = expr();
      expect("else");
      Expr b = expr();
      return make(ExprKind::If, begin, "", {std::move(c), std::move(a), std::move(b)});
    }
    return orExpr();
  }

  Expr orExpr() {
    skipSpace();
    size_t begin = pos_;
    Expr left = andExpr();
    while (accept("or")) left = make(ExprKind::Binary, begin, "or", {std::move(left), andExpr()});
    return left;
  }
  Expr andExpr() {
    skipSpace();
    size_t begin = pos_;
    Expr left = notExpr();
    while (accept("and")) left = make(ExprKind::Binary, begin, "and", {std::move(left), notExpr()});
    return left;
  }
  Expr notExpr() {
    skipSpace();
    size_t begin = pos_;
    if (accept("not")) return make(ExprKind::Unary, begin, "not", {notExpr()});
    return comparison();
  }
  Expr comparison() {
    skipSpace();
    size_t begin = pos_;
    Expr left = additive();
    static const char* ops[] = {"==", "!=", "<=", ">=", "=~", "!~", "<", ">"};
    for (const char* op : ops)
      if (accept(op)) return make(ExprKind::Binary, begin, op, {std::move(left), additive()});
    if (accept("in")) return make(ExprKind::Binary, begin, "in", {std::move(left), additive()});
    size_t save = pos_;
    if (accept("not")) {
      if (accept("in"))
        return make(ExprKind::Binary, begin, "not in", {std::move(left), additive()});
      pos_ = save;
    }
    return left;
  }
  Expr additive() {
    skipSpace();
    size_t begin = pos_;
    Expr left = multiplicative();
    while (true) {
      if (accept("+")) left = make(ExprKind::Binary, begin, "+", {std::move(left), multiplicative()});
      else if (accept("-")) left = make(ExprKind::Binary, begin, "-", {std::move(left), multiplicative()});
      else return left;
    }
  }
  Expr multiplicative() {
    skipSpace();
    size_t begin = pos_;
    Expr left = unary();
    while (true) {
      if (accept("*")) left = make(ExprKind::Binary, begin, "*", {std::move(left), unary()});
      else if (accept("/")) left = make(ExprKind::Binary, begin, "/", {std::move(left), unary()});
      else if (accept("%")) left = make(ExprKind::Binary, begin, "%", {std::move(left), unary()});
      else return left;
    }
  }
  Expr unary() {
    skipSpace();
    size_t begin = pos_;
    if (accept("-")) return make(ExprKind::Unary, begin, "-", {unary()});
    return postfix();
  }
  void callArgs(Expr& call) {
    while (!accept(")")) {
      size_t end;
      if (peekIdent(end)) {
        size_t save = pos_;
        std::string name = ident();
        if (accept("=")) {
          plan::NamedArg named;
          named.name = name;
          named.value.push_back(expr());
          call.named.push_back(std::move(named));
          if (!accept(",")) { expect(")"); break; }
          continue;
        }
        pos_ = save;
      }
      call.args.push_back(expr());
      if (!accept(",")) { expect(")"); break; }
    }
  }
  Expr postfix() {
    skipSpace();
    size_t begin = pos_;
    Expr e = primary();
    while (true) {
      if (accept(".")) {
        std::string name = ident();
        if (startsWith("(")) {
          accept("(");
          Expr m = make(ExprKind::Method, begin, name, {std::move(e)});
          callArgs(m);
          m.loc = loc(begin, pos_);
          e = std::move(m);
        } else {
          e = make(ExprKind::Member, begin, name, {std::move(e)});
        }
      } else if (startsWith("[")) {
        accept("[");
        Expr index = expr();
        expect("]");
        e = make(ExprKind::Index, begin, "", {std::move(e), std::move(index)});
      } else if (e.kind == ExprKind::Var && startsWith("(")) {
        accept("(");
        Expr c = make(ExprKind::Call, begin, e.name);
        callArgs(c);
        c.loc = loc(begin, pos_);
        e = std::move(c);
      } else {
        return e;
      }
    }
  }
  Expr literal(Value v, size_t begin) {
    Expr e = make(ExprKind::Literal, begin);
    e.literal = std::move(v);
    return e;
  }
  Expr primary() {
    skipSpace();
    size_t begin = pos_;
    if (pos_ >= text_.size()) throw ParseError{"unexpected end"};
    char c = text_[pos_];
    if (c == '"') return stringExpr();
    if (std::isdigit(static_cast<unsigned char>(c))) return number();
    if (accept("(")) {
      Expr e = expr();
      expect(")");
      return e;
    }
    if (accept("[")) {
      std::vector<Expr> items;
      while (!accept("]")) {
        items.push_back(expr());
        if (!accept(",")) { expect("]"); break; }
      }
      return make(ExprKind::List, begin, "", std::move(items));
    }
    if (accept("{")) {
      Expr obj = make(ExprKind::Object, begin);
      while (!accept("}")) {
        skipSpace();
        std::string key = text_[pos_] == '"' ? stringLiteral() : ident();
        expect(":");
        obj.keys.push_back(key);
        obj.args.push_back(expr());
        if (!accept(",")) { expect("}"); break; }
      }
      obj.loc = loc(begin, pos_);
      return obj;
    }
    std::string name = ident();
    if (name == "true") return literal(Value::boolean(true), begin);
    if (name == "false") return literal(Value::boolean(false), begin);
    if (name == "null") return literal(Value(), begin);
    return make(ExprKind::Var, begin, name);
  }
  Expr number() {
    size_t begin = pos_;
    std::string digits;
    bool isFloat = false;
    if (startsWith("0x")) {
      pos_ += 2;
      while (pos_ < text_.size() && std::isxdigit(static_cast<unsigned char>(text_[pos_]))) digits += text_[pos_++];
      return literal(Value::integer(std::strtoll(digits.c_str(), nullptr, 16)), begin);
    }
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
      else if (c == '_') {}
      else if (c == '.' && pos_ + 1 < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_ + 1]))) { digits += c; isFloat = true; }
      else if ((c == 'e' || c == 'E') && pos_ + 1 < text_.size() && (std::isdigit(static_cast<unsigned char>(text_[pos_ + 1])) || text_[pos_ + 1] == '-')) {
        digits += c; digits += text_[++pos_]; isFloat = true;
      }
      else break;
      ++pos_;
    }
    size_t unitBegin = pos_;
    while (pos_ < text_.size() && std::isalpha(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    std::string unit = text_.substr(unitBegin, pos_ - unitBegin);
    double d = std::strtod(digits.c_str(), nullptr);
    if (unit.empty())
      return literal(isFloat ? Value::floating(d) : Value::integer(std::strtoll(digits.c_str(), nullptr, 10)), begin);
    if (unit == "ms") return literal(Value::duration(d), begin);
    if (unit == "s") return literal(Value::duration(d * 1000), begin);
    if (unit == "m") return literal(Value::duration(d * 60'000), begin);
    if (unit == "h") return literal(Value::duration(d * 3'600'000), begin);
    int64_t n = std::strtoll(digits.c_str(), nullptr, 10);
    if (unit == "B") return literal(Value::size(n), begin);
    if (unit == "KiB") return literal(Value::size(n << 10), begin);
    if (unit == "MiB") return literal(Value::size(n << 20), begin);
    if (unit == "GiB") return literal(Value::size(n << 30), begin);
    throw ParseError{"bad unit " + unit};
  }
  std::string stringLiteral() {
    Expr e = stringExpr();
    if (e.kind != ExprKind::Literal) throw ParseError{"expected a plain string"};
    return e.literal.asString();
  }
  // "text ${expr} text": a Literal, or an Interpolate of parts.
  Expr stringExpr() {
    size_t begin = pos_;
    if (text_[pos_] != '"') throw ParseError{"expected a string at " + where()};
    ++pos_;
    std::vector<Expr> parts;
    std::string current;
    size_t currentBegin = pos_;
    auto flush = [&] {
      if (current.empty()) return;
      Expr lit = make(ExprKind::Literal, currentBegin);
      lit.literal = Value::string(current);
      parts.push_back(std::move(lit));
      current.clear();
    };
    while (true) {
      if (pos_ >= text_.size()) throw ParseError{"unterminated string"};
      char c = text_[pos_];
      if (c == '"') { ++pos_; break; }
      if (c == '\\') {
        char n = text_[pos_ + 1];
        current += n == 'n' ? '\n' : n == 't' ? '\t' : n == 'r' ? '\r' : n;
        pos_ += 2;
        continue;
      }
      if (c == '$' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '{') {
        flush();
        pos_ += 2;
        parts.push_back(expr());
        skipSpace();
        if (text_[pos_] != '}') throw ParseError{"expected } in string"};
        ++pos_;
        currentBegin = pos_;
        continue;
      }
      current += c;
      ++pos_;
    }
    flush();
    if (parts.empty()) return literal(Value::string(""), begin);
    if (parts.size() == 1 && parts[0].kind == ExprKind::Literal) {
      Expr lit = std::move(parts[0]);
      lit.loc = loc(begin, pos_);
      return lit;
    }
    return make(ExprKind::Interpolate, begin, "", std::move(parts));
  }

  const std::string& text_;
  size_t pos_ = 0;
};

// What lowering does for the real front end: a builtin's or operation's
// arguments become one per parameter, in order (a default, or `absent`),
// then a variadic one's extras.
class Binder {
 public:
  explicit Binder(const plan::Plan& plan) {
    for (const plan::Function& fn : plan.functions) fns_.insert(fn.name);
  }
  void block(std::vector<plan::Stmt>& body) {
    for (plan::Stmt& s : body) {
      for (auto* e : {&s.expr, &s.message, &s.timeout})
        if (*e) expr(**e);
      block(s.body);
      block(s.elseBody);
    }
  }
  void expr(Expr& e) {
    for (Expr& arg : e.args) expr(arg);
    for (plan::NamedArg& named : e.named)
      for (Expr& value : named.value) expr(value);
    const plan::Signature* sig = nullptr;
    size_t first = 0;
    if (e.kind == ExprKind::Call && !fns_.count(e.name))
      sig = plan::findBuiltin(e.name);
    if (e.kind == ExprKind::Method) {
      sig = plan::findOperation(e.name);
      first = 1;
    }
    if (!sig) return;
    std::vector<std::optional<Expr>> params(sig->params.size());
    std::vector<Expr> rest;
    for (size_t i = first; i < e.args.size(); ++i) {
      size_t at = i - first;
      if (sig->variadic && at >= 1) rest.push_back(std::move(e.args[i]));
      else if (at < params.size()) params[at] = std::move(e.args[i]);
      else throw ParseError{"too many arguments for `" + e.name + "`"};
    }
    for (plan::NamedArg& named : e.named) {
      size_t at = 0;
      while (at < params.size() && named.name != sig->params[at].name) ++at;
      if (at == params.size())
        throw ParseError{"`" + e.name + "` has no parameter `" + named.name + "`"};
      params[at] = std::move(named.value.at(0));
    }
    e.named.clear();
    e.args.resize(first);
    for (size_t i = 0; i < params.size(); ++i) {
      if (params[i]) {
        e.args.push_back(std::move(*params[i]));
        continue;
      }
      if (sig->params[i].required())
        throw ParseError{"`" + e.name + "` needs `" + sig->params[i].name + "`"};
      Expr fill;
      if (std::optional<Value> v = plan::defaultValue(sig->params[i]))
        fill.literal = *v;
      else
        fill.kind = ExprKind::Absent;
      e.args.push_back(std::move(fill));
    }
    for (Expr& extra : rest) e.args.push_back(std::move(extra));
  }

 private:
  std::set<std::string> fns_;
};

}  // namespace

llvm::Expected<plan::Plan> parseSuite(const std::string& text,
                                      const std::string& path) {
  try {
    Parser parser(text);
    plan::Plan p = parser.parseFile();
    p.suitePath = path;
    p.suiteName = llvm::sys::path::stem(path).str();
    p.sources.push_back({path, text});
    Binder binder(p);
    for (plan::Global& g : p.globals) binder.expr(g.value);
    for (plan::Function& fn : p.functions) {
      for (plan::Param& param : fn.params)
        if (param.defaultValue) binder.expr(*param.defaultValue);
      binder.block(fn.body);
    }
    for (plan::Test& test : p.tests) binder.block(test.body);
    if (llvm::Error e = plan::resolveCalls(p)) return e;
    return p;
  } catch (const ParseError& e) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s: %s",
                                   path.c_str(), e.message.c_str());
  }
}

}  // namespace rig::exec::testing
