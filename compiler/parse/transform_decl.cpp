// Top-level declarations: import, let, fn, module, node, test, meta.
#include <fmt/format.h>

#include "compiler/parse/parse_internal.h"

namespace rig::parse {

ast::File Transformer::transformFile(RigParser::FileContext& ctx) {
  ast::File file;
  file.file = state_.file();
  for (RigParser::TopItemContext* item : ctx.topItem())
    if (item) transformTopItem(*item, file);
  return file;
}

void Transformer::transformTopItem(RigParser::TopItemContext& ctx,
                                   ast::File& file) {
  if (auto* c = ctx.importDecl()) {
    file.imports.push_back(transformImport(*c));
  } else if (auto* c = ctx.letDecl()) {
    file.lets.push_back(transformLet(*c));
  } else if (auto* c = ctx.fnDecl()) {
    file.fns.push_back(transformFn(*c));
  } else if (auto* c = ctx.moduleDecl()) {
    file.modules.push_back(transformModule(*c));
  } else if (auto* c = ctx.nodeDecl()) {
    file.nodes.push_back(transformNode(*c));
  } else if (auto* c = ctx.testDecl()) {
    file.tests.push_back(transformTest(*c));
  } else if (auto* c = ctx.metaDecl()) {
    if (c->string() && state_.text(c->IDENT()) == "prepare") {
      file.prepares.push_back(transformTopPrepare(*c));
      return;
    }
    ast::Meta meta;
    if (transformMeta(*c, meta)) file.metas.push_back(std::move(meta));
  }
}

ast::Import Transformer::transformImport(RigParser::ImportDeclContext& ctx) {
  ast::Import import;
  import.range = state_.range(&ctx);
  import.path = plainString(ctx.string(), "an import path", &import.pathRange);
  if (auto* alias = ctx.IDENT()) {
    import.alias = state_.text(alias).str();
    import.aliasRange = state_.range(alias);
  }
  return import;
}

// A name to suggest for a keyword used as one: a word that says the same.
static std::string nameFor(llvm::StringRef keyword) {
  if (keyword == "node") return "vm";
  if (keyword == "test") return "check";
  if (keyword == "module") return "mod";
  if (keyword == "fn") return "f";
  if (keyword == "import") return "imported";
  if (keyword == "as") return "alias";
  if (keyword == "use") return "usage";
  return (keyword + "_").str();
}

bool Transformer::bindName(RigParser::BindNameContext* ctx, std::string& name,
                           SourceRange& range) {
  if (ctx == nullptr) return false;
  if (antlr4::tree::TerminalNode* ident = ctx->IDENT()) {
    name = state_.text(ident).str();
    range = state_.range(ident);
    return !name.empty();
  }
  if (ctx->nameKeyword() == nullptr) return false;
  range = state_.range(ctx);
  name = state_.text(ctx->nameKeyword()->start).str();
  state_.emitter()
      .emit(range, diag::Kind::KeywordAsName, name)
      .withHelp(fmt::format("choose another name, e.g. `{}`", nameFor(name)));
  return true;
}

ast::Let Transformer::transformLet(RigParser::LetDeclContext& ctx) {
  ast::Let let;
  let.range = state_.range(&ctx);
  bindName(ctx.bindName(), let.name, let.nameRange);
  let.value = ctx.expr()
                  ? transformExpr(ctx.expr())
                  : missingExpr({state_.file(), let.range.end, let.range.end});
  return let;
}

ast::Fn Transformer::transformFn(RigParser::FnDeclContext& ctx) {
  ast::Fn fn;
  fn.range = state_.range(&ctx);
  bindName(ctx.bindName(), fn.name, fn.nameRange);
  if (auto* params = ctx.fnParams()) {
    for (RigParser::FnParamContext* p : params->fnParam()) {
      if (p == nullptr) continue;
      ast::FnParam param;
      param.range = state_.range(p);
      if (!bindName(p->bindName(), param.name, param.nameRange)) continue;
      if (p->expr()) param.defaultValue = transformExpr(p->expr());
      fn.params.push_back(std::move(param));
    }
  }
  fn.body = transformBlock(ctx.block());
  return fn;
}

ast::Module Transformer::transformModule(RigParser::ModuleDeclContext& ctx) {
  ast::Module module;
  module.range = state_.range(&ctx);
  module.name = state_.text(ctx.IDENT()).str();
  module.nameRange = state_.range(ctx.IDENT());
  module.body = transformBody(ctx.body(), /*inModule=*/true);
  return module;
}

ast::Node Transformer::transformNode(RigParser::NodeDeclContext& ctx) {
  ast::Node node;
  node.range = state_.range(&ctx);
  node.name = state_.text(ctx.IDENT()).str();
  node.nameRange = state_.range(ctx.IDENT());
  node.body = transformBody(ctx.body(), /*inModule=*/false);
  return node;
}

ast::Test Transformer::transformTest(RigParser::TestDeclContext& ctx) {
  ast::Test test;
  test.range = state_.range(&ctx);
  test.name = plainString(ctx.string(), "a test name", &test.nameRange);
  test.body = transformBlock(ctx.block());
  return test;
}

// `prepare "NAME" { ... }` at the top level: the item a node body would
// hold, so that the checker reads both alike.
ast::Item Transformer::transformTopPrepare(RigParser::MetaDeclContext& ctx) {
  ast::Item item;
  item.kind = ast::ItemKind::Block;
  item.range = state_.range(&ctx);
  item.name = "prepare";
  item.nameRange = state_.range(ctx.IDENT());
  item.label = transformString(ctx.string());
  item.hasBody = true;
  item.body = transformBody(ctx.body(), /*inModule=*/false);
  return item;
}

bool Transformer::transformMeta(RigParser::MetaDeclContext& ctx,
                                ast::Meta& meta) {
  llvm::StringRef word = state_.text(ctx.IDENT());
  SourceRange wordRange = state_.range(ctx.IDENT());
  if (word == "prepare" || (word == "meta" && ctx.string())) {
    // The right word with or without a name where the other form needs one.
    if (!state_.hasSyntaxErrorAt(wordRange.begin)) {
      if (word == "prepare")
        state_.emitter().emit(wordRange, diag::Kind::MissingLabel, "prepare");
      else
        state_.emitter().emit(state_.range(ctx.string()),
                              diag::Kind::UnexpectedLabel, "meta");
    }
    return false;
  }
  if (word != "meta") {
    // `foo { ... }` parsed, but only `meta` may stand there.
    SourceRange r = state_.range(ctx.IDENT());
    if (!state_.hasSyntaxErrorAt(r.begin) &&
        state_.firstReportAt(diag::Kind::UnknownDeclaration, r.begin))
      reportUnknownDeclarationAt(state_, r, word);
    return false;
  }
  meta.range = state_.range(&ctx);
  meta.body = transformBody(ctx.body(), /*inModule=*/false);
  return true;
}

}  // namespace rig::parse
