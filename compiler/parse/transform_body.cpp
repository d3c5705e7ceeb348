// Node, module, meta and `use` bodies: attributes, blocks, `use`, `param`.
#include "compiler/parse/parse_internal.h"

namespace rig::parse {

std::vector<ast::Item> Transformer::transformBody(RigParser::BodyContext* ctx,
                                                  bool inModule) {
  std::vector<ast::Item> items;
  if (ctx == nullptr) return items;
  for (RigParser::BodyItemContext* c : ctx->bodyItem()) {
    if (c == nullptr) continue;
    ast::Item item;
    if (transformBodyItem(*c, inModule, item)) items.push_back(std::move(item));
  }
  return items;
}

bool Transformer::transformBodyItem(RigParser::BodyItemContext& ctx,
                                    bool inModule, ast::Item& item) {
  item.range = state_.range(&ctx);
  if (auto* c = dynamic_cast<RigParser::AttrOrBlockContext*>(&ctx)) {
    if (c->IDENT() == nullptr) return false;
    item.name = state_.text(c->IDENT()).str();
    item.nameRange = state_.range(c->IDENT());
    RigParser::BodyItemRestContext* rest = c->bodyItemRest();
    if (auto* attr = dynamic_cast<RigParser::AttrRestContext*>(rest)) {
      item.kind = ast::ItemKind::Attr;
      item.value = attr->expr() ? transformExpr(attr->expr())
                                : missingExpr(state_.range(attr));
      return true;
    }
    if (auto* drop = dynamic_cast<RigParser::DropRestContext*>(rest)) {
      item.kind = ast::ItemKind::Attr;
      item.drop = true;
      item.value = drop->expr() ? transformExpr(drop->expr())
                                : missingExpr(state_.range(drop));
      return true;
    }
    item.kind = ast::ItemKind::Block;
    if (auto* block = dynamic_cast<RigParser::BlockRestContext*>(rest)) {
      item.hasBody = true;
      item.body = transformBody(block->body(), false);
      return true;
    }
    if (auto* labelled =
            dynamic_cast<RigParser::LabelledBlockRestContext*>(rest)) {
      item.label = transformString(labelled->string());
      RigParser::LabelRestContext* tail = labelled->labelRest();
      if (tail && tail->body()) {
        item.hasBody = true;
        item.body = transformBody(tail->body(), false);
      } else if (tail && tail->expr()) {
        item.value = transformExpr(tail->expr());
      }
      return true;
    }
    return false;  // only the word survived error recovery
  }
  if (auto* c = dynamic_cast<RigParser::UseItemContext*>(&ctx)) {
    item.kind = ast::ItemKind::Use;
    std::vector<antlr4::tree::TerminalNode*> words = c->IDENT();
    if (words.empty()) return false;
    for (size_t i = 0; i < words.size(); ++i) {
      if (i > 0) item.name += '.';
      item.name += state_.text(words[i]).str();
    }
    item.nameRange = SourceRange::join(state_.range(words.front()),
                                       state_.range(words.back()));
    if (c->body()) {
      item.hasBody = true;
      item.body = transformBody(c->body(), false);
    }
    return true;
  }
  if (auto* c = dynamic_cast<RigParser::ParamItemContext*>(&ctx)) {
    item.kind = ast::ItemKind::Param;
    std::vector<antlr4::tree::TerminalNode*> words = c->IDENT();
    if (words.empty()) return false;
    item.name = state_.text(words[0]).str();
    item.nameRange = state_.range(words[0]);
    if (words.size() > 1) {
      item.typeName = state_.text(words[1]).str();
      item.typeRange = state_.range(words[1]);
    }
    if (c->expr()) item.value = transformExpr(c->expr());
    // `param` outside a module body is reported by sema (ParamOutsideModule).
    return true;
  }
  return false;  // `;`
}

}  // namespace rig::parse
