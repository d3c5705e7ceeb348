#!/bin/sh
# Neovim (headless) as the LSP client of `rig lsp`: nvim_test.lua.
# Usage: nvim_test.sh RIG SOURCE_DIR
set -eu
rig=$1 source=$2
if ! command -v nvim >/dev/null; then
  echo "nvim_test: Neovim is missing: apt-get install neovim (scripts/setup)" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed 's/server\.wait_for_unit/server.wait_for_unti/' \
  "$source/examples/todos/todos.rig" > "$work/todos.rig"
cp "$source/examples/todos/todo_api.py" "$work/"
export RIG="$rig" SPEC="$work/todos.rig" RIG_STDLIB="$source/stdlib" SOURCE="$source" WORK="$work"
HOME=$work XDG_CONFIG_HOME=$work XDG_DATA_HOME=$work XDG_STATE_HOME=$work \
  timeout 120 nvim --headless --clean -n \
  -c "luafile $(dirname "$0")/nvim_test.lua" 2>&1
