-- End-to-end test of trls in a real, headless Neovim 0.11 with the shipped
-- editors/nvim files. Run by tests/nvim.rs as:
--   nvim --clean --headless -l tests/nvim/e2e.lua <trls binary> <repo root> <work dir>
-- Prints one line per check and a closing "N passed, N failed"; exits 1 on failure.
local H = dofile(arg[2] .. '/tests/nvim/harness.lua')
local trls, root, work, check = H.trls, H.root, H.work, H.check
H.start()

local path = work .. '/NCT06853522.trial.yaml'
vim.cmd.edit(path)
local buf = vim.api.nvim_get_current_buf()
check('filetype keeps YAML', vim.bo[buf].filetype == 'yaml.trial', vim.bo[buf].filetype)

local client
vim.wait(20000, function()
  client = vim.lsp.get_clients({ bufnr = buf, name = 'trls' })[1]
  return client ~= nil and client.initialized
end, 50)
check('server attached', client ~= nil, 'no trls client')
if not client then
  H.finish(4)
end

-- Diagnostics: the misspelt status, at its line and column.
vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
local found
for _, d in ipairs(vim.diagnostic.get(buf)) do
  if d.code == 'TRF013' then found = d end
end
check('diagnostic TRF013 on status', found ~= nil and found.lnum == 4 and found.col == 8, vim.diagnostic.get(buf))

local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
local function line_of(pattern)
  for i, l in ipairs(lines) do
    if l:find(pattern) then return i - 1 end
  end
end
local function at(pattern, col)
  local row = line_of(pattern)
  return {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = row, character = col },
  }
end

-- Completion of vocabulary terms at a value.
local resp = client:request_sync('textDocument/completion', at('^status:', 9), 10000, buf)
local items = resp and resp.result and (resp.result.items or resp.result) or {}
local labels = {}
for _, it in ipairs(items) do labels[#labels + 1] = it.label end
check('completion offers status terms', vim.tbl_contains(labels, 'RECRUITING') and vim.tbl_contains(labels, 'COMPLETED'), labels)

-- Hover on a route term shows its NCI code.
resp = client:request_sync('textDocument/hover', at('route: INHALATION', 12), 10000, buf)
local hover = resp and resp.result and resp.result.contents
local text = type(hover) == 'table' and (hover.value or vim.inspect(hover)) or tostring(hover)
check('hover shows the route definition', text:find('C38216') ~= nil, text)

-- Go to definition: an arm's intervention reference → the intervention's id.
resp = client:request_sync('textDocument/definition', at('interventions: %[hucmsc%-exo%]', 21), 10000, buf)
local loc = resp and resp.result
if loc and loc[1] then loc = loc[1] end
check('definition of a local reference', loc and loc.range and loc.range.start.line == line_of('^  %- id: hucmsc%-exo'), loc)

-- Rename the intervention: definition and reference change together.
resp = client:request_sync('textDocument/rename', vim.tbl_extend('force', at('^  %- id: hucmsc%-exo', 9), { newName = 'exo-neb' }), 10000, buf)
if resp and resp.result then
  vim.lsp.util.apply_workspace_edit(resp.result, client.offset_encoding)
end
local after = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
check('rename changes definition and references', after:find('%- id: exo%-neb') ~= nil and after:find('interventions: %[exo%-neb%]') ~= nil, resp)

-- Inlay hints and code lens (issue 14), through Neovim's own clients: after the
-- arm's intervention reference, the name of the intervention it names; the
-- intervention's lens lists that reference (editors/nvim's trls.showReferences).
local function check_inlay_hints()
  vim.lsp.inlay_hint.enable(true, { bufnr = buf })
  local hints = {}
  vim.wait(10000, function()
    hints = vim.lsp.inlay_hint.get({ bufnr = buf })
    return #hints > 0
  end, 50)
  local row = line_of('^    interventions: %[')
  local label
  for _, h in ipairs(hints) do
    local l = h.inlay_hint.label
    if type(l) == 'table' then l = l[1] and l[1].value end
    if h.inlay_hint.position.line == row then label = l end
  end
  check('inlay hint names the referenced intervention', label == 'exosomes from umbilical cord MSCs', hints)
  -- The intervention's code lens: its one reference, into the quickfix list.
  local resp = client:request_sync('textDocument/codeLens', { textDocument = { uri = vim.uri_from_bufnr(buf) } }, 10000, buf)
  local lens
  for _, l in ipairs(resp and resp.result or {}) do
    if l.command and l.command.title == '1 reference' and not lens then lens = l end
  end
  check('code lens counts references', lens ~= nil, resp)
  if lens then
    client:exec_cmd(lens.command, { bufnr = buf })
    local qf = vim.fn.getqflist()
    check('code lens lists its references', #qf == 1 and qf[1].lnum == row + 1, qf)
  end
end
check_inlay_hints()

H.finish()
