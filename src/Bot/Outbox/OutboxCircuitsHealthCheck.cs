using Microsoft.Extensions.Diagnostics.HealthChecks;
using RapidResponse.Bot.Health;

namespace RapidResponse.Bot.Outbox;

/// <summary>
/// /health/ready: every sending channel stopped on a configuration fault, with WeCom's code and what to fix. Degraded, not
/// unhealthy: restarting or replacing the instance does not help, an operator does (the circuit is shared by all of them).
/// </summary>
public sealed class OutboxCircuitsHealthCheck(IOutboxCircuits circuits) : IHealthCheck
{
    public const string Name = "outbox-circuits";

    /// <summary>Data key of the open circuits (<see cref="OpenCircuit"/> list); /health/ready shows them as "circuits".</summary>
    public const string Circuits = "circuits";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var open = await circuits.OpenCircuitsAsync(ct);
        var data = new Dictionary<string, object> { [Circuits] = open };
        if (open.Count == 0) return HealthCheckResult.Healthy("every channel sends", data);
        IEnumerable<string> warnings = [.. open.Select(c => $"{c.Channel}已暂停发送（错误码 {c.Code}）：{c.Fix}")];
        data[HealthTags.Warnings] = warnings;
        return HealthCheckResult.Degraded($"{open.Count} sending channel(s) stopped on a configuration fault", null, data);
    }
}
