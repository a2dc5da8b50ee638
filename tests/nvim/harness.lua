-- What every Neovim script of tests/nvim.rs shares: its arguments (<trls binary>
-- <repo root> <work dir>), the check counter, starting the shipped editors/nvim
-- configuration with this trls, and the closing "N passed, N failed" line.
local H = { trls = arg[1], root = arg[2], work = arg[3], passed = 0, failed = 0 }

function H.check(name, ok, detail)
  if ok then
    H.passed = H.passed + 1
    print('ok   ' .. name)
  else
    H.failed = H.failed + 1
    print('FAIL ' .. name .. ': ' .. vim.inspect(detail))
  end
end

-- The shipped filetype detection and server configuration; `extra` adds to the
-- configuration (e.g. settings).
function H.start(extra)
  vim.cmd('filetype on')
  vim.opt.runtimepath:prepend(H.root .. '/editors/nvim')
  dofile(H.root .. '/editors/nvim/ftdetect/trial.lua')
  vim.lsp.config('trls', vim.tbl_extend('force', { cmd = { H.trls, 'lsp' } }, extra or {}))
  vim.lsp.enable('trls')
end

-- Print the tally and exit; `skipped` checks that could not run count as failed.
function H.finish(skipped)
  local failed = H.failed + (skipped or 0)
  print(string.format('%d passed, %d failed', H.passed, failed))
  os.exit(failed == 0 and 0 or 1)
end

return H
