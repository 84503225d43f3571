using System.Diagnostics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace RapidResponse.Bot.WeCom.Api;

/// <summary>
/// The single place that sends WeCom API requests: adds the credential, serializes, calls hooks, maps errcode != 0 to
/// <see cref="WeComApiException"/>, and refreshes the token and retries once on 40014/42001/40001. Other retries belong to the outbox.
/// </summary>
public sealed partial class WeComApiClient(
    IHttpClientFactory httpClientFactory,
    AccessTokenCache tokens,
    IOptions<WeComOptions> options,
    IWeComApiHooks hooks,
    TimeProvider time)
{
    public const string HttpClientName = "WeCom";

    /// <summary>UTF-8 without \u escapes, nulls omitted: what WeCom's byte limits are measured against.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public async Task<TResponse> SendAsync<TResponse>(WeComRequest<TResponse> request, CancellationToken cancellationToken = default)
        where TResponse : WeComResponse
    {
        ArgumentNullException.ThrowIfNull(request);
        var o = options.Value;
        request = request.WithDefaults(o);
        var problems = request.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException($"{request.GetType().Name} is invalid: {string.Join("; ", problems)}", nameof(request));
        }

        var json = request.Method == HttpMethod.Get ? null : JsonSerializer.Serialize(request, request.GetType(), JsonOptions);
        HttpContent? Body() => request.CreateContent() ?? (json is null ? null : new StringContent(json, new UTF8Encoding(false), "application/json"));
        var (tokenKey, secret) = TokenKey(request.Credential, o);
        for (var attempt = 0; ; attempt++)
        {
            var token = tokenKey is null ? null : await tokens.GetAsync(tokenKey, () => FetchTokenAsync(o.CorpId, secret!), cancellationToken);
            var query = request.QueryParameters();
            if (token is not null)
            {
                query = query.Prepend(new("access_token", token));
            }

            var response = await SendRawAsync<TResponse>(request.GetType().Name, request.Method, request.Path, query, Body, attempt, cancellationToken);
            if (response.ErrCode == 0)
            {
                return response;
            }

            // Drop the token and retry once. The invalidation is compare-and-swap: a racing refresh may already have stored a
            // good token. An expired/invalid token on the retry is dropped too, so the caller's next try fetches a fresh one
            // instead of spending a call on the token WeCom just refused (not for 40001: that would only repeat gettoken).
            if (token is not null && WeComRetryPolicy.InvalidatesToken(response.ErrCode) && (attempt == 0 || response.ErrCode != 40001))
            {
                await tokens.InvalidateAsync(tokenKey!, token, cancellationToken);
                if (attempt == 0) continue;
            }

            throw new WeComApiException(response.ErrCode, response.ErrMsg, request.Path);
        }
    }

    /// <summary>Gets (or reuses) the access token of a credential; <see cref="WeComApiException"/> when WeCom refuses the secret or the IP.</summary>
    public async Task CheckTokenAsync(WeComCredential credential, CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        var (tokenKey, secret) = TokenKey(credential, o);
        if (tokenKey is not null) await tokens.GetAsync(tokenKey, () => FetchTokenAsync(o.CorpId, secret!), cancellationToken);
    }

    private static (string? Key, string? Secret) TokenKey(WeComCredential credential, WeComOptions o)
    {
        var secret = credential switch
        {
            WeComCredential.AppToken => o.Secret,
            WeComCredential.KfToken => string.IsNullOrEmpty(o.Kf.Secret) ? o.Secret : o.Kf.Secret,
            _ => null,
        };
        return secret is null ? (null, null) : (AccessTokenCache.KeyFor(o.CorpId, secret), secret);
    }

    private async Task<AccessToken> FetchTokenAsync(string corpId, string secret)
    {
        const string path = "/cgi-bin/gettoken";
        // Not cancellable by any single caller: it is shared by everyone waiting (see AccessTokenCache).
        var response = await SendRawAsync<GetTokenResponse>(
            "GetTokenRequest", HttpMethod.Get, path, [new("corpid", corpId), new("corpsecret", secret)], () => null, 0, CancellationToken.None);
        if (response.ErrCode != 0 || string.IsNullOrEmpty(response.AccessToken))
        {
            throw new WeComApiException(response.ErrCode, response.ErrMsg, path);
        }

        return AccessTokenCache.FromExpiresIn(response.AccessToken, response.ExpiresIn, time.GetUtcNow(), options.Value.TokenRefreshMargin);
    }

    private async Task<T> SendRawAsync<T>(
        string requestType, HttpMethod method, string path, IEnumerable<KeyValuePair<string, string>> query, Func<HttpContent?> body, int attempt, CancellationToken ct)
        where T : WeComResponse
    {
        var call = new WeComApiCall(requestType, method.Method, path, attempt);
        // Relative to BaseAddress, so an ApiBaseUrl with a path prefix (a proxy) keeps working.
        var url = path.TrimStart('/') + "?" + string.Join('&', query.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        using var message = new HttpRequestMessage(method, url);
        message.Content = method == HttpMethod.Get ? null : body();

        hooks.OnRequest(call);
        var started = Stopwatch.GetTimestamp();
        T? parsed;
        try
        {
            var http = httpClientFactory.CreateClient(HttpClientName);
            using var response = await http.SendAsync(message, ct);
            response.EnsureSuccessStatusCode();
            parsed = await response.Content.ReadFromJsonAsync<T>(JsonOptions, ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException or IOException)
        {
            hooks.OnTransportError(call, ex, Stopwatch.GetElapsedTime(started));
            throw;
        }

        if (parsed is null)
        {
            var ex = new HttpRequestException($"WeCom {path} returned an empty body.");
            hooks.OnTransportError(call, ex, Stopwatch.GetElapsedTime(started));
            throw ex;
        }

        hooks.OnResponse(call, parsed.ErrCode, Stopwatch.GetElapsedTime(started));
        return parsed;
    }
}

/// <summary>Answer of <c>GET /cgi-bin/gettoken</c>; internal because only the client handles tokens.</summary>
internal sealed record GetTokenResponse : WeComResponse
{
    [JsonPropertyName("access_token")]
    public string? AccessToken { get; init; }

    [JsonPropertyName("expires_in")]
    public int ExpiresIn { get; init; }
}
