using System.Text.Json.Serialization;

namespace RapidResponse.Bot.WeCom.Api.Requests;

/// <summary>
/// <c>POST /cgi-bin/message/update_template_card</c> (更新模版卡片, §4.4). Either greys out buttons (<see cref="UpdateButton"/>)
/// or replaces the card (<see cref="ReplaceCard"/>). The response_code is single-use and valid 72 h (60140 afterwards).
/// </summary>
public sealed record UpdateTemplateCardRequest : WeComRequest<UpdateTemplateCardResponse>
{
    public UpdateTemplateCardRequest()
        : base(HttpMethod.Post, "/cgi-bin/message/update_template_card", WeComCredential.AppToken)
    {
    }

    [JsonPropertyName("userids")]
    public IReadOnlyList<string>? UserIds { get; init; }

    [JsonPropertyName("partyids")]
    public IReadOnlyList<long>? PartyIds { get; init; }

    [JsonPropertyName("tagids")]
    public IReadOnlyList<long>? TagIds { get; init; }

    /// <summary>1 = update for everyone who received the card.</summary>
    [JsonPropertyName("atall")]
    public int? AtAll { get; init; }

    [JsonPropertyName("agentid")]
    public long? AgentId { get; init; }

    [JsonPropertyName("response_code")]
    public required string ResponseCode { get; init; }

    [JsonPropertyName("button")]
    public ButtonReplacement? Button { get; init; }

    [JsonPropertyName("template_card")]
    public TemplateCard? TemplateCard { get; init; }

    /// <summary>Mode 1: the buttons turn grey with <paramref name="replaceName"/> (e.g. 已处理).</summary>
    public static UpdateTemplateCardRequest UpdateButton(string responseCode, string replaceName, IReadOnlyList<string> userIds) =>
        new() { ResponseCode = responseCode, Button = new ButtonReplacement(replaceName), UserIds = userIds };

    /// <summary>Mode 2: the whole card is replaced, e.g. with <c>replace_text</c> set.</summary>
    public static UpdateTemplateCardRequest ReplaceCard(string responseCode, TemplateCard card, IReadOnlyList<string> userIds) =>
        new() { ResponseCode = responseCode, TemplateCard = card, UserIds = userIds };

    public override WeComRequest<UpdateTemplateCardResponse> WithDefaults(WeComOptions options) =>
        AgentId is null ? this with { AgentId = options.AgentId } : this;

    public override IEnumerable<string> Validate()
    {
        if (string.IsNullOrEmpty(ResponseCode))
        {
            yield return "response_code is required.";
        }

        if ((Button is null) == (TemplateCard is null))
        {
            yield return "set exactly one of button (update_button) or template_card (replacement).";
        }

        if (UserIds is not { Count: > 0 } && PartyIds is not { Count: > 0 } && TagIds is not { Count: > 0 } && AtAll != 1)
        {
            yield return "userids, partyids, tagids and atall cannot all be empty.";
        }

        foreach (var problem in TemplateCard?.Validate() ?? [])
        {
            yield return problem;
        }
    }
}

public sealed record ButtonReplacement([property: JsonPropertyName("replace_name")] string ReplaceName);

/// <summary>Answer of update_template_card; invalid user ids come back lower-cased.</summary>
public sealed record UpdateTemplateCardResponse : WeComResponse
{
    [JsonPropertyName("invaliduser")]
    public IReadOnlyList<string>? InvalidUser { get; init; }
}
