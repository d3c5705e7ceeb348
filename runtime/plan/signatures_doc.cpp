// How a signature reads in docs/language.md (and later in an editor's hover).
#include "fmt/format.h"
#include "runtime/plan/signatures.h"

namespace rig::plan {
namespace {

std::string typeText(TypeMask mask) {
  mask &= kKinds;
  if (mask == kTimeout) return "duration";
  if (mask == kAny) return "any";
  std::string out;
  for (int k = 0; k < 10; ++k) {
    if (!(mask & (TypeMask(1) << k))) continue;
    if (!out.empty()) out += " | ";
    out += kindName(static_cast<ValueKind>(k)).str();
  }
  return out;
}

}  // namespace

std::string paramDisplay(const ParamSig& p) {
  std::string out = p.name;
  if (p.defaultValue.kind == DefaultKind::Absent) out += "?";
  out += ": " + typeText(p.types);
  if (std::optional<Value> v = defaultValue(p)) out += " = " + v->repr();
  return out;
}

std::string Signature::display() const {
  std::string out = kind == CallableKind::Operation ? "m." : "";
  out += name;
  out += "(";
  for (size_t i = 0; i < params.size(); ++i) {
    if (i) out += ", ";
    out += paramDisplay(params[i]);
    if (variadic && i == 0) out += ", ...";
  }
  out += ") -> " + typeText(result);
  return out;
}

std::string Signature::documentation() const {
  std::string out = doc;
  if (kind == CallableKind::Operation && !(backends & kContainer))
    out += " VM nodes only.";
  return out;
}

std::string signaturesMarkdown() {
  std::string out;
  out +=
      "Every builtin and machine operation with its parameters, in "
      "positional order, and its result. `name?` is optional and left to "
      "the operation (a timeout: `rig.toml`'s, else 900 s); `name: T = V` "
      "defaults to `V`; `...` takes more positional arguments of the first "
      "parameter's type. Any parameter can also be given by name "
      "(`m.wait_for_unit(\"api\", timeout = 30s)`). Generated from "
      "`runtime/plan/builtins.def` and `operations.def` by "
      "`scripts/gen-signatures-doc`; a test fails when this list is out of "
      "date.\n\n### Builtins\n\n";
  for (const Signature& s : builtins())
    out += fmt::format("- `{}`<br>\n  {}\n", s.display(), s.doc);
  out += "\n### Machine operations\n\n";
  for (const Signature& s : operations())
    out += fmt::format("- `{}`<br>\n  {}\n", s.display(), s.documentation());
  return out;
}

}  // namespace rig::plan
