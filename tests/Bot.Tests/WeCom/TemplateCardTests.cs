using RapidResponse.Bot.WeCom.Api.Requests;

namespace RapidResponse.Bot.Tests.WeCom;

public class TemplateCardTests
{
    [Theory]
    [InlineData("ack_20260105080000_7f3a", true)]
    [InlineData("a-b@c_D9", true)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("中文", false)]
    [InlineData("a.b", false)]
    public void IsValid_ShouldFollowTheDocumentedCharset_WhenCheckingTaskIds(string taskId, bool expected) =>
        Assert.Equal(expected, TemplateCardTaskId.IsValid(taskId));

    [Theory]
    [InlineData(128, true)]
    [InlineData(129, false)]
    public void IsValid_ShouldCapAt128Bytes_WhenTaskIdIsLong(int length, bool expected) =>
        Assert.Equal(expected, TemplateCardTaskId.IsValid(new string('a', length)));

    [Fact]
    public void New_ShouldProduceAValidTaskId_WhenPurposeHasForbiddenCharacters()
    {
        var id = TemplateCardTaskId.New("入户 check!", new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero), "7f3a");

        Assert.Equal("check_20260105080000_7f3a", id);
        Assert.True(TemplateCardTaskId.IsValid(id));
    }

    [Fact]
    public void Validate_ShouldReportEveryProblem_WhenButtonCardIsBroken()
    {
        var card = new TemplateCard
        {
            CardType = "button_interaction",
            ButtonList = [new CardButton("a", "k"), new CardButton("b", "k"), new CardButton("c"), new CardButton("d", Type: 1)],
        };

        var problems = card.Validate().ToList();

        Assert.Contains(problems, p => p.Contains("task_id is required"));
        Assert.Contains(problems, p => p.Contains("main_title"));
        Assert.Contains(problems, p => p.Contains("unique"));
        Assert.Contains(problems, p => p.Contains("needs a key"));
        Assert.Contains(problems, p => p.Contains("needs a url"));
    }

    [Fact]
    public void Validate_ShouldRejectSevenButtons_WhenLimitIsSix()
    {
        var buttons = Enumerable.Range(0, 7).Select(i => new CardButton($"b{i}", $"k{i}")).ToList();

        var problems = TemplateCard.ButtonInteraction("t", new CardMainTitle("x"), buttons).Validate();

        Assert.Contains(problems, p => p.Contains("1..6"));
    }
}
