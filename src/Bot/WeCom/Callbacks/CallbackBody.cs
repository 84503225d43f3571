using System.Buffers;
using System.Text;

namespace RapidResponse.Bot.WeCom.Callbacks;

/// <summary>Reads a callback body with a hard size cap, before any model binding.</summary>
internal static class CallbackBody
{
    /// <summary>The body as UTF-8, or null when it exceeds <paramref name="maxBytes"/>.</summary>
    public static async Task<string?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        // A pooled buffer sized to the declared length (callbacks are ~1 KiB), grown only for chunked bodies;
        // the cap is enforced while reading because chunked bodies have no Content-Length.
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(request.ContentLength ?? 4096, maxBytes) + 1);
        try
        {
            var total = 0;
            int read;
            while ((read = await request.Body.ReadAsync(buffer.AsMemory(total), ct)) > 0)
            {
                total += read;
                if (total > maxBytes)
                {
                    return null;
                }

                if (total == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxBytes + 1));
                    buffer.AsSpan(0, total).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }

            return Encoding.UTF8.GetString(buffer, 0, total);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
