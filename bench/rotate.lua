-- wrk script for bench/run.sh: cycles through the request paths (path?query, one a line) of the file named by the
-- first script argument, so that caches see a realistic mix rather than one hot key. Requests are formatted once.
-- A line may go on with headers to send, each after a tab as "Name: value" (requests signed once: bench/SignPaths.java).
local threads = 0

function setup(thread)
   threads = threads + 1
   thread:set("thread_number", threads)
end

local requests = {}
local count = 0
local next_index = 0

function init(args)
   for line in io.lines(args[1]) do
      if line ~= "" then
         local path, headers = nil, {}
         for field in line:gmatch("[^\t]+") do
            if path == nil then
               path = field
            else
               local name, value = field:match("^([^:]+): (.*)$")
               headers[name] = value
            end
         end
         count = count + 1
         requests[count] = wrk.format("GET", path, headers)
      end
   end
   -- threads start at different places in the rotation
   next_index = ((thread_number or 1) - 1) * 3 % count
end

function request()
   next_index = next_index % count + 1
   return requests[next_index]
end
