using System.Text.Json.Serialization;

namespace RapidResponse.Bot.WeCom.Api.Requests;

/// <summary><c>GET /cgi-bin/department/list</c>: the departments the app may see (all of them without <c>id</c>).</summary>
public sealed record DepartmentListRequest(long? Id = null) : WeComRequest<DepartmentListResponse>(HttpMethod.Get, "/cgi-bin/department/list", WeComCredential.AppToken)
{
    public override IEnumerable<KeyValuePair<string, string>> QueryParameters() =>
        Id is null ? [] : [new("id", Id.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))];
}

public sealed record DepartmentListResponse : WeComResponse
{
    [JsonPropertyName("department")]
    public IReadOnlyList<WeComDepartment> Departments { get; init; } = [];
}

public sealed record WeComDepartment(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("parentid")] long ParentId);
