-- ingest.lua -- wrk replays pre-signed session uploads, each thread its
-- own share of the lines of the file given as the first argument.
local counter = 0
local threads = {}

function setup(thread)
	thread:set("id", counter)
	table.insert(threads, thread)
	counter = counter + 1
end

local reqs = {}
local idx = 0
bad = 0	-- global: done() reads it from each thread

function init(args)
	local nthreads = tonumber(args[2])
	local n = 0
	for line in io.lines(args[1]) do
		if n % nthreads == id then
			local key, ts, sig, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
			reqs[#reqs + 1] = wrk.format("POST", "/api/v1/sessions", {
				["Content-Type"] = "application/json",
				["X-API-Key"] = key, ["X-Timestamp"] = ts, ["X-Signature"] = sig,
			}, body)
		end
		n = n + 1
	end
end

function request()
	idx = idx + 1
	if idx > #reqs then
		idx = 1
	end
	return reqs[idx]
end

function response(status, headers, body)
	if status ~= 201 then
		bad = bad + 1
	end
end

function done(summary, latency, requests)
	local notcreated = 0
	for _, t in ipairs(threads) do
		notcreated = notcreated + t:get("bad")
	end
	io.write(string.format("not-201 %d\n", notcreated))
	io.write(string.format("p50 %.2fms p99 %.2fms\n",
		latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
