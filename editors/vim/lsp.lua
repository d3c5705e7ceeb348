-- Neovim (0.7 and later): start `rig lsp` for rig buffers, one server per
-- project root (the folder with rig.toml or .git, else the file's folder).
-- Put editors/vim on the runtimepath, then in init.lua:
--   dofile('/path/to/rig/editors/vim/lsp.lua')
local clients = {}
local function root_of(file)
  local dir = vim.fn.fnamemodify(file, ':p:h')
  local marker = vim.fn.findfile('rig.toml', dir .. ';')
  if marker == '' then marker = vim.fn.finddir('.git', dir .. ';') end
  if marker ~= '' then return vim.fn.fnamemodify(marker, ':p:h:h') end
  return dir
end
vim.api.nvim_create_autocmd('FileType', {
  pattern = 'rig',
  callback = function(args)
    local root = root_of(vim.api.nvim_buf_get_name(args.buf))
    if not clients[root] then
      clients[root] = vim.lsp.start_client({ name = 'rig', cmd = { 'rig', 'lsp' }, root_dir = root })
    end
    if clients[root] then vim.lsp.buf_attach_client(args.buf, clients[root]) end
  end,
})
