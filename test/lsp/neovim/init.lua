-- A minimal Neovim (0.7+) configuration for the editor test: start the Async
-- Lens server with Neovim's built-in LSP client, open one file, wait for its
-- diagnostics and write them as JSON. Paths come from the environment so the
-- test decides what runs; nothing here is specific to this machine.
local cmd = vim.json.decode(os.getenv("ASYNC_LENS_LSP_CMD"))
local root = os.getenv("ASYNC_LENS_ROOT")
local file = os.getenv("ASYNC_LENS_FILE")
local out = os.getenv("ASYNC_LENS_OUT")
local timeout = tonumber(os.getenv("ASYNC_LENS_TIMEOUT_MS") or "20000")

local function finish(result)
  vim.fn.writefile({ vim.json.encode(result) }, out)
  vim.cmd("qall!")
end

-- vim.lsp.start_client + buf_attach_client: vim.lsp.start() only exists from 0.8 on.
local client_id = vim.lsp.start_client({ name = "async-lens", cmd = cmd, root_dir = root })
if client_id == nil then
  finish({ error = "vim.lsp.start_client failed for " .. table.concat(cmd, " ") })
end
vim.cmd("edit " .. vim.fn.fnameescape(file))
vim.bo.filetype = file:match("%.ts$") and "typescript" or "javascript"
vim.lsp.buf_attach_client(0, client_id)

local arrived = vim.wait(timeout, function()
  return #vim.diagnostic.get(0) > 0
end, 20)
local diagnostics = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  local lsp = d.user_data and d.user_data.lsp or {}
  table.insert(diagnostics, {
    lnum = d.lnum,
    col = d.col,
    end_lnum = d.end_lnum,
    end_col = d.end_col,
    severity = d.severity,
    source = d.source,
    message = d.message,
    code = lsp.code,
    href = lsp.codeDescription and lsp.codeDescription.href or vim.NIL,
  })
end
finish({ arrived = arrived, nvim = tostring(vim.version().major) .. "." .. tostring(vim.version().minor), diagnostics = diagnostics })
