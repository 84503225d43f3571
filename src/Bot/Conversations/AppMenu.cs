namespace RapidResponse.Bot.Conversations;

/// <summary>A menu entry of the self-built app: the click key and the words it stands for (what a person would type).</summary>
/// <param name="Under">The top-level button it sits under; null: a top-level button itself.</param>
public sealed record MenuEntry(string Key, string Text, string? Under = null);

/// <summary>
/// The app menu: the one list that <c>wecom menu</c> sets in WeCom (menu/create) and that the conversation engine reads a
/// menu click with, so a key the menu sends is always one the engine handles.
/// </summary>
public static class AppMenu
{
    public const string MoreButton = "更多";

    public static readonly IReadOnlyList<MenuEntry> Entries =
    [
        new("my_tasks", "我的任务"),
        new("report", "申报"),
        new("alert", "预警", MoreButton),
        new("progress", "进度", MoreButton),
        new("help", "帮助", MoreButton),
    ];

    /// <summary>The words a menu key stands for; an unknown key is taken as typed.</summary>
    public static string? TextOf(string? key) => Entries.FirstOrDefault(e => e.Key == key)?.Text ?? key;
}
