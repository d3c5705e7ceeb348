#include "compiler/parse/number.h"

#include <cmath>
#include <cstdlib>
#include <limits>

#include "llvm/ADT/StringExtras.h"

namespace rig::parse {

namespace {

NumberLiteral fail(diag::Kind kind, std::string a0, std::string a1 = "",
                   std::string help = "") {
  NumberLiteral r;
  r.ok = false;
  r.error = kind;
  r.arg0 = std::move(a0);
  r.arg1 = std::move(a1);
  r.help = std::move(help);
  return r;
}

// Underscores may only separate digits: `1_000`, not `1__0` or `1_`.
bool underscoresOk(llvm::StringRef digits) {
  for (size_t i = 0; i < digits.size(); ++i) {
    if (digits[i] != '_') continue;
    if (i == 0 || i + 1 == digits.size()) return false;
    if (digits[i - 1] == '_' || digits[i + 1] == '_') return false;
  }
  return true;
}

// Accumulates digits of `base`; false on overflow of int64.
bool accumulate(llvm::StringRef digits, unsigned base, int64_t& out) {
  uint64_t value = 0;
  for (char c : digits) {
    if (c == '_') continue;
    unsigned d = llvm::isDigit(c) ? c - '0' : llvm::toLower(c) - 'a' + 10;
    if (value > (uint64_t(std::numeric_limits<int64_t>::max()) - d) / base)
      return false;
    value = value * base + d;
  }
  out = static_cast<int64_t>(value);
  return true;
}

struct Unit {
  llvm::StringRef name;
  bool duration;
  double factor;  // milliseconds or bytes
};
constexpr Unit kUnits[] = {
    {"ms", true, 1},
    {"s", true, 1000},
    {"m", true, 60000},
    {"h", true, 3600000},
    {"B", false, 1},
    {"KiB", false, 1024},
    {"MiB", false, 1024.0 * 1024},
    {"GiB", false, 1024.0 * 1024 * 1024},
};

}  // namespace

NumberLiteral decodeNumber(llvm::StringRef text) {
  NumberLiteral r;
  if (text.size() > 1 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    llvm::StringRef digits = text.drop_front(2);
    if (digits.empty())
      return fail(diag::Kind::InvalidNumber, text.str(),
                  "no digits after `0x`");
    for (char c : digits)
      if (!llvm::isHexDigit(c) && c != '_')
        return fail(diag::Kind::InvalidNumber, text.str(),
                    fmt::format("`{}` is not a hexadecimal digit", c));
    if (!underscoresOk(digits))
      return fail(diag::Kind::InvalidNumber, text.str(),
                  "`_` may only separate digits");
    if (!accumulate(digits, 16, r.intValue))
      return fail(diag::Kind::NumberTooLarge, text.str(), "",
                  "the largest integer is 9223372036854775807");
    r.ok = true;
    r.kind = ast::ExprKind::Int;
    return r;
  }

  // Split into mantissa [. fraction] [e exponent] and a unit suffix; the
  // lexer guarantees this shape.
  size_t i = 0;
  auto digitsFrom = [&](size_t at) {
    size_t j = at;
    while (j < text.size() && (llvm::isDigit(text[j]) || text[j] == '_')) ++j;
    return j;
  };
  i = digitsFrom(0);
  llvm::StringRef whole = text.take_front(i);
  bool isFloat = false;
  llvm::StringRef fraction, exponent;
  if (i + 1 < text.size() && text[i] == '.' && llvm::isDigit(text[i + 1])) {
    size_t j = digitsFrom(i + 1);
    fraction = text.slice(i + 1, j);
    i = j;
    isFloat = true;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    size_t j = i + 1;
    if (j < text.size() && (text[j] == '+' || text[j] == '-')) ++j;
    if (j < text.size() && llvm::isDigit(text[j])) {
      size_t k = digitsFrom(j);
      exponent = text.slice(i + 1, k);
      i = k;
      isFloat = true;
    }
  }
  llvm::StringRef number = text.take_front(i);
  llvm::StringRef unit = text.drop_front(i);
  if (!underscoresOk(whole) || !underscoresOk(fraction) ||
      !underscoresOk(exponent.ltrim("+-")))
    return fail(diag::Kind::InvalidNumber, text.str(),
                "`_` may only separate digits");

  std::string clean;
  for (char c : number)
    if (c != '_') clean.push_back(c);

  const Unit* found = nullptr;
  if (!unit.empty()) {
    for (const Unit& u : kUnits)
      if (u.name == unit) found = &u;
    if (!found)
      return fail(diag::Kind::UnknownUnit, unit.str(), text.str(),
                  "durations take `ms`, `s`, `m` or `h`; sizes take `B`, "
                  "`KiB`, `MiB` or `GiB`");
  }

  if (!found) {
    if (isFloat) {
      double v = std::strtod(clean.c_str(), nullptr);
      if (!std::isfinite(v))
        return fail(diag::Kind::NumberTooLarge, text.str());
      r.ok = true;
      r.kind = ast::ExprKind::Float;
      r.floatValue = v;
      return r;
    }
    if (!accumulate(whole, 10, r.intValue))
      return fail(diag::Kind::NumberTooLarge, text.str(), "",
                  "the largest integer is 9223372036854775807");
    r.ok = true;
    r.kind = ast::ExprKind::Int;
    return r;
  }

  if (found->duration) {
    double v = std::strtod(clean.c_str(), nullptr) * found->factor;
    if (!std::isfinite(v) || v > 9.2e18)
      return fail(diag::Kind::NumberTooLarge, text.str());
    r.ok = true;
    r.kind = ast::ExprKind::Duration;
    r.floatValue = v;
    return r;
  }

  // A size counts whole units.
  if (isFloat)
    return fail(diag::Kind::FractionalSize, text.str(), "",
                "write it in a smaller unit, e.g. `1536MiB` for 1.5GiB");
  int64_t count = 0;
  if (!accumulate(whole, 10, count))
    return fail(diag::Kind::NumberTooLarge, text.str());
  int64_t factor = static_cast<int64_t>(found->factor);
  if (count > std::numeric_limits<int64_t>::max() / factor)
    return fail(diag::Kind::NumberTooLarge, text.str());
  r.ok = true;
  r.kind = ast::ExprKind::Size;
  r.intValue = count * factor;
  return r;
}

}  // namespace rig::parse
