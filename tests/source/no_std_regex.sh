#!/usr/bin/env bash
# Regular expressions are PCRE2 (runtime/plan/regex.h), never std::regex: it
# recurses per character (long inputs overflow the stack), has no match
# limit (a runaway pattern hangs) and reports by exception. Fails listing
# every use in the C++ sources, tests included.
set -euo pipefail
cd "$1"
hits=$(grep -rnE 'std::(w?regex|regex_[a-z]+|w?s?c?match|sregex_[a-z]+)\b|#include[[:space:]]*<regex>' \
  --include='*.cpp' --include='*.h' --include='*.hpp' --include='*.cc' --include='*.def' \
  --exclude-dir=build --exclude-dir='build-*' --exclude-dir=node_modules --exclude-dir=.git . || true)
if [[ -n $hits ]]; then
  echo "std::regex is not used in rig (use runtime/plan/regex.h, PCRE2):" >&2
  echo "$hits" >&2
  exit 1
fi
echo "no std::regex in $(pwd)"
