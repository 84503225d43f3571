using RapidResponse.Bot.WeCom.Callbacks;

namespace RapidResponse.Bot.Tests.WeCom;

public class InboundMessageParserTests
{
    private static string Xml(string fields) =>
        $"<xml><ToUserName><![CDATA[ww1]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>1700000000</CreateTime>{fields}<AgentID>1000002</AgentID></xml>";

    [Fact]
    public void TryParse_ShouldReadPlainTextNodes_WhenFieldsHaveNoCdata()
    {
        var text = Assert.IsType<TextMessage>(InboundMessageParser.TryParse(Vectors.V4Plain));

        Assert.Equal("你好", text.Content);
        Assert.Equal(1456453720, text.MsgId);
        Assert.Equal("ChenJiaShun", text.FromUserName);
    }

    [Fact]
    public void TryParse_ShouldReadImage_WhenMsgTypeIsImage()
    {
        var image = Assert.IsType<ImageMessage>(InboundMessageParser.TryParse(
            Xml("<MsgType>image</MsgType><PicUrl>http://p/1.jpg</PicUrl><MediaId>media1</MediaId><MsgId>42</MsgId>")));

        Assert.Equal("media1", image.MediaId);
        Assert.Equal("msg|42", image.DedupeKey);
    }

    [Fact]
    public void TryParse_ShouldReadLatitudeFromLocationX_WhenMsgTypeIsLocation()
    {
        var location = Assert.IsType<LocationMessage>(InboundMessageParser.TryParse(
            Xml("<MsgType>location</MsgType><Location_X>25.123456</Location_X><Location_Y>100.654321</Location_Y><Scale>15</Scale><Label>云龙县</Label><MsgId>7</MsgId>")));

        Assert.Equal(25.123456m, location.Latitude);
        Assert.Equal(100.654321m, location.Longitude);
        Assert.Equal(15, location.Scale);
        Assert.Equal("云龙县", location.Label);
    }

    [Fact]
    public void TryParse_ShouldReturnEnterAgent_WhenMemberOpensTheApp()
    {
        var e = Assert.IsType<EnterAgentEvent>(InboundMessageParser.TryParse(InboundSamples.EnterAgent));

        Assert.Equal("evt|1|event|enter_agent||UserID|1348831860|||||", e.DedupeKey);
    }

    [Fact]
    public void TryParse_ShouldIncludeEventKeyInDedupeKey_WhenTwoMenuClicksShareASecond()
    {
        var a = Assert.IsType<ClickEvent>(InboundMessageParser.TryParse(Xml("<MsgType>event</MsgType><Event>click</Event><EventKey>report</EventKey>")));
        var b = Assert.IsType<ClickEvent>(InboundMessageParser.TryParse(Xml("<MsgType>event</MsgType><Event>click</Event><EventKey>help</EventKey>")));

        Assert.Equal("report", a.EventKey);
        Assert.NotEqual(a.DedupeKey, b.DedupeKey);
    }

    [Fact]
    public void TryParse_ShouldKeepSysEventsApart_WhenTheyShareFromUserNameAndCreateTime()
    {
        // Pitfall §9.7: FromUserName+CreateTime alone would merge these two genuine events.
        const string head = "<xml><ToUserName>ww1</ToUserName><FromUserName>sys</FromUserName><CreateTime>1700000000</CreateTime><MsgType>event</MsgType><Event>change_contact</Event>";
        var a = Assert.IsType<ChangeContactEvent>(InboundMessageParser.TryParse(head + "<ChangeType>update_user</ChangeType><UserID>lisi</UserID><Name>李四</Name></xml>"));
        var b = Assert.IsType<ChangeContactEvent>(InboundMessageParser.TryParse(head + "<ChangeType>update_user</ChangeType><UserID>wangwu</UserID></xml>"));

        Assert.Equal("lisi", a.UserId);
        Assert.Equal("李四", a.Name);
        Assert.NotEqual(a.DedupeKey, b.DedupeKey);
    }

    [Fact]
    public void TryParse_ShouldKeepUnknownEventWithFields_WhenEventIsNotModelled()
    {
        var e = Assert.IsType<UnknownEvent>(InboundMessageParser.TryParse(Xml("<MsgType>event</MsgType><Event>LOCATION</Event><Latitude>25.1</Latitude>")));

        Assert.Equal("LOCATION", e.Event);
        Assert.Equal("25.1", e.Fields["Latitude"]);
    }

    [Fact]
    public void TryParse_ShouldKeepUnknownMessageKeyedByMsgId_WhenMsgTypeIsNotModelled()
    {
        var m = Assert.IsType<UnknownMessage>(InboundMessageParser.TryParse(Xml("<MsgType>video</MsgType><MediaId>v1</MediaId><ThumbMediaId>t1</ThumbMediaId><MsgId>99</MsgId>")));

        Assert.Equal("msg|99", m.DedupeKey);
        Assert.Equal("t1", m.Fields["ThumbMediaId"]);
    }

    [Fact]
    public void TryParse_ShouldReadVoiceAndFile_WithTheirMediaIds()
    {
        var v = Assert.IsType<VoiceMessage>(InboundMessageParser.TryParse(Xml("<MsgType>voice</MsgType><MediaId>v1</MediaId><Format>amr</Format><MsgId>99</MsgId>")));
        var f = Assert.IsType<FileMessage>(InboundMessageParser.TryParse(Xml("<MsgType>file</MsgType><MediaId>f1</MediaId><FileName>病历.pdf</FileName><MsgId>100</MsgId>")));

        Assert.Equal(("v1", "amr", "msg|99"), (v.MediaId, v.Format, v.DedupeKey));
        Assert.Equal(("f1", "病历.pdf"), (f.MediaId, f.FileName));
    }

    [Fact]
    public void TryParse_ShouldKeyByPlaintextHash_WhenUnknownMessageHasNoMsgId()
    {
        var m = Assert.IsType<UnknownMessage>(InboundMessageParser.TryParse(Xml("<MsgType>text</MsgType><Content>no id</Content>")));

        Assert.StartsWith("raw|", m.DedupeKey);
        Assert.Equal(68, m.DedupeKey.Length);
    }

    [Theory]
    [InlineData("not xml")]
    [InlineData("<xml><MsgType>text</MsgType></xml>")]
    [InlineData("<xml><CreateTime>1</CreateTime></xml>")]
    public void TryParse_ShouldReturnNull_WhenCommonFieldsAreMissing(string plaintext) =>
        Assert.Null(InboundMessageParser.TryParse(plaintext));
}
