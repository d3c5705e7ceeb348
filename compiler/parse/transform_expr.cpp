// Expressions. Precedence is settled by the grammar; this maps each labelled
// alternative to an ast::Expr.
#include "compiler/parse/number.h"
#include "compiler/parse/parse_internal.h"
#include "runtime/support/assert.h"

namespace rig::parse {

using Kind = ast::ExprKind;

namespace {

ast::ExprPtr make(Kind kind, SourceRange range) {
  auto e = std::make_unique<ast::Expr>();
  e->kind = kind;
  e->range = range;
  return e;
}

}  // namespace

ast::ExprPtr Transformer::missingExpr(SourceRange at) {
  return make(Kind::Null, at);
}

ast::ExprPtr Transformer::transformExpr(RigParser::ExprContext* ctx) {
  if (ctx == nullptr) return missingExpr({state_.file(), 0, 0});
  // Left-nested chains (`a + a + ... + a`, `x.y.y.y...`) are loops in the
  // parser but recursion here: bound them like the parser bounds nesting.
  if (depth_ >= kMaxAstDepth) {
    if (!reportedDepth_) {
      reportedDepth_ = true;
      state_.emitter().emit(state_.range(ctx), diag::Kind::NestingTooDeep,
                            kMaxAstDepth);
    }
    return missingExpr(state_.range(ctx));
  }
  ++depth_;
  ast::ExprPtr e = transformExprInner(*ctx);
  --depth_;
  return e;
}

ast::ExprPtr Transformer::binary(RigParser::ExprContext& ctx, std::string op,
                                 RigParser::ExprContext* lhs,
                                 RigParser::ExprContext* rhs) {
  auto e = make(Kind::Binary, state_.range(&ctx));
  e->name = std::move(op);
  e->operands.push_back(transformExpr(lhs));
  e->operands.push_back(transformExpr(rhs));
  return e;
}

ast::ExprPtr Transformer::transformExprInner(RigParser::ExprContext& ctx) {
  SourceRange range = state_.range(&ctx);
  if (auto* c = dynamic_cast<RigParser::CallExprContext*>(&ctx)) {
    auto e = make(Kind::Call, range);
    e->operands.push_back(transformExpr(c->expr()));
    e->args = transformArgs(c->args());
    return e;
  }
  if (auto* c = dynamic_cast<RigParser::IndexExprContext*>(&ctx)) {
    auto e = make(Kind::Index, range);
    e->operands.push_back(transformExpr(c->expr(0)));
    e->operands.push_back(transformExpr(c->expr(1)));
    return e;
  }
  if (auto* c = dynamic_cast<RigParser::MemberExprContext*>(&ctx)) {
    auto e = make(Kind::Member, range);
    e->operands.push_back(transformExpr(c->expr()));
    if (RigParser::FieldNameContext* field = c->fieldName()) {
      e->name = state_.text(field->start).str();
      e->nameRange = state_.range(field);
    }
    return e;
  }
  if (auto* c = dynamic_cast<RigParser::NegExprContext*>(&ctx)) {
    ast::ExprPtr operand = transformExpr(c->expr());
    // `-5`, `-1.5`, `-30s`: a negative literal, not an operation.
    if (dynamic_cast<RigParser::NumberExprContext*>(c->expr()) &&
        operand->kind != Kind::Null) {
      operand->range = range;
      operand->intValue = -operand->intValue;
      operand->floatValue = -operand->floatValue;
      return operand;
    }
    auto e = make(Kind::Unary, range);
    e->name = "-";
    e->operands.push_back(std::move(operand));
    return e;
  }
  if (auto* c = dynamic_cast<RigParser::NotExprContext*>(&ctx)) {
    auto e = make(Kind::Unary, range);
    e->name = "not";
    e->operands.push_back(transformExpr(c->expr()));
    return e;
  }
  if (auto* c = dynamic_cast<RigParser::MulExprContext*>(&ctx))
    return binary(ctx, c->op ? state_.text(c->op).str() : "*", c->expr(0),
                  c->expr(1));
  if (auto* c = dynamic_cast<RigParser::AddExprContext*>(&ctx))
    return binary(ctx, c->op ? state_.text(c->op).str() : "+", c->expr(0),
                  c->expr(1));
  if (auto* c = dynamic_cast<RigParser::CmpExprContext*>(&ctx)) {
    std::string op = c->NOT() ? "not in"
                     : c->op  ? state_.text(c->op).str()
                              : "==";
    return binary(ctx, op, c->expr(0), c->expr(1));
  }
  if (auto* c = dynamic_cast<RigParser::AndExprContext*>(&ctx))
    return binary(ctx, "and", c->expr(0), c->expr(1));
  if (auto* c = dynamic_cast<RigParser::OrExprContext*>(&ctx))
    return binary(ctx, "or", c->expr(0), c->expr(1));
  if (auto* c = dynamic_cast<RigParser::IfExprContext*>(&ctx)) {
    auto e = make(Kind::If, range);
    for (size_t i = 0; i < 3; ++i)
      e->operands.push_back(transformExpr(c->expr(i)));
    return e;
  }
  if (auto* c = dynamic_cast<RigParser::NumberExprContext*>(&ctx))
    return transformNumber(c->NUMBER() ? c->NUMBER()->getSymbol() : nullptr);
  if (auto* c = dynamic_cast<RigParser::BoolExprContext*>(&ctx)) {
    auto e = make(Kind::Bool, range);
    e->boolValue = c->TRUE() != nullptr;
    return e;
  }
  if (dynamic_cast<RigParser::NullExprContext*>(&ctx))
    return make(Kind::Null, range);
  if (auto* c = dynamic_cast<RigParser::StringExprContext*>(&ctx))
    return transformString(c->string());
  if (auto* c = dynamic_cast<RigParser::IdentExprContext*>(&ctx)) {
    auto e = make(Kind::Ident, range);
    e->name = state_.text(c->IDENT()).str();
    return e;
  }
  // A keyword the file bound as a name (reported there) reads as that name.
  if (auto* c = dynamic_cast<RigParser::KeywordIdentExprContext*>(&ctx)) {
    auto e = make(Kind::Ident, range);
    if (c->nameKeyword()) e->name = state_.text(c->nameKeyword()->start).str();
    return e;
  }
  if (auto* c = dynamic_cast<RigParser::ListForExprContext*>(&ctx)) {
    auto e = make(Kind::ListFor, range);
    bindName(c->bindName(), e->name, e->nameRange);
    std::vector<RigParser::ExprContext*> exprs = c->expr();
    // [for x in A: B] or [for x in A if C: B]
    auto at = [&](size_t i) {
      return i < exprs.size() ? transformExpr(exprs[i]) : missingExpr(range);
    };
    e->operands.push_back(at(0));
    if (c->IF()) {
      ast::ExprPtr filter = at(1);
      e->operands.push_back(at(2));
      e->operands.push_back(std::move(filter));
    } else {
      e->operands.push_back(at(1));
    }
    return e;
  }
  if (auto* c = dynamic_cast<RigParser::ListExprContext*>(&ctx)) {
    auto e = make(Kind::List, range);
    for (RigParser::ExprContext* element : c->expr())
      e->operands.push_back(transformExpr(element));
    return e;
  }
  if (auto* c = dynamic_cast<RigParser::ObjectExprContext*>(&ctx)) {
    auto e = make(Kind::Object, range);
    for (RigParser::ObjectEntryContext* entry : c->objectEntry()) {
      if (entry == nullptr) continue;
      ast::ObjectEntry out;
      if (RigParser::FieldNameContext* field = entry->fieldName()) {
        out.key = state_.text(field->start).str();
        out.keyRange = state_.range(field);
      } else if (entry->string()) {
        out.key = plainString(entry->string(), "an object key", &out.keyRange);
      } else {
        continue;
      }
      out.value = transformExpr(entry->expr());
      e->entries.push_back(std::move(out));
    }
    return e;
  }
  if (auto* c = dynamic_cast<RigParser::ParenExprContext*>(&ctx))
    return transformExpr(c->expr());
  return missingExpr(range);
}

std::vector<ast::Arg> Transformer::transformArgs(RigParser::ArgsContext* ctx) {
  std::vector<ast::Arg> args;
  if (ctx == nullptr) return args;
  for (RigParser::ArgContext* c : ctx->arg()) {
    if (c == nullptr) continue;
    ast::Arg arg;
    arg.range = state_.range(c);
    if (c->IDENT()) {
      arg.name = state_.text(c->IDENT()).str();
      arg.nameRange = state_.range(c->IDENT());
    }
    arg.value = transformExpr(c->expr());
    args.push_back(std::move(arg));
  }
  return args;
}

ast::ExprPtr Transformer::transformNumber(antlr4::Token* token) {
  SourceRange range = state_.range(token);
  llvm::StringRef text = state_.text(token);
  NumberLiteral n = decodeNumber(text);
  if (!n.ok) {
    diag::Emitter& out = state_.emitter();
    diag::Diagnostic* d = nullptr;
    // Each kind named here, so that its format is checked against the
    // arguments at compile time.
    switch (n.error) {
      case diag::Kind::NumberTooLarge:
        d = &out.emit(range, diag::Kind::NumberTooLarge, n.arg0);
        break;
      case diag::Kind::UnknownUnit:
        d = &out.emit(range, diag::Kind::UnknownUnit, n.arg0, n.arg1);
        break;
      case diag::Kind::FractionalSize:
        d = &out.emit(range, diag::Kind::FractionalSize, n.arg0, n.arg1);
        break;
      default:
        RIG_ASSERT(n.error == diag::Kind::InvalidNumber,
                   "decodeNumber reports only the kinds named here");
        d = &out.emit(range, diag::Kind::InvalidNumber, n.arg0, n.arg1);
        break;
    }
    if (!n.help.empty()) d->withHelp(n.help);
    auto e = make(Kind::Int, range);  // a well-typed stand-in
    return e;
  }
  auto e = make(n.kind, range);
  e->intValue = n.intValue;
  e->floatValue = n.floatValue;
  return e;
}

}  // namespace rig::parse
