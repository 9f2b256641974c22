-- title: What the fleet's captures say
-- about: Every verdict code found, on how many captures and hosts, at which severity, and how much memory it names
-- about: (median and largest). Hosts are the names the capture bundles state (case.yaml capture.hostname),
-- about: or the capture's own name where a bundle states none.
-- chart: bar label=code,severity value=captures
SELECT code, severity,
       count(DISTINCT capture_uri)                    AS captures,
       count(DISTINCT coalesce(host, capture))        AS hosts,
       round(percentile(bytes, 0.5) / 1048576, 1)     AS median_mib,
       round(max(bytes) / 1048576, 1)                 AS max_mib,
       round(avg(confidence), 2)                      AS mean_confidence
FROM verdicts
GROUP BY code, severity
ORDER BY captures DESC, code, severity
LIMIT 50;
