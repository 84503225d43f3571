namespace RapidResponse.Bot.Tests.WeCom;

/// <summary>Plaintext callback samples from the protocol notes §3 and §5.2, plus hostile inputs.</summary>
internal static class InboundSamples
{
    public const string TemplateCardEvent = """
        <xml>
          <ToUserName><![CDATA[toUser]]></ToUserName>
          <FromUserName><![CDATA[FromUser]]></FromUserName>
          <CreateTime>123456789</CreateTime>
          <MsgType><![CDATA[event]]></MsgType>
          <Event><![CDATA[template_card_event]]></Event>
          <EventKey><![CDATA[key111]]></EventKey>
          <TaskId><![CDATA[taskid111]]></TaskId>
          <CardType><![CDATA[text_notice]]></CardType>
          <ResponseCode><![CDATA[ResponseCode]]></ResponseCode>
          <AgentID>1</AgentID>
          <SelectedItems>
            <SelectedItem>
              <QuestionKey><![CDATA[QuestionKey1]]></QuestionKey>
              <OptionIds>
                <OptionId><![CDATA[OptionId1]]></OptionId>
                <OptionId><![CDATA[OptionId2]]></OptionId>
              </OptionIds>
            </SelectedItem>
            <SelectedItem>
              <QuestionKey><![CDATA[QuestionKey2]]></QuestionKey>
              <OptionIds>
                <OptionId><![CDATA[OptionId3]]></OptionId>
                <OptionId><![CDATA[OptionId4]]></OptionId>
              </OptionIds>
            </SelectedItem>
          </SelectedItems>
        </xml>
        """;

    public const string KfNotification = """
        <xml>
          <ToUserName><![CDATA[ww12345678910]]></ToUserName>
          <CreateTime>1348831860</CreateTime>
          <MsgType><![CDATA[event]]></MsgType>
          <Event><![CDATA[kf_msg_or_event]]></Event>
          <Token><![CDATA[ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR]]></Token>
          <OpenKfId><![CDATA[wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q]]></OpenKfId>
        </xml>
        """;

    public const string EnterAgent = "<xml><ToUserName><![CDATA[toUser]]></ToUserName><FromUserName><![CDATA[UserID]]></FromUserName><CreateTime>1348831860</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[enter_agent]]></Event><EventKey><![CDATA[]]></EventKey><AgentID>1</AgentID></xml>";

    public const string BillionLaughs = """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [
          <!ENTITY lol "lol">
          <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
          <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
          <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
          <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
          <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
          <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
          <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
          <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
        ]>
        <xml><Encrypt>&lol9;</Encrypt></xml>
        """;

    public const string BillionLaughsInner = """
        <!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
        <xml><ToUserName>x</ToUserName><FromUserName>u</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>&c;</Content><MsgId>1</MsgId></xml>
        """;
}
