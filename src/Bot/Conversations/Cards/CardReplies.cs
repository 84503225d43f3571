using System.Collections.Concurrent;

namespace RapidResponse.Bot.Conversations.Cards;

/// <summary>
/// Lets the callback endpoint answer a card click with the real outcome (passive update_button) when processing
/// finishes within WeCom's 5-second window; otherwise it answers "处理中" and the card is updated afterwards.
/// </summary>
public sealed class CardReplies
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _waiting = new();

    private TaskCompletionSource<string> Slot(string key) =>
        _waiting.GetOrAdd(key, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>The button label to show the clicker, or null on timeout.</summary>
    public async Task<string?> WaitAsync(string dedupeKey, TimeSpan timeout, CancellationToken ct = default)
    {
        var slot = Slot(dedupeKey);
        try { return await slot.Task.WaitAsync(timeout, ct); }
        catch (TimeoutException) { return null; }
        finally { _waiting.TryRemove(dedupeKey, out _); }
    }

    /// <summary>
    /// Records the outcome even when the endpoint is not waiting yet: the processor can finish before the endpoint's
    /// continuation after the inbox commit runs. Outcomes nobody waits for (clicks not from the endpoint) are pruned.
    /// </summary>
    public void Complete(string dedupeKey, string label)
    {
        Slot(dedupeKey).TrySetResult(label);
        if (_waiting.Count <= MaxUnclaimed) return;
        foreach (var (key, slot) in _waiting)
            if (slot.Task.IsCompleted) _waiting.TryRemove(key, out _);
    }

    private const int MaxUnclaimed = 1000;
}
