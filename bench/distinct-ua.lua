-- bench/distinct-ua.lua: wrk sends every request with a User-Agent the server
-- has never seen (a real browser's, made unique by a counter), as an attacker
-- flooding the User-Agent cache would. Used by `BENCH_RUNS=… distinct … bench/load`.
local agents = {
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:133.0) Gecko/20100101 Firefox/133.0",
}
local n = 0
request = function()
  n = n + 1
  local agent = agents[(n % #agents) + 1] .. " " .. n
  return wrk.format(nil, nil, { ["User-Agent"] = agent })
end
