// What the executor tells reporters about steps and node phases
// (docs/reports.md, the event stream): the step's source text, the node it
// drives, whether it waits; a node's phase changes, each reported once.
#include "fmt/format.h"
#include "llvm/ADT/StringExtras.h"
#include "runtime/exec/interpreter.h"

namespace rig::exec {

using plan::Expr;
using plan::ExprKind;
using plan::Stmt;
using plan::StmtKind;

namespace {

constexpr size_t kMaxStepText = 200;

// The first line of a statement's source, without a block's opening brace,
// cut at kMaxStepText bytes (on a UTF-8 character boundary).
std::string stepText(llvm::StringRef source) {
  llvm::StringRef line = source.take_until([](char c) { return c == '\n'; });
  line = line.trim();
  if (line.endswith("{")) line = line.drop_back().rtrim();
  if (line.size() <= kMaxStepText) return line.str();
  size_t cut = kMaxStepText;
  while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80)
    --cut;
  return line.take_front(cut).str() + "...";
}

bool isWaitOperation(llvm::StringRef method) {
  return method.startswith("wait_") || method == "join_all";
}

// Whether `expr` (not the bodies of fns it calls) polls or sleeps.
bool waits(const Expr& expr) {
  if (expr.kind == ExprKind::Method && isWaitOperation(expr.name)) return true;
  if (expr.kind == ExprKind::Call &&
      (expr.name == "sleep" || expr.name == "join_all"))
    return true;
  for (const Expr& arg : expr.args)
    if (waits(arg)) return true;
  for (const plan::NamedArg& named : expr.named)
    for (const Expr& value : named.value)
      if (waits(value)) return true;
  return false;
}

}  // namespace

bool Interpreter::reportsSteps() const {
  return hooks_.stepStarted && hooks_.stepFinished && !currentTest_.empty() &&
         quietSteps_ == 0;
}

// Every variable in `expr` that names a machine: a node, or a local or
// global holding one (`for m in [a, b]`).
void Interpreter::collectMachines(const Expr& expr,
                                  std::set<std::string>& out) {
  if (expr.kind == ExprKind::Var) {
    Value value;
    bool found = false;
    if (!frames_.empty()) {
      auto& scopes = frames_.back();
      for (auto it = scopes.rbegin(); it != scopes.rend() && !found; ++it) {
        auto local = it->find(expr.name);
        if (local != it->end()) {
          value = local->second;
          found = true;
        }
      }
    }
    if (!found) {
      auto global = globals_.find(expr.name);
      if (global != globals_.end()) {
        value = global->second;
        found = true;
      }
    }
    if (found) {
      if (value.kind() == ValueKind::Machine) out.insert(value.asString());
    } else if (nodes_.has(expr.name)) {
      out.insert(expr.name);
    }
  }
  for (const Expr& arg : expr.args) collectMachines(arg, out);
  for (const plan::NamedArg& named : expr.named)
    for (const Expr& value : named.value) collectMachines(value, out);
}

void Interpreter::collectMachines(const std::vector<Stmt>& body,
                                  std::set<std::string>& out) {
  for (const Stmt& stmt : body) {
    if (stmt.expr) collectMachines(*stmt.expr, out);
    collectMachines(stmt.body, out);
    collectMachines(stmt.elseBody, out);
  }
}

events::StepInfo Interpreter::stepInfo(const Stmt& stmt) {
  events::StepInfo info;
  info.test = currentTest_;
  if (!subtests_.empty()) info.subtest = subtests_.back();
  std::string source = sourceText(stmt.loc);
  // A one-line block (`if ok { log("x") }`) shows its header only: the
  // body's statements are steps of their own.
  if (!stmt.body.empty() && stmt.body.front().loc.line == stmt.loc.line &&
      stmt.body.front().loc.col > stmt.loc.col)
    source.resize(std::min<size_t>(source.size(),
                                   stmt.body.front().loc.col - stmt.loc.col));
  info.text = stepText(source);
  info.location = locationText(stmt.loc);
  std::set<std::string> driven;
  if (stmt.expr) collectMachines(*stmt.expr, driven);
  collectMachines(stmt.body, driven);
  collectMachines(stmt.elseBody, driven);
  if (driven.size() == 1) info.node = *driven.begin();
  info.wait = stmt.kind == StmtKind::Eventually ||
              ((stmt.kind == StmtKind::Let || stmt.kind == StmtKind::Eval ||
                stmt.kind == StmtKind::Expect) &&
               stmt.expr && waits(*stmt.expr));
  info.startMs = eventMs();
  return info;
}

}  // namespace rig::exec
