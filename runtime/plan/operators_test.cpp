#include "runtime/plan/operators.h"

#include <limits>

#include <gtest/gtest.h>

#include "runtime/plan/regex.h"

namespace rig {
namespace {

using Fault = OperatorResult::Fault;

Value binary(llvm::StringRef op, const Value& l, const Value& r) {
  OperatorResult result = applyBinary(op, l, r);
  EXPECT_TRUE(result.ok()) << op.str() << ": " << result.message;
  return result.value;
}

TEST(Operators, IntegersStayIntegersAndDivisionTruncates) {
  EXPECT_EQ(binary("/", Value::integer(7), Value::integer(2)).kind(),
            ValueKind::Int);
  EXPECT_EQ(binary("/", Value::integer(-7), Value::integer(2)),
            Value::integer(-3));
  EXPECT_EQ(binary("%", Value::integer(-7), Value::integer(2)),
            Value::integer(-1));
  EXPECT_EQ(binary("/", Value::integer(7), Value::floating(2)),
            Value::floating(3.5));
}

TEST(Operators, OverflowAndZeroDivisorAreEvaluationFaults) {
  int64_t max = std::numeric_limits<int64_t>::max();
  OperatorResult r = applyBinary("+", Value::integer(max), Value::integer(1));
  EXPECT_EQ(r.fault, Fault::Evaluation);
  EXPECT_EQ(r.message, "integer overflow in `+`");
  r = applyBinary("/", Value::integer(1), Value::integer(0));
  EXPECT_EQ(r.message, "division by zero");
  r = applyBinary("%", Value::floating(1), Value::integer(0));
  EXPECT_EQ(r.message, "modulo by zero");
  r = applyUnary("-", Value::integer(std::numeric_limits<int64_t>::min()));
  EXPECT_EQ(r.fault, Fault::Evaluation);
  r = applyBinary("*", Value::size(int64_t(1) << 62), Value::integer(4));
  EXPECT_EQ(r.fault, Fault::Evaluation);
}

TEST(Operators, KindsThatDoNotFitAreOperandFaults) {
  EXPECT_EQ(applyBinary("+", Value::string("a"), Value::integer(1)).fault,
            Fault::OperandKinds);
  EXPECT_EQ(applyBinary("<", Value::string("a"), Value::integer(1)).fault,
            Fault::OperandKinds);
  EXPECT_EQ(applyBinary("in", Value::integer(1), Value::string("a")).fault,
            Fault::OperandKinds);
  EXPECT_EQ(applyBinary("=~", Value::integer(1), Value::string("a")).fault,
            Fault::OperandKinds);
  EXPECT_EQ(applyUnary("-", Value::string("a")).fault, Fault::OperandKinds);
}

TEST(Operators, DurationsAndSizesScale) {
  EXPECT_EQ(binary("+", Value::duration(1000), Value::duration(500)),
            Value::duration(1500));
  EXPECT_EQ(binary("*", Value::integer(2), Value::duration(500)),
            Value::duration(1000));
  EXPECT_EQ(binary("/", Value::duration(3000), Value::duration(1000)),
            Value::floating(3));
  EXPECT_EQ(binary("*", Value::size(512), Value::integer(2)),
            Value::size(1024));
  EXPECT_EQ(binary("/", Value::size(1024), Value::size(512)),
            Value::floating(2));
}

TEST(Operators, PlusConcatenatesAndMergesRightSideWinning) {
  EXPECT_EQ(binary("+", Value::string("a"), Value::string("b")),
            Value::string("ab"));
  EXPECT_EQ(binary("+", Value::list({Value::integer(1)}),
                   Value::list({Value::integer(2)})),
            Value::list({Value::integer(1), Value::integer(2)}));
  Value merged = binary(
      "+", Value::object({{"a", Value::integer(1)}, {"b", Value::integer(2)}}),
      Value::object({{"b", Value::integer(3)}}));
  EXPECT_EQ(merged, Value::object(
                        {{"a", Value::integer(1)}, {"b", Value::integer(3)}}));
}

TEST(Operators, ComparisonMembershipAndRegex) {
  EXPECT_EQ(binary("<", Value::duration(500), Value::duration(1000)),
            Value::boolean(true));
  EXPECT_EQ(binary("==", Value::integer(1), Value::floating(1)),
            Value::boolean(true));
  Value o = Value::object({{"k", Value::null()}});
  EXPECT_EQ(binary("in", Value::string("k"), o), Value::boolean(true));
  EXPECT_EQ(binary("not in", Value::string("x"), o), Value::boolean(true));
  EXPECT_EQ(binary("=~", Value::string("abc"), Value::string("^a.c$")),
            Value::boolean(true));
  OperatorResult bad =
      applyBinary("=~", Value::string("abc"), Value::string("("));
  EXPECT_EQ(bad.fault, Fault::Evaluation);
  EXPECT_EQ(llvm::StringRef(bad.message)
                .startswith("invalid regular expression \"(\": "),
            true);
  EXPECT_TRUE(regexError("[a"));
  EXPECT_FALSE(regexError("[a]"));
}

TEST(Operators, LogicTakesTruthiness) {
  EXPECT_EQ(binary("and", Value::boolean(true), Value::null()),
            Value::boolean(false));
  EXPECT_EQ(binary("or", Value::null(), Value::integer(0)),
            Value::boolean(true));
  EXPECT_EQ(applyUnary("not", Value::null()).value, Value::boolean(true));
  EXPECT_TRUE(isComparison("not in"));
  EXPECT_FALSE(isComparison("and"));
}

}  // namespace
}  // namespace rig
