using System.Diagnostics;
using System.Text;

namespace RapidResponse.Bench;

/// <summary>Closed-loop load: N connections each sending its share of pre-built requests; latency per request.</summary>
public static class LoadRun
{
    public sealed record Result(string Target, int Connections, int Requests, int Errors, double Seconds, double PerSecond, double P50Ms, double P99Ms);

    public static async Task<Result> RunAsync(Uri baseAddress, string path, IReadOnlyList<CallbackFactory.Request> requests, int connections)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        using var http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var latencies = new double[requests.Count];
        var errors = 0;
        var next = -1;
        var sw = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, connections).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests.Count)
            {
                var r = requests[i];
                var t = Stopwatch.GetTimestamp();
                try
                {
                    using var res = await http.PostAsync(path + r.Query, new StringContent(r.Body, Encoding.UTF8, "text/xml"));
                    if (!res.IsSuccessStatusCode) Interlocked.Increment(ref errors);
                }
                catch (HttpRequestException) { Interlocked.Increment(ref errors); }
                latencies[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            }
        });
        await Task.WhenAll(workers);
        sw.Stop();
        Array.Sort(latencies);
        return new Result(path, connections, requests.Count, errors, sw.Elapsed.TotalSeconds, requests.Count / sw.Elapsed.TotalSeconds,
            latencies[latencies.Length / 2], latencies[(int)(latencies.Length * 0.99)]);
    }
}
