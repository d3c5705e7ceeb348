// Statements of test, subtest, fn, eventually, if and for bodies.
#include "compiler/parse/parse_internal.h"

namespace rig::parse {

std::vector<ast::StmtPtr> Transformer::transformBlock(
    RigParser::BlockContext* ctx) {
  std::vector<ast::StmtPtr> body;
  if (ctx == nullptr) return body;
  for (RigParser::StmtContext* c : ctx->stmt()) {
    if (c == nullptr) continue;
    if (ast::StmtPtr stmt = transformStmt(*c)) body.push_back(std::move(stmt));
  }
  return body;
}

ast::StmtPtr Transformer::transformIf(RigParser::IfStmtContext& ctx) {
  auto stmt = std::make_unique<ast::Stmt>();
  stmt->kind = ast::StmtKind::If;
  stmt->range = state_.range(&ctx);
  stmt->expr = transformExpr(ctx.expr());
  std::vector<RigParser::BlockContext*> blocks = ctx.block();
  if (!blocks.empty()) stmt->body = transformBlock(blocks[0]);
  if (auto* elseIf = ctx.ifStmt()) {
    if (ast::StmtPtr nested = transformIf(*elseIf))
      stmt->elseBody.push_back(std::move(nested));
  } else if (blocks.size() > 1) {
    stmt->elseBody = transformBlock(blocks[1]);
  }
  return stmt;
}

ast::StmtPtr Transformer::transformStmt(RigParser::StmtContext& ctx) {
  if (auto* c = dynamic_cast<RigParser::IfStmtAltContext*>(&ctx))
    return c->ifStmt() ? transformIf(*c->ifStmt()) : nullptr;
  if (dynamic_cast<RigParser::EmptyStmtContext*>(&ctx)) return nullptr;

  auto stmt = std::make_unique<ast::Stmt>();
  stmt->range = state_.range(&ctx);
  if (auto* c = dynamic_cast<RigParser::LetStmtContext*>(&ctx)) {
    stmt->kind = ast::StmtKind::Let;
    bindName(c->bindName(), stmt->name, stmt->nameRange);
    stmt->expr = transformExpr(c->expr());
  } else if (auto* c = dynamic_cast<RigParser::ExpectStmtContext*>(&ctx)) {
    stmt->kind = ast::StmtKind::Expect;
    std::vector<RigParser::ExprContext*> exprs = c->expr();
    stmt->expr = transformExpr(exprs.empty() ? nullptr : exprs[0]);
    if (exprs.size() > 1) stmt->message = transformExpr(exprs[1]);
  } else if (auto* c = dynamic_cast<RigParser::ForStmtContext*>(&ctx)) {
    stmt->kind = ast::StmtKind::For;
    bindName(c->bindName(), stmt->name, stmt->nameRange);
    stmt->expr = transformExpr(c->expr());
    stmt->body = transformBlock(c->block());
  } else if (auto* c = dynamic_cast<RigParser::SubtestStmtContext*>(&ctx)) {
    stmt->kind = ast::StmtKind::Subtest;
    // A name with `${...}` is kept as the String expression, evaluated when
    // the subtest runs; a plain one is its text.
    ast::ExprPtr name = transformString(c->string());
    stmt->nameRange = name->range;
    bool interpolated = false;
    for (const ast::StringPart& part : name->parts)
      if (part.expr) interpolated = true;
    if (interpolated) {
      stmt->expr = std::move(name);
    } else {
      for (const ast::StringPart& part : name->parts) stmt->name += part.text;
    }
    stmt->body = transformBlock(c->block());
  } else if (auto* c = dynamic_cast<RigParser::EventuallyStmtContext*>(&ctx)) {
    stmt->kind = ast::StmtKind::Eventually;
    if (c->expr()) stmt->timeout = transformExpr(c->expr());
    stmt->body = transformBlock(c->block());
  } else if (auto* c = dynamic_cast<RigParser::ReturnStmtContext*>(&ctx)) {
    stmt->kind = ast::StmtKind::Return;
    if (c->expr()) stmt->expr = transformExpr(c->expr());
  } else if (auto* c = dynamic_cast<RigParser::ParallelStmtContext*>(&ctx)) {
    stmt->kind = ast::StmtKind::Parallel;
    for (RigParser::BranchContext* b : c->branch()) {
      if (b == nullptr) continue;
      auto branch = std::make_unique<ast::Stmt>();
      branch->kind = ast::StmtKind::Branch;
      branch->range = state_.range(b);
      if (b->string())
        branch->name =
            plainString(b->string(), "a branch name", &branch->nameRange);
      branch->body = transformBlock(b->block());
      stmt->body.push_back(std::move(branch));
    }
  } else if (auto* c = dynamic_cast<RigParser::ExprStmtContext*>(&ctx)) {
    stmt->kind = ast::StmtKind::Expr;
    stmt->expr = transformExpr(c->expr());
  } else {
    return nullptr;
  }
  return stmt;
}

}  // namespace rig::parse
