-- trls, the Trial Record Language Server, for Neovim 0.11+ (`vim.lsp.config`).
-- Put this folder on your 'runtimepath' (or copy lsp/trls.lua and ftdetect/trial.lua
-- into ~/.config/nvim/), then call `vim.lsp.enable('trls')`.

-- A rule's documentation (what `trls explain CODE` prints), from the server, in a
-- read-only markdown buffer in a split.
local function explain(client, code)
  local params = { command = 'trls.explain', arguments = { code } }
  client:request('workspace/executeCommand', params, function(err, text)
    if err or type(text) ~= 'string' then
      vim.notify('trls: no documentation of ' .. code .. (err and (': ' .. err.message) or ''), vim.log.levels.WARN)
      return
    end
    local name = 'trls://explain/' .. code
    local buf = vim.fn.bufnr(name)
    if buf == -1 then
      buf = vim.api.nvim_create_buf(false, true)
      vim.api.nvim_buf_set_name(buf, name)
    end
    vim.bo[buf].modifiable = true
    vim.api.nvim_buf_set_lines(buf, 0, -1, false, vim.split(text, '\n', { plain = true }))
    vim.bo[buf].modifiable = false
    vim.bo[buf].bufhidden = 'wipe'
    vim.bo[buf].filetype = 'markdown'
    vim.cmd('sbuffer ' .. buf)
  end)
end

---@type vim.lsp.Config
return {
  cmd = { 'trls', 'lsp' },
  filetypes = { 'yaml.trial', 'json.trial' },
  root_markers = { 'trls.toml', '.git' },
  settings = {
    trls = {
      -- Severity overrides, as in trls.toml's [rules]: e.g. TRF108 = 'off'.
      rules = {},
      -- Also list records that are not open (every record of the workspace, as
      -- `trls check` would) in vim.diagnostic, e.g. for :lua vim.diagnostic.setqflist().
      workspaceDiagnostics = false,
    },
  },
  commands = {
    -- A code lens's "N references" runs this: its locations in the quickfix list.
    ['trls.showReferences'] = function(command, ctx)
      local client = vim.lsp.get_client_by_id(ctx.client_id)
      local locations = command.arguments and command.arguments[3] or {}
      local items = vim.lsp.util.locations_to_items(locations, client and client.offset_encoding or 'utf-16')
      vim.fn.setqflist({}, ' ', { title = 'trls: ' .. command.title, items = items })
      vim.cmd('botright copen')
    end,
    -- The code action "show documentation of CODE".
    ['trls.showDocumentation'] = function(command, ctx)
      local client = vim.lsp.get_client_by_id(ctx.client_id)
      local code = command.arguments and command.arguments[1]
      if client and type(code) == 'string' then
        explain(client, code)
      end
    end,
  },
  -- :TrlsExplain [CODE]: the documentation of CODE, or of the findings on the
  -- cursor's line.
  on_attach = function(client, bufnr)
    vim.api.nvim_buf_create_user_command(bufnr, 'TrlsExplain', function(opts)
      local codes = {}
      if opts.args ~= '' then
        codes = { opts.args }
      else
        local line = vim.api.nvim_win_get_cursor(0)[1] - 1
        for _, d in ipairs(vim.diagnostic.get(bufnr, { lnum = line })) do
          if d.source == 'trls' and d.code and not vim.tbl_contains(codes, d.code) then
            codes[#codes + 1] = d.code
          end
        end
      end
      if #codes == 0 then
        vim.notify('trls: no finding on this line; :TrlsExplain TRF013 names a rule', vim.log.levels.INFO)
      end
      for _, code in ipairs(codes) do
        explain(client, code)
      end
    end, { nargs = '?', desc = 'trls: show the documentation of a rule' })
  end,
}
