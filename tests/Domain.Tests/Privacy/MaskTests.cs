using RapidResponse.Domain.Privacy;

namespace RapidResponse.Domain.Tests.Privacy;

/// <summary>The masking table (DESIGN §6, issue 12 item 8): every way people write an ID or phone number, and what is left alone.</summary>
public sealed class MaskTests
{
    [Theory]
    [InlineData("身份证号410102199001011234", "身份证号4101**********1234")]
    [InlineData("41010219900101123X", "4101**********123X")]
    [InlineData("41010219900101123x。", "4101**********123x。")]
    [InlineData("410102 19900101 1234", "4101**********1234")]
    [InlineData("410102-19900101-1234", "4101**********1234")]
    [InlineData("老身份证410102900101123", "老身份证4101*******1123")]
    [InlineData("410102 900101 123", "4101*******1123")]
    [InlineData("电话13812345678", "电话138****5678")]
    [InlineData("+86 138 1234 5678", "+86 138****5678")]
    [InlineData("+8613812345678", "+86138****5678")]
    [InlineData("0086-138-1234-5678", "0086-138****5678")]
    [InlineData("86 13812345678", "86 138****5678")]
    [InlineData("138-1234-5678", "138****5678")]
    [InlineData("138 1234 5678", "138****5678")]
    [InlineData("座机0871-12345678", "座机0871-****5678")]
    [InlineData("座机 010 8765432", "座机 010-***5432")]
    [InlineData("户主张三 410102199001011234，电话 +86 139-0000-1111，情况属实", "户主张三 4101**********1234，电话 +86 139****1111，情况属实")]
    public void Text_ShouldMask_WhenAnIdOrPhoneNumberIsWritten(string text, string expected) => Assert.Equal(expected, Mask.Text(text));

    [Theory]
    [InlineData("案件YL-2026-000001已受理")]
    [InlineData("2026-10-12 09:00 到期")]
    [InlineData("户编号990101001001-01，村代码990101001001")]
    [InlineData("消息编号4561255354251345929")]
    [InlineData("12345678901234567890")]
    [InlineData("自付医疗费30000元，人均收入6900元")]
    [InlineData("1700000000")]
    [InlineData("12812345678")]
    public void Text_ShouldLeaveAlone_WhenNoIdOrPhoneNumberIsThere(string text) => Assert.Equal(text, Mask.Text(text));

    [Theory]
    [InlineData("410102199001011234 +86 138 1234 5678 0871-12345678 410102900101123")]
    public void Text_ShouldChangeNothing_WhenMaskedTwice(string text) => Assert.Equal(Mask.Text(text), Mask.Text(Mask.Text(text)));

    [Fact]
    public void ImportResults_ShouldMaskTheirReasons_WhenTheAdminApiShowsThem()
    {
        var r = new Domain.Import.ImportResult("households", 0, 0, 0, 1, [new(3, "户主“张三13812345678”的身份证号410102199001011234已登记")], ["备注里有电话 138-1234-5678"]).Masked();
        Assert.Equal("户主“张三138****5678”的身份证号4101**********1234已登记", r.Errors[0].Reason);
        Assert.Equal("备注里有电话 138****5678", r.Warnings[0]);
        var d = new Domain.Import.DepartmentListResult(0, 0, 1, [], [new(2, "户编号“13812345678”没有匹配的户")]).Masked();
        Assert.Equal("户编号“138****5678”没有匹配的户", d.Errors[0].Reason);
    }

    [Fact]
    public void Exception_ShouldMaskMessageAndInnerExceptions_WhenTheyCarryNumbers()
    {
        var e = new InvalidOperationException("保存失败：410102199001011234", new FormatException("电话 13812345678 无效"));
        var text = Mask.Exception(e);
        Assert.Contains("4101**********1234", text);
        Assert.Contains("138****5678", text);
        Assert.DoesNotContain("410102199001011234", text);
        Assert.DoesNotContain("13812345678", text);
        Assert.Contains(nameof(FormatException), text);
    }
}
