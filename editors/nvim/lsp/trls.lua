-- trls, the Trial Record Language Server, for Neovim 0.11+ (`vim.lsp.config`).
-- Put this folder on your 'runtimepath' (or copy lsp/trls.lua and ftdetect/trial.lua
-- into ~/.config/nvim/), then call `vim.lsp.enable('trls')`.
---@type vim.lsp.Config
return {
  cmd = { 'trls', 'lsp' },
  filetypes = { 'yaml.trial', 'json.trial' },
  root_markers = { 'trls.toml', '.git' },
  settings = {
    trls = {
      -- Severity overrides, as in trls.toml's [rules]: e.g. TRF108 = 'off'.
      rules = {},
    },
  },
}
