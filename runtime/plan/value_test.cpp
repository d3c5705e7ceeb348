#include "runtime/plan/value.h"

#include <gtest/gtest.h>

namespace rig {
namespace {

Value obj(ValueObject fields) { return Value::object(std::move(fields)); }

TEST(Value, EqualityIgnoresKeyOrderAndNumberKind) {
  Value a = obj({{"id", Value::integer(1)}, {"task", Value::string("x")}});
  Value b = obj({{"task", Value::string("x")}, {"id", Value::floating(1.0)}});
  EXPECT_EQ(a, b);
  EXPECT_NE(a, obj({{"id", Value::integer(1)}}));
  EXPECT_EQ(Value::integer(1), Value::floating(1.0));
  EXPECT_NE(Value::integer(1), Value::string("1"));
  EXPECT_NE(Value::null(), Value::boolean(false));
  EXPECT_EQ(Value::duration(1500), Value::duration(1500));
  EXPECT_NE(Value::duration(1000), Value::integer(1000));
}

TEST(Value, FirstDifferenceNamesThePath) {
  auto row = [](int id, const char* task) {
    return obj({{"id", Value::integer(id)}, {"task", Value::string(task)}});
  };
  Value expected = Value::list({row(1, "a"), row(2, "pat self on back")});
  Value actual = Value::list({row(1, "a"), row(2, "pat self")});
  EXPECT_EQ(*firstDifference(expected, actual),
            "$[1].task: expected \"pat self on back\", got \"pat self\"");
  EXPECT_FALSE(firstDifference(expected, expected));
  EXPECT_EQ(*firstDifference(expected, Value::list({row(1, "a")})),
            "$: expected 2 elements, got 1 (missing { id: 2, task: \"pat self "
            "on back\" })");
  EXPECT_EQ(
      *firstDifference(obj({{"odd key", Value::null()}}), obj({}), "actual"),
      "actual[\"odd key\"]: missing key, expected null");
  EXPECT_EQ(*firstDifference(obj({}), obj({{"due", Value::null()}})),
            "$.due: unexpected key, got null");
}

TEST(Value, Printing) {
  EXPECT_EQ(Value::string("a\"b").repr(), "\"a\\\"b\"");
  EXPECT_EQ(Value::string("a\"b").str(), "a\"b");
  EXPECT_EQ(Value::floating(1.0).repr(), "1.0");
  EXPECT_EQ(Value::floating(0.1).repr(), "0.1");
  EXPECT_EQ(Value::duration(1500).repr(), "1.5s");
  EXPECT_EQ(Value::duration(500).repr(), "500ms");
  EXPECT_EQ(Value::duration(90000).repr(), "90s");
  EXPECT_EQ(Value::floating(1e20).repr(), "1e+20");
  EXPECT_EQ(Value::duration(120000).repr(), "2m");
  EXPECT_EQ(Value::size(1ll << 30).repr(), "1GiB");
  EXPECT_EQ(Value::size(1000).repr(), "1000B");
  EXPECT_EQ(
      obj({{"a", Value::integer(1)}, {"odd key", Value::boolean(true)}}).repr(),
      "{ a: 1, \"odd key\": true }");
  EXPECT_EQ(Value::list({Value::integer(1), Value::null()}).str(), "[1, null]");
}

TEST(Value, CopyOnWrite) {
  Value a = Value::list({Value::integer(1)});
  Value b = a;
  b.mutableList().push_back(Value::integer(2));
  EXPECT_EQ(a.asList().size(), 1u);
  EXPECT_EQ(b.asList().size(), 2u);
}

TEST(Value, JSON) {
  auto parsed = llvm::json::parse(R"({"b": [1, 2.5, null, true], "a": "x"})");
  ASSERT_TRUE(bool(parsed));
  Value v = Value::fromJSON(*parsed);
  EXPECT_EQ(v.repr(), "{ a: \"x\", b: [1, 2.5, null, true] }");
  EXPECT_EQ(Value::fromJSON(v.toJSON()), v);
}

}  // namespace
}  // namespace rig
