using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RapidResponse.Bot.Hosting;
using RapidResponse.Bot.Inbox;
using RapidResponse.Bot.Tests.Infrastructure;

namespace RapidResponse.Bot.Tests.Privacy;

/// <summary>Log lines and the exceptions in them go through the same masking as everything else (issue 12, item 8).</summary>
public sealed class MaskingLogTests
{
    [Fact]
    public void InboxFailureLine_ShouldMaskTheExceptionAndTheValues_WhenTheyCarryNumbers()
    {
        // The real app's logging (Program), with one more provider that records what reaches it.
        var capture = new Capture();
        using var app = new BotFactory { TestServices = s => s.AddSingleton<ILoggerProvider>(capture) };
        var log = app.Services.GetRequiredService<ILogger<InboxProcessor>>();
        capture.Entries.Clear(); // whatever the app logged while starting

        // As InboxProcessor logs a failed message: the exception's text is whatever the code that threw put in it.
        var e = new InvalidOperationException("无法保存 410102199001011234 的申报", new FormatException("电话 +86 138 1234 5678 无效"));
        log.LogError(e, "Inbound message {Id} failed for {Sender}", 42L, "wm 13812345678");

        var (message, exception, values) = Assert.Single(capture.Entries, e => e.Message.StartsWith("Inbound message 42", StringComparison.Ordinal));
        Assert.Equal("Inbound message 42 failed for wm 138****5678", message);
        Assert.Contains("4101**********1234", exception);
        Assert.Contains("+86 138****5678", exception);
        Assert.Contains(nameof(InvalidOperationException), exception);
        foreach (var text in new[] { message, exception, values })
        {
            Assert.DoesNotContain("410102199001011234", text);
            Assert.DoesNotContain("13812345678", text.Replace(" ", ""));
        }
        Assert.Contains("{OriginalFormat}=Inbound message {Id} failed for {Sender}", values);
    }

    [Fact]
    public void BotHost_ShouldLogThroughTheMaskingFactory_WhenComposedByProgram()
    {
        using var f = new BotFactory();
        Assert.IsType<MaskingLoggerFactory>(f.Services.GetRequiredService<ILoggerFactory>());
    }

    private sealed class Capture : ILoggerProvider
    {
        public ConcurrentQueue<(string Message, string Exception, string Values)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose() { }

        private sealed class Logger(Capture owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var values = state is IEnumerable<KeyValuePair<string, object?>> kv ? string.Join("; ", kv.Select(p => $"{p.Key}={p.Value}")) : "";
                owner.Entries.Enqueue((formatter(state, exception), exception?.ToString() ?? "", values));
            }
        }
    }
}
