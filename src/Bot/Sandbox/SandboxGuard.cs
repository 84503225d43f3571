using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using RapidResponse.Domain.Privacy;

namespace RapidResponse.Bot.Sandbox;

/// <summary>
/// The door of the sandbox page (<c>/</c>) and API (<c>/sandbox/*</c>): it lets anyone play any person, so it answers
/// callers on this machine only (403 otherwise) unless <c>Sandbox:AllowRemote=true</c>; and every JSON answer has its
/// ID and phone numbers masked (DESIGN §6), whatever the endpoint put in it.
/// </summary>
public sealed class SandboxGuard(RequestDelegate next, SandboxOptions options)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var path = http.Request.Path;
        var page = path == "/" || path == "/index.html";
        if (!page && !path.StartsWithSegments("/sandbox")) { await next(http); return; }
        if (!options.AllowRemote && !IsLoopback(http.Connection.RemoteIpAddress))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            await http.Response.WriteAsJsonAsync(new SandboxError(
                "沙盒只接受本机访问：请在运行机器人的电脑上打开 http://localhost:5288/ 。如确需从其他电脑访问，请设置 Sandbox:AllowRemote=true"
                + "（任何能访问这个地址的人都能扮演示范县的任何人）。"), SandboxEndpoints.Json);
            return;
        }
        var original = http.Response.Body;
        await using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try { await next(http); }
        finally { http.Response.Body = original; }
        buffer.Position = 0;
        if (http.Response.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true || buffer.Length == 0)
        {
            await buffer.CopyToAsync(original, http.RequestAborted);
            return;
        }
        var masked = MaskJson(buffer.ToArray());
        http.Response.ContentLength = masked.Length;
        await original.WriteAsync(masked, http.RequestAborted);
    }

    /// <summary>An unknown address (not a network connection, e.g. a Unix socket behind a proxy) is not loopback.</summary>
    public static bool IsLoopback(IPAddress? address) =>
        address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    /// <summary>Every string value of the document through <see cref="Mask.Text"/>; numbers and structure untouched.</summary>
    public static byte[] MaskJson(byte[] json)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(json); }
        catch (JsonException) { return System.Text.Encoding.UTF8.GetBytes(Mask.Text(System.Text.Encoding.UTF8.GetString(json))); }
        Walk(root);
        return root is JsonValue v && Masked(v) is { } top ? JsonSerializer.SerializeToUtf8Bytes(top, SandboxEndpoints.Json) : JsonSerializer.SerializeToUtf8Bytes(root, SandboxEndpoints.Json);
    }

    private static void Walk(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, child) in o.ToList())
                    if (child is JsonValue v && Masked(v) is { } m) o[key] = m; else Walk(child);
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                    if (a[i] is JsonValue v && Masked(v) is { } m) a[i] = m; else Walk(a[i]);
                break;
        }
    }

    private static JsonValue? Masked(JsonValue v) =>
        v.GetValueKind() == JsonValueKind.String ? JsonValue.Create(Mask.Text(v.GetValue<string>())) : null;
}
