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
    public void CheckAll_ShouldListEveryBrokenFileWithItsLine_WhenTemplatesDoNotParse()
    {
        File.WriteAllText(Path.Combine(_dir, "good.liquid"), "{% if x %}好{% endif %}");
        File.WriteAllText(Path.Combine(_dir, "bad1.liquid"), "第一行\n第二行\n  {% iff x %}");
        File.WriteAllText(Path.Combine(_dir, "bad2.liquid"), "{% for x in items %}\n{{ x }}");
        var e = Assert.Throws<TemplateException>(() => new TemplateRenderer(_dir).CheckAll());
        Assert.Contains($"{Path.Combine(_dir, "bad1.liquid")} line 3, column", e.Message);
        Assert.Contains("iff", e.Message);
        Assert.Contains($"{Path.Combine(_dir, "bad2.liquid")} line 2, column", e.Message);
        Assert.DoesNotContain("good", e.Message);
    }

    [Fact]
    public void CheckAll_ShouldNameEveryTemplate_WhenAllParse()
    {
        File.WriteAllText(Path.Combine(_dir, "a.liquid"), "{{ x }}");
        File.WriteAllText(Path.Combine(_dir, "b.liquid"), "{% for i in items %}{{ i }}{% endfor %}");
        Assert.Equal(["a", "b"], new TemplateRenderer(_dir).CheckAll());
    }

    [Fact]
    public void Render_ShouldNotHtmlEncode_WhenTextCarriesMarkupCharacters()
    {
        File.WriteAllText(Path.Combine(_dir, "m.liquid"), "情况：{{ description }}");
        var text = new TemplateRenderer(_dir).Render("m", new { Description = "<b>收入&支出</b> \"说明\" 'x'" });
        Assert.Equal("情况：<b>收入&支出</b> \"说明\" 'x'", text);
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
