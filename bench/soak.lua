-- bench/soak.lua — the page mix of bench/soak, for wrk, and what came back.
--
-- Each wrk thread cycles through the public pages (home, services, policy,
-- login page); every SOAK_STATS_EVERY-th request is /statistiques with the
-- marketing session cookie instead. Responses are counted per thread, by
-- status class, by status and by kind (an HTML page answered 2xx is a page
-- view the visitor log keeps), and summed in done() as "soak:" lines that
-- bench/soak reads.
--
-- Environment (read by every thread):
--   SOAK_COOKIE        the Cookie header of /statistiques ("wm_session=…")
--   SOAK_STATS_EVERY   one request in this many is /statistiques (0: none)
--   SOAK_DELAY_MS      pause of a connection between two requests (0: none,
--                      saturation)
--   SOAK_LOGGED_UNTIL  Unix time after which only /static/site.css is asked
--                      for (static files leave no visitor-log row), so that
--                      requests still in flight when wrk stops are not page
--                      views; 0: pages until the end

local cookie = os.getenv("SOAK_COOKIE") or ""
local stats_every = tonumber(os.getenv("SOAK_STATS_EVERY") or "10") or 10
local delay_ms = tonumber(os.getenv("SOAK_DELAY_MS") or "0") or 0
local logged_until = tonumber(os.getenv("SOAK_LOGGED_UNTIL") or "0") or 0

local pages = { "/", "/services", "/politique-de-confidentialite", "/connexion" }
local page_requests, stats_request, static_request = {}, nil, nil

-- wrk's headers (Host, and the User-Agent given with -H) plus `extra`:
-- wrk.format with a headers table sends only that table.
local function headers_with(extra)
    local headers = {}
    for name, value in pairs(wrk.headers) do
        headers[name] = value
    end
    for name, value in pairs(extra or {}) do
        headers[name] = value
    end
    return headers
end

-- Built in init, once wrk has set the Host header.
init = function(args)
    for i, path in ipairs(pages) do
        page_requests[i] = wrk.format("GET", path, headers_with())
    end
    stats_request = wrk.format("GET", "/statistiques", headers_with({ ["Cookie"] = cookie }))
    static_request = wrk.format("GET", "/static/site.css", headers_with())
end

-- Per thread (globals, so that done() can read them with thread:get).
classes = {}     -- status class (2, 3, 4, 5) → responses
statuses = {}    -- status → responses
html_2xx = 0     -- HTML pages answered 2xx: page views
stats_2xx = 0    -- of them, statistics pages
other_2xx = 0    -- 2xx that are not HTML (the static file of the tail)

local n = 0
local page = 0

request = function()
    if logged_until > 0 and os.time() >= logged_until then
        return static_request
    end
    n = n + 1
    if stats_every > 0 and n % stats_every == 0 then
        return stats_request
    end
    page = page % #pages + 1
    return page_requests[page]
end

if delay_ms > 0 then
    delay = function()
        return delay_ms
    end
end

response = function(status, headers, body)
    local class = math.floor(status / 100)
    classes[class] = (classes[class] or 0) + 1
    statuses[status] = (statuses[status] or 0) + 1
    if class == 2 then
        local content_type = headers["content-type"] or headers["Content-Type"] or ""
        if content_type:sub(1, 9) == "text/html" then
            html_2xx = html_2xx + 1
            -- The statistics page is the one with this heading.
            if body and body:find("<h1>Statistiques de fr", 1, true) then
                stats_2xx = stats_2xx + 1
            end
        else
            other_2xx = other_2xx + 1
        end
    end
end

local threads = {}

setup = function(thread)
    table.insert(threads, thread)
end

done = function(summary, latency, requests)
    local classes_all, statuses_all = {}, {}
    local html, stats, other = 0, 0, 0
    for _, thread in ipairs(threads) do
        for k, v in pairs(thread:get("classes") or {}) do
            classes_all[k] = (classes_all[k] or 0) + v
        end
        for k, v in pairs(thread:get("statuses") or {}) do
            statuses_all[k] = (statuses_all[k] or 0) + v
        end
        html = html + (thread:get("html_2xx") or 0)
        stats = stats + (thread:get("stats_2xx") or 0)
        other = other + (thread:get("other_2xx") or 0)
    end
    for _, class in ipairs({ 2, 3, 4, 5 }) do
        io.write(string.format("soak: class %dxx %d\n", class, classes_all[class] or 0))
    end
    local codes = {}
    for code in pairs(statuses_all) do
        table.insert(codes, code)
    end
    table.sort(codes)
    for _, code in ipairs(codes) do
        io.write(string.format("soak: status %d %d\n", code, statuses_all[code]))
    end
    io.write(string.format("soak: html_2xx %d\n", html))
    io.write(string.format("soak: stats_2xx %d\n", stats))
    io.write(string.format("soak: other_2xx %d\n", other))
    io.write(string.format("soak: requests %d\n", summary.requests))
    io.write(string.format("soak: duration_us %d\n", summary.duration))
    local e = summary.errors
    io.write(string.format("soak: errors connect %d read %d write %d timeout %d status %d\n",
        e.connect, e.read, e.write, e.timeout, e.status))
    for _, p in ipairs({ 50, 90, 99, 99.9 }) do
        io.write(string.format("soak: latency_p%s_us %d\n", tostring(p), latency:percentile(p)))
    end
    io.write(string.format("soak: latency_max_us %d\n", latency.max))
end
