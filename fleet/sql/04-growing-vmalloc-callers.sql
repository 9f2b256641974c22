-- title: vmalloc callers that grow across hosts
-- about: The same measure for the callers of /proc/vmallocinfo (or crash kmem -v) that hold the most pages: growth per
-- about: day from each host's first to its last dated capture, and the hosts where it grew at every step.
-- chart: bar label=caller value=hosts_growing
WITH s AS (
  SELECT coalesce(host, capture) AS host, kernel_release, captured_at, c.caller AS caller, c.bytes AS bytes
  FROM captures LATERAL VIEW explode(vmalloc_callers) t AS c
  WHERE captured_at IS NOT NULL),
steps AS (
  SELECT *, bytes - lag(bytes) OVER (PARTITION BY host, caller ORDER BY captured_at) AS step FROM s),
per_host AS (
  SELECT host, caller, max(kernel_release) AS kernel_release, count(*) AS n,
         min_by(bytes, captured_at) AS first_bytes, max_by(bytes, captured_at) AS last_bytes,
         (unix_timestamp(max(captured_at)) - unix_timestamp(min(captured_at))) / 86400.0 AS days,
         count_if(step < 0) AS falls
  FROM steps GROUP BY host, caller),
growth AS (
  SELECT *, (last_bytes - first_bytes) / days AS bytes_per_day FROM per_host
  WHERE n >= 2 AND days > 0 AND last_bytes > first_bytes)
SELECT caller,
       count(*)                                              AS hosts_growing,
       count_if(falls = 0)                                   AS hosts_every_step_up,
       concat_ws(', ', array_sort(collect_set(kernel_release))) AS kernels,
       round(percentile(bytes_per_day, 0.5) / 1048576, 2)    AS median_mib_per_day,
       round(max(bytes_per_day) / 1048576, 2)                AS max_mib_per_day,
       round(max(last_bytes) / 1048576, 1)                   AS largest_mib
FROM growth
GROUP BY caller
ORDER BY hosts_every_step_up DESC, hosts_growing DESC, median_mib_per_day DESC
LIMIT 30;
