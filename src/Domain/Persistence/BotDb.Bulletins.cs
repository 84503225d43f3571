using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Bulletins;
using RapidResponse.Domain.Reports;
using RapidResponse.Domain.Scoring;

namespace RapidResponse.Domain.Persistence;

/// <summary>Bulletins, department reports and score events (issue: Quartz scheduler).</summary>
public partial class BotDb
{
    public DbSet<DepartmentReport> DepartmentReports => Set<DepartmentReport>();
    public DbSet<ScoreEvent> ScoreEvents => Set<ScoreEvent>();
    public DbSet<BulletinItem> BulletinItems => Set<BulletinItem>();

    private static void ConfigureBulletins(ModelBuilder m)
    {
        m.Entity<DepartmentReport>(e => e.HasIndex(x => new { x.Period, x.DepartmentCode }).IsUnique());
        m.Entity<ScoreEvent>(e => e.HasIndex(x => new { x.Quarter, x.DepartmentCode }));
        m.Entity<BulletinItem>(e =>
        {
            e.HasIndex(x => new { x.Bulletin, x.Period, x.ItemKey }).IsUnique();
            e.HasIndex(x => x.ItemKey);
        });
    }
}
