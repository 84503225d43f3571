using System.Diagnostics;
using RapidResponse.Bot.Tests.Scheduler;
using RapidResponse.Bot.Tests.WeCom;
using RapidResponse.Bot.Tests.Infrastructure;

namespace RapidResponse.Bot.Tests.Postgres;

/// <summary>
/// A real crash: bot instances as separate processes on one PostgreSQL database; the one that has been running the sweep
/// is killed (SIGKILL, no shutdown, its Quartz check-in row left behind) and the survivor takes over.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterFailoverTests
{
    private static readonly TimeSpan Checkin = TimeSpan.FromSeconds(1), Threshold = TimeSpan.FromSeconds(2), Sweep = TimeSpan.FromSeconds(10);

    [PostgresFact]
    public async Task Cluster_ShouldRecoverTheKilledInstanceAndKeepSweeping_WhenTheInstanceRunningTheSweepIsKilled()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        using var a = BotProcess.Start(db.ConnectionString, "proc-a", Checkin, Threshold, Sweep);
        try
        {
            await UntilAsync(async () => await Instances(db) == 1 && await LastSweep(db) > 0, "the first instance ran the sweep", 60);
            using var b = BotProcess.Start(db.ConnectionString, "proc-b", Checkin, Threshold, Sweep);
            try
            {
                await UntilAsync(async () => await Instances(db) == 2, "the second instance joined", 60);
                // A joining instance re-registers the sweep to start now; let that firing pass so the next one is a regular one.
                await Task.Delay(TimeSpan.FromSeconds(3));
                var before = await LastSweep(db);
                a.Kill();
                var killedAt = DateTime.UtcNow;

                // The survivor notices the silent instance within check-in interval + threshold (plus polling slack) and
                // recovers it: its check-in row is removed, its claimed triggers are released.
                await UntilAsync(async () => await Instances(db) == 1 && await Has(db, "proc-b"), "proc-a recovered by proc-b", (Checkin + Threshold).TotalSeconds + 5);
                // The sweep goes on, on the survivor.
                await UntilAsync(async () => await LastSweep(db) > before, "a sweep after the kill", (Sweep + Checkin + Threshold).TotalSeconds + 5);
                Assert.True(DateTime.UtcNow - killedAt < Sweep + Checkin + Threshold + TimeSpan.FromSeconds(5));
                Assert.False(b.HasExited, b.Log());
            }
            finally { b.Kill(); }
        }
        finally { a.Kill(); }
    }

    private static Task<long> Instances(PostgresDatabase db) =>
        db.ScalarAsync<long>("SELECT count(*) FROM qrtz_scheduler_state WHERE sched_name = 'rrb-cluster'");

    private static async Task<bool> Has(PostgresDatabase db, string id) =>
        await db.ScalarAsync<long>($"SELECT count(*) FROM qrtz_scheduler_state WHERE sched_name = 'rrb-cluster' AND instance_name = '{id}'") == 1;

    private static async Task<long> LastSweep(PostgresDatabase db)
    {
        try { return await db.ScalarAsync<long>("SELECT coalesce(max(prev_fire_time), 0) FROM qrtz_triggers WHERE sched_name = 'rrb-cluster' AND trigger_name = 'deadline-sweep'"); }
        catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.UndefinedTable) { return 0; }
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string what, double seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await ExistsAsync(condition))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out after {seconds:0} s waiting for: {what}");
            await Task.Delay(100);
        }
    }

    private static async Task<bool> ExistsAsync(Func<Task<bool>> condition)
    {
        try { return await condition(); }
        catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.UndefinedTable) { return false; }
    }

    /// <summary>The bot's own binary (Program) in a process of its own, configured by environment variables like a deployment.</summary>
    private sealed class BotProcess : IDisposable
    {
        private readonly Process _p;
        private readonly System.Text.StringBuilder _log = new();

        private BotProcess(Process p) => _p = p;

        public bool HasExited => _p.HasExited;

        public static BotProcess Start(string connectionString, string id, TimeSpan checkin, TimeSpan threshold, TimeSpan sweep)
        {
            var dir = Path.Combine(Path.GetTempPath(), "rrb-tests", "proc-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            var psi = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "RapidResponse.Bot.dll"), "--urls", "http://127.0.0.1:0"])
            {
                WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            var env = new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["Database__Provider"] = "Postgres",
                ["ConnectionStrings__Bot"] = connectionString,
                ["Scheduler__InstanceName"] = "rrb-cluster",
                ["Scheduler__InstanceId"] = id,
                ["Scheduler__SweepInterval"] = sweep.ToString(),
                ["Scheduler__ClusterCheckinInterval"] = checkin.ToString(),
                ["Scheduler__ClusterCheckinMisfireThreshold"] = threshold.ToString(),
                ["Sandbox__Enabled"] = "false",
                ["Templates__Directory"] = RepoPaths.Templates,
                ["WeCom__CorpId"] = Vectors.CorpId,
                ["WeCom__AgentId"] = "1000002",
                ["WeCom__Secret"] = "app-secret",
                ["WeCom__Token"] = Vectors.Token,
                ["WeCom__EncodingAESKey"] = Vectors.AesKey,
                ["WeCom__ApiBaseUrl"] = "http://127.0.0.1:9",
                ["Logging__LogLevel__Default"] = "Warning",
            };
            foreach (var (k, v) in env) psi.Environment[k] = v;
            var p = new BotProcess(Process.Start(psi)!);
            p._p.OutputDataReceived += (_, e) => { lock (p._log) p._log.AppendLine(e.Data); };
            p._p.ErrorDataReceived += (_, e) => { lock (p._log) p._log.AppendLine(e.Data); };
            p._p.BeginOutputReadLine();
            p._p.BeginErrorReadLine();
            return p;
        }

        public string Log() { lock (_log) return _log.ToString(); }

        /// <summary>SIGKILL: no graceful shutdown, nothing cleaned up.</summary>
        public void Kill()
        {
            if (!_p.HasExited) _p.Kill(entireProcessTree: true);
            _p.WaitForExit(10_000);
        }

        public void Dispose() => _p.Dispose();
    }
}
