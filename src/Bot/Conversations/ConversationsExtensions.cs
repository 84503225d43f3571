using RapidResponse.Bot.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RapidResponse.Bot.Conversations.Access;
using RapidResponse.Bot.Conversations.Alerts;
using RapidResponse.Bot.Conversations.Cards;
using RapidResponse.Bot.Conversations.Commands;
using RapidResponse.Bot.Conversations.Reports;
using RapidResponse.Bot.Evidence;
using RapidResponse.Bot.Inbox;

namespace RapidResponse.Bot.Conversations;

/// <summary>Registers the conversation layer and the inbox that feeds it.</summary>
public static class ConversationsExtensions
{
    public static WebApplicationBuilder AddConversations(this WebApplicationBuilder builder)
    {
        var s = builder.Services;
        s.AddValidatedOptions<ConversationOptions, ConversationOptionsValidator>(ConversationOptions.Section);
        s.AddScoped<Messenger>();
        s.AddScoped<FormStore>();
        s.AddScoped<Jurisdiction>();
        s.AddScoped<VillageMatcher>();
        s.AddScoped<TaskCards>();
        s.AddScoped<DeferralFlow>();
        s.AddScoped<EliminationFlow>();
        s.AddScoped<ScoreCardFlow>();
        s.AddScoped<TaskActions>();
        s.AddScoped<CardUpdates>();
        s.AddScoped<FarmerNotices>();
        s.AddScoped<ReportFlow>();
        s.AddScoped<AlertFlow>();
        s.AddScoped<StaffCommands>();
        s.AddScoped<ProgressQuery>();
        s.AddScoped<ConversationEngine>();
        builder.AddEvidence(); // photos, voice and files the conversations receive
        s.AddSingleton<CardReplies>();
        s.AddScoped<InboxFailures>();
        // Replaces the outbox's no-op, whichever of AddOutbox / AddConversations runs first.
        s.AddSingleton<RapidResponse.Bot.Outbox.IRecipientFeedback, Delivery.UndeliverableStaff>();
        s.TryAddSingleton<InboxSignal>();
        s.TryAddSingleton<InboxWriteGate>();
        s.TryAddSingleton<InboxWriter>();
        s.AddSingleton<InboxProcessor>();
        s.AddHostedService(sp => sp.GetRequiredService<InboxProcessor>());
        return builder;
    }
}
