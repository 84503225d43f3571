using Microsoft.Extensions.Options;

namespace RapidResponse.Bot.Outbox;

/// <summary>Configuration section <c>Outbox</c>: how the dispatcher polls, claims and backs off.</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Outbox";

    /// <summary>Wall-clock pause between polls when nothing was due.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Rows claimed per poll.</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>Recipients worked in parallel within a batch (one recipient's rows always in order, one at a time).</summary>
    public int MaxParallelism { get; set; } = 4;

    /// <summary>Attempts after which a row that keeps failing is dead, unless the error's own policy says fewer.</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>First retry delay; doubles per attempt, with jitter, up to <see cref="BackoffCap"/>.</summary>
    public TimeSpan BackoffBase { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan BackoffCap { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How long a claim protects a row; renewed just before each send. A row whose claim ran out (the dispatcher died)
    /// is claimed again. Must exceed one send including the client's token retry (2 × WeCom:HttpTimeout).
    /// </summary>
    public TimeSpan ClaimDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// While a channel is stopped on a configuration fault (60020, 40001, 48002 …), how often one of its rows is sent as a
    /// probe; the first probe WeCom accepts resumes sending.
    /// </summary>
    public TimeSpan CircuitProbeInterval { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>Reports every problem of <see cref="OutboxOptions"/> at once.</summary>
public sealed class OutboxOptionsValidator : IValidateOptions<OutboxOptions>
{
    public ValidateOptionsResult Validate(string? name, OutboxOptions o)
    {
        var problems = new List<string>();
        if (o.PollInterval <= TimeSpan.Zero) problems.Add("Outbox:PollInterval must be positive (轮询间隔).");
        if (o.BatchSize is < 1 or > 1000) problems.Add("Outbox:BatchSize must be within 1..1000.");
        if (o.MaxParallelism is < 1 or > 64) problems.Add("Outbox:MaxParallelism must be within 1..64.");
        if (o.MaxAttempts < 1) problems.Add("Outbox:MaxAttempts must be at least 1.");
        if (o.BackoffBase <= TimeSpan.Zero) problems.Add("Outbox:BackoffBase must be positive.");
        if (o.BackoffCap < o.BackoffBase) problems.Add("Outbox:BackoffCap must not be below Outbox:BackoffBase.");
        if (o.CircuitProbeInterval < TimeSpan.FromSeconds(10)) problems.Add("Outbox:CircuitProbeInterval must be at least 10 seconds (探测间隔).");
        if (o.ClaimDuration < TimeSpan.FromSeconds(30)) problems.Add("Outbox:ClaimDuration must be at least 30 seconds (longer than one send).");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
