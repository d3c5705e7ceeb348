-- End to end with a real LSP client: Neovim's built-in one (0.7, Debian 12)
-- starts `rig lsp` on a spec and we check what a user would see.
-- Run by nvim_test.sh: RIG, SPEC, SOURCE (the checkout), WORK in the environment.
local rig, spec = os.getenv('RIG'), os.getenv('SPEC')
local failures = {}
local function check(cond, what)
  if not cond then
    table.insert(failures, what)
    io.stderr:write('FAIL: ' .. what .. '\n')
  end
end
local function finish()
  if #failures > 0 then
    io.stderr:write(#failures .. ' failure(s)\n')
    vim.cmd('cquit 1')
  end
  io.stderr:write('ok\n')
  vim.cmd('qall!')
end
local function find(needle)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(0, 0, -1, false)) do
    local at = line:find(needle, 1, true)
    if at then return i - 1, at - 1 end
  end
  error('no ' .. needle)
end
local function params(line, col)
  return {
    textDocument = vim.lsp.util.make_text_document_params(),
    position = { line = line, character = col },
  }
end
local function request(method, p)
  local replies = vim.lsp.buf_request_sync(0, method, p, 10000)
  for _, reply in pairs(replies or {}) do
    if reply.result then return reply.result end
  end
  return nil
end

-- editors/vim's syntax: triple-quoted strings span lines, raw strings end
-- at their quote (backslash or not), comments and keywords.
vim.opt.runtimepath:append(os.getenv('SOURCE') .. '/editors/vim')
vim.cmd('filetype off')
vim.cmd('filetype on')
vim.cmd('syntax on')
local sample = os.getenv('WORK') .. '/syntax.rig'
vim.fn.writefile({
  'let script = """', '  CREATE "x" # not a comment', '  """',
  'let win = r"C:\\dir\\" # a comment', 'let conf = r"""', '  a \\? ${port}', '  """',
  'let after = 1',
}, sample)
vim.cmd('edit ' .. sample)
check(vim.bo.filetype == 'rig', 'ftdetect: .rig is filetype rig')
local function syn(l, c) return vim.fn.synIDattr(vim.fn.synID(l, c, 1), 'name') end
check(syn(2, 3) == 'rigTString' and syn(2, 14) == 'rigTString', 'triple-quoted string: ' .. syn(2, 14))
check(syn(4, 12) == 'rigRawString' and syn(4, 22) == 'rigComment', 'raw string: ' .. syn(4, 22))
check(syn(6, 5) == 'rigRawTString' and syn(6, 10) == 'rigInterp', 'raw triple-quoted string: ' .. syn(6, 5))
check(syn(8, 1) == 'rigDecl', 'code after the strings: ' .. syn(8, 1))
vim.cmd('bwipeout')

vim.cmd('edit ' .. spec)
local buf = vim.api.nvim_get_current_buf()
local client = vim.lsp.start_client({
  name = 'rig',
  cmd = { rig, 'lsp' },
  root_dir = vim.fn.fnamemodify(spec, ':h'),
})
check(client ~= nil, 'the client starts rig lsp')
vim.lsp.buf_attach_client(buf, client)

-- Diagnostics: the spec has a typo (`wait_for_unti`).
local got = vim.wait(15000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
check(got, 'diagnostics arrive')
local diags = vim.diagnostic.get(buf)
local typo
for _, d in ipairs(diags) do
  if d.message:find('wait_for_unit', 1, true) then typo = d end
end
check(typo ~= nil and typo.severity == vim.diagnostic.severity.ERROR,
  'an error about the typo suggests wait_for_unit')

-- Hover on `port` in a test: the let and its value.
local line, col = find('wait_for_open_port(port)')
local hover = request('textDocument/hover', params(line, col + 20))
local text = hover and hover.contents and hover.contents.value or ''
check(text:find('let port = 3000', 1, true) ~= nil, 'hover shows the let: ' .. text)

-- Hover on the builtin `json`: its signature and documentation, the text of
-- the signature table (runtime/plan/builtins.def), as docs/language.md
-- (generated from the same table) has it.
local docs = table.concat(vim.fn.readfile(os.getenv('SOURCE') .. '/docs/language.md'), '\n')
local want_doc = docs:match('\n%- `json%(s: string%) %-> any`<br>\n%s*([^\n]+)')
check(want_doc ~= nil, 'docs/language.md lists json')
line, col = find('json(client')
hover = request('textDocument/hover', params(line, col + 1))
text = hover and hover.contents and hover.contents.value or ''
local flat = text:gsub('%s+', ' ')
check(text:find('json(s: string) -> any', 1, true) ~= nil and want_doc ~= nil and
      flat:find(want_doc:gsub('%s+', ' '), 1, true) ~= nil,
  'hover on json shows the table\'s signature and text: ' .. text)

-- Definition: jump from `username` in the node to its `let`.
line, col = find('= username')
vim.api.nvim_win_set_cursor(0, { line + 1, col + 4 })
vim.lsp.buf.definition()
local want = find('let username')
local jumped = vim.wait(10000, function()
  return vim.api.nvim_win_get_cursor(0)[1] == want + 1
end, 50)
check(jumped, 'definition jumps to the let (cursor at line ' ..
  vim.api.nvim_win_get_cursor(0)[1] .. ')')

-- Completion after `server.`: the machine operations.
line, col = find('server.wait_for_open_port')
local completion = request('textDocument/completion', params(line, col + 7))
local labels = {}
for _, item in ipairs(completion and (completion.items or completion) or {}) do
  labels[item.label] = true
end
check(labels['succeed'] and labels['wait_for_open_port'], 'completion lists machine operations')

-- Completion inside a node's block: the attributes of `service`, not the
-- node body's.
line, col = find('requires = [')
completion = request('textDocument/completion', params(line, col))
labels = {}
for _, item in ipairs(completion and (completion.items or completion) or {}) do
  labels[item.label] = true
end
check(labels['exec'] and labels['wanted_by'] and labels['environment'] and not labels['memory'],
  'completion in a service block lists its attributes: ' .. vim.inspect(vim.tbl_keys(labels)))

-- Code action: the did-you-mean fix, applied to the buffer.
check(typo ~= nil, 'a diagnostic to fix')
if typo then
  local p = params(typo.lnum, typo.col)
  p.range = { start = { line = typo.lnum, character = typo.col },
              ['end'] = { line = typo.end_lnum, character = typo.end_col } }
  p.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(buf, typo.lnum) }
  local actions = request('textDocument/codeAction', p) or {}
  check(#actions > 0, 'a code action for the typo')
  if #actions > 0 then
    vim.lsp.util.apply_workspace_edit(actions[1].edit, 'utf-16')
    local fixed = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
    check(fixed:find('wait_for_unti', 1, true) == nil and
          fixed:find('server.wait_for_unit', 1, true) ~= nil, 'the action fixes the typo')
  end
end

vim.lsp.stop_client(client)
finish()
