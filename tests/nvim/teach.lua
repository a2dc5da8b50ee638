-- End-to-end test of the actions that teach and of records that are not open, in a
-- real, headless Neovim 0.11 with the shipped editors/nvim files. Run by
-- tests/nvim.rs as:
--   nvim --clean --headless -l tests/nvim/teach.lua <trls binary> <repo root> <work dir>
-- The work dir holds NCT06853522.trial.yaml (a misspelt status) and
-- closed.trial.yaml (a broken record that is never opened). Prints one line per
-- check and a closing "N passed, N failed"; exits 1 on failure.
local H = dofile(arg[2] .. '/tests/nvim/harness.lua')
local trls, root, work, check = H.trls, H.root, H.work, H.check
H.start({ settings = { trls = { workspaceDiagnostics = true } } })

local path = work .. '/NCT06853522.trial.yaml'
vim.cmd.edit(path)
local buf = vim.api.nvim_get_current_buf()
local win = vim.api.nvim_get_current_win()
local client
vim.wait(20000, function()
  client = vim.lsp.get_clients({ bufnr = buf, name = 'trls' })[1]
  return client ~= nil and client.initialized
end, 50)
check('server attached', client ~= nil, 'no trls client')
if not client then
  H.finish(1)
end

local function has(bufnr, code)
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.code == code then return true end
  end
  return false
end
vim.wait(20000, function() return has(buf, 'TRF013') end, 50)
check('diagnostic TRF013 on status', has(buf, 'TRF013'), vim.diagnostic.get(buf))

-- A record nobody opened is listed too (trls.workspaceDiagnostics).
local closed = work .. '/closed.trial.yaml'
local function closed_listed()
  for _, d in ipairs(vim.diagnostic.get()) do
    if vim.api.nvim_buf_get_name(d.bufnr) == closed and d.code == 'TRF013' then return true end
  end
  return false
end
vim.wait(20000, closed_listed, 50)
check('a record that was never opened is in vim.diagnostic', closed_listed(), vim.diagnostic.get())

-- The code actions at the status line, as `vim.lsp.buf.code_action` applies them.
local row = 4
vim.api.nvim_win_set_cursor(win, { row + 1, 10 })
local function act(title)
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(a) return a.title == title end,
  })
end

-- "show documentation of TRF013": the rule's text in a markdown split.
act('show documentation of TRF013')
local doc
vim.wait(20000, function()
  doc = vim.fn.bufnr('trls://explain/TRF013')
  return doc ~= -1 and vim.api.nvim_buf_line_count(doc) > 3
end, 50)
local first = doc ~= -1 and vim.api.nvim_buf_get_lines(doc, 0, 1, false)[1] or ''
check('documentation of TRF013 opens', first:find('TRF013', 1, true) ~= nil and vim.bo[doc].filetype == 'markdown', first)
vim.api.nvim_set_current_win(win)

-- "ignore TRF013 on this line": the suppression at the end of the line, and the
-- finding is gone (with no TRF900: the suppression is used).
act('ignore TRF013 on this line')
vim.wait(20000, function() return not has(buf, 'TRF013') end, 50)
local line = vim.api.nvim_buf_get_lines(buf, row, row + 1, false)[1]
check('ignore writes the suppression on the line', line == 'status: NOT_YET_RECRUITNG # trls: ignore[TRF013]', line)
check('the finding is silenced', not has(buf, 'TRF013') and not has(buf, 'TRF900'), vim.diagnostic.get(buf))

H.finish()
