using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace RapidResponse.Bot.WeCom.Callbacks;

/// <summary>Turns a decrypted callback plaintext into an <see cref="InboundMessage"/>.</summary>
public static class InboundMessageParser
{
    /// <summary>Parses the plaintext, or returns null when it is not XML with MsgType and CreateTime (§3.1).</summary>
    public static InboundMessage? TryParse(string plaintext)
    {
        var root = SafeXml.TryParse(plaintext);
        if (root is null)
        {
            return null;
        }

        var f = TopLevelFields(root);
        var msgType = f.GetValueOrDefault("MsgType");
        // FromUserName is not required: 微信客服 notifications do not carry it.
        if (string.IsNullOrEmpty(msgType) || !TryLong(f.GetValueOrDefault("CreateTime"), out var createTime))
        {
            return null;
        }

        var header = new CallbackHeader(
            f.GetValueOrDefault("ToUserName") ?? string.Empty,
            f.GetValueOrDefault("FromUserName") ?? string.Empty,
            createTime,
            TryLong(f.GetValueOrDefault("AgentID"), out var agentId) ? agentId : null,
            msgType);

        return msgType == "event" ? ParseEvent(root, f, header) : ParseMessage(f, header, plaintext);
    }

    private static InboundMessage ParseMessage(Dictionary<string, string> f, CallbackHeader h, string plaintext)
    {
        long? msgId = TryLong(f.GetValueOrDefault("MsgId"), out var id) ? id : null;
        string Get(string key) => f.GetValueOrDefault(key) ?? string.Empty;

        InboundMessage? typed = (h.MsgType, msgId) switch
        {
            ("text", { } m) => new TextMessage { Header = h, MsgId = m, Content = Get("Content") },
            ("image", { } m) => new ImageMessage { Header = h, MsgId = m, MediaId = Get("MediaId"), PicUrl = f.GetValueOrDefault("PicUrl") },
            ("voice", { } m) => new VoiceMessage { Header = h, MsgId = m, MediaId = Get("MediaId"), Format = f.GetValueOrDefault("Format") },
            ("file", { } m) => new FileMessage { Header = h, MsgId = m, MediaId = Get("MediaId"), FileName = f.GetValueOrDefault("FileName") ?? f.GetValueOrDefault("Title") },
            ("location", { } m) when TryDecimal(Get("Location_X"), out var lat) && TryDecimal(Get("Location_Y"), out var lon) =>
                new LocationMessage
                {
                    Header = h, MsgId = m, Latitude = lat, Longitude = lon, Label = f.GetValueOrDefault("Label"),
                    Scale = int.TryParse(Get("Scale"), CultureInfo.InvariantCulture, out var scale) ? scale : null,
                },
            _ => null,
        };
        return typed ?? new UnknownMessage { Header = h, MsgId = msgId, Fields = f, PlaintextHash = Hash(plaintext) };
    }

    private static InboundEvent ParseEvent(XElement root, Dictionary<string, string> f, CallbackHeader h)
    {
        var name = f.GetValueOrDefault("Event") ?? string.Empty;
        string Get(string key) => f.GetValueOrDefault(key) ?? string.Empty;

        return name switch
        {
            "enter_agent" => new EnterAgentEvent { Header = h, Event = name, Fields = f, EventKey = Get("EventKey") },
            "click" => new ClickEvent { Header = h, Event = name, Fields = f, EventKey = Get("EventKey") },
            "template_card_event" or "template_card_menu_event" => new TemplateCardEvent
            {
                Header = h, Event = name, Fields = f,
                EventKey = Get("EventKey"), TaskId = Get("TaskId"), CardType = Get("CardType"), ResponseCode = Get("ResponseCode"),
                SelectedItems = ParseSelectedItems(root),
            },
            "change_contact" => new ChangeContactEvent
            {
                Header = h, Event = name, Fields = f, ChangeType = Get("ChangeType"),
                UserId = f.GetValueOrDefault("UserID"), NewUserId = f.GetValueOrDefault("NewUserID"), Name = f.GetValueOrDefault("Name"),
            },
            "kf_msg_or_event" => new KfMsgOrEvent { Header = h, Event = name, Fields = f, Token = Get("Token"), OpenKfId = Get("OpenKfId") },
            _ => new UnknownEvent { Header = h, Event = name, Fields = f },
        };
    }

    private static List<SelectedItem> ParseSelectedItems(XElement root) =>
        root.Element("SelectedItems")?.Elements("SelectedItem")
            .Select(item => new SelectedItem(
                item.Element("QuestionKey")?.Value ?? string.Empty,
                item.Element("OptionIds")?.Elements("OptionId").Select(o => o.Value).ToList() ?? []))
            .ToList() ?? [];

    /// <summary>Leaf children only; nested structures (SelectedItems, BatchJob) are parsed where they matter.</summary>
    private static Dictionary<string, string> TopLevelFields(XElement root)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var element in root.Elements().Where(e => !e.HasElements))
        {
            fields.TryAdd(element.Name.LocalName, element.Value);
        }

        return fields;
    }

    private static bool TryLong(string? s, out long value) =>
        long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

    private static bool TryDecimal(string? s, out decimal value) =>
        decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    internal static string Hash(string plaintext) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(plaintext)));
}
