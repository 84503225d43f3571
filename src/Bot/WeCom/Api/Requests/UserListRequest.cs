using System.Globalization;
using System.Text.Json.Serialization;

namespace RapidResponse.Bot.WeCom.Api.Requests;

/// <summary><c>GET /cgi-bin/user/list?department_id=…&amp;fetch_child=1</c>: the members of a department (and below) the app may see.</summary>
public sealed record UserListRequest(long DepartmentId, bool FetchChild = true) : WeComRequest<UserListResponse>(HttpMethod.Get, "/cgi-bin/user/list", WeComCredential.AppToken)
{
    public override IEnumerable<KeyValuePair<string, string>> QueryParameters() =>
        [new("department_id", DepartmentId.ToString(CultureInfo.InvariantCulture)), new("fetch_child", FetchChild ? "1" : "0")];
}

public sealed record UserListResponse : WeComResponse
{
    [JsonPropertyName("userlist")]
    public IReadOnlyList<WeComMember> Members { get; init; } = [];
}

/// <summary>A member as user/list shows it; <see cref="Status"/>: 1 active, 2 disabled, 4 not activated, 5 left.</summary>
public sealed record WeComMember(
    [property: JsonPropertyName("userid")] string UserId,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("department")] IReadOnlyList<long>? Departments,
    [property: JsonPropertyName("mobile")] string? Mobile,
    [property: JsonPropertyName("status")] int Status)
{
    public bool IsActive => Status == 1;
}
