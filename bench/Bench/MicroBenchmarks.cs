using BenchmarkDotNet.Attributes;
using RapidResponse.Bot.WeCom.Crypto;
using RapidResponse.Domain.Calendar;

namespace RapidResponse.Bench;

/// <summary>Micro level: callback crypto and the working-day calendar.</summary>
[MemoryDiagnoser]
public class MicroBenchmarks
{
    private readonly WeComCrypto _crypto = WeComCrypto.Create(BotProcess.Token, BotProcess.AesKey, BotProcess.CorpId).Value;
    private readonly WorkingCalendar _calendar = WorkingCalendar.LoadDefault();
    private string _encrypt = "";
    private string _sig = "";

    [GlobalSetup]
    public void Setup()
    {
        _encrypt = _crypto.Encrypt("<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><FromUserName><![CDATA[u]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[进度]]></Content><MsgId>1</MsgId></xml>");
        _sig = _crypto.Sign("1700000000", "1", _encrypt);
    }

    [Benchmark] public bool VerifyAndDecrypt() => _crypto.VerifyAndDecrypt(_sig, "1700000000", "1", _encrypt).IsSuccess;

    [Benchmark] public DateOnly AddThreeWorkingDaysAcrossNationalDay() => _calendar.AddWorkingDays(new DateOnly(2026, 9, 30), 3);
}
