using System.Diagnostics.Metrics;

namespace RapidResponse.Bot.Metrics;

/// <summary>The bot's own instruments (meter <c>RapidResponse.Bot</c>); the database gauges are in <see cref="DatabaseGauges"/>.</summary>
public static class BotMetrics
{
    public const string MeterName = "RapidResponse.Bot";
    private static readonly Meter Meter = new(MeterName);

    /// <summary>From a callback's arrival (inbox row written) to its message being handled, on the app's clock.</summary>
    public static readonly Histogram<double> InboxLag = Meter.CreateHistogram<double>("rrb.inbox.lag", "s",
        "Time from a callback's arrival in the inbox to the end of its handling");
}
