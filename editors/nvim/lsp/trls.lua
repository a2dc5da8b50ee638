-- trls, the Trial Record Language Server, for Neovim 0.11+ (`vim.lsp.config`).
-- Put this folder on your 'runtimepath' (or copy lsp/trls.lua and ftdetect/trial.lua
-- into ~/.config/nvim/), then call `vim.lsp.enable('trls')`.
---@type vim.lsp.Config
return {
  cmd = { 'trls', 'lsp' },
  filetypes = { 'yaml.trial', 'json.trial' },
  root_markers = { 'trls.toml', '.git' },
  -- A code lens's "N references" runs this: its locations in the quickfix list.
  commands = {
    ['trls.showReferences'] = function(command, ctx)
      local client = vim.lsp.get_client_by_id(ctx.client_id)
      local locations = command.arguments and command.arguments[3] or {}
      local items = vim.lsp.util.locations_to_items(locations, client and client.offset_encoding or 'utf-16')
      vim.fn.setqflist({}, ' ', { title = 'trls: ' .. command.title, items = items })
      vim.cmd('botright copen')
    end,
  },
  settings = {
    trls = {
      -- Severity overrides, as in trls.toml's [rules]: e.g. TRF108 = 'off'.
      rules = {},
    },
  },
}
