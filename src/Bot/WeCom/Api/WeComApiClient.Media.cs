using System.Diagnostics;
using System.Text.Json;
using System.Net.Http.Json;
using RapidResponse.Bot.WeCom.Api.Requests;

namespace RapidResponse.Bot.WeCom.Api;

/// <summary>Downloads (media/get): the one call whose success is not JSON.</summary>
public sealed partial class WeComApiClient
{
    /// <summary>
    /// Downloads a media file, reading at most <paramref name="maxBytes"/>: a larger file comes back as
    /// <see cref="MediaFile.TooLarge"/> without its bytes. A JSON answer is an error: <see cref="WeComApiException"/>
    /// (the token is refreshed and the call repeated once on 40014/42001, as for every call).
    /// </summary>
    public async Task<MediaFile> DownloadAsync(MediaGetRequest request, long maxBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = request.Validate().ToList();
        if (problems.Count > 0) throw new ArgumentException($"{nameof(MediaGetRequest)} is invalid: {string.Join("; ", problems)}", nameof(request));
        var o = options.Value;
        var (tokenKey, secret) = TokenKey(request.Credential, o);
        for (var attempt = 0; ; attempt++)
        {
            var token = tokenKey is null ? null : await tokens.GetAsync(tokenKey, () => FetchTokenAsync(o.CorpId, secret!), cancellationToken);
            var query = request.QueryParameters();
            if (token is not null) query = query.Prepend(new("access_token", token));
            var (file, error) = await GetFileAsync(request.Path, query, maxBytes, attempt, cancellationToken);
            if (file is not null) return file;
            if (token is not null && WeComRetryPolicy.InvalidatesToken(error!.ErrCode) && (attempt == 0 || error.ErrCode != 40001))
            {
                await tokens.InvalidateAsync(tokenKey!, token, cancellationToken);
                if (attempt == 0) continue;
            }

            throw new WeComApiException(error!.ErrCode, error.ErrMsg, request.Path);
        }
    }

    private static WeComResponse? TryError(byte[] bytes)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(bytes);
            if (!doc.RootElement.TryGetProperty("errcode", out var code) || code.ValueKind != System.Text.Json.JsonValueKind.Number || code.GetInt32() == 0) return null;
            return doc.RootElement.Deserialize<WeComResponse>(JsonOptions);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private async Task<(MediaFile? File, WeComResponse? Error)> GetFileAsync(
        string path, IEnumerable<KeyValuePair<string, string>> query, long maxBytes, int attempt, CancellationToken ct)
    {
        var call = new WeComApiCall(nameof(MediaGetRequest), "GET", path, attempt);
        var url = path.TrimStart('/') + "?" + string.Join('&', query.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        hooks.OnRequest(call);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var http = httpClientFactory.CreateClient(HttpClientName);
            using var message = new HttpRequestMessage(HttpMethod.Get, url);
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, ct);
            response.EnsureSuccessStatusCode();
            var type = response.Content.Headers.ContentType?.MediaType ?? "application/octet-stream";
            // Errors come as JSON (some WeCom hosts label them text/plain); a file is never JSON here.
            if (type is "application/json" or "text/plain")
            {
                var error = await response.Content.ReadFromJsonAsync<WeComResponse>(JsonOptions, ct)
                            ?? throw new HttpRequestException($"WeCom {path} returned an empty body.");
                hooks.OnResponse(call, error.ErrCode, Stopwatch.GetElapsedTime(started));
                return (null, error);
            }

            var name = response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"');
            if (response.Content.Headers.ContentLength is { } announced && announced > maxBytes)
            {
                hooks.OnResponse(call, 0, Stopwatch.GetElapsedTime(started));
                return (new MediaFile([], type, name, announced, TooLarge: true), null);
            }

            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int n;
            while ((n = await stream.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + n > maxBytes)
                {
                    hooks.OnResponse(call, 0, Stopwatch.GetElapsedTime(started));
                    return (new MediaFile([], type, name, buffer.Length + n, TooLarge: true), null);
                }

                buffer.Write(chunk, 0, n);
            }

            var bytes = buffer.ToArray();
            // An error whose Content-Type says nothing useful still is an error, never a stored "file".
            if (bytes.Length is > 0 and < 1024 && bytes[0] == (byte)'{' && TryError(bytes) is { } late)
            {
                hooks.OnResponse(call, late.ErrCode, Stopwatch.GetElapsedTime(started));
                return (null, late);
            }

            hooks.OnResponse(call, 0, Stopwatch.GetElapsedTime(started));
            return (new MediaFile(bytes, type, name, bytes.Length), null);
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Text.Json.JsonException or TaskCanceledException or IOException)
        {
            hooks.OnTransportError(call, ex, Stopwatch.GetElapsedTime(started));
            throw;
        }
    }
}
