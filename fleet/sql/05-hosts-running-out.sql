-- title: Hosts whose memory will run out soonest
-- about: For every host with three or more dated captures, a least-squares line through MemAvailable (meminfo) over
-- about: time: how fast it falls and, at that pace, how many days remain until it reaches zero from the last capture.
-- about: r2 says how well a straight line fits (1 = steady loss, near 0 = noise such as page cache coming and going);
-- about: only fits with r2 of 0.5 or more are listed. The verdicts column is the host's last capture's verdicts.
-- chart: bar label=host value=days_left
WITH m AS (
  SELECT coalesce(host, capture) AS host, kernel_release, captured_at, unix_timestamp(captured_at) AS t,
         meminfo['MemAvailable'] AS avail, meminfo['MemTotal'] AS total, capture_uri
  FROM captures
  WHERE captured_at IS NOT NULL AND meminfo['MemAvailable'] IS NOT NULL),
fit AS (
  SELECT host, max_by(kernel_release, t) AS kernel_release, count(*) AS n,
         regr_slope(avail, t) AS slope, regr_r2(avail, t) AS r2,
         max_by(avail, t) AS last_avail, max_by(total, t) AS total, max_by(capture_uri, t) AS last_capture,
         max(captured_at) AS last_at
  FROM m GROUP BY host
  HAVING count(*) >= 3),
last_verdicts AS (
  SELECT capture_uri, concat_ws(', ', array_sort(collect_set(code))) AS verdicts FROM verdicts GROUP BY capture_uri)
SELECT f.host, f.kernel_release, f.n AS captures, f.last_at,
       round(f.last_avail / 1048576)                    AS available_mib,
       round(f.total / 1048576)                         AS total_mib,
       round(-f.slope * 86400 / 1048576, 1)             AS loss_mib_per_day,
       round(f.last_avail / (-f.slope) / 86400, 1)      AS days_left,
       round(f.r2, 2)                                   AS r2,
       coalesce(v.verdicts, '')                         AS verdicts
FROM fit f LEFT JOIN last_verdicts v ON v.capture_uri = f.last_capture
WHERE f.slope < 0 AND f.r2 >= 0.5
ORDER BY days_left ASC, f.host
LIMIT 25;
