using System.Text;
using RapidResponse.Domain.Messaging;

namespace RapidResponse.Domain.Tests.Messaging;

/// <summary>The one outbox row builder: row shape per kind, and content kept within the channel's UTF-8 byte limit.</summary>
public sealed class OutboundTests
{
    private static readonly DateTimeOffset Now = new(2026, 10, 12, 1, 0, 0, TimeSpan.Zero);

    private static int Bytes(string s) => Encoding.UTF8.GetByteCount(s);

    private static string TextOf(OutboxMessage row) => OutboundPayload.Deserialize<TextBody>(row.Payload).Content;

    [Theory]
    [InlineData(OutboundChannel.AppUser, OutboundKind.Text, 2048)]
    [InlineData(OutboundChannel.AppUser, OutboundKind.Markdown, 2048)]
    [InlineData(OutboundChannel.AppChat, OutboundKind.Markdown, 2048)]
    [InlineData(OutboundChannel.Kf, OutboundKind.Text, 2048)]
    [InlineData(OutboundChannel.Webhook, OutboundKind.Text, 2048)]
    [InlineData(OutboundChannel.Webhook, OutboundKind.Markdown, 4096)]
    public void For_ShouldGiveWeComsByteLimit_PerChannelAndKind(OutboundChannel channel, OutboundKind kind, int bytes) =>
        Assert.Equal(bytes, MessageLimits.For(channel, kind));

    [Fact]
    public void Text_ShouldKeepContentAsWritten_WhenItIsExactlyAtTheLimit()
    {
        var content = new string('周', 682) + "ab"; // 682 × 3 + 2 = 2048 bytes

        var row = Outbound.Text(Target.User("lisi"), content, null, "k1", Now);

        Assert.Equal(content, TextOf(row));
    }

    [Fact]
    public void Text_ShouldCutOnACharacterBoundaryAndSaySo_WhenOneByteOver()
    {
        var content = new string('周', 682) + "abc"; // 2049 bytes

        var text = TextOf(Outbound.Text(Target.User("lisi"), content, null, null, Now));

        Assert.True(Bytes(text) <= 2048, $"{Bytes(text)} bytes");
        Assert.EndsWith(MessageLimits.TruncatedMark, text);
        Assert.StartsWith(text[..^MessageLimits.TruncatedMark.Length], content, StringComparison.Ordinal);
        Assert.DoesNotContain('\uFFFD', text);
    }

    [Fact]
    public void Fit_ShouldNeverSplitASurrogatePair_WhenTheCutFallsInsideAnEmoji()
    {
        var content = string.Concat(Enumerable.Repeat("😀", 600)); // 4 bytes each, 2400 bytes

        var text = MessageLimits.Fit(content, 2048);

        Assert.True(Bytes(text) <= 2048);
        var kept = text[..^MessageLimits.TruncatedMark.Length];
        Assert.Equal(0, kept.Length % 2);
        Assert.All(kept.EnumerateRunes(), r => Assert.Equal("😀", r.ToString()));
    }

    [Fact]
    public void Text_ShouldLeaveRoomForTheMentions_WhenAGroupChatTextMentionsPeople()
    {
        var mentions = new[] { "gm_lishu", "gm_wanglin" };
        var suffix = "\n" + string.Join(' ', mentions.Select(u => $"<@{u}>"));

        var row = Outbound.Text(new Target(OutboundChannel.AppChat, "chat1"), new string('逾', 700), mentions, "ladder:1", Now);

        var body = OutboundPayload.Deserialize<TextBody>(row.Payload);
        Assert.Equal(mentions, body.Mentions);
        Assert.True(Bytes(body.Content + suffix) <= 2048, $"{Bytes(body.Content + suffix)} bytes with mentions");
    }

    [Fact]
    public void Markdown_ShouldTakeUpTo4096Bytes_OnAWebhook()
    {
        var content = new string('周', 1365); // 4095 bytes: over an app's 2048, within a robot's 4096

        var row = Outbound.Markdown(new Target(OutboundChannel.Webhook, "hook-1"), content, "bulletin:1", Now);

        Assert.Equal(content, OutboundPayload.Deserialize<MarkdownBody>(row.Payload).Content);
        Assert.True(Bytes(OutboundPayload.Deserialize<MarkdownBody>(Outbound.Markdown(new Target(OutboundChannel.AppChat, "c"), content, null, Now).Payload).Content) <= 2048);
    }

    [Fact]
    public void Card_ShouldBeOneRowForAllHoldersKeyedByTaskId()
    {
        var card = new CardBody("a42", "入户核查", null, [], [new CardButton("done", "已核查")]);

        var row = Outbound.Card(["gm_lishu", "gm_wanglin", "gm_lishu"], card, Now);

        Assert.Equal((OutboundChannel.AppUser, "gm_lishu|gm_wanglin", OutboundKind.Card, "card:a42"), (row.Channel, row.Recipient, row.Kind, row.DedupeKey));
        Assert.Equal(Now, row.NotBefore);
    }

    [Fact]
    public void Text_ShouldCarryTheKfAccount_WhenTheTargetIsAFarmerOnKf()
    {
        var row = Outbound.Text(Target.Kf("wmA", "wkvillage"), "已收到", null, null, Now);

        Assert.Equal((OutboundChannel.Kf, "wmA", "wkvillage", OutboundKind.Text), (row.Channel, row.Recipient, row.OpenKfId, row.Kind));
    }
}
