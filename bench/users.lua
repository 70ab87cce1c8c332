-- users.lua -- wrk script: each request for the profile page of another
-- user, /users/bench1 .. /users/bench<N>, N the first argument after "--".
-- Thread t of T asks for users t, t+T, t+2T, ... in turn, so no two
-- requests ask for the same user until all N were asked for.
local threads = {}

function setup(thread)
	table.insert(threads, thread)
	thread:set("first", #threads - 1)
	-- every setup runs before any thread starts: the last one sets the step
	for _, t in ipairs(threads) do
		t:set("step", #threads)
	end
end

function init(args)
	users = tonumber(args[1]) or 1000
	n = first
end

function request()
	local path = "/users/bench" .. (n % users + 1)
	n = n + step
	return wrk.format("GET", path)
end
