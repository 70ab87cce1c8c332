-- xff.lua -- wrk script: each request from one of 65536 client addresses,
-- told through X-Forwarded-For (the server must trust 127.0.0.1 as a
-- proxy), so a per-address limiter works as it would for real traffic
-- instead of refusing the one address wrk has.
math.randomseed(os.time())
request = function()
	local n = math.random(0, 65535)
	local addr = string.format("198.18.%d.%d", math.floor(n / 256), n % 256)
	return wrk.format("GET", nil, { ["X-Forwarded-For"] = addr })
end
