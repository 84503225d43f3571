using System.Text;
using RapidResponse.Domain.Import;

namespace RapidResponse.Domain.Tests.Import;

public sealed class CsvReaderTests
{
    [Fact]
    public void Parse_ShouldKeepCommasQuotesAndLineBreaks_WhenFieldsAreQuoted()
    {
        var rows = CsvReader.Parse("a,b,c\r\n\"x,1\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\nlast,,\n").ToList();

        Assert.Equal(3, rows.Count);
        Assert.Equal(["a", "b", "c"], rows[0].Cells);
        Assert.Equal(["x,1", "say \"hi\"", "two\nlines"], rows[1].Cells);
        Assert.Equal(2, rows[1].Line);
        Assert.Equal(["last", "", ""], rows[2].Cells);
        Assert.Equal(4, rows[2].Line); // the quoted line break counts as a line
    }

    [Fact]
    public void Parse_ShouldReturnLastRecord_WhenFileHasNoFinalLineBreak()
    {
        var rows = CsvReader.Parse("a,b\n1,\"\"").ToList();
        Assert.Equal(["1", ""], rows[1].Cells);
    }

    [Fact]
    public void Parse_ShouldKeepQuoteAsText_WhenQuoteIsInsideUnquotedField()
    {
        Assert.Equal(["5\"", "x"], CsvReader.Parse("5\",x").Single().Cells);
    }

    [Fact]
    public void Parse_ShouldNameTheLine_WhenQuoteIsNotClosed()
    {
        var e = Assert.Throws<ImportFileException>(() => CsvReader.Parse("a,b\n1,2\n3,\"open\n4,5\n").ToList());
        Assert.Equal(3, e.Line);
        Assert.Contains("第3行有一个双引号没有闭合", e.Message);
    }

    [Fact]
    public void Decode_ShouldDropBom_WhenFileStartsWithUtf8Bom()
    {
        Assert.Equal("code,name", CsvReader.Decode([0xEF, 0xBB, 0xBF, .. "code,name"u8]));
    }

    [Fact]
    public void Decode_ShouldAskForUtf8_WhenFileIsGbk()
    {
        byte[] gbk = [0xCF, 0xD8, 0xC3, 0xFB]; // "县名" in GBK
        var e = Assert.Throws<ImportFileException>(() => CsvReader.Decode(gbk));
        Assert.Contains("不是UTF-8编码", e.Message);
        Assert.Contains("CSV UTF-8", e.Message);
    }

    [Fact]
    public void Decode_ShouldRefuse_WhenFileIsBinary()
    {
        var e = Assert.Throws<ImportFileException>(() => CsvReader.Decode(Encoding.UTF8.GetBytes("a\0b")));
        Assert.Contains("二进制", e.Message);
    }
}
