-- wrk script: a mix of reads over the stored corpus, from paths.txt (one
-- path per line, written by bench/load/run.py): articles, traces of stored
-- ids and pages of pairs, in the proportions the file holds them.
local paths = {}
local counter = 0

init = function(args)
  local file = args[1] or "paths.txt"
  for line in io.lines(file) do
    paths[#paths + 1] = line
  end
  -- Each thread starts at another place in the list.
  counter = math.random(#paths)
end

request = function()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end

-- Count answers that are not 2xx, by status, to report them.
local failed = 0
response = function(status, headers, body)
  if status < 200 or status >= 300 then
    failed = failed + 1
  end
end
