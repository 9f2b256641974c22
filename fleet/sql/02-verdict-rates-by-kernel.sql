-- title: Verdict rates by kernel release and architecture, against the fleet's base rate
-- about: For each kernel release, architecture and verdict code: the share of that kernel's captures with the verdict
-- about: (rate) beside its share of all captures (fleet_rate). lift = rate / fleet_rate: a lift well above 1 on many
-- about: captures points at the kernel (a leak that release has), a lift near 1 at the workload. Only kernels with the
-- about: verdict on two captures or more are listed (one is an anecdote); unusable captures (exit code 2) count nowhere.
-- chart: bar label=kernel_release,arch,code value=lift
WITH usable AS (
  SELECT capture_uri, coalesce(host, capture) AS host,
         coalesce(kernel_release, '(unknown)') AS kernel_release, coalesce(arch, '(unknown)') AS arch
  FROM captures WHERE exit_code < 2),
fleet AS (SELECT count(*) AS n FROM usable),
per_kernel AS (
  SELECT kernel_release, arch, count(*) AS n, count(DISTINCT host) AS hosts FROM usable GROUP BY kernel_release, arch),
hits AS (
  SELECT u.kernel_release, u.arch, v.code, count(DISTINCT v.capture_uri) AS n
  FROM verdicts v JOIN usable u ON v.capture_uri = u.capture_uri
  GROUP BY u.kernel_release, u.arch, v.code),
base AS (SELECT code, sum(n) AS n FROM hits GROUP BY code)
SELECT h.kernel_release, h.arch, h.code,
       k.hosts, k.n AS captures, h.n AS with_verdict,
       round(h.n / k.n, 4)                         AS rate,
       round(b.n / f.n, 4)                         AS fleet_rate,
       round((h.n / k.n) / (b.n / f.n), 2)         AS lift
FROM hits h
JOIN per_kernel k ON h.kernel_release = k.kernel_release AND h.arch = k.arch
JOIN base b ON h.code = b.code
CROSS JOIN fleet f
WHERE h.n >= 2
ORDER BY lift DESC, with_verdict DESC, h.kernel_release, h.code
LIMIT 60;
