using RapidResponse.Domain.Templates;

namespace RapidResponse.Domain.Tests.Templates;

public sealed class TemplateRendererTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rrb-tpl").FullName;

    private sealed record Row(string TownshipName, int NewCases);
    private sealed record Model(string CaseNumber, DateTimeOffset DueAt, IReadOnlyList<Row> Rows);

    [Fact]
    public void Render_ShouldExposeSnakeCaseProperties_WhenModelIsRecordWithList()
    {
        File.WriteAllText(Path.Combine(_dir, "t.liquid"), "案件{{ case_number }}，期限{{ due_at }}\n\n\n{% for r in rows %}- {{ r.township_name }}：{{ r.new_cases }}件\n{% endfor %}");
        var r = new TemplateRenderer(_dir);
        var text = r.Render("t", new Model("YL-2026-000001", new DateTimeOffset(2026, 10, 9, 1, 0, 0, TimeSpan.Zero), [new("城关镇", 3), new("河口乡", 0)]));
        Assert.Equal("案件YL-2026-000001，期限2026-10-09 09:00\n\n- 城关镇：3件\n- 河口乡：0件", text);
    }

    [Fact]
    public void Render_ShouldNameTheTemplate_WhenFileMissingOrBroken()
    {
        var r = new TemplateRenderer(_dir);
        Assert.Contains("'nope'", Assert.Throws<TemplateException>(() => r.Render("nope")).Message);
        File.WriteAllText(Path.Combine(_dir, "bad.liquid"), "{% for x in %}");
        Assert.Contains("'bad'", Assert.Throws<TemplateException>(() => r.Render("bad")).Message);
    }

    [Fact]
    public void Render_ShouldPickUpEditedWording_WhenFileChanges()
    {
        var path = Path.Combine(_dir, "w.liquid");
        File.WriteAllText(path, "旧{{ x }}");
        var r = new TemplateRenderer(_dir);
        Assert.Equal("旧1", r.Render("w", new Dictionary<string, object?> { ["x"] = 1 }));
        File.WriteAllText(path, "新{{ x }}");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(5));
        Assert.Equal("新1", r.Render("w", new Dictionary<string, object?> { ["x"] = 1 }));
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
