using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Calendar;
using RapidResponse.Domain.Persistence;

namespace RapidResponse.Bot.Sandbox;

public sealed record SandboxError(string Error);

/// <summary>What a person sends: <c>text</c>, or <c>quick</c>, the label of one of their persona's quick replies (its full text stays on the server).</summary>
public sealed record SendRequest(string? From, string? Text, string? Quick = null);

public sealed record ClickRequest(string? From, string? TaskId, string? Key);

public sealed record ClockRequest(string? Advance, string? Now);

/// <summary>A photo, voice message or file from a person: <c>type</c> image / voice / file, the bytes as base64.</summary>
public sealed record SendMediaRequest(string? From, string? Type, string? FileName, string? Base64);

/// <summary>Opens the 微信客服 chat through a village's link, as a new farmer of that village.</summary>
public sealed record EnterRequest(string? Village);

/// <summary>The new farmer and what the bot answered (the welcome).</summary>
public sealed record EnterResponse(string From, string Village, bool Processed, IReadOnlyList<MailboxItem> Replies);

/// <summary>A village's entry link as the page lists it.</summary>
public sealed record VillageEntry(string Code, string Name, string Township);

/// <summary>The answer to /sandbox/send and /sandbox/click: processed in time, the clicked button's new label, what the sender got back.</summary>
public sealed record SendResponse(bool Processed, string? Label, IReadOnlyList<MailboxItem> Replies);

public sealed record ClockView(DateTimeOffset Now, string Text);

