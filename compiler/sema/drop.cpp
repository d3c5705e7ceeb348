// `NAME -= [...]` in a node's own body (docs/language.md, "Modules"): drops
// items that the node's modules added to one of its lists, such as the port
// `std/nginx` opens. Drops apply after every item and module, so the order
// of `use` and `-=` does not matter; an item that is not there is an error.
#include <algorithm>

#include <fmt/format.h>

#include "compiler/sema/node.h"
#include "llvm/ADT/StringExtras.h"

namespace rig::sema {

using diag::Kind;

namespace {

// The lists `-=` applies to, and whether their items are ints (ports).
struct DropList {
  const char* key;
  bool ints;
};
const DropList kDropLists[] = {
    {"packages", false},
    {"enable", false},
    {"kernel_params", false},
    {"nameservers", false},
    {"firewall.allow_tcp", true},
    {"firewall.allow_udp", true},
    {"firewall.allow_protocols", false},
};

std::string dropListNames() {
  std::vector<std::string> names;
  for (const DropList& l : kDropLists)
    names.push_back("`" + std::string(l.key) + "`");
  return llvm::join(names, ", ");
}

// Removes every element equal to `item`; whether there was one.
template <typename T, typename Pred>
bool eraseAll(std::vector<T>& items, Pred same) {
  auto end = std::remove_if(items.begin(), items.end(), same);
  bool found = end != items.end();
  items.erase(end, items.end());
  return found;
}

}  // namespace

void NodeBuilder::recordDrop(const ast::Item& item, const std::string& key,
                             const std::string& iface, ItemContext& ctx) {
  const DropList* list = nullptr;
  for (const DropList& l : kDropLists)
    if (key == l.key) list = &l;
  if (!list) {
    c_.emit(item.nameRange, Kind::DropNotList, key, dropListNames())
        .withHelp(
            "a scalar set by the node already wins over a module's: write "
            "`NAME = VALUE`");
    return;
  }
  if (!ctx.byNode()) {
    c_.emit(item.nameRange, Kind::DropInModule, key, ctx.where)
        .withHelp(
            "a module adds to the lists; the node that uses it decides what "
            "to drop");
    return;
  }
  std::optional<Value> v;
  if (list->ints) {
    if (auto ints = integers(*item.value, key, ctx)) {
      ValueList out;
      for (int64_t i : *ints) out.push_back(Value::integer(i));
      v = Value::list(std::move(out));
    }
  } else if (auto strs = strings(*item.value, key, ctx)) {
    ValueList out;
    for (const std::string& s : *strs) out.push_back(Value::string(s));
    v = Value::list(std::move(out));
  }
  if (v) drops_.push_back({key, iface, std::move(*v), item.range});
}

void NodeBuilder::applyDrops() {
  for (const Drop& d : drops_) {
    for (const Value& item : d.items.asList()) {
      bool found = false;
      if (d.key == "firewall.allow_tcp" || d.key == "firewall.allow_udp") {
        auto& ports =
            d.key == "firewall.allow_tcp" ? cfg_.allowTcp : cfg_.allowUdp;
        found = eraseAll(ports, [&](const Port& p) {
          return p.port == item.asInt() && p.last == item.asInt() &&
                 p.iface == d.iface;
        });
      } else if (d.key == "firewall.allow_protocols") {
        found = eraseAll(cfg_.allowProtocols, [&](const Protocol& p) {
          return p.name == item.asString() && p.iface == d.iface;
        });
      } else {
        std::vector<std::string>& strs = d.key == "packages" ? cfg_.packages
                                         : d.key == "enable" ? cfg_.enable
                                         : d.key == "nameservers"
                                             ? cfg_.nameservers
                                             : cfg_.kernelParams;
        found = eraseAll(
            strs, [&](const std::string& s) { return s == item.asString(); });
      }
      if (!found)
        c_.emit(d.range, Kind::DropMissing, d.key, item.repr(), cfg_.name)
            .withHelp(
                d.iface.empty()
                    ? "only what the node's modules (or the node) add can "
                      "be dropped"
                    : fmt::format("in `interface \"{}\"`, only what "
                                  "that interface's rules add",
                                  d.iface));
    }
  }
}

}  // namespace rig::sema
