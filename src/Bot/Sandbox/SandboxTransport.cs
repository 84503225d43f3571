using System.Text.Json.Nodes;
using RapidResponse.Bot.WeCom.Simulator;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Sandbox;

/// <summary>
/// The sandbox's mailbox: the outbox dispatcher sends through the production transport and WeCom client, whose HTTP
/// handler is the WeCom rule-keeper (<see cref="WeComSimulator"/>); every exchange lands here — what each recipient got,
/// and what WeCom refused (errcode and its meaning), so the page shows what a real corp would do.
/// </summary>
public sealed class SandboxTransport(IServiceScopeFactory scopes, TimeProvider time) : ISimulatorObserver
{
    /// <summary>The message APIs the page shows (token, pull and session calls are not messages).</summary>
    private static readonly HashSet<string> MessageApis = new(StringComparer.Ordinal)
    {
        "/cgi-bin/message/send", "/cgi-bin/message/update_template_card", "/cgi-bin/appchat/send", "/cgi-bin/webhook/send",
        "/cgi-bin/kf/send_msg", "/cgi-bin/kf/send_msg_on_event",
    };

    public async Task OnExchangeAsync(SimExchange e, CancellationToken cancellationToken)
    {
        if (!MessageApis.Contains(e.Path)) return;
        var rows = new List<SandboxMessage>();
        if (e.Refused)
        {
            var body = Parse(e.RequestBody);
            var error = $"errcode {e.ErrCode}：{SimulatorErrors.Meaning(e.ErrCode)}（{Short(e.ErrMsg)}）";
            foreach (var to in e.Path == "/cgi-bin/webhook/send" ? [e.Query.GetValueOrDefault("key") ?? "?"] : Recipients(e.Path, body))
                rows.Add(Row(to, e.Path, body?["msgtype"]?.GetValue<string>(), TaskIdOf(body), e.RequestBody, error));
        }
        else
        {
            foreach (var d in e.Deliveries)
                rows.Add(Row(d.Recipient, e.Path, d.MsgType, d.TaskId, d.Json, d.Dropped));
        }

        if (rows.Count == 0) return;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        db.SandboxMailbox.AddRange(rows);
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>The greyed button a clicker sees at once (WeCom: the passive update_button reply to the click).</summary>
    public async Task RecordClickReplyAsync(string userId, string taskId, string label, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDb>();
        db.SandboxMailbox.Add(new SandboxMessage
        {
            To = userId,
            Channel = OutboundChannel.AppUser,
            Kind = OutboundKind.CardUpdate,
            WeComJson = new JsonObject { ["MsgType"] = "update_button", ["button"] = new JsonObject { ["replace_name"] = label } }.ToJsonString(WeComSimulator.Json),
            At = time.GetUtcNow(),
            TaskId = taskId,
        });
        await db.SaveChangesAsync(ct);
    }

    private SandboxMessage Row(string to, string path, string? msgType, string? taskId, string json, string? error) => new()
    {
        To = to,
        Channel = path switch
        {
            "/cgi-bin/appchat/send" => OutboundChannel.AppChat,
            "/cgi-bin/webhook/send" => OutboundChannel.Webhook,
            "/cgi-bin/kf/send_msg" or "/cgi-bin/kf/send_msg_on_event" => OutboundChannel.Kf,
            _ => OutboundChannel.AppUser,
        },
        Kind = path == "/cgi-bin/message/update_template_card" ? OutboundKind.CardUpdate
            : msgType switch
            {
                "template_card" => OutboundKind.Card, "markdown" => OutboundKind.Markdown, "image" => OutboundKind.Image,
                "file" or "voice" => OutboundKind.File, _ => OutboundKind.Text,
            },
        WeComJson = json,
        At = time.GetUtcNow(),
        TaskId = taskId,
        Endpoint = path == "/cgi-bin/webhook/send" ? "/cgi-bin/webhook/send?key=…" : path,
        Error = error,
    };

    private static IEnumerable<string> Recipients(string path, JsonObject? body)
    {
        if (body is null) return ["?"];
        static IEnumerable<string> Split(string? s) => (s ?? "").Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var list = path switch
        {
            "/cgi-bin/message/send" or "/cgi-bin/kf/send_msg" => Split(body["touser"]?.GetValue<string>()).ToList(),
            "/cgi-bin/message/update_template_card" => (body["userids"] as JsonArray)?.Select(x => x!.GetValue<string>()).ToList() ?? [],
            "/cgi-bin/appchat/send" => [body["chatid"]?.GetValue<string>() ?? "?"],
            _ => [],
        };
        return list.Count > 0 ? list : ["?"];
    }

    private static string? TaskIdOf(JsonObject? body) => body?["template_card"]?["task_id"]?.GetValue<string>();

    private static JsonObject? Parse(string json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static string Short(string errMsg)
    {
        var cut = errMsg.IndexOf(", hint:", StringComparison.Ordinal);
        return cut < 0 ? errMsg : errMsg[..cut];
    }
}
