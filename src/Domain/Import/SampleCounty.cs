using RapidResponse.Domain.Persistence;

namespace RapidResponse.Domain.Import;

/// <summary>The fictional demo county 示范县 of <c>samples/</c>: all five roster files, imported in dependency order.</summary>
public static class SampleCounty
{
    /// <summary>Order matters: staff need regions and departments, households need villages and staff, groups need regions.</summary>
    public static readonly IReadOnlyList<ImportKind> Order =
        [ImportKind.Regions, ImportKind.Departments, ImportKind.Staff, ImportKind.Households, ImportKind.Groups];

    /// <summary>Imports <c>regions.csv</c> … <c>groups.csv</c> from <paramref name="samplesDirectory"/>; running it twice changes nothing.</summary>
    public static async Task<IReadOnlyList<ImportResult>> LoadAsync(BotDb db, string samplesDirectory, CancellationToken ct = default)
    {
        var importer = new RosterImporter(db);
        var results = new List<ImportResult>();
        foreach (var kind in Order)
        {
            var path = Path.Combine(samplesDirectory, kind.Name() + ".csv");
            if (!File.Exists(path)) throw new FileNotFoundException($"示例文件不存在：{path}", path);
            results.Add(await importer.ImportFileAsync(kind, path, ct));
        }
        return results;
    }
}
