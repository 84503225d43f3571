using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using RapidResponse.Domain.Audit;
using RapidResponse.Domain.Cases;
using RapidResponse.Domain.Messaging;
using RapidResponse.Domain.Roster;

namespace RapidResponse.Domain.Persistence;

/// <summary>The bot's database. Provider-neutral: no provider-specific SQL lives here.</summary>
public partial class BotDb : DbContext
{
    public BotDb(DbContextOptions<BotDb> options) : base(options) { }

    /// <summary>For a provider's derived context (<see cref="Postgres.PostgresBotDb"/>), which keeps its own migrations.</summary>
    protected BotDb(DbContextOptions options) : base(options) { }

    public DbSet<Region> Regions => Set<Region>();
    public DbSet<Department> Departments => Set<Department>();
    public DbSet<Staff> Staff => Set<Staff>();
    public DbSet<Household> Households => Set<Household>();
    public DbSet<GroupBinding> Groups => Set<GroupBinding>();
    public DbSet<Case> Cases => Set<Case>();
    public DbSet<CaseStage> Stages => Set<CaseStage>();
    public DbSet<StageAssignment> Assignments => Set<StageAssignment>();
    public DbSet<LadderStep> LadderSteps => Set<LadderStep>();
    public DbSet<Visit> Visits => Set<Visit>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<OutboundMedia> OutboundMedia => Set<OutboundMedia>();
    public DbSet<InboxMessage> Inbox => Set<InboxMessage>();
    public DbSet<ConversationState> Conversations => Set<ConversationState>();
    public DbSet<KeyValueEntry> KeyValues => Set<KeyValueEntry>();
    public DbSet<CaseCounter> CaseCounters => Set<CaseCounter>();
    public DbSet<DeferralRequest> DeferralRequests => Set<DeferralRequest>();
    public DbSet<FarmerNotice> FarmerNotices => Set<FarmerNotice>();
    /// <summary>What the sandbox delivered in place of WeCom (sandbox mode only).</summary>
    public DbSet<SandboxMessage> SandboxMailbox => Set<SandboxMessage>();

    protected override void ConfigureConventions(ModelConfigurationBuilder b)
    {
        // Instants are stored as UTC ticks so every provider can compare and order them in SQL.
        b.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        b.Properties<List<string>>().HaveConversion<StringListConverter, StringListComparer>();
    }

    protected override void OnModelCreating(ModelBuilder m)
    {
        m.Entity<Region>(e => { e.HasKey(x => x.Code); e.HasIndex(x => x.ParentCode); });
        m.Entity<Department>(e => e.HasKey(x => x.Code));
        m.Entity<Staff>(e => { e.HasKey(x => x.UserId); e.HasIndex(x => x.RegionCode); e.HasIndex(x => x.DepartmentCode); });
        m.Entity<Household>(e =>
        {
            e.HasIndex(x => x.HouseholdNo).IsUnique();
            e.HasIndex(x => x.IdNumber).IsUnique();
            e.HasIndex(x => new { x.VillageCode, x.HeadName });
            e.Property(x => x.IncomePerCapita).HasConversion<double>();
        });
        m.Entity<GroupBinding>(e => e.HasIndex(x => new { x.RegionCode, x.Purpose }).IsUnique());

        m.Entity<Case>(e =>
        {
            e.HasIndex(x => x.Number).IsUnique();
            e.HasIndex(x => x.SourceKey).IsUnique();
            e.HasIndex(x => new { x.State, x.VillageCode });
            e.HasIndex(x => x.ReporterId);
            e.HasIndex(x => x.HouseholdId);
            // The console (issue 15): the newest-first case list and the overview's 12-month trend count months of opened
            // and closed cases; with the village in the index a township's count needs no row lookups.
            e.HasIndex(x => new { x.CreatedAt, x.VillageCode });
            e.HasIndex(x => new { x.ClosedAt, x.VillageCode });
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasMany(x => x.Stages).WithOne(s => s.Case).HasForeignKey(s => s.CaseId);
            e.HasMany(x => x.Visits).WithOne().HasForeignKey(v => v.CaseId);
            e.HasMany(x => x.Audit).WithOne().HasForeignKey(a => a.CaseId);
            e.Ignore(x => x.CurrentStage);
        });
        m.Entity<CaseStage>(e =>
        {
            // Serves "open stages due before T".
            e.HasIndex(x => new { x.CompletedAt, x.DueAt });
            e.HasMany(x => x.Assignments).WithOne(a => a.Stage).HasForeignKey(a => a.StageId);
            e.HasMany(x => x.Steps).WithOne(s => s.Stage).HasForeignKey(s => s.StageId);
        });
        m.Entity<StageAssignment>(e =>
        {
            e.HasIndex(x => x.TaskId).IsUnique();
            e.HasIndex(x => new { x.AssigneeId, x.CompletedAt });
        });
        // Serves the deadline sweep: pending steps due before T.
        m.Entity<LadderStep>(e => e.HasIndex(x => new { x.DoneAt, x.FireAt }));
        m.Entity<AuditEvent>(e => { e.HasIndex(x => x.CaseId); e.HasIndex(x => x.At); });
        m.Entity<OutboxMessage>(e =>
        {
            e.HasIndex(x => new { x.Status, x.NotBefore });
            e.HasIndex(x => x.DedupeKey).IsUnique();
            e.HasIndex(x => new { x.Recipient, x.SentAt });
        });
        m.Entity<InboxMessage>(e =>
        {
            e.HasIndex(x => x.DedupeKey).IsUnique();
            e.HasIndex(x => new { x.Status, x.Id });
            e.HasIndex(x => new { x.SenderId, x.Id });
        });
        m.Entity<ConversationState>(e => { e.HasKey(x => x.Key); e.HasIndex(x => x.ExpiresAt); });
        m.Entity<KeyValueEntry>(e => { e.HasKey(x => x.Key); e.Property(x => x.Version).IsConcurrencyToken(); });
        m.Entity<DeferralRequest>(e => { e.HasIndex(x => x.TaskId).IsUnique(); e.HasIndex(x => x.CaseNumber); });
        m.Entity<FarmerNotice>(e => { e.HasIndex(x => x.TaskId).IsUnique(); e.HasIndex(x => new { x.ToldAt, x.DueAt }); e.HasIndex(x => x.CaseId); });
        m.Entity<OutboundMedia>(e => e.HasIndex(x => x.Sha256).IsUnique());
        m.Entity<SandboxMessage>(e => { e.HasIndex(x => new { x.To, x.Id }); e.HasIndex(x => x.OutboxId).IsUnique(); });
        m.Entity<CaseCounter>(e => { e.HasKey(x => new { x.Prefix, x.Year }); e.Property(x => x.Version).IsConcurrencyToken(); });
        ConfigureBulletins(m);
        ConfigureEvidence(m);
    }

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));

    private sealed class StringListConverter() : ValueConverter<List<string>, string>(
        v => string.Join(',', v), v => v.Length == 0 ? new List<string>() : v.Split(',', StringSplitOptions.None).ToList());

    private sealed class StringListComparer() : ValueComparer<List<string>>(
        (a, b) => (a == null && b == null) || (a != null && b != null && a.SequenceEqual(b)),
        v => v.Aggregate(0, (h, s) => HashCode.Combine(h, s.GetHashCode())),
        v => v.ToList());
}

/// <summary>Per-prefix, per-year sequence for case numbers (YL-2026-000123).</summary>
public class CaseCounter
{
    public required string Prefix { get; set; }
    public int Year { get; set; }
    public int Last { get; set; }
    public long Version { get; set; }
}
