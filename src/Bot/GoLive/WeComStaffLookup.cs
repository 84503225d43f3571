using RapidResponse.Bot.WeCom.Api;
using RapidResponse.Bot.WeCom.Api.Requests;
using RapidResponse.Domain.Import;

namespace RapidResponse.Bot.GoLive;

/// <summary>Staff rows with a phone and no userid: <c>user/getuserid</c> finds the member in the corp's address book.</summary>
public sealed class WeComStaffLookup(WeComApiClient api) : IStaffAccountLookup
{
    public async Task<StaffAccount> FindByPhoneAsync(string phone, CancellationToken ct)
    {
        try
        {
            var r = await api.SendAsync(new UserGetUserIdRequest(phone), ct);
            return string.IsNullOrEmpty(r.UserId) ? StaffAccount.Missing("企业微信没有返回账号") : StaffAccount.Found(r.UserId);
        }
        catch (WeComApiException e)
        {
            return StaffAccount.Missing(WeComProblems.Explain(e.ErrCode));
        }
        catch (HttpRequestException)
        {
            return StaffAccount.Missing("连不上企业微信，请稍后再导入这一行");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return StaffAccount.Missing("企业微信没有及时回答，请稍后再导入这一行");
        }
    }
}
