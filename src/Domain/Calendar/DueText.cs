using System.Globalization;

namespace RapidResponse.Domain.Calendar;

/// <summary>The one way a deadline is written for people: in chats, cards, nags, escalations and receipts.</summary>
public static class DueText
{
    /// <summary>"10月14日（星期三）24时前" for an end-of-day deadline, "10月14日（星期三）15:20前" otherwise, "不限时" for none.</summary>
    public static string Of(DateTimeOffset? due)
    {
        if (due is not { } d) return "不限时";
        var local = ChinaTime.ToLocal(d);
        var week = "日一二三四五六"[(int)local.DayOfWeek];
        var endOfDay = ChinaTime.EndOfDay(DateOnly.FromDateTime(local.DateTime)) == d;
        return $"{local.Month}月{local.Day}日（星期{week}）" + (endOfDay ? "24时前" : local.ToString("HH:mm", CultureInfo.InvariantCulture) + "前");
    }
}
