using System.Diagnostics.Metrics;

namespace RapidResponse.Scheduler;

/// <summary>The scheduler's instruments (meter <c>RapidResponse.Scheduler</c>): how long each deadline sweep took.</summary>
public static class SchedulerMetrics
{
    public const string MeterName = "RapidResponse.Scheduler";
    private static readonly Meter Meter = new(MeterName);

    public static readonly Histogram<double> SweepDuration = Meter.CreateHistogram<double>("rrb.sweep.duration", "s",
        "Wall time of one deadline sweep (nags, escalations, emergency reminders), by outcome (ok, failed)");
}
