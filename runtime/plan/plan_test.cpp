#include "runtime/plan/plan.h"

#include <gtest/gtest.h>

namespace rig::plan {
namespace {

Expr literal(Value v) {
  Expr e;
  e.kind = ExprKind::Literal;
  e.literal = std::move(v);
  return e;
}

Plan samplePlan() {
  Plan plan;
  plan.suiteName = "todos";
  plan.suitePath = "examples/todos/todos.rig";
  plan.sources.push_back({"todos.rig", "node server {}\n"});
  plan.hostPackages = {"curl", "postgresql"};
  plan.settings.suiteTimeoutMs = 20 * 60'000;
  plan.settings.tags = {"db"};
  for (const char* name : {"client", "server"}) {
    Node n;
    n.name = name;
    n.loc = {0, 1, 1, 1, 15};
    n.vlans.push_back({1,
                       name[0] == 'c' ? "192.168.1.1" : "192.168.1.2",
                       24,
                       "52:54:00:01:01:00",
                       "",
                       64,
                       {}});
    n.hosts.push_back({"192.168.1.1", "client"});
    n.firewall.allowTcp = {3000};
    n.units.push_back({"todo-api.service",
                       "[Service]\nExecStart=/bin/true\n",
                       {"rig.target"}});
    n.files.push_back({"/srv/app.py", "print('hi')\n", "0644", "root", "root"});
    n.files.push_back(
        {"/srv/blob", std::string("\xff\x00\x01", 3), "0600", "root", "root"});
    n.users.push_back(
        {"authenticator", std::nullopt, true, "", "", {}, "", true, {}});
    n.groups.push_back({"web", 1234});
    n.sysctl.push_back({"net.ipv4.ip_forward", "1"});
    n.prepares.push_back({"pgdata",
                          "postgres",
                          "initdb $out",
                          "/var/lib/pg",
                          "abc",
                          {},
                          {0, 2, 1, 2, 5},
                          std::vector<std::string>{"openssl"}});
    plan.nodes.push_back(std::move(n));
  }
  Expr call;
  call.kind = ExprKind::Method;
  call.name = "succeed";
  call.loc = {0, 3, 3, 3, 20};
  Expr m;
  m.kind = ExprKind::Var;
  m.name = "client";
  call.args.push_back(m);
  call.args.push_back(literal(Value::string("curl")));
  call.args.push_back(literal(Value::duration(30'000)));  // timeout
  call.args.push_back(literal(Value::object({{"A", Value::string("1")}})));
  Expr absent;
  absent.kind = ExprKind::Absent;
  call.args.push_back(absent);  // shell
  call.args.push_back(absent);  // max_output
  Stmt let;
  let.kind = StmtKind::Let;
  let.name = "r";
  let.expr = call;
  Stmt expect;
  expect.kind = StmtKind::Expect;
  expect.expr = literal(Value::list(
      {Value::floating(1.0), Value::size(1024), Value::machine("server"),
       Value::object({{"b", Value::integer(1)}, {"a", Value::null()}})}));
  Stmt ev;
  ev.kind = StmtKind::Eventually;
  ev.timeout = literal(Value::duration(1500));
  ev.body.push_back(expect);
  plan.tests.push_back({"t", {0, 3, 1, 5, 2}, {let, ev}});
  plan.globals.push_back({"port", literal(Value::integer(3000))});
  plan.functions.push_back(
      {"helper", {}, {{"a", literal(Value::integer(3))}}, {}});
  return plan;
}

TEST(PlanJSON, RoundTrip) {
  Plan plan = samplePlan();
  std::string text = writePlan(plan);
  auto back = parsePlan(text);
  ASSERT_TRUE(bool(back)) << llvm::toString(back.takeError());
  EXPECT_EQ(back->hash, computeHash(plan));
  EXPECT_EQ(writePlan(*back), text);
  EXPECT_EQ(back->nodes[0].files[1].content, std::string("\xff\x00\x01", 3));
  const Expr& lit = *back->tests[0].body[1].body[0].expr;
  EXPECT_EQ(lit.literal.asList()[0].kind(), ValueKind::Float);
  EXPECT_EQ(lit.literal.asList()[1].kind(), ValueKind::Size);
  EXPECT_EQ(lit.literal.asList()[2].kind(), ValueKind::Machine);
  EXPECT_EQ(lit.literal.asList()[3].asObject()[0].first, "b");
  EXPECT_EQ(back->tests[0].body[0].expr->args[2].literal,
            Value::duration(30'000));
  // Reading resolved the operation against the signature table.
  EXPECT_EQ(back->tests[0].body[0].expr->callee, findOperation("succeed"));
  EXPECT_EQ(*back->settings.suiteTimeoutMs, 20 * 60'000);
  EXPECT_FALSE(bool(back->nodes[0].users[0].uid));
  EXPECT_EQ(*back->nodes[0].groups[0].gid, 1234);
  EXPECT_FALSE(validate(*back));
}

std::string readError(llvm::StringRef text) {
  auto plan = parsePlan(text);
  if (plan) return "";
  return llvm::toString(plan.takeError());
}

TEST(PlanJSON, BadPlansNameThePath) {
  EXPECT_EQ(readError(R"({"rig_plan": 3, "nodes": [{"name": "a"},
      {"name": "b", "vlans": [{"vlan": 1, "address": 7, "mac": "x"}]}]})"),
            "plan.nodes[1].vlans[0].address: expected string");
  EXPECT_EQ(readError(R"({"rig_plan": 3, "tests": [{"name": "t", "body":
      [{"kind": "expect", "expr": {"kind": "bogus"}}]}]})"),
            "plan.tests[0].body[0].expr.kind: unknown kind");
  EXPECT_EQ(readError(R"({"rig_plan": 2})"),
            "plan.rig_plan: plan version 2 is not supported (this rig reads "
            "version 3); recompile the suite with this rig");
  EXPECT_EQ(readError(R"({"nodes": []})"),
            "plan.rig_plan: missing; this is not a rig plan");
  EXPECT_NE(readError(R"({"rig_plan": 3, "hash": "00"})").find("plan.hash"),
            std::string::npos);
  EXPECT_NE(readError("{").find("plan: invalid JSON"), std::string::npos);
}

// Builtins and operations take one argument per parameter, by position
// (lowering resolves names and defaults); a plan that does not is refused
// when it is read, naming the call.
TEST(PlanJSON, CallsMustFitTheirSignature) {
  auto test = [](const std::string& expr) {
    return R"({"rig_plan": 3, "tests": [{"name": "t", "body": [{"kind": "eval", "expr": )" +
           expr + "}]}]}";
  };
  const std::string node = R"({"kind": "var", "name": "m"})";
  EXPECT_EQ(
      readError(test(
          R"({"kind": "call", "name": "json", "args": [{"kind": "literal", "value": "[1]"}]})")),
      "");
  EXPECT_EQ(readError(test(R"({"kind": "call", "name": "nope"})")),
            "plan.tests[0].body[0].expr: unknown function `nope`");
  EXPECT_EQ(
      readError(test(
          R"({"kind": "call", "name": "json", "named": [{"name": "s", "value": {"kind": "literal", "value": "1"}}]})")),
      "plan.tests[0].body[0].expr: `json` takes its arguments by "
      "position (lowering resolves names)");
  EXPECT_EQ(readError(test(
                R"({"kind": "method", "name": "wait_for_unit", "args": [)" +
                node + R"(, {"kind": "literal", "value": "a"}]})")),
            "plan.tests[0].body[0].expr: `wait_for_unit` needs 2 arguments, "
            "one per parameter; the plan gives 1");
  EXPECT_EQ(readError(test(
                R"({"kind": "method", "name": "wait_for_unit", "args": [)" +
                node + R"(, {"kind": "absent"}, {"kind": "absent"}]})")),
            "plan.tests[0].body[0].expr: `wait_for_unit`: argument 1 cannot "
            "be absent");
  EXPECT_EQ(
      readError(test(
          R"({"kind": "method", "name": "succeed", "args": [)" + node +
          R"(, {"kind": "literal", "value": "a"}, {"kind": "absent"}, {"kind": "absent"}, {"kind": "absent"}, {"kind": "absent"}, {"kind": "literal", "value": "b"}]})")),
      "");
  // A succeed of an older plan (no `env`, `shell`, `max_output`) does not
  // fit.
  EXPECT_EQ(
      readError(
          test(R"({"kind": "method", "name": "succeed", "args": [)" + node +
               R"(, {"kind": "literal", "value": "a"}, {"kind": "absent"}]})")),
      "plan.tests[0].body[0].expr: `succeed` needs 5 arguments, one per "
      "parameter; the plan gives 2");
  EXPECT_EQ(
      readError(
          test(R"({"kind": "method", "name": "wait_for_prot", "args": [)" +
               node + "]}")),
      "plan.tests[0].body[0].expr: unknown machine operation `wait_for_prot`");
}

TEST(PlanValidate, NamesThePath) {
  Plan plan = samplePlan();
  plan.nodes[1].vlans[0].vlan = 300;
  EXPECT_EQ(llvm::toString(validate(plan)),
            "plan.nodes[1].vlans[0].vlan: vlan 300 out of range 1..254");
  plan = samplePlan();
  plan.nodes[0].files[0].path = "srv/app.py";
  EXPECT_EQ(
      llvm::toString(validate(plan)),
      "plan.nodes[0].files[0].path: `srv/app.py` is not an absolute path");
  plan = samplePlan();
  plan.nodes[0].firewall.allowTcp.push_back(70000);
  EXPECT_EQ(llvm::toString(validate(plan)),
            "plan.nodes[0].firewall.allow_tcp[1]: port 70000 out of range "
            "1..65535");
}

}  // namespace
}  // namespace rig::plan
