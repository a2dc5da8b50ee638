-- Trial records get a compound filetype: `yaml.trial` / `json.trial` keep YAML and
-- JSON highlighting and plugins, while trls attaches only to trial records.
vim.filetype.add({
  pattern = {
    ['.*%.trial%.ya?ml'] = 'yaml.trial',
    ['.*%.trial%.json'] = 'json.trial',
  },
})
