-- title: Slab caches that grow across hosts
-- about: For every host with two or more dated captures, each of its largest slab caches (the summary keeps ten per
-- about: capture) from its first to its last capture: how much it grew per day, and whether it grew at every step.
-- about: Caches that grow steadily on many hosts, and on which kernels, come first. A cache that only some captures
-- about: list is measured over the captures that list it.
-- chart: bar label=cache value=hosts_growing
WITH s AS (
  SELECT coalesce(host, capture) AS host, kernel_release, captured_at, c.cache AS cache, c.bytes AS bytes
  FROM captures LATERAL VIEW explode(slab_caches) t AS c
  WHERE captured_at IS NOT NULL),
steps AS (
  SELECT *, bytes - lag(bytes) OVER (PARTITION BY host, cache ORDER BY captured_at) AS step FROM s),
per_host AS (
  SELECT host, cache, max(kernel_release) AS kernel_release, count(*) AS n,
         min_by(bytes, captured_at) AS first_bytes, max_by(bytes, captured_at) AS last_bytes,
         (unix_timestamp(max(captured_at)) - unix_timestamp(min(captured_at))) / 86400.0 AS days,
         count_if(step < 0) AS falls
  FROM steps GROUP BY host, cache),
growth AS (
  SELECT *, (last_bytes - first_bytes) / days AS bytes_per_day FROM per_host
  WHERE n >= 2 AND days > 0 AND last_bytes > first_bytes)
SELECT cache,
       count(*)                                              AS hosts_growing,
       count_if(falls = 0)                                   AS hosts_every_step_up,
       concat_ws(', ', array_sort(collect_set(kernel_release))) AS kernels,
       round(percentile(bytes_per_day, 0.5) / 1048576, 2)    AS median_mib_per_day,
       round(max(bytes_per_day) / 1048576, 2)                AS max_mib_per_day,
       round(max(last_bytes) / 1048576, 1)                   AS largest_mib
FROM growth
GROUP BY cache
ORDER BY hosts_every_step_up DESC, hosts_growing DESC, median_mib_per_day DESC
LIMIT 30;
