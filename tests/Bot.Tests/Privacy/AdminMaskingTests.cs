using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RapidResponse.Bot.Tests.Infrastructure;
using RapidResponse.Domain.Messaging;

namespace RapidResponse.Bot.Tests.Privacy;

/// <summary>Every free-text field the admin API returns is masked (issue 12, item 8).</summary>
public sealed class AdminMaskingTests
{
    private const string Id = "410102199001011234", Phone = "+86 138 1234 5678", Mobile = "13812345678";

    [Fact]
    public async Task AdminApi_ShouldMaskIdAndPhoneNumbers_InEveryFreeTextField()
    {
        using var f = new BotFactory().WithWeCom();
        var http = f.CreateClient();
        using (var db = f.NewDb()) TestRoster.Seed(db);
        var farmer = new WeComUser(f, http, "villager_liu");
        await farmer.SayAsync($"申报\n姓名：刘一\n身份证号：{TestRoster.IdUnknown}\n村：李树\n困难类型：因病\n情况说明：住院，女儿电话{Phone}\n联系电话：13800009999");
        await farmer.SayAsync("确认");
        using (var db = f.NewDb())
        {
            // What people write into reasons, plans, names and what WeCom answers: anything may carry a number.
            var c = await db.Cases.SingleAsync();
            c.DecisionReason = $"核实身份证{Id}，收入超标";
            c.AssistancePlan = $"联系人电话 138-1234-5678";
            c.ApplicantName = $"刘一{Mobile}";
            db.Outbox.Add(new OutboxMessage
            {
                Channel = OutboundChannel.AppUser, Recipient = "gm_a1", Kind = OutboundKind.Text, Payload = "{}", CreatedAt = f.Time.GetUtcNow(),
                NotBefore = f.Time.GetUtcNow(), Status = OutboxStatus.Dead, LastError = $"60020 invalid content: {Id} {Mobile}",
            });
            await db.SaveChangesAsync();
        }
        await new WeComUser(f, http, "gm_a1").SayAsync($"案件 YL-2026-000001");

        var admin = f.AdminClient();
        var texts = new[]
        {
            await admin.GetStringAsync("/api/cases/YL-2026-000001"),
            await admin.GetStringAsync("/api/outbox?status=dead"),
        };
        foreach (var text in texts)
        {
            Assert.DoesNotContain(Id, text);
            Assert.DoesNotContain(Mobile, text);
            Assert.DoesNotContain("1234 5678", text);
            Assert.DoesNotContain("1234-5678", text);
            Assert.DoesNotContain(TestRoster.IdUnknown, text);
            Assert.DoesNotContain("13800009999", text);
        }
        var view = JsonDocument.Parse(texts[0]).RootElement;
        Assert.Equal("核实身份证4101**********1234，收入超标", view.GetProperty("decisionReason").GetString());
        Assert.Equal("联系人电话 138****5678", view.GetProperty("assistancePlan").GetString());
        Assert.Equal("刘一138****5678", view.GetProperty("applicantName").GetString());
        Assert.Contains("+86 138****5678", view.GetProperty("description").GetString());
        Assert.Contains("4101**********1234", texts[1]);
    }
}
