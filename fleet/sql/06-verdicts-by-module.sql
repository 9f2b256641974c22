-- title: Kernel modules that go with a leak
-- about: For each module loaded on some hosts but not all (from /proc/modules or lsmod in the captures) and each warning
-- about: or critical verdict: how often captures that load the module have the verdict (rate_with), against captures
-- about: that do not (rate_without). A high lift on several captures names a driver to suspect: which driver's hosts
-- about: lose memory nobody accounts for. It is an association, not a proof; the verdict's own evidence says where the
-- about: memory went. Only captures that list their modules are counted.
-- chart: bar label=module,code value=with_both
WITH cap AS (
  SELECT capture_uri, modules FROM captures WHERE exit_code < 2 AND size(modules) > 0),
n AS (SELECT count(*) AS n FROM cap),
loaded AS (
  SELECT DISTINCT c.capture_uri, module FROM cap c LATERAL VIEW explode(c.modules) t AS module),
per_module AS (
  SELECT module, count(*) AS with_module FROM loaded GROUP BY module),
hit AS (
  SELECT DISTINCT v.capture_uri, v.code FROM verdicts v JOIN cap c ON v.capture_uri = c.capture_uri
  WHERE v.severity IN ('warning', 'critical')),
per_code AS (
  SELECT code, count(*) AS with_code FROM hit GROUP BY code),
both AS (
  SELECT l.module, h.code, count(*) AS with_both FROM loaded l JOIN hit h ON l.capture_uri = h.capture_uri GROUP BY l.module, h.code)
SELECT b.module, b.code, m.with_module, b.with_both,
       round(b.with_both / m.with_module, 3)                                       AS rate_with,
       round((p.with_code - b.with_both) / (n.n - m.with_module), 3)               AS rate_without,
       CASE WHEN p.with_code = b.with_both THEN NULL
            ELSE round((b.with_both / m.with_module) / ((p.with_code - b.with_both) / (n.n - m.with_module)), 2) END AS lift
FROM both b
JOIN per_module m ON b.module = m.module
JOIN per_code p ON b.code = p.code
CROSS JOIN n
WHERE m.with_module < n.n
ORDER BY (p.with_code = b.with_both) DESC, lift DESC, b.with_both DESC, b.module, b.code
LIMIT 40;
