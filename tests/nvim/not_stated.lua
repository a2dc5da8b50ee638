-- End-to-end test of completion in `not_stated` in a real, headless Neovim 0.11
-- with the shipped editors/nvim files. Run by tests/nvim.rs as:
--   nvim --clean --headless -l tests/nvim/not_stated.lua <trls binary> <repo root> <work dir>
-- Prints one line per check and a closing "N passed, N failed"; exits 1 on failure.
local H = dofile(arg[2] .. '/tests/nvim/harness.lua')
local trls, root, work, check = H.trls, H.root, H.work, H.check
H.start()

vim.cmd.edit(work .. '/PMCID_PMC12855734.trial.yaml')
local buf = vim.api.nvim_get_current_buf()
local client
vim.wait(20000, function()
  client = vim.lsp.get_clients({ bufnr = buf, name = 'trls' })[1]
  return client ~= nil and client.initialized
end, 50)
check('server attached', client ~= nil, 'no trls client')
if not client then
  H.finish(1)
end

-- The record lacks `enrollment` and `dates`: TRF010 says so.
vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
local missing
for _, d in ipairs(vim.diagnostic.get(buf)) do
  if d.code == 'TRF010' then missing = d end
end
check('TRF010 names the missing keys', missing ~= nil and missing.message:find('enrollment') ~= nil, vim.diagnostic.get(buf))

-- Completion on the empty `not_stated` item offers the missing required keys first.
local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
local row = #lines - 1
local resp = client:request_sync('textDocument/completion', {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  position = { line = row, character = 4 },
}, 10000, buf)
local items = resp and resp.result and (resp.result.items or resp.result) or {}
table.sort(items, function(a, b) return (a.sortText or a.label) < (b.sortText or b.label) end)
local labels = {}
for _, it in ipairs(items) do labels[#labels + 1] = it.label end
check('completion in not_stated offers the missing required keys first',
  labels[1] == 'enrollment' and labels[2] == 'dates', labels)
check('completion in not_stated offers other key paths after them',
  vim.tbl_contains(labels, 'dates.completion') and not vim.tbl_contains(labels, 'title'), labels)

-- Accepting the first item writes the key path; TRF010 then no longer names it.
local first = items[1]
if first then
  local edit = first.textEdit or {
    range = { start = { line = row, character = 4 }, ['end'] = { line = row, character = 4 } },
    newText = first.insertText or first.label,
  }
  vim.lsp.util.apply_text_edits({ edit }, buf, client.offset_encoding)
end
check('the item is written', vim.api.nvim_buf_get_lines(buf, row, row + 1, false)[1] == '  - enrollment',
  vim.api.nvim_buf_get_lines(buf, row, row + 1, false))
local ok = vim.wait(20000, function()
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == 'TRF010' and d.message:find('enrollment') then return false end
  end
  return true
end, 50)
check('enrollment is no longer reported missing', ok, vim.diagnostic.get(buf))

H.finish()
