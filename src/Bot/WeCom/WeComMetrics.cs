using System.Diagnostics.Metrics;

namespace RapidResponse.Bot.WeCom;

/// <summary>
/// The WeCom layer's instruments (meter <c>RapidResponse.WeCom</c>): callbacks by channel and result, API requests by
/// request type and errcode. Recording costs next to nothing while nobody listens (Metrics:Enabled=false).
/// </summary>
public static class WeComMetrics
{
    public const string MeterName = "RapidResponse.WeCom";
    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Callbacks = Meter.CreateCounter<long>("rrb.wecom.callbacks", "{callback}",
        "WeCom callbacks received, by channel (app, kf) and result (new, duplicate, too_large, bad_xml, bad_signature, unparseable)");

    private static readonly Counter<long> Requests = Meter.CreateCounter<long>("rrb.wecom.requests", "{request}",
        "WeCom API requests by request type and errcode (\"transport\" when no usable answer came back)");

    public static void Callback(Callbacks.CallbackChannel channel, string result) =>
        Callbacks.Add(1, new("channel", channel == WeCom.Callbacks.CallbackChannel.Kf ? "kf" : "app"), new("result", result));

    public static void Request(string requestType, string errCode) =>
        Requests.Add(1, new("request", requestType), new("errcode", errCode));
}
