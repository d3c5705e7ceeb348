// Operators, values, builtins, scopes and functions.
#include "gtest/gtest.h"
#include "runtime/exec/testing/compile_suite.h"
#include "runtime/exec/testing/suite_runner.h"

namespace rig::exec {
namespace {

using events::Status;
using testing::SuiteRun;

// Every test of `source` passes.
void passes(const std::string& source) {
  SuiteRun run(source);
  run.run();
  ASSERT_FALSE(run.result.tests.empty());
  for (size_t i = 0; i < run.result.tests.size(); ++i)
    EXPECT_EQ(run.status(i), Status::Passed)
        << run.result.tests[i].name << ":\n"
        << run.failure(i);
}

// The single test of `source` fails with `message` (first line).
void failsWith(const std::string& source, const std::string& message) {
  SuiteRun run(source);
  run.run();
  ASSERT_EQ(run.status(0), Status::Failed) << source;
  EXPECT_EQ(run.result.tests[0].failure->message, message) << run.failure(0);
}

// The checker's diagnostics for `source` ("" when it compiles): scoping
// errors never reach the interpreter.
std::string compileErrors(const std::string& source) {
  llvm::Expected<plan::Plan> compiled = testing::compileSuite(source);
  if (compiled) return "";
  return llvm::toString(compiled.takeError());
}

TEST(Operators, Arithmetic) {
  passes(R"(test "t" {
    expect 1 + 2 * 3 == 7
    expect 7 / 2 == 3
    expect -7 / 2 == -3
    expect 7 % 3 == 1
    expect 1.5 + 1 == 2.5
    expect 7.0 / 2 == 3.5
    expect 1 == 1.0
    expect "a" + "b" == "ab"
    expect [1] + [2, 3] == [1, 2, 3]
    expect { a: 1, b: 2 } + { b: 3 } == { a: 1, b: 3 }
    expect 1s + 500ms == 1500ms
    expect 2 * 1s == 2s
    expect 1m / 2 == 30s
    expect 1m / 1s == 60
    expect 1GiB == 1024MiB
    expect 512MiB * 2 == 1GiB
    expect -(3) == -3
  })");
}

TEST(Operators, Comparisons) {
  passes(R"(test "t" {
    expect 1 < 2 and 2 <= 2 and 3 > 2 and 3 >= 3
    expect 1 < 1.5
    expect "abc" < "abd"
    expect 1s < 2s and 1MiB < 1GiB
    expect 1 != 2 and "a" != 1
    expect { a: 1, b: [1, 2] } == { b: [1, 2.0], a: 1 }
    expect not (1 == 2)
  })");
}

TEST(Operators, Membership) {
  passes(R"(test "t" {
    expect 2 in [1, 2, 3]
    expect 4 not in [1, 2, 3]
    expect { a: 1 } in [{ a: 1.0 }]
    expect "ell" in "hello"
    expect "x" not in "hello"
    expect "a" in { a: 1 }
    expect "b" not in { a: 1 }
  })");
}

TEST(Operators, Regex) {
  passes(R"(test "t" {
    expect "version 1.2.3" =~ "[0-9]+\\.[0-9]+"
    expect "abc" !~ "^b"
    expect matches("abc", "^a.c$")
  })");
  // A pattern known at compile time is checked then (E0406).
  SuiteRun bad(R"(test "t" { expect "a" =~ json("\"(\"") })");
  bad.run();
  EXPECT_TRUE(llvm::StringRef(bad.result.tests[0].failure->message)
                  .startswith("invalid regular expression \"(\": "))
      << bad.failure();
}

TEST(Operators, ShortCircuit) {
  // The right side would fail if it were evaluated (json(): not folded).
  passes(R"(test "t" {
    expect json("true") or fail("evaluated") == null
    expect not (json("false") and fail("evaluated") == null)
  })");
}

TEST(Operators, Errors) {
  // Constant operands fail at compile time; json() values at run time.
  failsWith(R"(test "t" { let x = 1 / json("0") })", "division by zero");
  failsWith(R"(test "t" { let x = 9223372036854775807 + json("1") })",
            "integer overflow in `+`");
  failsWith(R"(test "t" { let x = "a" + json("1") })",
            "operator `+` cannot be applied to string and int (\"a\" + 1)");
  failsWith(R"(test "t" { let x = "a" < json("1") })",
            "operator `<` cannot be applied to string and int (\"a\" < 1)");
}

TEST(Access, IndexesAndMembers) {
  passes(R"(test "t" {
    let a = [10, 20, 30]
    expect a[0] == 10 and a[-1] == 30 and a[-3] == 10
    let o = { x: { y: [1, { z: "deep" }] }, "odd key": true }
    expect o.x.y[1].z == "deep"
    expect o["odd key"]
  })");
}

TEST(Access, ErrorsNameThePath) {
  failsWith(R"(test "t" {
    let actual = json(r"""[{"task": "a"}, {"task": "b"}]""")
    let x = actual[2].task
  })",
            "actual[2].task: index 2 out of range, length 2");
  failsWith(R"(test "t" {
    let actual = json(r"""[{"task": "a"}]""")
    let x = actual[-2]
  })",
            "actual[-2]: index -2 out of range, length 1");
  failsWith(R"(test "t" {
    let r = json(r"""{"status": 200, "body": ""}""")
    let x = r.json.id
  })",
            "r.json.id: no key \"json\" (keys: body, status)");
  failsWith(R"(test "t" {
    let r = json(r"""{"status": 200}""")
    let x = r.status.code
  })",
            "r.status.code: no member `code` in int (200)");
  failsWith(R"(test "t" {
    let o = { a: 1 }
    let i = json("0")
    let x = o[i]
  })",
            "o[0]: an object key must be a string, got int");
}

