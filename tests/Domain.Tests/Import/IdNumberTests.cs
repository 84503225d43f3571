using RapidResponse.Domain.Roster;

namespace RapidResponse.Domain.Tests.Import;

public sealed class IdNumberTests
{
    [Theory]
    [InlineData("11010519491231002X", null)] // the GB 11643 example, X check character
    [InlineData("11010519491231002x", null)] // lower-case x is accepted
    [InlineData("410102198511110027", null)]
    [InlineData("410102199001011234", null)]
    [InlineData(" 990101200002290011 ", null)] // leap day, blanks trimmed
    [InlineData("410102199001011235", "身份证号校验位不对（最后一位），请核对后重新填写")]
    [InlineData("110105194912310021", "身份证号校验位不对（最后一位），请核对后重新填写")]
    [InlineData("990101199002300018", "身份证号中的出生日期（第7–14位）不是有效日期")] // 1990-02-30
    [InlineData("990101199013010016", "身份证号中的出生日期（第7–14位）不是有效日期")] // month 13
    [InlineData("990101189912310013", "身份证号中的出生日期不合理")] // before 1900
    [InlineData("99010119900101001", "身份证号应为18位，这里是17位")]
    [InlineData("9901011990010100101", "身份证号应为18位，这里是19位")]
    [InlineData("99010119900101A010", "身份证号前17位应全是数字，最后一位是数字或X")]
    [InlineData("99010119900101001Y", "身份证号最后一位应是数字或X")]
    [InlineData("", "身份证号不能为空")]
    [InlineData("4.10102199001012E+17", "身份证号被表格软件存成了数字，后几位已经丢失：请把这一列设为“文本”格式后重新填写")]
    public void Validate_ShouldGiveReason_WhenNumberIsInvalid(string input, string? reason)
    {
        Assert.Equal(reason, IdNumber.Validate(input));
    }

    [Fact]
    public void Validate_ShouldRefuseBirthDate_WhenItIsAfterToday()
    {
        var id = ImportTestDatabase.Id("20261013", 1);
        Assert.Null(IdNumber.Validate(id));
        Assert.Equal("身份证号中的出生日期不合理", IdNumber.Validate(id, new DateOnly(2026, 10, 12)));
        Assert.Null(IdNumber.Validate(id, new DateOnly(2026, 10, 13)));
    }

    [Theory]
    [InlineData("11010519491231002", 'X')]
    [InlineData("44052418800101001", '4')]
    [InlineData("99010119900228001", '0')]
    public void CheckChar_ShouldFollowMod11Weights_WhenGiven17Digits(string first17, char expected)
    {
        Assert.Equal(expected, IdNumber.CheckChar(first17));
    }

    [Fact]
    public void Normalize_ShouldUpperCaseCheckCharacter_WhenLowerCaseX()
    {
        Assert.Equal("11010519491231002X", IdNumber.Normalize(" 11010519491231002x"));
    }

    [Theory]
    [InlineData("13800001234", true)]
    [InlineData("+86 138 0000 1234", true)]
    [InlineData("0371-12345678", true)]
    [InlineData("03715551234", true)]
    [InlineData("12800001234", false)]
    [InlineData("1380000123", false)]
    [InlineData("5551234", false)]
    public void PhoneValidate_ShouldAcceptMobileOrLandlineWithAreaCode(string input, bool valid)
    {
        Assert.Equal(valid, PhoneNumber.Validate(input) is null);
    }
}
