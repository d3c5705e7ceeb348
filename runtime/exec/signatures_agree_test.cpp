// Walks the signature table (runtime/plan/builtins.def, operations.def) and
// proves that the checker and the runtime agree on every entry: a call that
// names every parameter, and one that gives them all by position, compiles
// with the real front end and runs against fake machines without an
// argument error (an unknown or missing parameter, a type the runtime
// refuses, a name the runtime does not implement).
#include <set>
#include <span>
#include <string>

#include "fmt/format.h"
#include "gtest/gtest.h"
#include "llvm/ADT/StringRef.h"
#include "runtime/exec/testing/compile_suite.h"
#include "runtime/exec/testing/suite_runner.h"
#include "runtime/plan/signatures.h"

namespace rig::exec {
namespace {

using plan::ParamSig;
using plan::Signature;

// A value of the first kind `param` accepts, as JSON text.
std::string sampleJson(const ParamSig& param) {
  using namespace plan;
  TypeMask t = param.types & kKinds;
  if (t == kTimeout) return "2";  // seconds
  // A string with a closed set of values: one of them.
  if (llvm::StringRef(param.name) == "shell") return "\"sh\"";
  if (t & kString) return param.regex() ? "\"x+\"" : "\"true\"";
  if (t & kInt) return "1";
  if (t & kFloat) return "1.5";
  if (t & kList) return "[\"a\"]";
  if (t & kObject) return "{\"a\": \"1\"}";
  if (t & kBool) return "true";
  return "null";
}

// The value as rig source, through `json` so that the compiler cannot fold
// the call: the runtime must evaluate it (a size is a literal). A machine
// is the suite's node.
std::string sample(const ParamSig& param) {
  // JSON has no sizes: a literal (no builtin takes one, so nothing folds).
  if ((param.types & plan::kKinds) == plan::kSize) return "16KiB";
  if ((param.types & plan::kKinds) == plan::kMachine) return "m";
  std::string text;
  for (char c : sampleJson(param)) {
    if (c == '"' || c == '\\') text += '\\';
    text += c;
  }
  return "json(\"" + text + "\")";
}

// The call with every parameter, named or positional. A variadic entry's
// extra positional arguments are more of its first parameter, so the
// parameters after it are always named.
std::string call(const Signature& sig, bool named) {
  std::string args;
  for (size_t i = 0; i < sig.params.size(); ++i) {
    const ParamSig& p = sig.params[i];
    if (!args.empty()) args += ", ";
    if (named || (sig.variadic && i > 0)) args += std::string(p.name) + " = ";
    args += sample(p);
  }
  std::string prefix = sig.kind == plan::CallableKind::Operation ? "m." : "";
  return prefix + sig.name + "(" + args + ")";
}

// Messages the runtime gives when its idea of the arguments differs from
// the checker's.
const char* const kArgumentErrors[] = {
    "has no parameter", "given twice",      "takes at most",
    "must be a",        "must be an",       "needs a",
    "needs two",        "needs `",          "missing argument",
    "absent",           "unknown function", "unknown machine operation"};

// Each entry in a suite of its own, so that one operation leaving the node
// dead or stopped does not skip the next.
void runEveryCall(std::span<const Signature> table, bool named) {
  for (const Signature& sig : table) {
    std::string text = call(sig, named);
    std::string source = "node m {}\ntest \"t\" { " + text + " }\n";
    llvm::Expected<plan::Plan> compiled = testing::compileSuite(source);
    ASSERT_TRUE(bool(compiled)) << llvm::toString(compiled.takeError()) << "\n"
                                << source;
    // Lowering gave the call one argument per parameter, by position.
    const plan::Expr& e = *compiled->tests.at(0).body.at(0).expr;
    EXPECT_EQ(e.callee, &sig) << text;
    size_t first = e.kind == plan::ExprKind::Method ? 1 : 0;
    EXPECT_EQ(e.args.size() - first, sig.params.size()) << text;
    EXPECT_TRUE(e.named.empty()) << text;
    testing::SuiteRun run(std::move(*compiled));
    run.run();
    ASSERT_EQ(run.result.tests.size(), 1u) << text;
    std::string failure = run.failure(0);
    for (const char* bad : kArgumentErrors)
      EXPECT_EQ(failure.find(bad), std::string::npos) << text << ":\n"
                                                      << failure;
  }
}

TEST(SignaturesAgree, BuiltinsNamed) { runEveryCall(plan::builtins(), true); }
TEST(SignaturesAgree, BuiltinsPositional) {
  runEveryCall(plan::builtins(), false);
}
TEST(SignaturesAgree, OperationsNamed) {
  runEveryCall(plan::operations(), true);
}
TEST(SignaturesAgree, OperationsPositional) {
  runEveryCall(plan::operations(), false);
}

// The table itself: names are unique and parameters of one entry too, and
// every entry is documented.
TEST(SignaturesAgree, TableIsWellFormed) {
  for (auto table : {plan::builtins(), plan::operations()}) {
    std::set<std::string> names;
    for (const Signature& sig : table) {
      EXPECT_TRUE(names.insert(sig.name).second) << sig.name;
      EXPECT_GT(llvm::StringRef(sig.doc).size(), 10u) << sig.name;
      std::set<std::string> params;
      bool optionalSeen = false;
      for (const ParamSig& p : sig.params) {
        EXPECT_TRUE(params.insert(p.name).second) << sig.name << "." << p.name;
        // Required parameters come first, so positional calls can leave
        // the optional ones out.
        EXPECT_FALSE(optionalSeen && p.required()) << sig.name << "." << p.name;
        optionalSeen |= !p.required();
      }
      if (sig.kind == plan::CallableKind::Operation) {
        EXPECT_TRUE(sig.backends & plan::kVm) << sig.name;
      }
    }
  }
  // send_monitor_command talks to QEMU: VM nodes only.
  EXPECT_EQ(plan::findOperation("send_monitor_command")->backends, plan::kVm);
}

}  // namespace
}  // namespace rig::exec