TEST(Builtins, Json) {
  passes(R"(test "t" {
    let v = json("[{\"id\": 1, \"done\": false, \"due\": null}]")
    expect v == [{ id: 1, done: false, due: null }]
    expect to_json({ a: [1, "x"], b: null }) == "{\"a\":[1,\"x\"],\"b\":null}"
    expect to_json(1500ms) == "1500"
  })");
}

TEST(Builtins, BadJsonShowsTheText) {
  SuiteRun run(R"(test "t" { let v = json("{\"a\": 1,\n \"b\": tru}") })");
  run.run();
  ASSERT_EQ(run.status(), Status::Failed);
  EXPECT_EQ(run.failure(),
            R"(t.rig:1:20: json: not valid JSON: Invalid JSON value (true?)
   1 | test "t" { let v = json("{\"a\": 1,\n \"b\": tru}") }
     |                    ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
at byte 19:
   "b": tru}
            ^
text: "{\"a\": 1,\n \"b\": tru}"
)");
}

TEST(Builtins, Strings) {
  passes(R"(test "t" {
    expect len("héllo") == 5
    expect len([1, 2]) == 2 and len({ a: 1 }) == 1
    expect str(42) == "42" and str("x") == "x" and str([1, "a"]) == "[1, \"a\"]"
    expect int(" 42\n") == 42 and int(3.9) == 3
    expect float("2.5") == 2.5
    expect trim("  a b \n") == "a b"
    expect lines("a\nb\n") == ["a", "b"]
    expect lines("") == []
    expect split("a,b,,c", ",") == ["a", "b", "", "c"]
    expect join(["a", 1, true], "-") == "a-1-true"
    expect keys({ b: 1, a: 2 }) == ["b", "a"]
    expect contains([1, 2], 2) and contains("abc", "b") and contains({ k: 1 }, "k")
    expect "${1 + 1} and ${"x"}" == "2 and x"
  })");
  failsWith(R"(test "t" { let x = int("4x") })", "int: not an integer: \"4x\"");
  failsWith(R"(test "t" { let x = len(json("3")) })",
            "len: needs a string, list or object, got int (3)");
  failsWith(R"(test "t" { fail("custom " + "message") })", "custom message");
}

TEST(Builtins, SleepUsesTheClock) {
  SuiteRun run(R"(test "t" { sleep(2s) sleep(0.5) })");
  run.run();
  EXPECT_EQ(run.status(), Status::Passed) << run.failure();
  EXPECT_EQ(run.clock.slept(), 2500);
}

TEST(Builtins, LogIsReported) {
  SuiteRun run(R"(test "t" { log("hello " + str(42)) })");
  run.run();
  EXPECT_EQ(run.result.tests[0].log, std::vector<std::string>{"hello 42"});
  EXPECT_EQ(run.reporter.events[2], "log: hello 42");
}

TEST(Scopes, GlobalsLetsAndBlocks) {
  passes(R"(
    let base = 10
    let derived = base * 2
    test "t" {
      expect derived == 20
      let x = 1
      if true { let x = 2 expect x == 2 }
      expect x == 1
      let total = 0
      for i in [1, 2, 3] { let sq = i * i log(sq) }
      for k in { a: 1, b: 2 } { log(k) }
      expect (if x == 1 then "one" else "other") == "one"
    }
    test "lets do not leak between tests" {
      expect base == 10
    }
  )");
  EXPECT_NE(compileErrors(R"(test "b" { if true { let y = 1 } expect y == 1 })")
                .find("unknown name `y`"),
            std::string::npos);
}

TEST(Functions, ParamsDefaultsReturn) {
  passes(R"(
    let g = 100
    fn add(a, b = 2) { return a + b + g }
    fn early(x) {
      if x > 0 { return "positive" }
      return "not positive"
    }
    fn nothing() { let z = 1 }
    fn fact(n) { if n <= 1 { return 1 } return n * fact(n - 1) }
    test "t" {
      expect add(1) == 103
      expect add(1, 5) == 106
      expect add(b = 2, a = 1) == 103
      expect early(1) == "positive" and early(0) == "not positive"
      expect nothing() == null
      expect fact(10) == 3628800
    }
  )");
}

TEST(Functions, FailureInsideFnShowsTheCaller) {
  SuiteRun run(R"(fn check(v) {
  expect v == 2
}
test "t" {
  check(1)
})");
  run.run();
  EXPECT_EQ(run.failure(), R"(t.rig:2:10: expect failed
   2 |   expect v == 2
     |          ^~~~~~
v = 1
in fn `check` called at t.rig:5:3
)");
}

TEST(Functions, CallerLocalsAreInvisible) {
  EXPECT_NE(compileErrors(R"(fn f() { return secret }
test "t" { let secret = 1 let x = f() })")
                .find("unknown name `secret`"),
            std::string::npos);
}

}  // namespace
}  // namespace rig::exec
