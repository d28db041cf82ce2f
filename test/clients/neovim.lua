-- Drives kube-pki-language-server from Neovim's own LSP client (headless): opens a
-- static pod manifest and a PEM file, waits for diagnostics, asks for hovers, and
-- writes what it saw as JSON to $KUBE_PKI_NVIM_OUT. Exit 0 when it ran to the end.
local server = os.getenv('KUBE_PKI_SERVER')
local root = os.getenv('KUBE_PKI_ROOT')
local out = os.getenv('KUBE_PKI_NVIM_OUT')
local manifest = root .. '/etc/kubernetes/manifests/kube-apiserver.yaml'
local pem = root .. '/etc/kubernetes/pki/apiserver.crt'

local got = {}
local orig = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
  got[result.uri] = result.diagnostics
  return orig(err, result, ctx, config)
end

local client_id = vim.lsp.start_client({
  name = 'kube-pki',
  cmd = { 'node', server, '--stdio' },
  root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = 'node' } },
  init_options = { trusted = true },
})

local function open(path, filetype)
  vim.cmd('edit ' .. vim.fn.fnameescape(path))
  local buf = vim.api.nvim_get_current_buf()
  vim.bo[buf].filetype = filetype
  vim.lsp.buf_attach_client(buf, client_id)
  return buf
end

local function wait(what, predicate)
  local ok = vim.wait(20000, predicate, 50)
  if not ok then
    io.stderr:write('timed out waiting for ' .. what .. '\n')
    vim.cmd('cquit 2')
  end
end

wait('initialize', function() local c = vim.lsp.get_client_by_id(client_id); return c ~= nil and c.initialized end)
local manifest_buf = open(manifest, 'yaml')
local manifest_uri = vim.uri_from_fname(manifest)
wait('manifest diagnostics', function() return got[manifest_uri] ~= nil end)

local function hover_payload(buf, params)
  local responses = vim.lsp.buf_request_sync(buf, 'textDocument/hover', params, 10000) or {}
  for _, response in pairs(responses) do
    if response.result and response.result.contents then return response.result.contents.value end
  end
  return ''
end

local function floating_windows()
  return vim.tbl_filter(function(win) return vim.api.nvim_win_get_config(win).relative ~= '' end, vim.api.nvim_list_wins())
end

-- What a user reads: the hover as Neovim's own handler (vim.lsp.buf.hover) renders it in its floating
-- window, whose buffer holds the Markdown after Neovim's processing; and the LSP payload beside it.
local function hover(buf, needle)
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  for i, line in ipairs(lines) do
    local col = line:find(needle, 1, true)
    if col then
      local params = { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = i - 1, character = col + #needle } }
      local payload = hover_payload(buf, params)
      vim.api.nvim_win_set_cursor(0, { i, col + #needle })
      vim.lsp.buf.hover()
      wait('the hover window over ' .. needle, function() return #floating_windows() > 0 end)
      local win = floating_windows()[1]
      local shown = vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(win), 0, -1, false)
      vim.api.nvim_win_close(win, true)
      return { payload = payload, window = shown }
    end
  end
  return { payload = '', window = {} }
end

local result = {
  manifestDiagnostics = vim.tbl_map(function(d) return { code = d.code, line = d.range.start.line, message = d.message } end, got[manifest_uri]),
  manifestHover = hover(manifest_buf, '--tls-cert-file='),
}
local pem_buf = open(pem, 'pem')
result.pemHover = hover(pem_buf, '-----BEGIN')
local file = io.open(out, 'w')
file:write(vim.fn.json_encode(result))
file:close()
vim.lsp.stop_client(client_id)
vim.cmd('qall!')
