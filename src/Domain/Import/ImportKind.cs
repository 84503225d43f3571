namespace RapidResponse.Domain.Import;

/// <summary>What a roster file holds (DESIGN §5: the column lists are a contract).</summary>
public enum ImportKind { Regions, Departments, Staff, Households, Groups }

/// <summary>Names and columns of the import kinds.</summary>
public static class ImportKinds
{
    public static readonly IReadOnlyList<ImportKind> All = Enum.GetValues<ImportKind>();

    /// <summary>The required header of each kind, in contract order.</summary>
    public static IReadOnlyList<string> Columns(ImportKind kind) => kind switch
    {
        ImportKind.Regions => ["code", "name", "parent_code", "level"],
        ImportKind.Departments => ["code", "name", "kind", "risk_types"],
        ImportKind.Staff => ["wecom_userid", "name", "phone", "role", "region_code", "department_code"],
        ImportKind.Households => ["household_no", "head_name", "id_number", "phone", "village_code", "category", "members", "income_per_capita", "contact_userid"],
        ImportKind.Groups => ["region_code", "purpose", "chat_id", "webhook_key"],
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Columns a file may add: households may carry the 湘阴 red/yellow/green card.</summary>
    public static IReadOnlyList<string> OptionalColumns(ImportKind kind) => kind == ImportKind.Households ? ["card", "no_labour_capacity"] : [];

    /// <summary>The kind as used in URLs and on the command line: regions, departments, staff, households, groups.</summary>
    public static string Name(this ImportKind kind) => kind.ToString().ToLowerInvariant();

    public static string ChineseName(this ImportKind kind) => kind switch
    {
        ImportKind.Regions => "区域",
        ImportKind.Departments => "部门",
        ImportKind.Staff => "人员",
        ImportKind.Households => "农户",
        ImportKind.Groups => "群聊",
        _ => kind.ToString(),
    };

    /// <summary>"regions（区域）、departments（部门）…" for messages that list the choices.</summary>
    public static string Described => string.Join("、", All.Select(k => $"{k.Name()}（{k.ChineseName()}）"));

    /// <summary>Accepts the English name (any case) or the Chinese name.</summary>
    public static bool TryParse(string? text, out ImportKind kind)
    {
        var t = (text ?? "").Trim();
        foreach (var k in All)
        {
            if (t.Equals(k.Name(), StringComparison.OrdinalIgnoreCase) || t == k.ChineseName())
            {
                kind = k;
                return true;
            }
        }
        kind = default;
        return false;
    }
}
