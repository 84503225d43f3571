using RapidResponse.Domain.Bulletins.Charts;

namespace RapidResponse.Scheduler.Bulletins;

/// <summary>
/// Paints a <see cref="ChartLayout"/> as PNG for the group chats. The host registers one with a CJK font (src/Bot/Charts);
/// when it cannot paint Chinese (no font), <see cref="Problem"/> says why, the bulletins go as text alone and /health/ready
/// shows the reason.
/// </summary>
public interface IChartPainter
{
    /// <summary>Why no picture can be painted (no CJK font, charts turned off); null when it can.</summary>
    string? Problem { get; }

    byte[] Png(ChartLayout layout);
}

/// <summary>The painter of a host that registers none: every bulletin goes as text only.</summary>
public sealed class NoChartPainter : IChartPainter
{
    public string? Problem => "没有注册图表绘制（通报只发文字）";

    public byte[] Png(ChartLayout layout) => throw new InvalidOperationException(Problem);
}
