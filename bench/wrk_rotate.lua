-- Used by bench_engine.py through `wrk -tN -s wrk_rotate.lua -- REQUESTS_FILE N`: every request takes the next line of
-- its thread's share of REQUESTS_FILE, each line "PATH<TAB>AUTHORIZATION". Thread t of n takes the lines whose
-- index is t modulo n, so no two threads share a credential, and a line comes back only after every other line of
-- its share was sent: with more lines per thread than the read cache holds answers, no request can be a hit (see
-- bench_engine.py). After the run, one machine-readable line as wrk_report.lua prints it.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "wrk_report.lua")

local counter = 0

setup = function(thread)
  thread:set("index", counter)
  counter = counter + 1
end

init = function(args)
  local threads_count = tonumber(args[2] or "1")
  local lines = {}
  local n = 0
  for line in io.lines(args[1]) do
    if n % threads_count == index then
      local path, authorization = line:match("^([^\t]+)\t(.*)$")
      table.insert(lines, wrk.format("GET", path, { ["Authorization"] = authorization, ["Accept"] = "application/json" }))
    end
    n = n + 1
  end
  requests_of_thread = lines
  position = 0
end

request = function()
  position = position % #requests_of_thread + 1
  return requests_of_thread[position]
end
