using System.Collections.Concurrent;
using System.Net;

namespace RapidResponse.Bench;

/// <summary>Sends fuzz inputs over HTTP with a few connections and tallies the answers by input kind and status.</summary>
public static class FuzzRunner
{
    public sealed record Tally(int Sent, int Accepted, int ServerErrors, int Transport, IReadOnlyDictionary<(string Kind, int Status), int> ByKind);

    public static async Task<Tally> RunAsync(HttpClient http, IEnumerable<FuzzInputs.Input> inputs, int connections)
    {
        var byKind = new ConcurrentDictionary<(string, int), int>();
        int sent = 0, accepted = 0, errors = 0, transport = 0;
        await Parallel.ForEachAsync(inputs, new ParallelOptions { MaxDegreeOfParallelism = connections }, async (x, ct) =>
        {
            using var req = new HttpRequestMessage(x.Method, x.Path + x.Query);
            if (x.Method == HttpMethod.Post)
            {
                HttpContent content = x.Chunked ? new StreamContent(new UnknownLengthStream(x.Body)) : new ByteArrayContent(x.Body);
                if (x.ContentType is not null) content.Headers.TryAddWithoutValidation("Content-Type", x.ContentType);
                req.Content = content;
            }
            Interlocked.Increment(ref sent);
            int status;
            try
            {
                using var res = await http.SendAsync(req, ct);
                status = (int)res.StatusCode;
            }
            catch (HttpRequestException) { Interlocked.Increment(ref transport); status = -1; }
            if (status is >= 200 and < 300) Interlocked.Increment(ref accepted);
            if (status >= 500) Interlocked.Increment(ref errors);
            byKind.AddOrUpdate((x.Kind, status), 1, (_, n) => n + 1);
        });
        return new Tally(sent, accepted, errors, transport, byKind);
    }

    public static bool IsOk(HttpStatusCode s) => (int)s is >= 200 and < 300;

    /// <summary>A body whose length the client cannot know, so it goes out chunked.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
