-- Formatting in a real, headless Neovim 0.11 with the shipped editors/nvim files:
-- vim.lsp.buf.format gives `trls fmt`'s layout, and formatting again changes nothing.
-- Run by tests/nvim.rs as:
--   nvim --clean --headless -l tests/nvim/format.lua <trls binary> <repo root> <work dir>
-- Prints one line per check and a closing "N passed, N failed"; exits 1 on failure.
local H = dofile(arg[2] .. '/tests/nvim/harness.lua')
local trls, root, work, check = H.trls, H.root, H.work, H.check
H.start()

vim.cmd.edit(work .. '/scrambled.trial.yaml')
local buf = vim.api.nvim_get_current_buf()
local client
vim.wait(20000, function()
  client = vim.lsp.get_clients({ bufnr = buf, name = 'trls' })[1]
  return client ~= nil and client.initialized
end, 50)
check('server attached', client ~= nil, 'no trls client')
if not client then
  H.finish(3)
end
check('server formats documents and ranges',
  client.server_capabilities.documentFormattingProvider == true
    and client.server_capabilities.documentRangeFormattingProvider == true,
  client.server_capabilities)

local function text()
  return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n') .. '\n'
end
local expected = table.concat(vim.fn.readfile(work .. '/expected.trial.yaml'), '\n') .. '\n'

vim.lsp.buf.format({ bufnr = buf, name = 'trls', timeout_ms = 10000 })
local got = text()
check('format gives the canonical layout', got == expected, vim.diff(expected, got))
check('comments and aliases survive', got:find('# the treated group', 1, true) ~= nil
  and got:find('interventions: *treated', 1, true) ~= nil, got)

local tick = vim.api.nvim_buf_get_changedtick(buf)
vim.lsp.buf.format({ bufnr = buf, name = 'trls', timeout_ms = 10000 })
check('formatting again changes nothing', vim.api.nvim_buf_get_changedtick(buf) == tick and text() == expected, text())

H.finish()
