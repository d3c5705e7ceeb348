// The exact text of `expect` failures.
#include "gtest/gtest.h"
#include "runtime/exec/testing/suite_runner.h"

namespace rig::exec {
namespace {

using events::Status;
using testing::SuiteRun;

// The values come from json(), which the checker does not fold: a constant
// `expect` is folded to its result, and only run-time values are explained.
std::string failureOf(const std::string& source) {
  SuiteRun run(source);
  run.run();
  EXPECT_EQ(run.status(), Status::Failed);
  return run.failure();
}

TEST(Expect, StructuresShowTheFirstDifference) {
  EXPECT_EQ(failureOf(R"(test "todos" {
  let actual = json(r"""[{"id": 1, "task": "finish tutorial 0"}, {"id": 2, "task": "pat self"}]""")
  expect actual == [
    { id: 1, task: "finish tutorial 0" },
    { id: 2, task: "pat self on back" },
  ]
})"),
            R"(t.rig:3:10: expect failed
   3 |   expect actual == [
     |          ^~~~~~~~~~~
actual = [{ id: 1, task: "finish tutorial 0" }, { id: 2, task: "pat self" }]
first difference: $[1].task: expected "pat self on back", got "pat self"
)");
}

TEST(Expect, ScalarsShowEachSide) {
  EXPECT_EQ(failureOf(R"(test "t" {
  let r = json(r"""{"status": 200}""")
  expect r.status == 401 or r.status == 403
})"),
            R"(t.rig:3:10: expect failed
   3 |   expect r.status == 401 or r.status == 403
     |          ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
r.status = 200
)");
}

TEST(Expect, BothSidesAndMessage) {
  EXPECT_EQ(failureOf(R"(test "t" {
  let want = json("3")
  let items = json("[1, 2]")
  expect len(items) == want, "need ${want} items"
})"),
            R"(t.rig:4:10: expect failed: need 3 items
   4 |   expect len(items) == want, "need ${want} items"
     |          ^~~~~~~~~~~~~~~~~~
len(items) = 2
want = 3
)");
}

TEST(Expect, ExpectedOnTheLeft) {
  EXPECT_EQ(failureOf(R"(test "t" {
  let got = json(r"""{"a": 1, "b": 2}""")
  expect { a: 1, b: 3 } == got
})"),
            R"(t.rig:3:10: expect failed
   3 |   expect { a: 1, b: 3 } == got
     |          ^~~~~~~~~~~~~~~~~~~~~
got = { a: 1, b: 2 }
first difference: $.b: expected 3, got 2
)");
}

TEST(Expect, PredicatesShowTheirArguments) {
  EXPECT_EQ(failureOf(R"(test "t" {
  let out = json(r"""  "hello world"  """)
  expect contains(out, "bye") and not ("x" in out)
})"),
            R"(t.rig:3:10: expect failed
   3 |   expect contains(out, "bye") and not ("x" in out)
     |          ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
out = "hello world"
)");
}

TEST(Expect, PlainValue) {
  EXPECT_EQ(failureOf(R"(test "t" {
  let ready = json("false")
  expect ready
})"),
            R"(t.rig:3:10: expect failed
   3 |   expect ready
     |          ^~~~~
ready = false
)");
}

TEST(Expect, Passing) {
  SuiteRun run(R"(test "t" { expect [1, { a: "x" }] == [1.0, { a: "x" }] })");
  run.run();
  EXPECT_EQ(run.status(), Status::Passed) << run.failure();
}

}  // namespace
}  // namespace rig::exec
