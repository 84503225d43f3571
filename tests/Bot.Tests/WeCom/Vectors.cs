namespace RapidResponse.Bot.Tests.WeCom;

/// <summary>Test vectors from the protocol notes §2 (V1–V4 Tencent's, V6 self-generated and cross-checked).</summary>
internal static class Vectors
{
    public const string Token = "QDG6eK";
    public const string AesKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    public const string CorpId = "wx5823bf96d3bd56c7";

    public const string V1Signature = "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3";
    public const string V1Timestamp = "1409659589";
    public const string V1Nonce = "263014780";
    public const string V1Echo = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==";
    public const string V1EchoUrlEncoded = "P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D";
    public const string V1Plain = "1616140317555161061";

    public const string V2Signature = "477715d11cdb4164915debcba66cb864d751f3e6";
    public const string V2Timestamp = "1409659813";
    public const string V2Nonce = "1372623149";
    public const string V2Encrypt = "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==";
    public const string V2Plain = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>";
    public const string V2Random = "0960688932c47ef1";

    public const string V3Token = "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo";
    public const string V3AesKey = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt";
    public const string V3CorpId = "ww1436e0e65a779aee";
    public const string V3Signature = "012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb";
    public const string V3Timestamp = "1476416373";
    public const string V3Nonce = "47744683";
    public const string V3Echo = "fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==";
    public const string V3Plain = "1288432023552776189";

    public const string V4Signature = "0c3914025cb4b4d68103f6bfc8db550f79dcf48e";
    public const string V4Timestamp = "1476422779";
    public const string V4Nonce = "1597212914";
    public const string V4Encrypt = "Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+";
    public const string V4Plain = "<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</FromUserName><CreateTime>1476422779</CreateTime><MsgType>text</MsgType><Content>你好</Content><MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>";

    public const string V6Plain = "<xml><ToUserName><![CDATA[mycreate]]></ToUserName><FromUserName><![CDATA[wx5823bf96d3bd56c7]]></FromUserName><CreateTime>1348831860</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[this is a test]]></Content></xml>";
    public const string V6Random = "aaaabbbbccccdddd";
    public const string V6Signature = "503f857712055355c745229d33c54aa382d83dba";
    public const string V6Encrypt = "ZA4HuQypHxnRrA+A6SOHGCfP55t6K2KftxRPyDIpiZ5MdKRUimloVJP1Hhwcfpohp0wHVXItMTeCcPp27TrwWNWV4j3wXT/LHoM4iS/qu3WSwE4OiMjg1M5sThRi2E0Y9K9CH+WuoDRoi6HYzemoqk8eljtD2odOvp9Wt34PVfke9NAiIKrW/LKgytNK6HHydLP/VpLHep7YPreZwLtCjmvsghDE+qdZKCBMwY+HrVsJAKTFjil6ZD4h3/vXmyI3yTPLYZm7bLexZcm4QmPtKi5vbzZhKGCa4W95g7V+q1g1E/W8OawJz3LYqKEi1m1V2O7KozIz/z1zR6RWJmuH8/pv3DxCIrWlwMezgFR5UzZDc1b9zlZQMRUb4fCFTb5E";

    public const string MultiBytePlain = "<xml><Content><![CDATA[你好，村民]]></Content></xml>";
    public const string MultiByteRandom = "0123456789abcdef";
    public const string MultiByteEncrypt = "sKqRbbiSUnDhFHOvPjtUMXsb2gYezRgF/sNHmL8Q/BXsI8cLFZDyIz04cDR721EUBBvC+gsEjdnK2LU3lAfbFcNMlNaUMaqJrj8PG9Lq0rB3vZinYfKmKSP9e4GM50L/";
    public const string MultiByteSignature = "77b8b402c4bd093b8aaffb43648a17c0332ababa";
}
