-- Used by bench_http.py through `wrk -s wrk_report.lua`: after the run, print one machine-readable line with
-- the request count, duration, bytes, latency percentiles in microseconds (p99 included, which wrk's
-- --latency table shows only as text) and the error counts. Non-2xx/3xx answers are counted in "non2xx".
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_s": %.6f, "bytes": %d, "p50_us": %d, "p90_us": %d, ' ..
    '"p99_us": %d, "p999_us": %d, "max_us": %d, "mean_us": %.1f, "non2xx": %d, "connect_errors": %d, ' ..
    '"read_errors": %d, "write_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration / 1e6, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max, latency.mean, e.status, e.connect, e.read, e.write, e.timeout))
end
