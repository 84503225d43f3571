namespace RapidResponse.Bot.GoLive;

/// <summary>WeCom error codes the go-live tools meet, said in plain Chinese with what to do.</summary>
public static class WeComProblems
{
    public static string Explain(int code) => code switch
    {
        46004 => "企业微信通讯录里没有这个手机号的成员：请核对手机号，或先在管理后台添加该成员",
        60011 => "该成员不在应用的可见范围内：请在管理后台 → 应用管理 → 本应用 → 可见范围 中加入他或他所在的部门",
        60020 => "本服务器的IP不在企业可信IP中：请在管理后台 → 应用管理 → 本应用 → 企业可信IP 中加入本服务器的出口IP",
        40001 => "Secret 不对：请在管理后台复制应用的 Secret，填入 WeCom:Secret",
        40013 => "CorpID 不对：请在管理后台 → 我的企业 复制企业ID，填入 WeCom:CorpId",
        48002 => "应用没有这项接口权限：请在管理后台为应用开通相应权限（如通讯录读取、可见范围设为根部门）",
        301002 => "AgentId 与 Secret 不属于同一个应用：请核对 WeCom:AgentId",
        95004 => "该微信客服账号不存在或本应用不能管理：请在微信客服后台把它授权给本应用",
        95012 => "微信客服接口要用微信客服的 Secret：请填入 WeCom:Kf:Secret",
        _ => $"企业微信返回错误 {code}",
    };
}
