using System.Text.Json;
using RapidResponse.Bot.WeCom.Simulator;
using WireMock;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;
using WireMock.Util;

namespace RapidResponse.Bot.Tests.Infrastructure;

/// <summary>
/// The tests' WeCom over real HTTP: WireMock on 127.0.0.1 whose catch-all answer is the project's rule-keeper
/// (<see cref="WeComSimulator"/>, the same one the sandbox uses), so a test never runs against a WeCom that accepts what
/// WeCom refuses. Tests may add higher-priority WireMock mappings only to inject faults WeCom produces (5xx, timeouts,
/// 45009, 60020 …); everything else is the simulator's answer.
/// </summary>
public sealed class FakeWeCom : IDisposable
{
    /// <summary>Priority of the simulator's catch-all: any mapping a test adds (default priority) wins over it.</summary>
    public const int SimulatorPriority = 100_000;

    public FakeWeCom(TimeProvider time, SimulatorSettings? settings = null)
    {
        Simulator = new WeComSimulator(time, settings ?? new SimulatorSettings
        {
            CorpId = RapidResponse.Bot.Tests.WeCom.Vectors.CorpId, AgentId = 1000002, AppSecret = "app-secret", KfSecret = "kf-secret",
        });
        Server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
        Server.Given(Request.Create().WithPath(new WildcardMatcher("/cgi-bin/*"))).AtPriority(SimulatorPriority)
            .RespondWith(Response.Create().WithCallback(req =>
            {
                return ToResponse(Simulator.HandleRaw(req.Method, new Uri(req.Url).PathAndQuery, req.BodyAsBytes, ContentType(req)));
            }));
        // WeCom's sign-in pages (web OAuth and the desktop QR login): the member in SignedInUser has signed in on the device,
        // so the page redirects straight back to the app with a code the simulator issued (auth/getuserinfo then answers it).
        foreach (var page in new[] { "/connect/oauth2/authorize", "/wwlogin/sso/login" })
            Server.Given(Request.Create().WithPath(page).UsingGet()).AtPriority(SimulatorPriority)
                .RespondWith(Response.Create().WithCallback(req =>
                {
                    var query = (req.Query ?? new Dictionary<string, WireMockList<string>>()).ToDictionary(kv => kv.Key, kv => kv.Value.FirstOrDefault() ?? "");
                    try
                    {
                        var location = Simulator.AuthorizeRedirect(req.Path, query, SignedInUser ?? throw new InvalidOperationException("no member signed in to WeCom"));
                        return new ResponseMessage
                        {
                            StatusCode = 302,
                            Headers = new Dictionary<string, WireMockList<string>> { ["Location"] = new(location) },
                        };
                    }
                    catch (InvalidOperationException e)
                    {
                        return new ResponseMessage { StatusCode = 400, BodyData = new BodyData { DetectedBodyType = BodyType.String, BodyAsString = e.Message } };
                    }
                }));
    }

    /// <summary>The simulator's answer as WireMock's: JSON, or a file's bytes with its headers (media/get).</summary>
    public static ResponseMessage ToResponse(SimResponse answer)
    {
        var headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new(answer.ContentType) };
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>()) headers[name] = new(value);
        return new ResponseMessage
        {
            StatusCode = answer.StatusCode,
            Headers = headers,
            BodyData = answer.Bytes is { } bytes
                ? new BodyData { DetectedBodyType = BodyType.Bytes, BodyAsBytes = bytes }
                : new BodyData { DetectedBodyType = BodyType.String, BodyAsString = answer.Body },
        };
    }

    /// <summary>The request's Content-Type (a multipart upload's boundary is in it).</summary>
    public static string? ContentType(WireMock.IRequestMessage req) =>
        req.Headers?.FirstOrDefault(h => string.Equals(h.Key, "Content-Type", StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();

    /// <summary>Who is signed in to WeCom on the "device" that opens the sign-in pages (null: the pages refuse).</summary>
    public string? SignedInUser { get; set; }

    public WeComSimulator Simulator { get; }

    public WireMockServer Server { get; }

    public string Url => Server.Url!;

    /// <summary>The JSON bodies WeCom received on a path (refused ones included), oldest first.</summary>
    public List<JsonElement> Calls(string path) =>
        [.. Server.LogEntries.Where(e => e.RequestMessage.Path == path).OrderBy(e => e.RequestMessage.DateTime)
            .Select(e => JsonDocument.Parse(e.RequestMessage.Body ?? "{}").RootElement.Clone())];

    public void Dispose()
    {
        Server.Stop();
        Server.Dispose();
    }
}
