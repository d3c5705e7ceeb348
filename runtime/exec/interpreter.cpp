// Statements, expressions and scopes.
#include "runtime/exec/interpreter.h"

#include <algorithm>

#include "fmt/format.h"
#include "llvm/ADT/StringExtras.h"

namespace rig::exec {

using plan::Expr;
using plan::ExprKind;
using plan::Stmt;
using plan::StmtKind;

// fn recursion deeper than this is a failure, not a stack overflow.
static constexpr size_t kMaxCallDepth = 200;

// Node events and the shell hook go to the machines' side.
static Nodes::Hooks nodeHooks(const Interpreter::Hooks& hooks) {
  Nodes::Hooks out;
  out.nodeChanged = hooks.nodeChanged;
  out.log = hooks.log;
  out.shell = hooks.shell;
  out.interrupted = hooks.interrupted;
  out.originMs = hooks.originMs;
  return out;
}

Interpreter::Interpreter(const plan::Plan& plan, SuiteMachines& machines,
                         const RunOptions& options, Clock& clock, Hooks hooks)
    : plan_(plan),
      options_(options),
      clock_(clock),
      hooks_(std::move(hooks)),
      nodes_(plan, machines, options, clock, nodeHooks(hooks_)) {
  eventuallyTimeoutMs_ =
      options.eventuallyTimeoutMs.value_or(plan.settings.eventuallyTimeoutMs);
  if (eventuallyTimeoutMs_ <= 0) eventuallyTimeoutMs_ = 300'000;
  for (const plan::Function& fn : plan.functions) functions_[fn.name] = &fn;
}

void Interpreter::evalGlobals() {
  frames_.assign(1, std::vector<Scope>(1));
  for (const plan::Global& global : plan_.globals) {
    Value value;
    try {
      value = eval(global.value);
    } catch (Failure& f) {
      f.message = fmt::format("global `{}`: {}", global.name, f.message);
      throw;
    }
    globals_[global.name] = std::move(value);
  }
  frames_.clear();
}

void Interpreter::runTest(const plan::Test& test) {
  nodes_.touched().clear();
  frames_.assign(1, std::vector<Scope>(1));
  callDepth_ = 0;
  currentTest_ = test.name;
  subtests_.clear();
  quietSteps_ = 0;
  struct EndTest {
    Interpreter* self;
    ~EndTest() {
      self->frames_.clear();
      self->currentTest_.clear();
    }
  } end{this};
  execBlock(test.body);
}

// ---- Statements --------------------------------------------------------------

Interpreter::Flow Interpreter::execBlock(const std::vector<Stmt>& body) {
  frames_.back().emplace_back();
  struct PopScope {
    Interpreter* self;
    ~PopScope() { self->frames_.back().pop_back(); }
  } pop{this};
  for (const Stmt& stmt : body)
    if (exec(stmt) == Flow::Return) return Flow::Return;
  return Flow::Next;
}

void Interpreter::checkContinue(const Stmt& stmt) {
  if (deadlinePassed()) {
    Failure f;
    f.fatal = true;
    f.message = fmt::format("suite timeout of {} reached",
                            formatDuration(nodes_.suiteTimeoutMs()));
    f.loc = stmt.loc;
    f.located = true;
    throw f;
  }
  try {
    nodes_.checkInterrupt();
  } catch (Failure& f) {
    f.loc = stmt.loc;
    f.located = true;
    throw;
  }
}

Interpreter::Flow Interpreter::exec(const Stmt& stmt) {
  checkContinue(stmt);
  if (!reportsSteps()) return execStatement(stmt);
  events::StepResult step;
  step.step = stepInfo(stmt);
  hooks_.stepStarted(step.step);
  auto finish = [&](events::Status status) {
    step.status = status;
    step.durationMs = eventMs() - step.step.startMs;
    hooks_.stepFinished(step);
  };
  try {
    Flow flow = execStatement(stmt);
    finish(events::Status::Passed);
    return flow;
  } catch (Failure& f) {
    finish(f.kind == FailureKind::Error ? events::Status::Error
                                        : events::Status::Failed);
    throw;
  }
}

Interpreter::Flow Interpreter::execStatement(const Stmt& stmt) {
  switch (stmt.kind) {
    case StmtKind::Let:
      frames_.back().back()[stmt.name] = eval(*stmt.expr);
      return Flow::Next;
    case StmtKind::Expect: execExpect(stmt); return Flow::Next;
    case StmtKind::Eval: eval(*stmt.expr); return Flow::Next;
    case StmtKind::If:
      if (eval(*stmt.expr).truthy()) return execBlock(stmt.body);
      return execBlock(stmt.elseBody);
    case StmtKind::For: {
      ValueList items = iterationItems(*stmt.expr);
      for (const Value& item : items) {
        frames_.back().emplace_back();
        frames_.back().back()[stmt.name] = item;
        Flow flow;
        try {
          flow = execBlock(stmt.body);
        } catch (...) {
          frames_.back().pop_back();
          throw;
        }
        frames_.back().pop_back();
        if (flow == Flow::Return) return flow;
      }
      return Flow::Next;
    }
    case StmtKind::Subtest: return execSubtest(stmt);
    case StmtKind::Parallel: return execParallel(stmt);
    case StmtKind::Branch:  // only inside Parallel, which runs the bodies
      return execBlock(stmt.body);
    case StmtKind::Eventually: return execEventually(stmt);
    case StmtKind::Return:
      returnValue_ = stmt.expr ? eval(*stmt.expr) : Value();
      return Flow::Return;
  }
  return Flow::Next;
}

Interpreter::Flow Interpreter::execSubtest(const Stmt& stmt) {
  events::SubtestResult result;
  // An interpolated name (`subtest "IPv${v}"`) is evaluated each time.
  result.name = stmt.expr ? eval(*stmt.expr).str() : stmt.name;
  double start = clock_.nowMs();
  subtests_.push_back(result.name);
  struct PopSubtest {
    Interpreter* self;
    ~PopSubtest() { self->subtests_.pop_back(); }
  } pop{this};
  try {
    Flow flow = execBlock(stmt.body);
    result.durationMs = clock_.nowMs() - start;
    if (hooks_.subtestFinished) hooks_.subtestFinished(result);
    return flow;
  } catch (Failure& f) {
    result.durationMs = clock_.nowMs() - start;
    result.status = f.kind == FailureKind::Error ? events::Status::Error
                                                 : events::Status::Failed;
    result.failure = render(f);
    if (hooks_.subtestFinished) hooks_.subtestFinished(result);
    f.message = fmt::format("subtest \"{}\": {}", result.name, f.message);
    throw;
  }
}

double Interpreter::eventuallyTimeout(const Stmt& stmt) {
  if (!stmt.timeout) return eventuallyTimeoutMs_;
  return wantDurationMs("eventually", "timeout", eval(*stmt.timeout));
}

Interpreter::Flow Interpreter::execEventually(const Stmt& stmt) {
  double timeoutMs = eventuallyTimeout(stmt);
  double start = clock_.nowMs();
  size_t attempts = 0;
  while (true) {
    ++attempts;
    // Each attempt starts from the scopes as they were.
    size_t depth = frames_.back().size();
    // Only the first attempt reports its steps: a block polled for minutes
    // would otherwise flood every report; the `eventually` step itself
    // spans all attempts.
    bool quiet = attempts > 1;
    if (quiet) ++quietSteps_;
    struct Unquiet {
      Interpreter* self;
      bool on;
      ~Unquiet() {
        if (on) --self->quietSteps_;
      }
    } unquiet{this, quiet};
    try {
      return execBlock(stmt.body);
    } catch (Failure& f) {
      frames_.back().resize(depth);
      if (f.fatal || f.kind == FailureKind::Error) throw;
      double elapsed = clock_.nowMs() - start;
      if (elapsed >= timeoutMs) {
        Failure out;
        out.message = fmt::format(
            "eventually: the block did not pass within {} ({} attempt{})",
            formatDuration(timeoutMs), attempts, attempts == 1 ? "" : "s");
        events::Failure last = render(f);
        out.details = "last failure: " +
                      (last.location.empty() ? "" : last.location + ": ") +
                      last.message;
        if (!last.snippet.empty()) out.details += "\n" + last.snippet;
        if (!last.details.empty()) out.details += "\n" + last.details;
        out.machines = f.machines;
        out.loc = stmt.loc;
        out.located = true;
        throw out;
      }
      clock_.sleepMs(std::min(options_.pollIntervalMs, timeoutMs - elapsed));
      nodes_.checkInterrupt();
    }
  }
}

// ---- Expressions -------------------------------------------------------------

Value Interpreter::eval(const Expr& expr) {
  try {
    return evalUnchecked(expr);
  } catch (Failure& f) {
    if (!f.located && expr.loc.line != 0) {
      f.loc = expr.loc;
      f.located = true;
    }
    throw;
  }
}

Value Interpreter::lookup(const std::string& name) {
  if (!frames_.empty()) {
    auto& scopes = frames_.back();
    for (auto it = scopes.rbegin(); it != scopes.rend(); ++it) {
      auto found = it->find(name);
      if (found != it->end()) return found->second;
    }
  }
  auto global = globals_.find(name);
  if (global != globals_.end()) return global->second;
  if (nodes_.has(name)) return Value::machine(name);
  failf("unknown name `{}`", name);
}

Value Interpreter::evalUnchecked(const Expr& expr) {
  switch (expr.kind) {
    case ExprKind::Literal: return expr.literal;
    case ExprKind::Var: return lookup(expr.name);
    case ExprKind::List: {
      ValueList items;
      items.reserve(expr.args.size());
      for (const Expr& arg : expr.args) items.push_back(eval(arg));
      return Value::list(std::move(items));
    }
    case ExprKind::Object: {
      ValueObject fields;
      for (size_t i = 0; i < expr.args.size() && i < expr.keys.size(); ++i)
        fields.emplace_back(expr.keys[i], eval(expr.args[i]));
      return Value::object(std::move(fields));
    }
    case ExprKind::Interpolate: {
      std::string text;
      for (const Expr& part : expr.args) text += eval(part).str();
      return Value::string(std::move(text));
    }
    case ExprKind::Unary: return evalUnary(expr.name, eval(expr.args.at(0)));
    case ExprKind::Binary: {
      if (expr.name == "and" || expr.name == "or") {
        Value left = eval(expr.args.at(0));
        if (expr.name == "and" ? !left.truthy() : left.truthy())
          return Value::boolean(left.truthy());
        return Value::boolean(eval(expr.args.at(1)).truthy());
      }
      Value left = eval(expr.args.at(0));
      Value right = eval(expr.args.at(1));
      return evalBinary(expr.name, left, right);
    }
    case ExprKind::If:
      return eval(expr.args.at(0)).truthy() ? eval(expr.args.at(1))
                                            : eval(expr.args.at(2));
    case ExprKind::Member:
    case ExprKind::Index: return evalAccess(expr);
    case ExprKind::Call: return evalCall(expr);
    case ExprKind::ListFor: return evalListFor(expr);
    case ExprKind::Absent: failf("an absent argument has no value");
    case ExprKind::Method: {
      Value target = eval(expr.args.at(0));
      if (target.kind() != ValueKind::Machine)
        failf("`{}` is not a machine operation on {} ({})", expr.name,
              kindName(target.kind()).str(), shortRepr(target, 80));
      return callTable(expr, target.asString());
    }
  }
  failf("unknown expression kind");
}

// A chain of member and index accesses (`actual[2].task`) is evaluated from
// its root; an error names the whole chain, with evaluated indexes.
Value Interpreter::evalAccess(const Expr& expr) {
  std::vector<const Expr*> chain;
  const Expr* root = &expr;
  while (root->kind == ExprKind::Member || root->kind == ExprKind::Index) {
    chain.push_back(root);
    root = &root->args.at(0);
  }
  std::reverse(chain.begin(), chain.end());

  Value current = eval(*root);
  std::string path = sourceText(root->loc);
  if (path.empty()) path = root->kind == ExprKind::Var ? root->name : "(value)";

  auto failAt = [&](size_t step, std::string pathSoFar, std::string reason) {
    for (size_t i = step + 1; i < chain.size(); ++i) {
      const Expr* e = chain[i];
      if (e->kind == ExprKind::Member) {
        pathSoFar += "." + e->name;
      } else {
        std::string text = sourceText(e->args.at(1).loc);
        pathSoFar += "[" + (text.empty() ? "..." : text) + "]";
      }
    }
    Failure f;
    f.message = pathSoFar + ": " + reason;
    throw f;
  };

  for (size_t i = 0; i < chain.size(); ++i) {
    const Expr* e = chain[i];
    if (e->kind == ExprKind::Member) {
      path += "." + e->name;
      // A machine's name and addresses on its first vlan (the checker folds
      // them for a named node; here the machine came from a variable).
      if (current.kind() == ValueKind::Machine &&
          (e->name == "name" || e->name == "address" ||
           e->name == "address6")) {
        const std::string node = current.asString();
        auto it =
            std::find_if(plan_.nodes.begin(), plan_.nodes.end(),
                         [&](const plan::Node& n) { return n.name == node; });
        if (it == plan_.nodes.end() || it->vlans.empty())
          failAt(i, path, fmt::format("node `{}` has no address", node));
        current = Value::string(e->name == "name"      ? node
                                : e->name == "address" ? it->vlans[0].address
                                                       : it->vlans[0].address6);
        continue;
      }
      if (current.kind() != ValueKind::Object)
        failAt(i, path,
               fmt::format("no member `{}` in {} ({})", e->name,
                           kindName(current.kind()).str(),
                           shortRepr(current, 80)));
      const Value* field = current.field(e->name);
      if (!field) {
        std::vector<std::string> keys;
        for (const auto& f : current.asObject()) keys.push_back(f.first);
        failAt(i, path,
               fmt::format("no key \"{}\" (keys: {})", e->name,
                           keys.empty() ? "none" : llvm::join(keys, ", ")));
      }
      Value next = *field;
      current = std::move(next);
      continue;
    }
    Value index = eval(e->args.at(1));
    path += "[" + index.repr() + "]";
    switch (current.kind()) {
      case ValueKind::List:
      case ValueKind::String: {
        if (index.kind() != ValueKind::Int)
          failAt(i, path,
                 fmt::format("a {} index must be an int, got {}",
                             kindName(current.kind()).str(),
                             kindName(index.kind()).str()));
        int64_t length = current.kind() == ValueKind::List
                             ? int64_t(current.asList().size())
                             : int64_t(current.asString().size());
        int64_t at = index.asInt() < 0 ? index.asInt() + length : index.asInt();
        if (at < 0 || at >= length)
          failAt(i, path,
                 fmt::format("index {} out of range, length {}", index.asInt(),
                             length));
        Value next =
            current.kind() == ValueKind::List
                ? current.asList()[size_t(at)]
                : Value::string(current.asString().substr(size_t(at), 1));
        current = std::move(next);
        break;
      }
      case ValueKind::Object: {
        if (index.kind() != ValueKind::String)
          failAt(i, path,
                 fmt::format("an object key must be a string, got {}",
                             kindName(index.kind()).str()));
        const Value* field = current.field(index.asString());
        if (!field) {
          std::vector<std::string> keys;
          for (const auto& f : current.asObject()) keys.push_back(f.first);
          failAt(i, path,
                 fmt::format("no key {} (keys: {})", index.repr(),
                             keys.empty() ? "none" : llvm::join(keys, ", ")));
        }
        Value next = *field;
        current = std::move(next);
        break;
      }
      default:
        failAt(
            i, path,
            fmt::format("cannot index {} ({})", kindName(current.kind()).str(),
                        shortRepr(current, 80)));
    }
  }
  return current;
}

CallArgs Interpreter::evalArgs(const Expr& call, size_t firstArg) {
  CallArgs args;
  for (size_t i = firstArg; i < call.args.size(); ++i)
    args.positional.push_back(eval(call.args[i]));
  for (const plan::NamedArg& named : call.named)
    args.named.emplace_back(named.name, eval(named.value.at(0)));
  return args;
}

BoundArgs Interpreter::evalBound(const Expr& call, size_t firstArg) {
  BoundArgs args;
  size_t params = call.callee ? call.callee->params.size() : 0;
  for (size_t i = firstArg; i < call.args.size(); ++i) {
    const Expr& arg = call.args[i];
    if (i - firstArg >= params)
      args.rest.push_back(eval(arg));
    else if (arg.kind == ExprKind::Absent)
      args.params.emplace_back(std::nullopt);
    else
      args.params.emplace_back(eval(arg));
  }
  return args;
}

Value Interpreter::evalCall(const Expr& call) {
  if (!call.callee) {
    auto fn = functions_.find(call.name);
    if (fn == functions_.end()) failf("unknown function `{}`", call.name);
    return callFunction(*fn->second, evalArgs(call, 0), call);
  }
  return callTable(call, "");
}

Value Interpreter::callTable(const Expr& call, std::string machine) {
  const plan::Signature& sig = *call.callee;
  bool operation = sig.kind == plan::CallableKind::Operation;
  if (operation) nodes_.slot(machine);  // fails for an unknown machine
  std::string callee = operation ? machine + "." + sig.name : sig.name;
  Call c{nodes_, sig, evalBound(call, operation ? 1 : 0), std::move(machine),
         std::move(callee)};
  return operation ? operationImplementation(sig)(c)
                   : builtinImplementation(sig)(c);
}

Value Interpreter::callFunction(const plan::Function& fn, CallArgs args,
                                const Expr& call) {
  if (callDepth_ >= kMaxCallDepth)
    failf("fn `{}`: calls nested deeper than {}", fn.name, kMaxCallDepth);
  if (args.positional.size() > fn.params.size())
    failf("fn `{}` takes {} argument{}, got {}", fn.name, fn.params.size(),
          fn.params.size() == 1 ? "" : "s", args.positional.size());

  std::vector<Scope> frame(1);
  Scope& params = frame.back();
  for (size_t i = 0; i < args.positional.size(); ++i)
    params[fn.params[i].name] = args.positional[i];
  for (auto& [name, value] : args.named) {
    auto it =
        std::find_if(fn.params.begin(), fn.params.end(),
                     [&](const plan::Param& p) { return p.name == name; });
    if (it == fn.params.end())
      failf("fn `{}` has no parameter `{}`", fn.name, name);
    if (params.count(name))
      failf("fn `{}`: parameter `{}` given twice", fn.name, name);
    params[name] = value;
  }

  frames_.push_back(std::move(frame));
  ++callDepth_;
  struct PopFrame {
    Interpreter* self;
    ~PopFrame() {
      self->frames_.pop_back();
      --self->callDepth_;
    }
  } pop{this};
  try {
    // Defaults are evaluated in the fn's frame, so they see earlier params.
    for (const plan::Param& param : fn.params) {
      if (frames_.back().front().count(param.name)) continue;
      if (!param.defaultValue)
        failf("fn `{}`: missing argument `{}`", fn.name, param.name);
      Value value = eval(*param.defaultValue);
      frames_.back().front()[param.name] = std::move(value);
    }
    returnValue_ = Value();
    if (execBlock(fn.body) == Flow::Return) {
      Value result = std::move(returnValue_);
      returnValue_ = Value();
      return result;
    }
    return Value();
  } catch (Failure& f) {
    if (!f.located) {
      f.loc = call.loc;
      f.located = true;
    } else {
      f.callers.emplace_back(fn.name, call.loc);
    }
    throw;
  }
}

// ---- Helpers -----------------------------------------------------------------

static std::string describe(const Value& value) {
  return fmt::format("{} ({})", kindName(value.kind()).str(),
                     shortRepr(value, 80));
}

const std::string& wantString(llvm::StringRef callee, llvm::StringRef param,
                              const Value& value) {
  if (value.kind() != ValueKind::String)
    failf("`{}`: `{}` must be a string, got {}", callee.str(), param.str(),
          describe(value));
  return value.asString();
}

std::vector<std::pair<std::string, std::string>> wantStringPairs(
    llvm::StringRef callee, llvm::StringRef param, const Value& value) {
  if (value.kind() != ValueKind::Object)
    failf("`{}`: `{}` must be an object, got {}", callee.str(), param.str(),
          describe(value));
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [key, v] : value.asObject()) {
    if (v.kind() == ValueKind::List || v.kind() == ValueKind::Object ||
        v.isNull())
      failf("`{}`: `{}.{}` must be a string, number or bool, got {}",
            callee.str(), param.str(), key, describe(v));
    out.emplace_back(key, v.str());
  }
  return out;
}

int64_t wantInt(llvm::StringRef callee, llvm::StringRef param,
                const Value& value) {
  if (value.kind() != ValueKind::Int)
    failf("`{}`: `{}` must be an int, got {}", callee.str(), param.str(),
          describe(value));
  return value.asInt();
}

double wantDurationMs(llvm::StringRef callee, llvm::StringRef param,
                      const Value& value) {
  if (value.kind() == ValueKind::Duration) return value.asDurationMs();
  if (value.isNumber()) return value.asNumber() * 1000.0;
  failf("`{}`: `{}` must be a duration, got {}", callee.str(), param.str(),
        describe(value));
}

std::string shortRepr(const Value& value, size_t limit) {
  std::string text = value.repr();
  if (text.size() <= limit) return text;
  return text.substr(0, limit) +
         fmt::format("... ({} more bytes)", text.size() - limit);
}

std::string shellQuote(llvm::StringRef text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

}  // namespace rig::exec
