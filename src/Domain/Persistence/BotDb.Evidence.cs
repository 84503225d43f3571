using Microsoft.EntityFrameworkCore;
using RapidResponse.Domain.Evidence;

namespace RapidResponse.Domain.Persistence;

/// <summary>Evidence (photos, voice, files) and, with <c>Media:Store=Database</c>, their bytes.</summary>
public partial class BotDb
{
    public DbSet<EvidenceItem> Evidence => Set<EvidenceItem>();
    public DbSet<MediaBlob> MediaBlobs => Set<MediaBlob>();

    private static void ConfigureEvidence(ModelBuilder m)
    {
        m.Entity<EvidenceItem>(e =>
        {
            e.HasOne(x => x.Case).WithMany().HasForeignKey(x => x.CaseId);
            e.HasIndex(x => x.FormKey);
            // Serves the download worker: pending rows due before T.
            e.HasIndex(x => new { x.Status, x.NextAttemptAt });
        });
        m.Entity<MediaBlob>(e => e.HasKey(x => x.Sha256));
    }
}
