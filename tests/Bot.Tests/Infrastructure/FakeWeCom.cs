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
                var answer = Simulator.Handle(req.Method, new Uri(req.Url).PathAndQuery, req.Body);
                return new ResponseMessage
                {
                    StatusCode = answer.StatusCode,
                    Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new(answer.ContentType) },
                    BodyData = new BodyData { DetectedBodyType = BodyType.String, BodyAsString = answer.Body },
                };
            }));
    }

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
