-- A headless Neovim 0.7 session as a second real LSP client of the PrivateLink Lens server, driven by
-- test/neovim/neovim.test.ts. Only what Neovim 0.7 has is used (vim.lsp.start_client: 0.7 has no
-- vim.lsp.start) with Neovim's own client capabilities, so the server sees what a Neovim user's would.
--
-- Environment:
--   PL_SERVER   dist/server.js (started as `node <PL_SERVER> --stdio`; `node` from PATH)
--   PL_ROOT     a copy of the fixture workspace: consumer/ and provider/ (the root_dir of the client)
--   PL_WAIT_MS  how long each wait may take (default 20000)
--   PL_CONFIG   optional: a Lua file that sets the client up instead of this script (the README's snippet);
--               it must start a client named privatelink-lens and attach it on FileType terraform.
-- Output: one JSON object on stdout (headless `print` goes to stderr), then `qall!` on success or
-- `cquit! <n>` when step n failed. Every step records what it saw, so the test can say what went wrong.

local server = assert(os.getenv('PL_SERVER'), 'PL_SERVER is not set')
local root = assert(os.getenv('PL_ROOT'), 'PL_ROOT is not set')
local wait_ms = tonumber(os.getenv('PL_WAIT_MS') or '') or 20000
local config = os.getenv('PL_CONFIG')

local v = vim.version()
local result = { nvim = string.format('%d.%d.%d', v.major, v.minor, v.patch), config = config or 'client.lua', steps = {}, ms = {} }
local started = vim.loop.hrtime()

local function finish(code)
  result.total_ms = (vim.loop.hrtime() - started) / 1e6
  io.stdout:write(vim.json.encode(result))
  io.stdout:flush()
  if code == 0 then
    vim.cmd('qall!')
  else
    vim.cmd('cquit! ' .. code)
  end
end

-- Runs one named step; an error raised in it is recorded and ends the session with the step's number.
local function step(name, fn)
  local t0 = vim.loop.hrtime()
  local ok, err = xpcall(fn, debug.traceback)
  result.ms[name] = (vim.loop.hrtime() - t0) / 1e6
  if not ok then
    result.failed = { step = name, number = #result.steps + 1, error = tostring(err) }
    finish(#result.steps + 1)
    return
  end
  table.insert(result.steps, name)
end

-- Every publishDiagnostics as the server sent it (LSP positions, before Neovim converts them), per URI.
-- The handlers are wrapped globally, so they see the messages of a client set up by PL_CONFIG as well.
local published = {}
local default_publish = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, params, ctx, cfg)
  local list = published[params.uri] or {}
  published[params.uri] = list
  table.insert(list, { version = params.version, diagnostics = params.diagnostics })
  return default_publish(err, params, ctx, cfg)
end
result.server_log = {}
vim.lsp.handlers['window/logMessage'] = function(_, params)
  table.insert(result.server_log, params.message)
end

local function line_of(bufnr, needle)
  for i, text in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    if text:find(needle, 1, true) then
      return i - 1, text
    end
  end
  error(string.format('%q is not in buffer %d', needle, bufnr))
end

local function find_code(diagnostics, code)
  for _, d in ipairs(diagnostics) do
    if d.code == code then
      return d
    end
  end
  return nil
end

local function codes(diagnostics)
  return vim.tbl_map(function(d)
    return d.code
  end, diagnostics)
end

local function last_published(uri)
  local list = published[uri] or {}
  return list[#list]
end

local client_id, client

-- buf_request_sync returns { [client_id] = { result = ..., error = ... } }, or nil and an error message.
local function request(bufnr, method, params)
  local responses, err = vim.lsp.buf_request_sync(bufnr, method, params, wait_ms)
  assert(responses, string.format('%s: no response (%s)', method, tostring(err)))
  local response = responses[client_id]
  assert(response, method .. ': no response from the privatelink-lens client')
  assert(not response.error, method .. ': ' .. vim.inspect(response.error))
  return response.result
end

-- The cursor on the first occurrence of `needle` (plus `shift` bytes) on the line holding `line_needle`,
-- and the LSP position Neovim computes for it (in the client's encoding, from the buffer's bytes).
local function position_at(bufnr, line_needle, needle, shift)
  local line, text = line_of(bufnr, line_needle)
  local col = assert(text:find(needle, 1, true), needle .. ' not on line ' .. line) - 1 + (shift or 0)
  vim.api.nvim_win_set_cursor(0, { line + 1, col })
  return vim.lsp.util.make_position_params(0, client.offset_encoding), col
end

local consumer = root .. '/consumer/main.tf'
local provider = root .. '/provider/main.tf'
local bufnr, uri, pl002

step('start', function()
  if config then
    dofile(config)
  else
    -- 0.7 tells Terraform from TinyFugue by a .tf file's content (an empty one is "tf"): say which.
    vim.cmd('autocmd BufNewFile,BufRead *.tf setlocal filetype=terraform')
    local id = vim.lsp.start_client({
      name = 'privatelink-lens',
      cmd = { 'node', server, '--stdio' },
      root_dir = root,
      on_exit = function(code, signal)
        result.server_exit = { code = code, signal = signal }
      end,
    })
    assert(id, 'vim.lsp.start_client returned nil')
    vim.api.nvim_create_autocmd('FileType', {
      pattern = 'terraform',
      callback = function(args)
        vim.lsp.buf_attach_client(args.buf, id)
      end,
    })
  end
  -- Neovim turns filetype detection on after the init file; this one opens files itself, so it does that
  -- first, after the configuration as in a normal start (the configuration's BufRead autocommand first).
  vim.cmd('filetype on')
  vim.cmd('edit ' .. vim.fn.fnameescape(consumer))
  bufnr = vim.api.nvim_get_current_buf()
  uri = vim.uri_from_bufnr(bufnr)
  result.uri = uri
  result.filetype = vim.bo[bufnr].filetype
  local ok = vim.wait(wait_ms, function()
    for id, c in pairs(vim.lsp.buf_get_clients(bufnr)) do
      if c.name == 'privatelink-lens' and c.initialized then
        client_id, client = id, c
        return true
      end
    end
    return false
  end, 20)
  assert(ok, 'no initialized privatelink-lens client attached to ' .. consumer .. ' (filetype ' .. result.filetype .. ')')
  result.offset_encoding = client.offset_encoding
  result.server_capabilities = client.server_capabilities
  -- Whether Neovim will send didSave: only to servers whose textDocumentSync asks for it.
  result.sends_did_save = client.resolved_capabilities.text_document_save
end)

step('diagnostics', function()
  local ok = vim.wait(wait_ms, function()
    return find_code(vim.diagnostic.get(bufnr), 'PL002') ~= nil
  end, 20)
  result.diagnostics = vim.tbl_map(function(d)
    return { code = d.code, source = d.source, severity = d.severity, lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col, message = d.message }
  end, vim.diagnostic.get(bufnr))
  assert(ok, 'no PL002 in vim.diagnostic.get() after ' .. wait_ms .. ' ms; have ' .. vim.inspect(codes(result.diagnostics)))
  for _, p in ipairs(published[uri] or {}) do
    pl002 = find_code(p.diagnostics, 'PL002') or pl002
  end
  assert(pl002, 'PL002 is in vim.diagnostic but in no publishDiagnostics for ' .. uri)
  result.pl002 = pl002
end)

step('hover', function()
  local params = position_at(bufnr, '"endpoint" {', '"endpoint"', 2)
  result.hover_position = params.position
  local hover = request(bufnr, 'textDocument/hover', params)
  assert(hover and hover.contents, 'no hover on the endpoint security group')
  result.hover = hover.contents
  -- What Neovim's floating window would show.
  result.hover_lines = vim.lsp.util.convert_input_to_markdown_lines(hover.contents)
end)

step('settings', function()
  -- The README's way: settings in client.config.settings, pushed with didChangeConfiguration (Neovim 0.7
  -- does not offer workspace/configuration; a client that does is asked, and answers from the same table).
  client.config.settings = vim.tbl_deep_extend('force', client.config.settings or {}, { privatelinkLens = { rules = { PL002 = 'warning' } } })
  client.notify('workspace/didChangeConfiguration', { settings = client.config.settings })
  local ok = vim.wait(wait_ms, function()
    local d = find_code(vim.diagnostic.get(bufnr), 'PL002')
    return d ~= nil and d.severity == vim.diagnostic.severity.WARN
  end, 20)
  local d = find_code(vim.diagnostic.get(bufnr), 'PL002')
  result.severity_after_settings = d and d.severity or vim.NIL
  assert(ok, 'PL002 did not become a warning after didChangeConfiguration')
  pl002 = find_code(last_published(uri).diagnostics, 'PL002')
end)

step('code action menu', function()
  -- What a user gets from `:lua vim.lsp.buf.code_action()` with the cursor on the finding: a zero-width
  -- range at the cursor, and 0.7's context.diagnostics, whose columns are bytes though labelled UTF-16.
  -- The menu (vim.ui.select) is read and closed without a choice; the next step applies the fix itself.
  position_at(bufnr, '"endpoint" {', '"endpoint"', 2)
  local offered
  local select = vim.ui.select
  vim.ui.select = function(items, opts, on_choice)
    offered = vim.tbl_map(function(item)
      return opts.format_item(item)
    end, items)
    on_choice(nil)
  end
  vim.lsp.buf.code_action()
  local ok = vim.wait(wait_ms, function()
    return offered ~= nil
  end, 20)
  vim.ui.select = select
  assert(ok, 'vim.lsp.buf.code_action() showed no menu')
  result.code_action_menu = offered
end)

step('code action', function()
  local actions = request(bufnr, 'textDocument/codeAction', {
    textDocument = { uri = uri },
    range = pl002.range,
    context = { diagnostics = { pl002 } },
  })
  assert(actions and #actions > 0, 'no code actions on the PL002 range')
  result.code_actions = vim.tbl_map(function(a)
    return { title = a.title, kind = a.kind, isPreferred = a.isPreferred == true, has_edit = a.edit ~= nil, has_command = a.command ~= nil }
  end, actions)
  local fix
  for _, a in ipairs(actions) do
    if a.isPreferred and a.edit and a.title:find('Allow TCP 443 from', 1, true) == 1 then
      fix = a
      break
    end
  end
  assert(fix, 'no preferred "Allow TCP 443 from ..." action among ' .. vim.inspect(codes(result.code_actions)))
  result.applied = { title = fix.title, edit = fix.edit }
  result.version_before = vim.lsp.util.buf_versions[bufnr]
  -- 0.7's signature: apply_workspace_edit(workspace_edit, offset_encoding), the encoding now required.
  vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding)
  result.version_after = vim.lsp.util.buf_versions[bufnr]
  assert(result.version_after ~= result.version_before, 'applying the edit did not change the buffer')
  vim.cmd('wa')
  result.modified_after_write = vim.bo[bufnr].modified
end)

step('republished', function()
  -- The buffer edit reached the server as didChange (and didSave only if it asked for it): wait for the
  -- diagnostics of exactly the edited version.
  local version = vim.lsp.util.buf_versions[bufnr]
  local ok = vim.wait(wait_ms, function()
    local latest = last_published(uri)
    return latest ~= nil and latest.version == version and find_code(latest.diagnostics, 'PL002') == nil
  end, 20)
  local latest = last_published(uri)
  result.republished = latest and { version = latest.version, codes = codes(latest.diagnostics) } or vim.NIL
  result.after_fix = codes(vim.diagnostic.get(bufnr))
  assert(ok, string.format('no publishDiagnostics for version %d without PL002; last: %s', version, vim.inspect(result.republished)))
end)

step('reanalyze', function()
  -- The README's remedy for files changed behind Neovim's back; resolves after fresh diagnostics went out.
  request(bufnr, 'workspace/executeCommand', { command = 'privatelinkLens.server.reanalyze' })
  result.after_reanalyze = codes(vim.diagnostic.get(bufnr))
end)

step('code lens', function()
  local lenses = request(bufnr, 'textDocument/codeLens', { textDocument = { uri = uri } }) or {}
  result.code_lenses = vim.tbl_map(function(l)
    return { line = l.range.start.line, title = l.command and l.command.title or vim.NIL }
  end, lenses)
end)

step('definition', function()
  local params = position_at(bufnr, 'service_name', 'vpce-svc')
  local locations = request(bufnr, 'textDocument/definition', params)
  assert(locations and not vim.tbl_isempty(locations), 'no definition for service_name')
  if locations.uri or locations.targetUri then
    locations = { locations }
  end
  result.definition = locations
  -- Jump as `gd` would, and report where Neovim ended up.
  vim.lsp.util.jump_to_location(locations[1], client.offset_encoding)
  local cursor = vim.api.nvim_win_get_cursor(0)
  result.jumped_to = { file = vim.api.nvim_buf_get_name(0), line = cursor[1] - 1, col = cursor[2] }
end)

step('clients', function()
  -- The jump opened provider/main.tf: it must be attached to the same server, not to a second one.
  local provider_buf = vim.fn.bufnr(provider)
  vim.wait(wait_ms, function()
    return not vim.tbl_isempty(vim.lsp.buf_get_clients(provider_buf))
  end, 20)
  local names = {}
  for _, c in ipairs(vim.lsp.get_active_clients()) do
    table.insert(names, c.name)
  end
  result.active_clients = names
  result.provider_clients = vim.tbl_count(vim.lsp.buf_get_clients(provider_buf))
end)

step('stop', function()
  vim.lsp.stop_client(client_id)
  result.server_stopped = vim.wait(wait_ms, function()
    return vim.lsp.client_is_stopped(client_id)
  end, 20)
end)

if not result.failed then
  finish(0)
end
