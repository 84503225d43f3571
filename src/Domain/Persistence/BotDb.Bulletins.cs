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
    public DbSet<InterviewListing> InterviewListings => Set<InterviewListing>();
    public DbSet<EmergencyReport> EmergencyReports => Set<EmergencyReport>();

    private static void ConfigureBulletins(ModelBuilder m)
    {
        m.Entity<DepartmentReport>(e => e.HasIndex(x => new { x.Period, x.DepartmentCode }).IsUnique());
        m.Entity<ScoreEvent>(e =>
        {
            e.HasIndex(x => new { x.Quarter, x.DepartmentCode });
            e.HasIndex(x => x.SourceKey).IsUnique();
            e.HasIndex(x => x.TaskId).IsUnique();
            // Serves the sweep that verifies items nobody contested in time.
            e.HasIndex(x => new { x.Status, x.RespondBy });
        });
        m.Entity<InterviewListing>(e =>
        {
            e.HasIndex(x => new { x.Period, x.UnitKind, x.UnitCode }).IsUnique();
            e.HasIndex(x => new { x.UnitKind, x.UnitCode });
        });
        m.Entity<EmergencyReport>(e => { e.HasIndex(x => x.ReportedAt); e.HasIndex(x => x.UnitCode); });
        m.Entity<BulletinItem>(e =>
        {
            e.HasIndex(x => new { x.Bulletin, x.Period, x.ItemKey }).IsUnique();
            e.HasIndex(x => x.ItemKey);
        });
    }
}
