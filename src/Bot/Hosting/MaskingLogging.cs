using System.Collections;
using RapidResponse.Domain.Privacy;

namespace RapidResponse.Bot.Hosting;

/// <summary>
/// Every log line of the bot goes through <see cref="Mask.Text"/> before any logging provider sees it: the message, its
/// structured values and the exception (message, stack and inner exceptions) — DESIGN §6: no full ID or phone number
/// in a log line, also when it hides in an exception's message or a value someone logs later.
/// </summary>
public sealed class MaskingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new MaskingLogger(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();

    private sealed class MaskingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel)) return;
            var masked = new MaskedState(Mask.Text(formatter(state, exception)), state as IReadOnlyList<KeyValuePair<string, object?>>);
            inner.Log(logLevel, eventId, masked, exception is null ? null : new MaskedException(exception), static (s, _) => s.Message);
        }
    }

    /// <summary>The formatted message and the structured values, masked; the message template is kept as written.</summary>
    private sealed class MaskedState(string message, IReadOnlyList<KeyValuePair<string, object?>>? values) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message => message;

        public int Count => values?.Count ?? 0;

        public KeyValuePair<string, object?> this[int index]
        {
            get
            {
                var (key, value) = values![index];
                return key == "{OriginalFormat}" || value is null or bool or int or long or double or decimal or Enum or DateTimeOffset or TimeSpan
                    ? new(key, value)
                    : new(key, Mask.Text(value.ToString()));
            }
        }

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (var i = 0; i < Count; i++) yield return this[i];
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => message;
    }

    /// <summary>Stands in for the logged exception: the same text as <c>ToString()</c>, masked.</summary>
    private sealed class MaskedException(Exception original) : Exception(Mask.Text(original.Message))
    {
        public override string? StackTrace => original.StackTrace is null ? null : Mask.Text(original.StackTrace);

        public override string ToString() => Mask.Exception(original);
    }
}
