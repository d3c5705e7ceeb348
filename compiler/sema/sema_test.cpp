// Unit tests of sema: module merging (language.md section 5) and
// compile-time evaluation of constants and interpolation. Golden files
// (tests/testdata/sema) cover the diagnostics' exact text.
#include "compiler/sema/sema.h"

#include <gtest/gtest.h>

#include "compiler/parse/parse.h"

namespace rig::sema {
namespace {

struct Checked {
  SourceFiles sources;
  diag::Emitter emitter;
  Program program;
  std::string errors;
};

std::unique_ptr<Checked> check(const std::string& text) {
  auto c = std::make_unique<Checked>();
  FileId file = c->sources.add("test.rig", text);
  Options options;
  options.stdlibDir = RIG_TEST_STDLIB_DIR;
  c->program = sema::check(c->sources, file, options, c->emitter);
  for (const diag::Diagnostic& d : c->emitter.diagnostics())
    if (d.severity == diag::Severity::Error) c->errors += d.message + "\n";
  return c;
}

const NodeConfig* node(const Program& p, llvm::StringRef name) {
  for (const NodeConfig& n : p.nodes)
    if (n.name == name) return &n;
  return nullptr;
}

const Symbol* let(const Program& p, llvm::StringRef name) {
  for (const auto& s : p.symbols)
    if (s->kind == SymbolKind::Let && s->name == name) return s.get();
  return nullptr;
}

std::vector<int64_t> ports(const std::vector<Port>& list) {
  std::vector<int64_t> out;
  for (const Port& p : list) out.push_back(p.port);
  return out;
}

TEST(SemaMerge, ListsConcatenateAndTheNodesScalarsWin) {
  auto c = check(R"(
module web {
  param port = 80
  packages = ["nginx"]
  memory = 256MiB
  firewall { allow_tcp = [port] }
  service "web" { exec = "/usr/sbin/nginx -p ${port}" }
}
module metrics {
  packages = ["prometheus-node-exporter"]
  firewall { allow_tcp = [9100] }
}
node box {
  memory = 1GiB
  packages = ["curl"]
  use web { port = 8080 }
  use metrics
}
)");
  ASSERT_TRUE(c->program.ok) << c->errors;
  const NodeConfig* box = node(c->program, "box");
  ASSERT_NE(box, nullptr);
  EXPECT_EQ(box->memoryBytes, 1ll << 30);  // the node wins over `web`
  std::vector<std::string> packages = box->packages;
  std::sort(packages.begin(), packages.end());
  EXPECT_EQ(packages, (std::vector<std::string>{"curl", "nginx",
                                                "prometheus-node-exporter"}));
  std::vector<int64_t> tcp = ports(box->allowTcp);
  std::sort(tcp.begin(), tcp.end());
  EXPECT_EQ(tcp, (std::vector<int64_t>{8080, 9100}));
  ASSERT_EQ(box->services.size(), 1u);
  EXPECT_EQ(box->services[0].exec, "/usr/sbin/nginx -p 8080");
  EXPECT_EQ(box->services[0].origin.module, "web");
}

TEST(SemaMerge, TwoModulesDisagreeingOnAScalarIsAnError) {
  auto c = check(R"(
module a { memory = 1GiB }
module b { memory = 2GiB }
node box { use a; use b }
)");
  EXPECT_FALSE(c->program.ok);
  EXPECT_NE(c->errors.find("modules `a` and `b` set `memory`"),
            std::string::npos)
      << c->errors;
}

TEST(SemaMerge, TwoModulesAgreeingOnAScalarIsFine) {
  auto c = check(R"(
module a { cpus = 2 }
module b { cpus = 2 }
node box { use a; use b }
)");
  ASSERT_TRUE(c->program.ok) << c->errors;
  EXPECT_EQ(node(c->program, "box")->cpus, 2);
}

TEST(SemaMerge, KeyedBlocksCollide) {
  auto c = check(R"(
module a { service "api" { exec = "/bin/true" } }
node box {
  use a
  service "api" { exec = "/bin/false" }
}
)");
  EXPECT_FALSE(c->program.ok);
  EXPECT_NE(c->errors.find("`api` is declared twice on node `box`"),
            std::string::npos)
      << c->errors;
}

TEST(SemaMerge, ParameterDefaultsTypesAndMissingValues) {
  auto ok = check(R"(
module m {
  param port = 6379
  param name: string
  service "s" { exec = "run ${name} ${port}" }
}
node box { use m { name = "x" } }
)");
  ASSERT_TRUE(ok->program.ok) << ok->errors;
  EXPECT_EQ(node(ok->program, "box")->services[0].exec, "run x 6379");

  auto missing = check(R"(
module m { param name: string }
node box { use m }
)");
  EXPECT_FALSE(missing->program.ok);
  EXPECT_NE(missing->errors.find("must set `name`"), std::string::npos)
      << missing->errors;

  auto mistyped = check(R"(
module m { param port = 6379 }
node box { use m { port = "6380" } }
)");
  EXPECT_FALSE(mistyped->program.ok);
  EXPECT_NE(mistyped->errors.find("parameter `port` of module `m`"),
            std::string::npos)
      << mistyped->errors;
}

TEST(SemaConstants, LetsAreEvaluatedInAnyOrder) {
  auto c = check(R"(
let url = "http://${host}:${port}/${path}"
let host = "server"
let port = 3000 + 1
let path = if port > 3000 then "new" else "old"
let size = 512MiB * 2
let wait = 1.5m
let items = [1, 2] + [3]
let nested = "outer ${"inner ${host}"}"
)");
  ASSERT_TRUE(c->program.ok) << c->errors;
  auto value = [&](llvm::StringRef name) {
    const Symbol* s = let(c->program, name);
    EXPECT_NE(s, nullptr) << name.str();
    EXPECT_TRUE(s && s->constant) << name.str();
    return s && s->constant ? *s->constant : Value();
  };
  EXPECT_EQ(value("url"), Value::string("http://server:3001/new"));
  EXPECT_EQ(value("size"), Value::size(1ll << 30));
  EXPECT_EQ(value("wait"), Value::duration(90'000));
  EXPECT_EQ(value("items"), Value::list({Value::integer(1), Value::integer(2),
                                         Value::integer(3)}));
  EXPECT_EQ(value("nested"), Value::string("outer inner server"));
}

TEST(SemaConstants, NodeAttributesMustBeConstant) {
  auto c = check(R"(
fn pick() { return 3 }
node box { cpus = pick() }
)");
  EXPECT_FALSE(c->program.ok);
  EXPECT_NE(c->errors.find("must be known at compile time"), std::string::npos)
      << c->errors;
}

TEST(SemaConstants, DivisionByZeroIsReported) {
  auto c = check("let x = 1 / 0\n");
  EXPECT_FALSE(c->program.ok);
  EXPECT_NE(c->errors.find("division by zero"), std::string::npos) << c->errors;
}

// Folded builtins give what the runtime gives (runtime/exec/builtins_values.cpp).
TEST(SemaConstants, FoldedStringBuiltinsAgreeWithTheRuntime) {
  auto c =
      check("let n = len(\"h\u00e9llo\")\nlet l = lines(\"a\\r\\nb\\n\")\n");
  ASSERT_TRUE(c->program.ok) << c->errors;
  const Symbol* n = let(c->program, "n");
  const Symbol* l = let(c->program, "l");
  ASSERT_TRUE(n && n->constant && l && l->constant);
  EXPECT_EQ(*n->constant, Value::integer(5));
  EXPECT_EQ(*l->constant,
            Value::list({Value::string("a"), Value::string("b")}));
}

}  // namespace
}  // namespace rig::sema
