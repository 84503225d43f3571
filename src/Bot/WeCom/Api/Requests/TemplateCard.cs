using System.Text;
using System.Text.Json.Serialization;

namespace RapidResponse.Bot.WeCom.Api.Requests;

/// <summary>
/// A template card body (§4.3). Modelled for <c>button_interaction</c> (our task cards) and <c>text_notice</c>;
/// <see cref="Validate"/> enforces the documented limits because WeCom's 420xx errors are vague.
/// </summary>
public sealed record TemplateCard
{
    [JsonPropertyName("card_type")]
    public required string CardType { get; init; }

    [JsonPropertyName("source")]
    public CardSource? Source { get; init; }

    [JsonPropertyName("main_title")]
    public CardMainTitle? MainTitle { get; init; }

    [JsonPropertyName("sub_title_text")]
    public string? SubTitleText { get; init; }

    [JsonPropertyName("quote_area")]
    public CardQuoteArea? QuoteArea { get; init; }

    [JsonPropertyName("horizontal_content_list")]
    public IReadOnlyList<HorizontalContent>? HorizontalContentList { get; init; }

    [JsonPropertyName("card_action")]
    public CardAction? CardAction { get; init; }

    [JsonPropertyName("button_selection")]
    public ButtonSelection? ButtonSelection { get; init; }

    [JsonPropertyName("button_list")]
    public IReadOnlyList<CardButton>? ButtonList { get; init; }

    /// <summary>Only when updating: greys out all buttons with this text.</summary>
    [JsonPropertyName("replace_text")]
    public string? ReplaceText { get; init; }

    [JsonPropertyName("task_id")]
    public string? TaskId { get; init; }

    public static TemplateCard ButtonInteraction(string taskId, CardMainTitle mainTitle, IReadOnlyList<CardButton> buttons) =>
        new() { CardType = "button_interaction", TaskId = taskId, MainTitle = mainTitle, ButtonList = buttons };

    public IEnumerable<string> Validate()
    {
        var interactive = CardType is "button_interaction" or "vote_interaction" or "multiple_interaction";
        if (interactive && TaskId is null)
        {
            yield return $"task_id is required for {CardType}.";
        }

        if (TaskId is not null && !TemplateCardTaskId.IsValid(TaskId))
        {
            yield return "task_id must be 1..128 bytes of digits, letters, '_', '-' or '@' (WeCom 42014).";
        }

        if (CardType == "button_interaction")
        {
            if (string.IsNullOrEmpty(MainTitle?.Title))
            {
                yield return "main_title.title is required for button_interaction.";
            }

            if (ButtonList is not { Count: >= 1 and <= 6 })
            {
                yield return "button_list needs 1..6 buttons.";
            }
        }

        if (CardType == "text_notice" && CardAction is null)
        {
            yield return "card_action is required for text_notice (WeCom 42045).";
        }

        if (HorizontalContentList is { Count: > 6 })
        {
            yield return "horizontal_content_list allows at most 6 rows.";
        }

        foreach (var problem in ValidateButtons())
        {
            yield return problem;
        }
    }

    private IEnumerable<string> ValidateButtons()
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var b in ButtonList ?? [])
        {
            if (b.Type is null or 0 && string.IsNullOrEmpty(b.Key))
            {
                yield return $"button '{b.Text}' needs a key (callback buttons).";
            }
            else if (b.Key is not null && (Encoding.UTF8.GetByteCount(b.Key) > 1024 || !keys.Add(b.Key)))
            {
                yield return $"button key '{b.Key}' must be unique within the card and at most 1024 bytes.";
            }

            if (b.Type == 1 && string.IsNullOrEmpty(b.Url))
            {
                yield return $"button '{b.Text}' of type 1 needs a url.";
            }
        }
    }
}

/// <summary>Rules and a generator for template card task ids (unique per app, reuse is rejected: pitfall §9.16).</summary>
public static class TemplateCardTaskId
{
    public const int MaxBytes = 128;

    public static bool IsValid(string taskId) =>
        taskId.Length is > 0 and <= MaxBytes && taskId.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '@');

    /// <summary><c>purpose_yyyyMMddHHmmss_random</c>; the purpose is reduced to allowed characters.</summary>
    public static string New(string purpose, DateTimeOffset now, string randomSuffix)
    {
        var clean = new string(purpose.Where(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '@').Take(64).ToArray());
        var suffix = new string(randomSuffix.Where(char.IsAsciiLetterOrDigit).Take(32).ToArray());
        return $"{clean}_{now.UtcDateTime:yyyyMMddHHmmss}_{suffix}";
    }
}

/// <summary>Card source line; desc_color 0 grey, 1 black, 2 red, 3 green.</summary>
public sealed record CardSource(
    [property: JsonPropertyName("icon_url")] string? IconUrl = null,
    [property: JsonPropertyName("desc")] string? Desc = null,
    [property: JsonPropertyName("desc_color")] int? DescColor = null);

public sealed record CardMainTitle(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("desc")] string? Desc = null);

public sealed record CardQuoteArea(
    [property: JsonPropertyName("type")] int? Type = null,
    [property: JsonPropertyName("url")] string? Url = null,
    [property: JsonPropertyName("title")] string? Title = null,
    [property: JsonPropertyName("quote_text")] string? QuoteText = null);

/// <summary>Key/value row; type 0 text, 1 url, 2 file (media_id), 3 member (userid).</summary>
public sealed record HorizontalContent(
    [property: JsonPropertyName("keyname")] string KeyName,
    [property: JsonPropertyName("value")] string? Value = null,
    [property: JsonPropertyName("type")] int? Type = null,
    [property: JsonPropertyName("url")] string? Url = null,
    [property: JsonPropertyName("media_id")] string? MediaId = null,
    [property: JsonPropertyName("userid")] string? UserId = null);

/// <summary>Whole-card click: type 1 url, 2 mini-program.</summary>
public sealed record CardAction(
    [property: JsonPropertyName("type")] int Type,
    [property: JsonPropertyName("url")] string? Url = null,
    [property: JsonPropertyName("appid")] string? AppId = null,
    [property: JsonPropertyName("pagepath")] string? PagePath = null);

/// <summary>Button; type 0/absent = callback with <see cref="Key"/> as EventKey, 1 = open url. Style 1 primary … 4 negative.</summary>
public sealed record CardButton(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("key")] string? Key = null,
    [property: JsonPropertyName("style")] int? Style = null,
    [property: JsonPropertyName("type")] int? Type = null,
    [property: JsonPropertyName("url")] string? Url = null);

/// <summary>Drop-down above the buttons; the choice comes back in SelectedItems.</summary>
public sealed record ButtonSelection(
    [property: JsonPropertyName("question_key")] string QuestionKey,
    [property: JsonPropertyName("option_list")] IReadOnlyList<SelectionOption> OptionList,
    [property: JsonPropertyName("title")] string? Title = null,
    [property: JsonPropertyName("selected_id")] string? SelectedId = null,
    [property: JsonPropertyName("disable")] bool? Disable = null);

public sealed record SelectionOption(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("text")] string Text);
