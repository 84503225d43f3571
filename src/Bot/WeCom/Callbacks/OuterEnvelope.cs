namespace RapidResponse.Bot.WeCom.Callbacks;

/// <summary>
/// The unauthenticated outer callback body <c>&lt;xml&gt;&lt;ToUserName/&gt;&lt;AgentID/&gt;&lt;Encrypt/&gt;&lt;/xml&gt;</c>.
/// Only <see cref="Encrypt"/> is trusted after the signature check; ToUserName/AgentID are informational.
/// </summary>
public sealed record OuterEnvelope(string? ToUserName, string? AgentId, string Encrypt)
{
    /// <summary>Parses the outer body, or null if it is not well-formed XML with a non-empty Encrypt element.</summary>
    public static OuterEnvelope? TryParse(string body)
    {
        var root = SafeXml.TryParse(body);
        var encrypt = root?.Child("Encrypt");
        return root is null || string.IsNullOrEmpty(encrypt)
            ? null
            : new OuterEnvelope(root.Child("ToUserName"), root.Child("AgentID"), encrypt);
    }
}
