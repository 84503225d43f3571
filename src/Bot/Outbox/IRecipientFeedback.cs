namespace RapidResponse.Bot.Outbox;

/// <summary>
/// Told after every app-message row's result is recorded: who WeCom did not deliver to (<see cref="TransportResult.Undelivered"/>)
/// and, on a success, who it did. The bot's feature layer implements it (marks staff, moves their tasks); the outbox only
/// reports. Failures are logged by the dispatcher and never change the row.
/// </summary>
public interface IRecipientFeedback
{
    Task ReportAsync(Domain.Messaging.OutboxMessage row, TransportResult result);
}

/// <summary>For hosts without the conversation layer (commands, bare outbox hosts): nothing to mark.</summary>
internal sealed class NoRecipientFeedback : IRecipientFeedback
{
    public Task ReportAsync(Domain.Messaging.OutboxMessage row, TransportResult result) => Task.CompletedTask;
}
