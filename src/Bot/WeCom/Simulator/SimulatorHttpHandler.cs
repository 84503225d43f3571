using System.Net;
using System.Text;

namespace RapidResponse.Bot.WeCom.Simulator;

/// <summary>Sees every exchange with the simulator before the caller gets its answer (the sandbox records its mailbox so).</summary>
public interface ISimulatorObserver
{
    Task OnExchangeAsync(SimExchange exchange, CancellationToken cancellationToken);
}

/// <summary>
/// An <see cref="HttpMessageHandler"/> that answers WeCom API requests with a <see cref="WeComSimulator"/> in the same
/// process: the sandbox's WeCom client sends through it, so the sandbox sends exactly what production sends and gets
/// exactly what WeCom's rules answer.
/// </summary>
public sealed class SimulatorHttpHandler(WeComSimulator simulator, ISimulatorObserver? observer = null) : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var uri = request.RequestUri ?? throw new InvalidOperationException("request without a URI");
        var answer = simulator.HandleRaw(request.Method.Method, uri.PathAndQuery, body, request.Content?.Headers.ContentType?.ToString());
        if (observer is not null && answer.Exchange is { } exchange) await observer.OnExchangeAsync(exchange, cancellationToken);
        var response = new HttpResponseMessage((HttpStatusCode)answer.StatusCode) { RequestMessage = request };
        if (answer.Bytes is { } bytes)
        {
            response.Content = new ByteArrayContent(bytes);
            response.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(answer.ContentType);
        }
        else response.Content = new StringContent(answer.Body, Encoding.UTF8, answer.ContentType);
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
            if (!response.Headers.TryAddWithoutValidation(name, value)) response.Content.Headers.TryAddWithoutValidation(name, value);
        return response;
    }
}
