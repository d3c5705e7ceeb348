// Internal to compiler/sema: building one node's configuration from its body
// and the modules it uses (language.md sections 4 and 5).
#ifndef RIG_COMPILER_SEMA_NODE_H
#define RIG_COMPILER_SEMA_NODE_H

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/sema/checker.h"

namespace rig::sema {

// Where items are being applied from: the node's own body, or a module body
// reached through `use` (possibly nested).
struct ItemContext {
  Scope* scope = nullptr;  // evaluates the items' expressions
  std::string module;      // "" for the node's own body
  SourceRange useRange;    // the outermost `use` of the node
  std::string where;       // "node `server`", "module `redis`"
  std::vector<const Symbol*> moduleStack;
  bool lenient = false;  // checking an unused module: values may be unknown
  // Only `vlans`, `addresses` and `use`: another node's addresses
  // (network.cpp), evaluated before that node is checked.
  bool networkOnly = false;

  Origin origin(SourceRange range) const {
    return {range, module, useRange, {}};
  }
  // A block's origin, with the ranges of its attributes.
  Origin origin(const ast::Item& block) const {
    Origin out = origin(block.range);
    for (const ast::Item& item : block.body)
      if (item.kind == ast::ItemKind::Attr)
        out.attributes.emplace_back(item.name, item.range);
    return out;
  }
  bool byNode() const { return module.empty(); }
};

class NodeBuilder {
 public:
  NodeBuilder(Checker& checker, NodeConfig& config)
      : c_(checker), cfg_(config) {}

  void applyItems(const std::vector<ast::Item>& items, ItemContext& ctx);
  // After every item: defaults, cross-item checks (prepare mounts).
  void finish();

 private:
  // node.cpp
  void applyAttr(const ast::Item& item, ItemContext& ctx);
  void applyUse(const ast::Item& item, ItemContext& ctx);
  void applyFirewall(const ast::Item& item, ItemContext& ctx);
  void setScalar(const std::string& key, const Value& value,
                 const ast::Item& item, ItemContext& ctx);
  bool claimName(const char* kind, const std::string& name, SourceRange range);

  // node_blocks.cpp
  void applyBlock(const ast::Item& item, ItemContext& ctx);
  void applyService(const ast::Item& item, const std::string& name,
                    ItemContext& ctx);
  void applyUnit(const ast::Item& item, const std::string& name,
                 ItemContext& ctx);
  void applyFile(const ast::Item& item, const std::string& path,
                 ItemContext& ctx);
  void applyUser(const ast::Item& item, const std::string& name,
                 ItemContext& ctx);
  void applyGroup(const ast::Item& item, const std::string& name,
                  ItemContext& ctx);
  void applyPrepare(const ast::Item& item, const std::string& name,
                    ItemContext& ctx);
  std::optional<std::string> mountAt(const ast::Expr& e,
                                     const std::string& attr, ItemContext& ctx);

 public:
  // A prepare step's definition (a node's, or a top-level one's with
  // `topLevel`); std::nullopt after reporting.
  std::optional<PrepareEntry> prepareEntry(const ast::Item& item,
                                           const std::string& name,
                                           ItemContext& ctx, bool topLevel);

  void applyDisk(const ast::Item& item, const std::string& path,
                 ItemContext& ctx);
  void applyMount(const ast::Item& item, const std::string& path,
                  ItemContext& ctx);
  bool checkMountPoint(const ast::Item& item, const std::string& path);

  // firewall.cpp
  void applyFirewallRules(const std::vector<ast::Item>& body,
                          const std::string& iface, ItemContext& ctx);
  void checkInterfaces();

  // drop.cpp: `allow_tcp -= [80]`, applied after every item.
  void recordDrop(const ast::Item& item, const std::string& key,
                  const std::string& iface, ItemContext& ctx);
  void applyDrops();

  // network.cpp
  void applyAddresses(const ast::Expr& e, ItemContext& ctx);
  void applyNameservers(const ast::Expr& e, ItemContext& ctx);
  void resolveAddresses();

 public:
  // Value helpers (node.cpp): evaluate and type-check one attribute value.
  // std::nullopt after reporting (or, when lenient, when unknown).
  std::optional<Value> value(const ast::Expr& e, const std::string& attr,
                             ItemContext& ctx);
  std::optional<std::string> string(const ast::Expr& e, const std::string& attr,
                                    ItemContext& ctx);
  std::optional<int64_t> integer(const ast::Expr& e, const std::string& attr,
                                 ItemContext& ctx);
  std::optional<bool> boolean(const ast::Expr& e, const std::string& attr,
                              ItemContext& ctx);
  std::optional<std::vector<std::string>> strings(const ast::Expr& e,
                                                  const std::string& attr,
                                                  ItemContext& ctx);
  // A list of strings that are all valid unit names (E0310 otherwise).
  std::optional<std::vector<std::string>> unitNames(const ast::Expr& e,
                                                    const std::string& attr,
                                                    ItemContext& ctx);
  std::optional<std::vector<int64_t>> integers(const ast::Expr& e,
                                               const std::string& attr,
                                               ItemContext& ctx);
  // An object whose values are scalars, converted with str().
  std::optional<std::vector<std::pair<std::string, std::string>>> stringMap(
      const ast::Expr& e, const std::string& attr, ItemContext& ctx);
  void typeError(const ast::Expr& e, const std::string& attr,
                 const char* expected, const Value& got);

 private:
  struct Scalar {
    Value value;
    Origin origin;
    bool byNode = false;
  };

  Checker& c_;
  NodeConfig& cfg_;
  std::map<std::string, Scalar> scalars_;
  bool vlansSet_ = false;
  struct Interface {
    std::string name;  // "eth1"
    unsigned index = 0;
    SourceRange range;
  };
  std::vector<Interface> interfaces_;  // `interface "ethN"` blocks
  struct Drop {
    std::string key;    // "packages", "firewall.allow_tcp"
    std::string iface;  // an `interface` block's, else ""
    Value items;        // a list
    SourceRange range;
  };
  std::vector<Drop> drops_;
  // "service", "file", ... -> name -> where it was declared.
  std::map<std::string, std::map<std::string, SourceRange>> names_;
};

// A node's final addresses (network.cpp), one per vlan of `cfg.vlans`.
std::vector<Attachment> nodeAttachments(const NodeConfig& cfg,
                                        int64_t position);

// Validation helpers shared with lower.
bool isValidUnitPrefix(llvm::StringRef name, std::string& why);
bool isValidUnitName(llvm::StringRef name, std::string& why);
bool isValidAccountName(llvm::StringRef name);

}  // namespace rig::sema

#endif