/// <summary>The sandbox's JSON API (the page uses it; scripts may too). Bad input is a 400 with a Chinese message, never a 500.</summary>
public static class SandboxEndpoints
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly CultureInfo Zh = CultureInfo.GetCultureInfo("zh-CN");
    private const int MaxText = 2000;

    public static RouteGroupBuilder MapSandboxApi(this RouteGroupBuilder g)
    {
        g.MapPost("/send", SendAsync);
        g.MapPost("/click", ClickAsync);
        g.MapGet("/messages", MessagesAsync);
        g.MapGet("/chat", ChatAsync);
        g.MapGet("/clock", (SandboxClock clock) => Ok(View(clock.GetUtcNow())));
        g.MapPost("/clock", MoveClockAsync);
        g.MapGet("/personas", async (SandboxRoster roster, CancellationToken ct) => Ok(await roster.PersonasAsync(ct)));
        g.MapGet("/groups", async (SandboxRoster roster, CancellationToken ct) => Ok(await roster.GroupsAsync(ct)));
        g.MapGet("/villages", async (SandboxRoster roster, CancellationToken ct) => Ok(await roster.VillagesAsync(ct)));
        g.MapPost("/enter", EnterAsync);
        g.MapPost("/send-media", SendMediaAsync);
        g.MapGet("/media/{mediaId}", Media);
        return g;
    }

    /// <summary>An uploaded image or file as the rule-keeper keeps it (media/upload), so the page shows the picture a group got.</summary>
    private static Results<FileContentHttpResult, NotFound<SandboxError>> Media(string mediaId, RapidResponse.Bot.WeCom.Simulator.WeComSimulator weCom)
    {
        if (weCom.MediaOf(mediaId) is not { } m)
            return TypedResults.NotFound(new SandboxError($"没有 media_id 为“{mediaId}”的素材：只有机器人上传过（media/upload）的图片和文件能在这里查看。"));
        var type = m.Type == "image" ? (RapidResponse.Bot.WeCom.Api.Requests.MediaLimits.IsPng(m.Content) ? "image/png" : "image/jpeg") : "application/octet-stream";
        return TypedResults.File(m.Content, type, m.Type == "image" ? null : m.FileName);
    }

    private static async Task<Results<JsonHttpResult<SendResponse>, JsonHttpResult<SandboxError>>> SendAsync(HttpRequest http, SandboxChat chat, SandboxRoster roster, CancellationToken ct)
    {
        var (body, error) = await ReadAsync<SendRequest>(http, """{"from":"gm_lishu","text":"我的任务"}""", ct);
        if (error is not null) return error;
        if (CheckSender(body!.From, """{"from":"wm_demo_farmer_1","text":"申报"}""") is { } bad) return bad;
        var text = body.Text?.Trim() ?? "";
        if (!string.IsNullOrWhiteSpace(body.Quick))
        {
            var persona = (await roster.PersonasAsync(ct)).FirstOrDefault(p => p.Id == body.From!.Trim());
            var quick = persona?.Quick.FirstOrDefault(q => q.Label == body.Quick.Trim());
            if (quick is null)
                return Bad($"“{body.From}”没有叫“{body.Quick}”的快捷回复：quick 应是 /sandbox/personas 里这个人的快捷回复名称，例如 {{\"from\":\"wm_demo_farmer_1\",\"quick\":\"一次填完申报\"}}");
            text = quick.Text;
        }
        if (text.Length == 0) return Bad("缺少 text：请填写要发送的文字，例如 {\"from\":\"wm_demo_farmer_1\",\"text\":\"申报\"}");
        if (text.Length > MaxText) return Bad($"text 太长（{text.Length} 字）：一条消息最多 {MaxText} 字，请分几条发送。");
        return Done(await chat.SendAsync(body.From!.Trim(), text, ct));
    }

    private static async Task<Results<JsonHttpResult<SendResponse>, JsonHttpResult<SandboxError>>> SendMediaAsync(HttpRequest http, SandboxChat chat, CancellationToken ct)
    {
        const string example = """{"from":"wm_demo_farmer_1","type":"image","fileName":"票据.jpg","base64":"/9j/4AAQ…"}""";
        var (body, error) = await ReadAsync<SendMediaRequest>(http, example, ct);
        if (error is not null) return error;
        if (CheckSender(body!.From, example) is { } bad) return bad;
        var type = body.Type?.Trim() ?? "";
        if (type is not ("image" or "voice" or "file")) return Bad($"type 应为 image（照片）、voice（语音）或 file（文件），例如 {example}");
        byte[] bytes;
        try { bytes = Convert.FromBase64String(body.Base64 ?? ""); }
        catch (FormatException) { return Bad($"base64 不是有效的 Base64 文本：请把文件内容编码后发送，例如 {example}"); }
        if (bytes.Length == 0) return Bad($"文件是空的：请附上文件内容（base64），例如 {example}");
        var name = string.IsNullOrWhiteSpace(body.FileName) ? type switch { "image" => "photo.jpg", "voice" => "voice.amr", _ => "file.pdf" } : Path.GetFileName(body.FileName.Trim());
        var contentType = Path.GetExtension(name).ToLowerInvariant() switch
        {
            ".jpg" or ".jpeg" => "image/jpeg", ".png" => "image/png", ".amr" => "audio/amr", ".mp3" => "audio/mpeg", ".pdf" => "application/pdf",
            _ => "application/octet-stream",
        };
        return Done(await chat.SendMediaAsync(body.From!.Trim(), type, bytes, contentType, name, ct));
    }

    private static async Task<Results<JsonHttpResult<EnterResponse>, JsonHttpResult<SandboxError>>> EnterAsync(HttpRequest http, SandboxChat chat, SandboxRoster roster, CancellationToken ct)
    {
        var (body, error) = await ReadAsync<EnterRequest>(http, """{"village":"990101001001"}""", ct);
        if (error is not null) return error;
        var code = body!.Village?.Trim() ?? "";
        var villages = await roster.VillagesAsync(ct);
        if (villages.FirstOrDefault(v => v.Code == code) is not { } village)
            return Bad($"没有代码为“{code}”的村：village 应是村的代码（/sandbox/villages 列出各村），例如 {{\"village\":\"{villages.FirstOrDefault()?.Code ?? "990101001001"}\"}}");
        var (from, outcome) = await chat.EnterAsync(village.Code, ct);
        return Ok(new EnterResponse(from, village.Name, outcome.Processed, outcome.Replies));
    }

    private static async Task<Results<JsonHttpResult<SendResponse>, JsonHttpResult<SandboxError>>> ClickAsync(HttpRequest http, SandboxChat chat, CancellationToken ct)
    {
        const string example = """{"from":"gm_lishu","taskId":"T…","key":"accept"}""";
        var (body, error) = await ReadAsync<ClickRequest>(http, example, ct);
        if (error is not null) return error;
        if (CheckSender(body!.From, example) is { } bad) return bad;
        if (string.IsNullOrWhiteSpace(body.TaskId) || string.IsNullOrWhiteSpace(body.Key))
            return Bad($"缺少 taskId 或 key：请填写卡片的任务编号和按钮的 key，例如 {example}");
        var from = body.From!.Trim();
        if (!await chat.IsStaffAsync(from, ct))
            return Bad($"“{from}”不是花名册里的工作人员：任务卡片只发给工作人员，只有他们能点按钮。请换一个工作人员的 userid，例如 gm_lishu。");
        return await chat.ClickAsync(from, body.TaskId.Trim(), body.Key.Trim(), ct) is { } outcome
            ? Done(outcome)
            : Bad($"“{from}”不能点这张卡片的“{body.Key.Trim()}”：企业微信只让收到卡片的人点按钮，已变灰的卡片和卡片上没有的按钮不能点。请用 /sandbox/messages?to={from} 查看此人收到的卡片（taskId 与按钮 key）。");
    }

    private static async Task<Results<JsonHttpResult<List<MailboxItem>>, JsonHttpResult<SandboxError>>> MessagesAsync(string? to, string? after,
        SandboxMailbox mailbox, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(to)) return Bad("缺少 to：请写明收件人，可以是 userid、群聊 chat_id、群机器人 key 或微信客服 external_userid，例如 /sandbox/messages?to=gm_lishu");
        long from = 0;
        if (!string.IsNullOrEmpty(after) && !long.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out from))
            return Bad("after 应为消息编号（非负整数），例如 /sandbox/messages?to=gm_lishu&after=12");
        return Ok(await mailbox.ListAsync(to.Trim(), from, ct));
    }

    private static async Task<Results<JsonHttpResult<List<ChatLine>>, JsonHttpResult<SandboxError>>> ChatAsync(string? with, SandboxMailbox mailbox, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(with)) return Bad("缺少 with：请写明是谁的对话，例如 /sandbox/chat?with=wm_demo_farmer_1");
        return Ok(await mailbox.ChatAsync(with.Trim(), ct));
    }

    private static async Task<Results<JsonHttpResult<ClockView>, JsonHttpResult<SandboxError>>> MoveClockAsync(HttpRequest http, SandboxClock clock, CancellationToken ct)
    {
        const string example = """{"advance":"P1D"} 或 {"now":"2026-10-09T09:00:00+08:00"}""";
        var (body, error) = await ReadAsync<ClockRequest>(http, example, ct);
        if (error is not null) return error;
        var hasAdvance = !string.IsNullOrWhiteSpace(body!.Advance);
        var hasNow = !string.IsNullOrWhiteSpace(body.Now);
        if (hasAdvance == hasNow) return Bad($"请只填 advance（向前拨多久）或 now（拨到哪个时刻）中的一个，例如 {example}");
        var current = clock.GetUtcNow();
        DateTimeOffset target;
        if (hasAdvance)
        {
            var text = body.Advance!.Trim();
            if (text.StartsWith('-')) return Bad($"时间只能向前拨，不能倒回：“{text}”是负数。请写正的时长，例如 P1D（1天）、PT2H（2小时）、P1W（1周）。");
            if (!IsoDuration.TryParse(text, out var d) || d.IsZero)
                return Bad($"“{text}”不是有效的时长：请用 ISO 8601 写法，例如 P1D（1天）、PT2H（2小时）、P1W（1周）、P1DT12H（1天半）。");
            target = d.AddTo(current);
        }
        else
        {
            if (!DateTimeOffset.TryParse(body.Now!.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.None, out target))
                return Bad($"“{body.Now}”不是有效的时刻：请写带时区的时间，例如 2026-10-09T09:00:00+08:00");
            if (!HasOffset(body.Now)) target = new DateTimeOffset(target.DateTime, ChinaTime.Offset); // no zone given: Beijing time
        }
        if (target < current)
            return Bad($"时间只能向前拨：现在已是北京时间{Text(current)}，不能拨回到{Text(target)}。");
        return Ok(View(target == current ? current : clock.SetNow(target)));
    }

    private static bool HasOffset(string s) =>
        s.Trim().EndsWith('Z') || System.Text.RegularExpressions.Regex.IsMatch(s.Trim(), @"[+-]\d{2}:?\d{2}$");

    public static ClockView View(DateTimeOffset now) => new(ChinaTime.ToLocal(now), Text(now));

    /// <summary>"2026年10月12日 星期一 09:00"</summary>
    public static string Text(DateTimeOffset instant) => ChinaTime.ToLocal(instant).ToString("yyyy年M月d日 dddd HH:mm", Zh);

    private static JsonHttpResult<SandboxError>? CheckSender(string? from, string example)
    {
        var f = from?.Trim() ?? "";
        if (f.Length == 0) return Bad($"缺少 from：请写明发送人（工作人员的企业微信 userid，或农户的微信客服 external_userid），例如 {example}");
        if (f.Length > 64 || f.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '|'))
            return Bad($"from “{f}” 不是有效的 userid：最多 64 个字符，不能有空格或“|”，例如 gm_lishu 或 wm_demo_farmer_1。");
        return null;
    }

    private static async Task<(T? Body, JsonHttpResult<SandboxError>? Error)> ReadAsync<T>(HttpRequest http, string example, CancellationToken ct) where T : class
    {
        try
        {
            var body = await JsonSerializer.DeserializeAsync<T>(http.Body, Json, ct);
            return body is null ? (null, Bad($"请求内容为空：请发送 JSON，例如 {example}")) : (body, null);
        }
        catch (JsonException)
        {
            return (null, Bad($"请求内容不是有效的 JSON（字段都应是字符串）：请按这个格式发送 {example}"));
        }
    }

    private static Results<JsonHttpResult<SendResponse>, JsonHttpResult<SandboxError>> Done(SendOutcome o) =>
        TypedResults.Json(new SendResponse(o.Processed, o.Label, o.Replies), Json, statusCode: o.Processed ? 200 : 202);

    private static JsonHttpResult<T> Ok<T>(T value) => TypedResults.Json(value, Json);

    private static JsonHttpResult<SandboxError> Bad(string message) => TypedResults.Json(new SandboxError(message), Json, statusCode: 400);
}
